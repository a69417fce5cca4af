"""Guessing passcodes is slowed down without locking out the people the meeting belongs to: the
host, alternative hosts, invite links and join links (pwd) are never refused by the passcode
limits, whatever anyone else guessed -- even from the same address (a shared NAT)."""

from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.django_db

JBH = {"join_before_host": True}


def guess(joiner, meeting_id, times, address="203.0.113.5", expect=200):
    guesser = joiner()
    answers = []
    for _ in range(times):
        response = guesser.client.post(f"/j/{meeting_id}/join", {"name": "Guesser", "passcode": "0000"},
                                       content_type="application/json", REMOTE_ADDR=address)
        answers.append(response)
    return answers


def test_the_host_still_joins_after_many_wrong_passcodes(create_meeting, host, joiner, settings):
    settings.JOIN_PASSCODE_ATTEMPTS = 10
    created = create_meeting(password="4321", settings=JBH)
    statuses = [r.status_code for r in guess(joiner, created["id"], 12, address="127.0.0.1")]
    assert statuses[-1] == 429  # the guesser is stopped ...
    answer = joiner(host).join(created["id"])  # ... the host, from the very same address, is not
    assert answer["state"] == "admitted" and answer["role"] == "host"


def test_alternative_hosts_and_link_holders_still_join(create_meeting, host, make_user, joiner, api, settings):
    settings.JOIN_PASSCODE_ATTEMPTS = 3
    alternative = make_user(account=host.account, role="member")
    created = create_meeting(password="4321", settings={**JBH, "alternative_hosts": alternative.email})
    guess(joiner, created["id"], 6, address="127.0.0.1")
    assert joiner(alternative).join(created["id"])["state"] == "admitted"
    pwd = parse_qs(urlparse(created["join_url"]).query)["pwd"][0]
    assert joiner().join(created["id"], name="Linked", pwd=pwd)["state"] == "admitted"
    link = api.post(f"/v2/meetings/{created['id']}/invite_links", {"attendees": [{"name": "Invited"}]},
                    format="json").json()["attendees"][0]["join_url"]
    tk = parse_qs(urlparse(link).query)["tk"][0]
    assert joiner().join(created["id"], name="x", tk=tk)["state"] == "admitted"


def test_meeting_wide_guessing_meets_an_exponential_delay(create_meeting, joiner, settings):
    settings.JOIN_PASSCODE_ATTEMPTS = 100
    settings.JOIN_PASSCODE_FREE_FAILURES = 3
    created = create_meeting(password="4321", settings=JBH)
    for n in range(3):  # three clients, one wrong guess each: no delay yet
        assert guess(joiner, created["id"], 1, address=f"198.51.100.{n}")[0].status_code == 200
    slowed = guess(joiner, created["id"], 1, address="198.51.100.77")[0]  # a fourth client must wait
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) >= 1
    assert "Too many wrong passcodes" in slowed.json()["error"]
    # the right passcode is no exception while the delay runs: guesses must not be evaluated
    right = joiner().client.post(f"/j/{created['id']}/join", {"name": "Late", "passcode": "4321"},
                                 content_type="application/json", REMOTE_ADDR="198.51.100.78")
    assert right.status_code == 429
