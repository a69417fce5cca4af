"""recording:read / recording:write scopes (and :admin for other users of the account)."""

import pytest

from tests.recordings.conftest import READ

pytestmark = pytest.mark.django_db


def test_meeting_scopes_do_not_reach_recordings(api_client, host, make_recording):
    recording = make_recording(host)
    client = api_client(host, "meeting:read meeting:write")
    for method, url in (("get", "/v2/users/me/recordings"), ("get", f"/v2/meetings/{recording.meeting_id}/recordings"),
                        ("delete", f"/v2/meetings/{recording.meeting_id}/recordings")):
        response = getattr(client, method)(url)
        assert response.status_code == 400 and response.json()["code"] == 4711, url


def test_read_scope_cannot_change_anything(api_client, host, make_recording):
    recording = make_recording(host)
    client = api_client(host, READ)
    response = client.delete(f"/v2/meetings/{recording.meeting_id}/recordings")
    assert response.status_code == 400 and response.json()["code"] == 4711
    response = client.patch(f"/v2/meetings/{recording.meeting_id}/recordings/settings", {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 4711


def test_admin_scope_reaches_the_accounts_other_users(api_client, make_user, make_recording):
    owner = make_user()  # a user made without an account owns a new one
    assert owner.is_account_admin
    colleague = make_user(account=owner.account)
    recording = make_recording(colleague)
    plain = api_client(owner, READ).get(f"/v2/meetings/{recording.meeting_id}/recordings")
    assert plain.status_code == 404 and plain.json()["code"] == 3301
    wide = api_client(owner, f"{READ}:admin")
    listed = wide.get(f"/v2/users/{colleague.public_id}/recordings")
    assert listed.status_code == 200 and listed.json()["meetings"][0]["uuid"] == recording.meeting_uuid
    assert wide.get(f"/v2/meetings/{recording.meeting_id}/recordings").status_code == 200
    # A member with an :admin scope is still only a member.
    member = api_client(colleague, f"{READ}:admin").get(f"/v2/users/{owner.public_id}/recordings")
    assert member.status_code == 404
