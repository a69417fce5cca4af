"""Joining: meeting_authentication (signed-in users only, optionally from some email domains)."""

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_joiners_are_denied(create_meeting, host, joiner, make_user):
    created = create_meeting(password="", settings={"meeting_authentication": True, "join_before_host": True})
    answer = joiner().join(created["id"], name="Anonymous")
    assert answer["state"] == "denied" and answer["reason"] == "authentication_required"
    member = make_user(email="someone@elsewhere.org")
    assert joiner(member).join(created["id"])["state"] == "admitted"


def test_authentication_domains(create_meeting, joiner, make_user):
    created = create_meeting(password="", settings={"meeting_authentication": True, "join_before_host": True,
                                                    "authentication_domains": "example.com, @partner.org"})
    assert joiner(make_user(email="a@partner.org")).join(created["id"])["state"] == "admitted"
    assert joiner(make_user(email="b@example.com")).join(created["id"])["state"] == "admitted"
    assert joiner(make_user(email="c@other.net")).join(created["id"])["state"] == "denied"
