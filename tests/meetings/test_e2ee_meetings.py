"""settings.encryption_type "e2ee": accepted on create and update (/v2 and the schedule page), returned
as given, with Zoom's rule that such a meeting has no join before host and no cloud recording; the
encryption of a meeting in progress cannot change; the room and the join answer say the meeting is
end-to-end encrypted (the browsers then encrypt, docs/room.md)."""

import json
import re

import pytest
from django.test import Client

from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_create_and_read_back_an_e2ee_meeting(api, create_meeting):
    created = create_meeting(settings={"encryption_type": "e2ee", "waiting_room": True})
    assert created["settings"]["encryption_type"] == "e2ee"
    body = api.get(f"/v2/meetings/{created['id']}").json()
    assert body["settings"]["encryption_type"] == "e2ee" and body["settings"]["waiting_room"] is True
    assert Meeting.objects.get(pk=created["id"]).end_to_end_encrypted


def test_update_switches_encryption_both_ways(api, create_meeting):
    created = create_meeting()
    assert created["settings"]["encryption_type"] == "enhanced_encryption"
    path = f"/v2/meetings/{created['id']}"
    assert api.patch(path, {"settings": {"encryption_type": "e2ee"}}, format="json").status_code == 204
    assert api.get(path).json()["settings"]["encryption_type"] == "e2ee"
    assert api.patch(path, {"settings": {"encryption_type": "enhanced_encryption"}}, format="json").status_code == 204
    assert api.get(path).json()["settings"]["encryption_type"] == "enhanced_encryption"


def test_e2ee_turns_off_join_before_host_and_cloud_recording(api, create_meeting):
    created = create_meeting(settings={"encryption_type": "e2ee", "join_before_host": True, "auto_recording": "cloud"})
    assert created["settings"]["join_before_host"] is False and created["settings"]["auto_recording"] == "none"
    meeting = Meeting.objects.get(pk=created["id"])
    assert meeting.setting("join_before_host") is False and meeting.setting("auto_recording") == "none"
    # Local recording is a browser's business: kept as given.
    api.patch(f"/v2/meetings/{created['id']}", {"settings": {"auto_recording": "local"}}, format="json")
    assert api.get(f"/v2/meetings/{created['id']}").json()["settings"]["auto_recording"] == "local"


def test_an_occurrence_cannot_bring_join_before_host_back(api, create_meeting):
    created = create_meeting(type=8, settings={"encryption_type": "e2ee"},
                             recurrence={"type": 1, "repeat_interval": 1, "end_times": 3})
    occurrence = created["occurrences"][0]["occurrence_id"]
    response = api.patch(f"/v2/meetings/{created['id']}?occurrence_id={occurrence}",
                         {"settings": {"join_before_host": True, "auto_recording": "cloud"}}, format="json")
    assert response.status_code == 204
    meeting = Meeting.objects.get(pk=created["id"])
    assert meeting.setting("join_before_host") is False and meeting.setting("auto_recording") == "none"


def test_attendees_wait_for_the_host_even_if_join_before_host_was_asked(create_meeting, joiner, host):
    created = create_meeting(password="", settings={"encryption_type": "e2ee", "join_before_host": True})
    assert joiner().join(created["id"], name="Early Bird")["state"] == "waiting_for_host"
    answer = joiner(host).join(created["id"])
    assert answer["state"] == "admitted" and answer["room"]["e2ee"] is True


def test_the_encryption_of_a_meeting_in_progress_cannot_change(api, create_meeting, joiner, host):
    created = create_meeting(password="")
    answer = joiner(host).join(created["id"])
    assert answer["room"]["e2ee"] is False
    response = api.patch(f"/v2/meetings/{created['id']}", {"settings": {"encryption_type": "e2ee"}}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 3000
    assert response.json()["message"].startswith("settings.encryption_type:")
    assert api.get(f"/v2/meetings/{created['id']}").json()["settings"]["encryption_type"] == "enhanced_encryption"
    # Other changes of the live meeting still go through.
    assert api.patch(f"/v2/meetings/{created['id']}", {"topic": "Renamed"}, format="json").status_code == 204


def test_the_schedule_page_makes_an_e2ee_meeting(host):
    browser = Client()
    browser.force_login(host)
    page = browser.get("/meetings/new").content.decode()
    assert 'name="end_to_end_encryption"' in page
    response = browser.post("/meetings/new", {"topic": "Board", "start": "2031-04-02T15:30", "timezone": "UTC",
                                              "duration": "30", "auto_recording": "cloud", "join_before_host": "on",
                                              "end_to_end_encryption": "on"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(host=host)
    assert meeting.end_to_end_encrypted
    assert meeting.settings["join_before_host"] is False and meeting.settings["auto_recording"] == "none"
    edit = browser.get(f"/meetings/{meeting.pk}/edit").content.decode()
    assert re.search(r'<input[^>]*name="end_to_end_encryption"[^>]*checked', edit)
    detail = browser.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="e2ee-note"' in detail and 'id="sip-uri"' not in detail


def room_config(meeting_id) -> dict:
    page = Client().get(f"/j/{meeting_id}").content.decode()
    return json.loads(page.split('<script id="room-config" type="application/json">', 1)[1].split("</script>", 1)[0])


def test_the_room_page_tells_the_browser(create_meeting):
    assert room_config(create_meeting(password="", settings={"encryption_type": "e2ee"})["id"])["e2ee"] is True
    assert room_config(create_meeting(password="")["id"])["e2ee"] is False
