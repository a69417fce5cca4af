"""Joining a meeting that requires registration: approved registrants join with their own link (no
passcode) or signed in with the registered address; anyone else is told to register; the past
meeting's participants carry registrant_id."""

from urllib.parse import parse_qs, urlsplit

import pytest

from meetings.models import Registrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(create_meeting):
    return create_meeting(type=1, password="secret1", settings={"approval_type": 1, "join_before_host": True})


def registrant(api, meeting_id, email, approve=True):
    answer = api.post(f"/v2/meetings/{meeting_id}/registrants", {"email": email, "first_name": "Ria", "last_name": "Reg"},
                      format="json").json()
    if approve:
        api.put(f"/v2/meetings/{meeting_id}/registrants/status",
                {"action": "approve", "registrants": [{"id": answer["registrant_id"]}]}, format="json")
    return api.get(f"/v2/meetings/{meeting_id}/registrants/{answer['registrant_id']}").json()


def link_token(join_url):
    return parse_qs(urlsplit(join_url).query)["tk"][0]


def test_an_approved_registrant_joins_with_their_link(api, meeting, joiner):
    ria = registrant(api, meeting["id"], "ria@example.org")
    answer = joiner().join(meeting["id"], tk=link_token(ria["join_url"]))
    assert answer["state"] == "admitted" and answer["name"] == "Ria Reg"


def test_others_are_told_to_register(api, meeting, joiner, make_user):
    answer = joiner().join(meeting["id"], name="Walk-in", passcode="secret1")
    assert answer["state"] == "denied" and answer["reason"] == "registration_required"
    assert answer["registration_url"] == meeting["registration_url"]
    stranger = make_user(email="nobody@example.org")
    assert joiner(stranger).join(meeting["id"], passcode="secret1")["reason"] == "registration_required"


def test_pending_and_cancelled_registrations_do_not_admit(api, meeting, joiner):
    pending = api.post(f"/v2/meetings/{meeting['id']}/registrants", {"email": "p@example.org", "first_name": "P"},
                       format="json").json()["registrant_id"]
    assert "join_url" not in api.get(f"/v2/meetings/{meeting['id']}/registrants/{pending}").json()  # not yet approved
    Registrant.objects.filter(pk=pending).update(status="approved")
    approved_link = api.get(f"/v2/meetings/{meeting['id']}/registrants/{pending}").json()["join_url"]
    api.put(f"/v2/meetings/{meeting['id']}/registrants/status",
            {"action": "cancel", "registrants": [{"id": pending}]}, format="json")
    answer = joiner().join(meeting["id"], tk=link_token(approved_link))
    assert answer["state"] == "denied" and "cancelled" in answer["message"]


def test_a_signed_in_registrant_needs_no_link(api, meeting, joiner, make_user):
    registrant(api, meeting["id"], "member@example.org")
    member = make_user(email="member@example.org")
    assert joiner(member).join(meeting["id"])["state"] == "admitted"


def test_hosts_need_no_registration(meeting, host, joiner):
    assert joiner(host).join(meeting["id"])["role"] == "host"


def test_past_participants_carry_the_registrant_id(api, meeting, host, joiner):
    ria = registrant(api, meeting["id"], "ria@example.org")
    host_session = joiner(host)
    host_session.join(meeting["id"])
    joiner().join(meeting["id"], tk=link_token(ria["join_url"]))
    assert api.put(f"/v2/meetings/{meeting['id']}/status", {"action": "end"}, format="json").status_code == 204
    people = api.get(f"/v2/past_meetings/{meeting['id']}/participants").json()["participants"]
    assert {p["name"]: p.get("registrant_id") for p in people} == {"Hana Host": None, "Ria Reg": ria["id"]}
