"""Fixtures for the Django admin tests: an operator signed in with password and authenticator code
(the only way into the admin), and `one_of_each`, a row of every model the admin shows."""

import secrets
import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.admin.helpers import sign_in_with_mfa, totp_code


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Rate-limit counters live in the shared Redis: give each test its own key space."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl-{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def _meetings_settings(fast_password_hashing, mind_application):
    """The embedded engine acts as the Mind application the meetings use (tests/support/meetings.py)."""


@pytest.fixture
def operator(make_user):
    return make_user(email="operator@example.com", is_staff=True, is_superuser=True, display_name="Olga Operator")


@pytest.fixture
def admin_client(operator, client):
    """A browser session of a superuser verified with a second factor."""
    return sign_in_with_mfa(client, operator)


@pytest.fixture
def one_of_each(make_objects):
    return make_objects()


@pytest.fixture
def make_objects(db, make_user):
    """make_objects(tag="") -> {model: an object} for every model the admin shows, made the way the
    product makes them where that is a service function, else directly. Call it again with another
    tag for another full set."""

    def make(tag: str = "") -> dict:
        return _make_objects(make_user, tag)

    return make


def _make_objects(make_user, tag: str) -> dict:
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.models import StaticDevice
    from oauth2_provider.models import (
        get_access_token_model,
        get_grant_model,
        get_id_token_model,
        get_refresh_token_model,
        set_token_value,
    )

    from accounts import services as accounts_services
    from accounts.models import TokenUsage, UserSettings
    from meetings.models import (
        BreakoutAssignment,
        BreakoutRoom,
        BreakoutSession,
        Instance,
        Meeting,
        Occurrence,
        Participant,
        Registrant,
        SentCancellation,
    )
    from mind.models import (
        Conference,
        Message,
        RecordingHold,
        RetainedRecording,
        Streaming,
        Utterance,
        hash_token,
        new_participant_token,
    )
    from mind.models import Participant as EngineParticipant
    from notifications.models import NotificationSettings, PageInvitation, SentReminder
    from push.models import Delivery as PushDelivery
    from push.models import Device as PushDevice
    from qos.models import QosClient, QosMinute, QosRating, QosSample
    from recordings.models import AccountRecordingSettings, CloudRecording, RecordingAccessDay, RecordingFile
    from summaries.models import AccountSummarySettings, Assistant, AssistantRun, MeetingSummary, MeetingSummarySettings
    from webhooks.models import Delivery, Subscription
    from whiteboards.models import Whiteboard

    now = timezone.now()
    host = make_user(email=f"hana{tag}@customer.example", display_name="Hana Host")
    account = host.account
    objects = {type(host): host, type(account): account}

    def add(obj):
        objects[type(obj)] = obj
        return obj

    # accounts, OAuth and second factor
    add(Group.objects.create(name=f"operators{tag}"))
    application, _ = accounts_services.create_application(host, "Calendar sync", "web", "http://127.0.0.1:9/cb")
    add(application)
    AccessToken, RefreshToken = get_access_token_model(), get_refresh_token_model()
    access = AccessToken(user=host, application=application, scope="meeting:read", expires=now + timedelta(hours=1))
    set_token_value(access, secrets.token_urlsafe(32))
    access.save()
    add(access)
    refresh = RefreshToken(user=host, application=application, access_token=access)
    set_token_value(refresh, secrets.token_urlsafe(32))
    refresh.save()
    add(refresh)
    add(get_grant_model().objects.create(user=host, application=application, code=secrets.token_urlsafe(24),
                                         expires=now + timedelta(minutes=1), redirect_uri="http://127.0.0.1:9/cb"))
    add(get_id_token_model().objects.create(user=host, application=application, expires=now + timedelta(hours=1)))
    enrolment = accounts_services.start_mfa_enrolment(host)
    totp, _ = accounts_services.confirm_mfa_enrolment(host, totp_code(enrolment.secret))
    add(totp)
    add(StaticDevice.objects.get(user=host))
    add(TokenUsage.objects.create(access_token=access, last_used_at=now))
    add(UserSettings.objects.create(user=host, values={"schedule_meeting": {"host_video": True}}))
    add(accounts_services.audit(host, "meeting.deleted", target=account, meeting_id=1))

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    request_fields = {"user_agent": "Firefox", "http_accept": "text/html", "path_info": "/accounts/login/",
                      "ip_address": "192.0.2.7", "username": host.email}
    add(AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=2, **request_fields))
    add(AccessLog.objects.create(**request_fields))
    add(AccessFailureLog.objects.create(**request_fields))

    # meetings
    meeting = add(Meeting.objects.create(account=account, host=host, topic="Quarterly review", type=8,
                                         start_time=now + timedelta(days=1), password="123456"))
    add(Occurrence.objects.create(meeting=meeting, occurrence_id=int((now + timedelta(days=1)).timestamp() * 1000),
                                  start_time=now + timedelta(days=1)))
    conference = add(Conference.objects.create(application_id=uuid.uuid4(), name="Quarterly review"))
    instance = add(Instance.objects.create(meeting=meeting, started_at=now - timedelta(hours=1), ended_at=now,
                                           conference_id=str(conference.pk), recording_state="stopped"))
    registrant = add(Registrant.objects.create(meeting=meeting, email="guest@example.org", first_name="Gus",
                                               status="approved"))
    engine_participant = add(EngineParticipant.objects.create(conference=conference, name="Hana Host",
                                                              token_hash=hash_token(new_participant_token())))
    participant = add(Participant.objects.create(meeting=meeting, instance=instance, user=host, name="Hana Host", role="host",
                                   status="left", registrant=registrant, media_participant_id=str(engine_participant.pk),
                                   media_token="secret-engine-token", joined_at=now - timedelta(hours=1), left_at=now))
    add(SentCancellation.objects.create(meeting_id=meeting.pk, email="guest@example.org"))
    breakout = add(BreakoutSession.objects.create(instance=instance, state="closed", round=1))
    room = add(BreakoutRoom.objects.create(session=breakout, position=1, name="Room 1", emails=["guest@example.org"]))
    add(BreakoutAssignment.objects.create(room=room, participant=participant))
    subscription = add(Subscription.objects.create(account=account, application=application, status="active",
                                                   url="https://hooks.example.com/zoom", events=["meeting.ended"]))
    add(Delivery.objects.create(subscription=subscription, event="meeting.ended", event_ts=int(now.timestamp() * 1000),
                                meeting_key=str(meeting.pk), body={"event": "meeting.ended", "payload": {}},
                                state="failed", attempts=9, last_status=503, last_error="HTTP 503",
                                give_up_at=now))

    # the engine
    add(Message.objects.create(conference=conference, sent_by=engine_participant.pk, sent_to=conference.pk,
                               text="Hello everyone"))
    add(Streaming.objects.create(conference=conference, url="rtmp://live.example.com/app/stream-key-123"))
    add(Utterance.objects.create(conference=conference, participant_id=engine_participant.pk, timestamp=1500,
                                 text="Let us start"))
    retained = add(RetainedRecording.objects.create(conference_id=conference.pk, application_id=conference.application_id,
                                                    name="Quarterly review", segments=[{"startedAt": 0, "stoppedAt": 9}]))
    add(RecordingHold.objects.create(recording=retained, holder="recordings"))

    # recordings
    recording = add(CloudRecording.objects.create(
        account=account, host=host, conference_id=conference.pk, instance=instance, meeting_id=meeting.pk,
        meeting_uuid=instance.uuid, topic=meeting.topic, start_time=instance.started_at, duration=60,
        status="completed", progress=100, collected_segments=1))
    add(RecordingFile.objects.create(recording=recording, file_type="MP4", recording_type="shared_screen_with_speaker_view",
                                     file_extension="MP4", content_type="video/mp4", storage_name=f"{recording.pk}/a.mp4",
                                     file_size=1024, checksum="0" * 64, status="completed",
                                     recording_start=instance.started_at, recording_end=now, segments=1))
    add(AccountRecordingSettings.objects.create(account=account, record_audio_file_each_participant=True))
    add(RecordingAccessDay.objects.create(recording=recording, date=date.today(), views=3, downloads=1))

    # summaries
    add(AccountSummarySettings.objects.create(account=account, auto_summary=True))
    add(MeetingSummarySettings.objects.create(meeting=meeting, auto_summary=True))
    add(MeetingSummary.objects.create(
        instance=instance, account=account, state="completed", used_backend="embedded", completed_at=now,
        transcript=[{"timestamp": 1500, "participantId": str(engine_participant.pk), "speaker": "Hana Host",
                     "text": "Let us start"}],
        content={"title": "Quarterly review", "overview": "Started.", "details": [], "next_steps": [],
                 "keywords": [], "decisions": []}))
    assistant = add(Assistant.objects.create(account=account, name="Risks", instructions="List the risks.",
                                             created_by=host))
    add(AssistantRun.objects.create(assistant=assistant, instance=instance, requested_by=host,
                                    instructions=assistant.instructions, state="completed", answer="None raised."))

    # quality of service
    sample = {"conference_id": conference.pk, "participant_id": engine_participant.pk, "direction": "out",
              "media": "primary", "kind": "video"}
    add(QosSample.objects.create(client_at=now, bitrate_bps=800_000, rtt_ms=40, jitter_ms=3, loss_pct=0.5,
                                 delay_ms=20, frame_rate=30, width=640, height=360, **sample))
    stats = {f"{name}_{kind}": 1.0 for name in ("bitrate", "rtt", "jitter", "loss", "frame_rate")
             for kind in ("min", "avg", "max")}
    add(QosMinute.objects.create(minute=now.replace(second=0, microsecond=0), samples=12, delay_avg=20,
                                 width_max=640, height_max=360, **sample, **stats))
    add(QosRating.objects.create(participant_id=engine_participant.pk, conference_id=conference.pk, rating="fair"))
    add(QosClient.objects.create(participant_id=engine_participant.pk, conference_id=conference.pk, device="Mac",
                                 os="macOS 14", version="Chrome 131", network_type="Wifi"))

    # whiteboards, notifications
    add(Whiteboard.objects.create(instance=instance, elements=[{"id": "a", "type": "rect"}], version=1))
    add(NotificationSettings.objects.create(user=host, reminder_minutes=15))
    add(SentReminder.objects.create(user=host, meeting_id=meeting.pk, start_time=meeting.start_time))
    add(PageInvitation.objects.create(meeting_id=meeting.pk, email="guest@example.org"))

    # push
    device = add(PushDevice.objects.create(user=host, kind="apns", token=f"push-device-token-{tag}-0123456789",
                                           platform="ios", app_id="com.example.confer", registered_at=now))
    add(PushDelivery.objects.create(device=device, event="meeting.invited", message={"title": "Invited"},
                                    status="sent", attempts=1, last_status=200, due_at=now, sent_at=now))
    return objects
