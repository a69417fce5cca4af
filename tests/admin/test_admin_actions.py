"""Each admin action calls the domain's service and does what it says, checked in the database (and,
for credentials, by using them): end meeting, trash and recover recordings and files, revoke a user's
or an application's tokens, disable a user, summarise again. Each tells the operator what it did."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from accounts import zak
from accounts.models import AuditEvent, User
from meetings.models import Instance, Meeting, Participant
from recordings.models import CloudRecording, RecordingFile
from summaries.models import MeetingSummary
from tests.admin.helpers import PASSWORD, admin_path
from tests.conftest import ZoomAPIClient, issue_token

pytestmark = pytest.mark.django_db
AccessToken, RefreshToken = get_access_token_model(), get_refresh_token_model()


def run_action(client, model, action, objects):
    response = client.post(admin_path(model), {"action": action, "_selected_action": [str(o.pk) for o in objects]},
                           follow=True)
    assert response.status_code == 200, response.content[:2000]
    return [str(message) for message in get_messages(response.wsgi_request)] or [
        str(message) for message in response.context["messages"]]


def test_end_meeting_ends_the_live_instance_for_everyone(admin_client, create_meeting, host, joiner):
    live = create_meeting(password="", topic="Live one")
    joiner(host).join(live["id"])
    guest = joiner()
    guest.join(live["id"], name="Gus Guest")
    idle = create_meeting(password="", topic="Not started")
    assert Participant.objects.filter(meeting_id=live["id"], status="in_meeting").count() == 2

    said = run_action(admin_client, Meeting, "end_meeting", Meeting.objects.filter(pk__in=[live["id"], idle["id"]]))

    instance = Instance.objects.get(meeting_id=live["id"])
    assert instance.ended_at is not None
    assert set(Participant.objects.filter(meeting_id=live["id"]).values_list("status", flat=True)) == {"left"}
    assert not Instance.objects.filter(meeting_id=idle["id"]).exists()
    assert any(f"Ended meeting(s) {live['id']}" in m for m in said)
    assert any("Not in progress" in m and str(idle["id"]) in m for m in said)
    assert guest.status(live["id"])["state"] == "ended"


def test_trash_and_recover_recordings_and_files_never_delete(admin_client, one_of_each):
    recording = one_of_each[CloudRecording]
    file = one_of_each[RecordingFile]

    said = run_action(admin_client, CloudRecording, "trash", [recording])
    recording.refresh_from_db()
    file.refresh_from_db()
    assert recording.trashed_at is not None and file.trashed_at is not None
    assert any("Moved 1 recording(s) to the trash" in m for m in said)
    said = run_action(admin_client, CloudRecording, "trash", [recording])
    assert any("Moved 0 recording(s) to the trash; 1 already were." in m for m in said)

    said = run_action(admin_client, CloudRecording, "recover", [recording])
    recording.refresh_from_db()
    file.refresh_from_db()
    assert recording.trashed_at is None and file.trashed_at is None
    assert any("Recovered 1 recording(s)" in m for m in said)

    said = run_action(admin_client, RecordingFile, "trash", [file])
    file.refresh_from_db()
    assert file.trashed_at is not None and any("Moved 1 file(s) to the trash" in m for m in said)

    # Trash first: the admin cannot delete either for good.
    assert admin_client.post(admin_path(CloudRecording, "delete", recording), {"post": "yes"}).status_code == 403
    assert admin_client.post(admin_path(RecordingFile, "delete", file), {"post": "yes"}).status_code == 403
    assert CloudRecording.objects.filter(pk=recording.pk).exists() and RecordingFile.objects.filter(pk=file.pk).exists()


def test_revoke_a_users_tokens_zaks_and_sessions(admin_client, make_user, api_client):
    user = make_user(email="member@customer.example")
    api = api_client(user, "user:read")
    other = api_client(make_user(email="bystander@customer.example"), "user:read")
    assert api.get("/v2/users/me").status_code == 200
    issued_zak = zak.issue(user)
    session = Client()
    session.force_login(user)
    assert session.get("/accounts/profile/").status_code == 200

    said = run_action(admin_client, User, "revoke_credentials", [user])

    assert api.get("/v2/users/me").status_code == 401
    assert not AccessToken.objects.filter(user=user).exists()
    assert zak.read(issued_zak) is None
    assert session.get("/accounts/profile/").status_code == 302  # signed out
    assert other.get("/v2/users/me").status_code == 200  # only theirs
    assert any("Revoked 1 API token(s) of 1 user(s)" in m for m in said)
    assert AuditEvent.objects.filter(action="credentials.revoked", target_id=str(user.pk),
                                     details__reason="admin.revoked").exists()


def test_revoke_every_token_of_an_application(admin_client, make_user, one_of_each):
    from oauth2_provider.models import get_application_model

    application = one_of_each[get_application_model()]
    refresh = one_of_each[RefreshToken]
    someone = make_user(email="member@customer.example")
    issue_token(someone, "user:read", application=application)
    kept = issue_token(someone, "user:read")  # another application's token
    assert AccessToken.objects.filter(application=application).count() == 2

    said = run_action(admin_client, get_application_model(), "revoke_application_tokens", [application])

    assert not AccessToken.objects.filter(application=application).exists()
    refresh.refresh_from_db()
    assert refresh.revoked is not None
    assert AccessToken.objects.filter(user=someone).count() == 1
    still_working = ZoomAPIClient()
    still_working.credentials(HTTP_AUTHORIZATION=f"Bearer {kept}")
    assert still_working.get("/v2/users/me").status_code == 200
    assert any("Revoked 2 access token(s)" in m for m in said)
    assert AuditEvent.objects.filter(action="oauth_application.tokens_revoked", target_id=str(application.pk)).exists()


def test_disable_user(admin_client, operator, make_user, api_client):
    user = make_user(email="leaver@customer.example")
    api = api_client(user, "user:read")
    session = Client()
    session.force_login(user)

    said = run_action(admin_client, User, "disable_users", [user, operator])

    user.refresh_from_db()
    operator.refresh_from_db()
    assert not user.is_active and operator.is_active  # nobody disables themselves by a stray tick
    assert api.get("/v2/users/me").status_code == 401
    assert session.get("/accounts/profile/").status_code == 302
    assert Client().post("/accounts/login/", {"username": user.email, "password": PASSWORD}).status_code == 200
    assert any("Disabled 1 user" in m for m in said)
    assert any("cannot disable your own user" in m for m in said)
    assert AuditEvent.objects.filter(action="user.disabled", target_id=str(user.pk), actor=operator).exists()


def test_summarise_again(admin_client, one_of_each):
    summary = one_of_each[MeetingSummary]
    generation = summary.generation

    said = run_action(admin_client, MeetingSummary, "summarise_again", [summary])

    summary.refresh_from_db()
    assert summary.state == MeetingSummary.State.PENDING and summary.generation == generation + 1
    assert any("Queued 1 summary" in m for m in said)
