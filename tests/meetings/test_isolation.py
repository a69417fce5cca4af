"""Authorization on every object: other accounts get 404; other users of the account need :admin."""

import pytest

from tests.support.meetings import RW

pytestmark = pytest.mark.django_db

ADMIN = "meeting:read:admin meeting:write:admin"

# (method, path, body) for every meeting endpoint; {id} is the meeting.
ENDPOINTS = [
    ("get", "/v2/meetings/{id}", None),
    ("patch", "/v2/meetings/{id}", {"topic": "x"}),
    ("delete", "/v2/meetings/{id}", None),
    ("put", "/v2/meetings/{id}/status", {"action": "end"}),
    ("post", "/v2/meetings/{id}/invite_links", {"attendees": [{"name": "A"}]}),
    ("get", "/v2/meetings/{id}/participants", None),
    ("get", "/v2/meetings/{id}/livestream", None),
    ("patch", "/v2/meetings/{id}/livestream", {"stream_url": "rtmp://a/b", "stream_key": "k", "page_url": "https://a"}),
    ("patch", "/v2/meetings/{id}/livestream/status", {"action": "start"}),
    ("patch", "/v2/live_meetings/{id}/events", {"method": "recording.start"}),
    ("get", "/v2/past_meetings/{id}", None),
    ("get", "/v2/past_meetings/{id}/instances", None),
    ("get", "/v2/past_meetings/{id}/participants", None),
    ("get", "/v2/users/{host}/meetings/{id}", None),
]


def call(client, method, path, body):
    return getattr(client, method)(path, body, format="json") if body is not None else getattr(client, method)(path)


@pytest.mark.parametrize("method, path, body", ENDPOINTS)
def test_another_account_gets_404_even_with_admin_scopes(api_client, create_meeting, host, make_user, method, path, body):
    created = create_meeting()
    outsider = api_client(make_user(), f"{RW} {ADMIN}")
    response = call(outsider, method, path.format(id=created["id"], host=host.public_id), body)
    assert response.status_code == 404, response.content
    assert response.json()["code"] in (3001, 1001)


@pytest.mark.parametrize("method, path, body", ENDPOINTS)
def test_a_colleague_without_admin_scope_gets_404(api_client, create_meeting, host, make_user, method, path, body):
    created = create_meeting()
    colleague = api_client(make_user(account=host.account), RW)
    response = call(colleague, method, path.format(id=created["id"], host=host.public_id), body)
    assert response.status_code == 404, response.content


def test_a_member_with_admin_scopes_still_sees_only_their_own(api_client, create_meeting, host, make_user):
    created = create_meeting()
    member = api_client(make_user(account=host.account, role="member"), ADMIN)
    assert member.get(f"/v2/meetings/{created['id']}").status_code == 404


def test_an_account_admin_with_admin_scope_can_act_within_the_account(api_client, create_meeting, host, make_user):
    created = create_meeting(topic="Mine")
    admin = api_client(make_user(account=host.account, role="admin"), ADMIN)
    assert admin.get(f"/v2/meetings/{created['id']}").json()["topic"] == "Mine"
    assert admin.patch(f"/v2/meetings/{created['id']}", {"topic": "Renamed"}, format="json").status_code == 204
    assert admin.get(f"/v2/users/{host.email}/meetings").json()["total_records"] == 1


def test_other_users_lists_are_hidden(api_client, host, make_user):
    outsider = make_user()
    response = api_client(host, ADMIN).get(f"/v2/users/{outsider.public_id}/meetings")
    assert response.status_code == 404 and response.json()["code"] == 1001
