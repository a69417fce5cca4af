"""What the meetings domain pushes, through the local APNs server: the "starts soon" reminder with its
e-mail (once), invitations to people with an account (verified address only), the waiting-room
admit, and the VoIP call events of a meeting (its start rings the invitees of its own account, its
end reaches them and everyone signed in who was in it). Each is queued by the action that does the
thing and leaves only after the commit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.actions import live, schedule
from meetings.models import Meeting
from notifications import services as notifications
from tests.push.helpers import APNS_TOKEN, VOIP_TOKEN, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def meetings_settings(fast_password_hashing, mind_application):
    """The embedded engine as the meetings' Mind application (tests/support/meetings.py)."""


def pushed(apns) -> dict[str, dict]:
    """{device token: payload} of what APNs received."""
    return {r["headers"][":path"].rsplit("/", 1)[1]: r["json"] for r in apns.server.requests}


def meeting_at(host, minutes: float, **extra) -> Meeting:
    start = (timezone.now() + timedelta(minutes=minutes)).replace(microsecond=0)
    return schedule.create_meeting(host, {"type": 2, "topic": "Design review", "start_time": start, "duration": 30,
                                          **extra})


def test_the_starts_soon_reminder_is_pushed_once_with_its_email(apns, host, smtp_inbox, eager_tasks,
                                                                 django_capture_on_commit_callbacks):
    register(host)
    meeting = meeting_at(host, 9.5)
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_due_reminders() == 1
        assert apns.server.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_due_reminders() == 0
    assert pushed(apns) == {APNS_TOKEN: {
        "aps": {"alert": {"title": "Starts in 10 minutes", "body": "Design review"}, "sound": "default",
                "thread-id": f"meeting-{meeting.pk}"},
        "event": "meeting.starting_soon", "meeting_id": str(meeting.pk), "topic": "Design review", "minutes": "10"}}
    [request] = apns.server.requests
    assert request["headers"]["apns-collapse-id"] == f"meeting-{meeting.pk}-soon"
    assert len(smtp_inbox.messages) == 1


def test_people_invited_by_email_who_have_an_account_get_a_push(apns, host, make_user, smtp_inbox, eager_tasks,
                                                                django_capture_on_commit_callbacks):
    guest = make_user(email="guest@example.com")
    register(guest)
    unproven = make_user(email="unproven@example.com", email_verified=False)  # may not own the address
    register(unproven, token="c3" * 32)
    meeting = meeting_at(host, 60 * 24)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.invite_from_page(meeting, ["guest@example.com", "unproven@example.com", "nobody@example.com"])
    payloads = pushed(apns)
    assert list(payloads) == [APNS_TOKEN]
    payload = payloads[APNS_TOKEN]
    assert payload["event"] == "meeting.invited" and payload["meeting_id"] == str(meeting.pk)
    assert payload["live"] == "false" and payload["aps"]["alert"]["body"] == "Design review"
    assert payload["aps"]["alert"]["title"] == f"{payload['host_name']} invited you"
    assert "pwd" not in str(payload) and meeting.password not in str(payload).replace(str(meeting.pk), "")
    assert len(smtp_inbox.messages) == 3


def test_an_invitation_to_a_running_meeting_says_join_now(apns, host, make_user, eager_tasks,
                                                          django_capture_on_commit_callbacks):
    guest = make_user(email="guest@example.com")
    register(guest)
    meeting = meeting_at(host, 5)
    with django_capture_on_commit_callbacks(execute=True):
        live.invite_by_email(meeting, [{"email": "guest@example.com"}])
    payload = pushed(apns)[APNS_TOKEN]
    assert payload["event"] == "meeting.invited" and payload["live"] == "true"
    assert payload["aps"]["alert"]["title"].endswith("invites you to join now")


def test_the_person_let_in_from_the_waiting_room_gets_a_push(apns, host, make_user, create_meeting, joiner,
                                                             eager_tasks, django_capture_on_commit_callbacks):
    guest = make_user(email="guest@example.com")
    register(guest)
    created = create_meeting(password="", settings={"waiting_room": True})
    host_session = joiner(host)
    host_session.join(created["id"])
    waiting = joiner(guest).join(created["id"], name="Gus")
    assert waiting["state"] == "waiting_room"
    with django_capture_on_commit_callbacks(execute=True):
        response = host_session.post(f"/j/{created['id']}/lobby/{waiting['participant_id']}/admit",
                                     ticket=host_session.ticket)
        assert response.status_code == 200
    payload = pushed(apns)[APNS_TOKEN]
    assert payload["event"] == "meeting.admitted" and payload["participant_id"] == waiting["participant_id"]
    assert payload["aps"]["alert"]["title"] == "The host let you in"
    assert payload["meeting_id"] == str(created["id"])


def test_a_call_rings_the_accounts_invitees_and_its_end_reaches_everyone_in_it(
        apns, host, make_user, create_meeting, joiner, eager_tasks, django_capture_on_commit_callbacks):
    colleague = make_user(email="colleague@example.com", account=host.account)
    register(colleague, kind="apns_voip", token=VOIP_TOKEN)
    register(colleague)  # the alert token: calls go to the VoIP one
    alternate = make_user(email="alt@example.com", account=host.account)
    register(alternate, kind="apns_voip", token="c3" * 32)
    outsider = make_user(email="outsider@example.com")  # another account: never rung
    register(outsider, kind="apns_voip", token="d4" * 32)
    guest = make_user(email="guest@example.com")  # not invited, joins anyway
    register(guest, kind="apns_voip", token="e5" * 32)
    register(host, kind="apns_voip", token="f6" * 32)
    created = create_meeting(password="", settings={
        "alternative_hosts": "alt@example.com",
        "meeting_invitees": [{"email": "colleague@example.com"}, {"email": "outsider@example.com"}]})

    with django_capture_on_commit_callbacks(execute=True):
        joiner(host).join(created["id"])
    meeting = Meeting.objects.get(pk=created["id"])
    instance = meeting.live_instance()
    rung = pushed(apns)
    assert set(rung) == {VOIP_TOKEN, "c3" * 32}
    assert {payload["event"] for payload in rung.values()} == {"call.incoming"}
    assert rung[VOIP_TOKEN]["meeting_uuid"] == instance.uuid and rung[VOIP_TOKEN]["aps"] == {}
    assert {r["headers"]["apns-push-type"] for r in apns.server.requests} == {"voip"}

    joiner(guest).join(created["id"], name="Gus")
    apns.server.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        live.end_meeting(meeting)
    ended = pushed(apns)
    assert set(ended) == {VOIP_TOKEN, "c3" * 32, "e5" * 32, "f6" * 32}
    assert {payload["event"] for payload in ended.values()} == {"call.ended"}
    assert {r["headers"]["apns-collapse-id"] for r in apns.server.requests} == {f"call-{instance.uuid}"[:64]}
