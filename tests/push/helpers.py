"""Helpers of the push tests (no fixtures)."""

from push import services
from push.notices import Notice

TEAM_ID, KEY_ID = "TEAM4PUSH1", "KEY4PUSH01"
BUNDLE_ID = "com.example.confer"
FCM_PROJECT, FCM_EMAIL, FCM_KEY_ID = "confer-test", "push@confer-test.iam.gserviceaccount.com", "4f1c0ffee"
APNS_TOKEN = "a1" * 32
VOIP_TOKEN = "b2" * 32
FCM_TOKEN = "fcm-token_" + "x" * 40 + ":APA91b"


def register(user, kind="apns", token=APNS_TOKEN, platform="ios", **extra):
    device, _created = services.register_device(user, kind=kind, token=token, platform=platform,
                                                app_id=extra.pop("app_id", BUNDLE_ID), **extra)
    return device


ALERT = Notice(event="meeting.invited", title="Ann invited you", body="Design review",
               data={"meeting_id": "81234567890", "host_name": "Ann"}, collapse_id="invite-1",
               thread_id="meeting-81234567890", ttl=600)
CALL = Notice(event="call.incoming", data={"meeting_id": "81234567890", "meeting_uuid": "u1=="}, call=True,
              collapse_id="call-u1==", ttl=60)
