"""use_pmi: the meeting is held in the host's personal meeting room; its links say so."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_use_pmi_meeting_lives_at_the_pmi(api, create_meeting, host, joiner):
    created = create_meeting(settings={"use_pmi": True})
    room = api.get(f"/v2/meetings/{host.pmi}").json()
    assert created["pmi"] == str(host.pmi) and created["settings"]["use_pmi"] is True
    assert created["join_url"] == room["join_url"] and f"/j/{host.pmi}?pwd=" in created["join_url"]
    assert f"/j/{host.pmi}?" in created["start_url"]
    invitation = api.get(f"/v2/meetings/{created['id']}/invitation").json()["invitation"]
    assert f"Meeting ID: {host.pmi}" in invitation
    # Its own number leads to the personal room too.
    redirect = Client().get(f"/j/{created['id']}")
    assert redirect.status_code == 302 and redirect["Location"].startswith(f"/j/{host.pmi}?pwd=")
    pwd = created["join_url"].split("pwd=")[1]
    assert joiner().join(host.pmi, name="Guest", pwd=pwd, expect=200)["state"] in ("waiting_for_host", "admitted")


def test_the_users_setting_makes_use_pmi_the_default(api_client, host):
    client = api_client(host, "user:write meeting:write")
    client.patch("/v2/users/me/settings", {"schedule_meeting": {"use_pmi_for_scheduled_meetings": True}}, format="json")
    scheduled = client.post("/v2/users/me/meetings", {"type": 2, "start_time": "2031-01-01T10:00:00Z"}, format="json")
    instant = client.post("/v2/users/me/meetings", {"type": 1}, format="json")
    assert scheduled.json()["settings"]["use_pmi"] is True and scheduled.json()["pmi"] == str(host.pmi)
    assert instant.json()["settings"]["use_pmi"] is False and "pmi" not in instant.json()
