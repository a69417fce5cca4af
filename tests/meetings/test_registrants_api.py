"""Registrants: GET/POST /meetings/{id}/registrants, PUT .../registrants/status (approve, deny,
cancel), GET/DELETE .../registrants/{registrantId}, GET .../registrants/questions; registration_url;
emails with each registrant's own join link."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def manual(create_meeting):
    """A meeting whose registrants the host approves (approval_type 1)."""
    return create_meeting(topic="Launch", settings={"approval_type": 1})


def register(api, meeting_id, email="ria@example.org", **extra):
    response = api.post(f"/v2/meetings/{meeting_id}/registrants", {"email": email, "first_name": "Ria", **extra},
                        format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_registration_url_only_when_registration_is_required(create_meeting, manual):
    assert manual["registration_url"].endswith(f"/meetings/{manual['id']}/register")
    assert "registration_url" not in create_meeting()


def test_manual_approval_then_the_join_link_is_emailed(api, manual, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = register(api, manual["id"], last_name="Reg", org="Acme")
    assert "join_url" not in answer and answer["id"] == manual["id"] and answer["topic"] == "Launch"
    assert "approve" in mail.outbox[0].body and mail.outbox[0].to == ["ria@example.org"]
    pending = api.get(f"/v2/meetings/{manual['id']}/registrants", {"status": "pending"}).json()
    assert [(r["id"], r["status"], r["org"]) for r in pending["registrants"]] == [(answer["registrant_id"], "pending", "Acme")]
    assert api.get(f"/v2/meetings/{manual['id']}/registrants").json()["registrants"] == []

    with django_capture_on_commit_callbacks(execute=True):
        assert api.put(f"/v2/meetings/{manual['id']}/registrants/status",
                       {"action": "approve", "registrants": [{"id": answer["registrant_id"]}]},
                       format="json").status_code == 204
    approved = api.get(f"/v2/meetings/{manual['id']}/registrants/{answer['registrant_id']}").json()
    assert approved["status"] == "approved" and "/j/" in approved["join_url"] and "tk=" in approved["join_url"]
    assert mail.outbox[-1].to == ["ria@example.org"] and approved["join_url"] in mail.outbox[-1].body


def test_automatic_approval_answers_the_join_link(api, create_meeting, django_capture_on_commit_callbacks):
    auto = create_meeting(settings={"approval_type": 0})
    with django_capture_on_commit_callbacks(execute=True):
        answer = register(api, auto["id"])
    assert "tk=" in answer["join_url"] and answer["join_url"] in mail.outbox[0].body
    again = register(api, auto["id"], email="RIA@example.org")  # the same person: the same registration
    assert again["registrant_id"] == answer["registrant_id"]


def test_deny_cancel_and_delete(api, manual):
    first = register(api, manual["id"], email="a@example.org")["registrant_id"]
    second = register(api, manual["id"], email="b@example.org")["registrant_id"]
    api.put(f"/v2/meetings/{manual['id']}/registrants/status", {"action": "approve"}, format="json")  # all pending
    api.put(f"/v2/meetings/{manual['id']}/registrants/status",
            {"action": "cancel", "registrants": [{"email": "a@example.org"}]}, format="json")
    denied = api.get(f"/v2/meetings/{manual['id']}/registrants", {"status": "denied"}).json()["registrants"]
    assert [r["id"] for r in denied] == [first] and "join_url" not in denied[0]
    assert api.delete(f"/v2/meetings/{manual['id']}/registrants/{second}").status_code == 204
    missing = api.get(f"/v2/meetings/{manual['id']}/registrants/{second}")
    assert missing.status_code == 404 and missing.json()["code"] == 3079


def test_occurrences_chosen_with_registration_type_3(api, create_meeting):
    meeting = create_meeting(type=8, start_time="2031-03-02T10:00:00Z", timezone="UTC",
                             recurrence={"type": 1, "end_times": 3}, settings={"approval_type": 0, "registration_type": 3})
    second = meeting["occurrences"][1]["occurrence_id"]
    response = api.post(f"/v2/meetings/{meeting['id']}/registrants?occurrence_ids={second}",
                        {"email": "o@example.org", "first_name": "Occ"}, format="json")
    assert [o["occurrence_id"] for o in response.json()["occurrences"]] == [second]
    listed = api.get(f"/v2/meetings/{meeting['id']}/registrants", {"occurrence_id": meeting["occurrences"][0]["occurrence_id"]})
    assert listed.json()["registrants"] == []
    bad = api.post(f"/v2/meetings/{meeting['id']}/registrants?occurrence_ids=123",
                   {"email": "p@example.org", "first_name": "P"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == 3000


def test_refusals_and_questions(api, create_meeting, manual, api_client, make_user):
    plain = create_meeting()
    response = api.post(f"/v2/meetings/{plain['id']}/registrants", {"email": "x@example.org", "first_name": "X"},
                        format="json")
    assert response.status_code == 400 and response.json()["code"] == 3000
    bad = api.post(f"/v2/meetings/{manual['id']}/registrants", {"email": "nope", "first_name": "X"}, format="json")
    assert bad.status_code == 400 and bad.json()["message"].startswith("email")
    questions = api.get(f"/v2/meetings/{manual['id']}/registrants/questions").json()
    assert questions == {"questions": [{"field_name": "last_name", "required": False}], "custom_questions": []}
    stranger = api_client(make_user(email="s@elsewhere.org"), "meeting:read meeting:write")
    assert stranger.get(f"/v2/meetings/{manual['id']}/registrants").status_code == 404


def test_paging(api, create_meeting):
    auto = create_meeting(settings={"approval_type": 0})
    for n in range(3):
        register(api, auto["id"], email=f"p{n}@example.org")
    first = api.get(f"/v2/meetings/{auto['id']}/registrants", {"page_size": 2}).json()
    second = api.get(f"/v2/meetings/{auto['id']}/registrants",
                     {"page_size": 2, "next_page_token": first["next_page_token"]}).json()
    assert first["total_records"] == 3 and len(first["registrants"]) == 2 and len(second["registrants"]) == 1
