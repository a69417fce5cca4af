"""Joining: the passcode rule (passcode, or pwd= from join_url; hosts and invite links skip it)."""

from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.django_db

JBH = {"join_before_host": True}


def test_a_passcode_is_required(create_meeting, joiner):
    created = create_meeting(password="4321", settings=JBH)
    guest = joiner()
    assert guest.join(created["id"], name="Guest")["state"] == "passcode_required"
    wrong = guest.join(created["id"], name="Guest", passcode="1111")
    assert wrong["state"] == "passcode_required" and wrong["reason"] == "wrong_passcode"
    right = guest.join(created["id"], name="Guest", passcode="4321")
    assert right["state"] == "admitted" and right["name"] == "Guest"


def test_the_pwd_of_the_join_url_works_as_the_passcode(create_meeting, joiner):
    created = create_meeting(password="4321", settings=JBH)
    pwd = parse_qs(urlparse(created["join_url"]).query)["pwd"][0]
    assert joiner().join(created["id"], name="Guest", pwd=pwd)["state"] == "admitted"
    assert joiner().join(created["id"], name="Guest", pwd=pwd[:-1] + "A")["state"] == "passcode_required"


def test_changing_the_passcode_invalidates_old_join_urls(api, create_meeting, joiner):
    created = create_meeting(password="4321", settings=JBH)
    old_pwd = parse_qs(urlparse(created["join_url"]).query)["pwd"][0]
    api.patch(f"/v2/meetings/{created['id']}", {"password": "9999"}, format="json")
    assert joiner().join(created["id"], name="Guest", pwd=old_pwd)["state"] == "passcode_required"


def test_the_host_needs_no_passcode(create_meeting, host, joiner):
    created = create_meeting(password="4321")
    answer = joiner(host).join(created["id"])
    assert answer["state"] == "admitted" and answer["role"] == "host" and answer["name"] == "Hana Host"


def test_the_start_url_makes_its_holder_the_host(create_meeting, joiner):
    created = create_meeting(password="4321")
    start = parse_qs(urlparse(created["start_url"]).query)["start"][0]
    answer = joiner().join(created["id"], name="Host on a phone", start=start)
    assert answer["state"] == "admitted" and answer["role"] == "host"
    assert joiner().join(created["id"], name="Faker", start=start[:-3] + "abc")["state"] == "passcode_required"


def test_a_name_is_needed(create_meeting, joiner):
    created = create_meeting(password="", settings=JBH)
    response = joiner().client.post(f"/j/{created['id']}/join", "{}", content_type="application/json")
    assert response.status_code == 400 and "name" in response.json()["error"]
    long_name = joiner().client.post(f"/j/{created['id']}/join", '{"name": "%s"}' % ("x" * 65),
                                     content_type="application/json")
    assert long_name.status_code == 400


def test_unknown_or_deleted_meetings_are_404(api, create_meeting, joiner):
    created = create_meeting()
    api.delete(f"/v2/meetings/{created['id']}")
    assert joiner().join(created["id"], expect=404, name="Guest")["error"]
    assert joiner().join(12345678901, expect=404, name="Guest")["error"]


def test_bad_bodies_are_400(create_meeting, joiner):
    created = create_meeting()
    session = joiner()
    for body in ("not json", "[1]", '{"name": 5}'):
        response = session.client.post(f"/j/{created['id']}/join", body, content_type="application/json")
        assert response.status_code == 400, body


def test_guessing_passcodes_is_slowed_down(create_meeting, joiner, settings):
    settings.JOIN_PASSCODE_ATTEMPTS = 3
    created = create_meeting(password="4321", settings=JBH)
    guesser = joiner()
    for guess in ("0000", "1111", "2222"):
        assert guesser.join(created["id"], name="Guesser", passcode=guess)["reason"] == "wrong_passcode"
    assert "Too many" in guesser.join(created["id"], expect=429, name="Guesser", passcode="4321")["error"]
