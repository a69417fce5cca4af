"""POST /v2/meetings/{meetingId}/invite_links and what the links do when joining."""

import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing

from meetings.actions.links import INVITE_SALT

pytestmark = pytest.mark.django_db


def token_of(link: str) -> str:
    return parse_qs(urlparse(link).query)["tk"][0]


def test_creates_one_personal_link_per_attendee_in_order(api, create_meeting):
    created = create_meeting()
    response = api.post(f"/v2/meetings/{created['id']}/invite_links",
                        {"attendees": [{"name": "Ann"}, {"name": "Bob"}], "ttl": 3600}, format="json")
    assert response.status_code == 201
    attendees = response.json()["attendees"]
    assert [a["name"] for a in attendees] == ["Ann", "Bob"]
    assert all(a["join_url"].startswith(f"http://localhost:8000/j/{created['id']}?tk=") for a in attendees)
    assert token_of(attendees[0]["join_url"]) != token_of(attendees[1]["join_url"])


def test_a_link_prefills_the_name_and_admits_without_the_passcode(api, create_meeting, joiner):
    created = create_meeting(password="s3cret", settings={"join_before_host": True})
    link = api.post(f"/v2/meetings/{created['id']}/invite_links", {"attendees": [{"name": "Ann Invitee"}]},
                    format="json").json()["attendees"][0]["join_url"]
    answer = joiner().join(created["id"], tk=token_of(link), name="Someone Else")
    assert answer["state"] == "admitted" and answer["name"] == "Ann Invitee"


def test_default_ttl_is_two_hours(api, create_meeting):
    created = create_meeting()
    link = api.post(f"/v2/meetings/{created['id']}/invite_links", {"attendees": [{"name": "Ann"}]},
                    format="json").json()["attendees"][0]["join_url"]
    claims = signing.loads(token_of(link), salt=INVITE_SALT)
    assert abs(claims["e"] - (time.time() + 7200)) < 60


def test_an_expired_link_is_denied(api, create_meeting, joiner):
    created = create_meeting(password="s3cret", settings={"join_before_host": True})
    # The same claims a link gets, with an expiry one second ago.
    expired = signing.dumps({"m": created["id"], "n": "Ann", "e": int(time.time()) - 1}, salt=INVITE_SALT, compress=True)
    answer = joiner().join(created["id"], tk=expired)
    assert answer["state"] == "denied" and answer["reason"] == "invite_invalid"
    # A real link's claims include its generation (the passcode and revocations: test_invite_links_revocation.py).
    generation = signing.loads(token_of(api.post(f"/v2/meetings/{created['id']}/invite_links",
                                                 {"attendees": [{"name": "Ann"}]}, format="json")
                                        .json()["attendees"][0]["join_url"]), salt=INVITE_SALT)["g"]
    still_valid = signing.dumps({"m": created["id"], "n": "Ann", "e": int(time.time()) + 60, "g": generation},
                                salt=INVITE_SALT)
    assert joiner().join(created["id"], tk=still_valid)["state"] == "admitted"


def test_a_link_for_another_meeting_or_a_forged_one_is_denied(api, create_meeting, joiner):
    first, second = create_meeting(), create_meeting()
    link = api.post(f"/v2/meetings/{first['id']}/invite_links", {"attendees": [{"name": "Ann"}]},
                    format="json").json()["attendees"][0]["join_url"]
    assert joiner().join(second["id"], tk=token_of(link))["state"] == "denied"
    forged = signing.dumps({"m": second["id"], "n": "Eve", "e": int(time.time()) + 999}, salt="another-salt")
    assert joiner().join(second["id"], tk=forged)["state"] == "denied"


@pytest.mark.parametrize("body, field", [
    ({"attendees": []}, "attendees"),
    ({"attendees": [{"name": f"n{i}"} for i in range(501)]}, "attendees"),
    ({"attendees": [{"name": "x" * 65}]}, "attendees.0.name"),
    ({"attendees": [{"name": "Ann"}, {"name": ""}]}, "attendees.1.name"),
    ({"attendees": [{}]}, "attendees.0.name"),
    ({"attendees": "Ann"}, "attendees"),
    ({"attendees": [{"name": "Ann"}], "ttl": 7_776_001}, "ttl"),
    ({"attendees": [{"name": "Ann"}], "ttl": -1}, "ttl"),
    ({"attendees": [{"name": "Ann"}], "ttl": "60"}, "ttl"),
    ({}, "attendees"),
])
def test_invalid_requests_are_300(api, create_meeting, body, field):
    created = create_meeting()
    response = api.post(f"/v2/meetings/{created['id']}/invite_links", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == 300
    assert response.json()["message"].startswith(field), response.json()


def test_500_attendees_and_the_maximum_ttl_are_fine(api, create_meeting):
    created = create_meeting()
    response = api.post(f"/v2/meetings/{created['id']}/invite_links",
                        {"attendees": [{"name": f"Guest {i}"} for i in range(500)], "ttl": 7_776_000}, format="json")
    assert response.status_code == 201 and len(response.json()["attendees"]) == 500
