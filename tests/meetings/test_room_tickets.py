"""Room tickets are short-lived bearer proofs: they travel in the X-Room-Ticket header (or a POST
body), never in URLs (which end up in logs), expire after ROOM_TICKET_SECONDS, and every status
answer hands out a fresh one."""

import time

import pytest
from django.core import signing

pytestmark = pytest.mark.django_db

JBH = {"join_before_host": True}


def test_a_ticket_in_the_url_is_not_accepted(create_meeting, joiner):
    created = create_meeting(password="", settings=JBH)
    guest = joiner()
    guest.join(created["id"], name="Guest")
    in_url = guest.client.get(f"/j/{created['id']}/join/status?ticket={guest.ticket}")
    assert in_url.status_code == 403
    assert guest.client.get(f"/j/{created['id']}/roster?ticket={guest.ticket}").status_code == 403
    header = guest.client.get(f"/j/{created['id']}/join/status", HTTP_X_ROOM_TICKET=guest.ticket)
    assert header.status_code == 200 and header.json()["state"] == "admitted"


def test_tickets_expire_and_status_renews_them(create_meeting, joiner, settings, monkeypatch):
    # Tickets are stamped and checked with the wall clock (django.core.signing): move it by hand, so
    # the test does not depend on how fast this machine answers.
    settings.ROOM_TICKET_SECONDS = 60
    clock = [time.time()]
    monkeypatch.setattr(signing.time, "time", lambda: clock[0])
    created = create_meeting(password="", settings=JBH)
    guest = joiner()
    old = guest.join(created["id"], name="Guest")["ticket"]
    clock[0] += 40
    renewed = guest.client.get(f"/j/{created['id']}/join/status", HTTP_X_ROOM_TICKET=old).json()["ticket"]
    assert renewed != old
    clock[0] += 30  # the first ticket is 70 s old now, the renewed one 30 s
    expired = guest.client.get(f"/j/{created['id']}/join/status", HTTP_X_ROOM_TICKET=old)
    assert expired.status_code == 403 and "expired" in expired.json()["error"]
    assert guest.client.get(f"/j/{created['id']}/join/status", HTTP_X_ROOM_TICKET=renewed).status_code == 200
