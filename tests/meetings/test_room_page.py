"""GET /j/<id>: the room page (pre-join screen) and what it is told to start with."""

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from meetings.actions import links
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def page_config(response) -> dict:
    match = re.search(r'<script id="room-config" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    assert match, "the page carries its configuration"
    return json.loads(match.group(1))


def test_the_room_page_for_a_guest(create_meeting):
    created = create_meeting(topic="Design review", password="")
    response = Client().get(f"/j/{created['id']}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ready to join?" in html and "Design review" in html
    assert 'type="module"' in html and "js/room/main.js" in html
    config = page_config(response)
    assert config["meetingId"] == created["id"] and config["topic"] == "Design review"
    assert config["name"] == "" and config["signedIn"] is False and config["host"] is False
    assert config["needsPasscode"] is False
    assert config["urls"]["join"] == f"/j/{created['id']}/join"
    assert config["csrfToken"]
    assert "no-cache" in response["Cache-Control"]


def test_signed_in_people_get_their_name_and_the_host_is_recognised(create_meeting, host, make_user):
    created = create_meeting(password="123456")
    client = Client()
    client.force_login(host)
    config = page_config(client.get(f"/j/{created['id']}"))
    assert config["name"] == "Hana Host" and config["host"] is True and config["needsPasscode"] is False

    colleague = make_user(display_name="Cole League")
    client.force_login(colleague)
    config = page_config(client.get(f"/j/{created['id']}"))
    assert config["name"] == "Cole League" and config["host"] is False and config["needsPasscode"] is True


def test_the_passcode_field_is_skipped_with_the_link_passcode(create_meeting):
    created = create_meeting(password="123456")
    pwd = parse_qs(urlparse(created["join_url"]).query)["pwd"][0]
    assert page_config(Client().get(f"/j/{created['id']}", {"pwd": pwd}))["needsPasscode"] is False
    config = page_config(Client().get(f"/j/{created['id']}", {"pwd": "wrong"}))
    assert config["needsPasscode"] is True and config["link"] == {"pwd": "wrong"}


def test_a_host_start_link_makes_a_host(create_meeting):
    created = create_meeting(password="123456")
    meeting = Meeting.objects.get(pk=created["id"])
    start = parse_qs(urlparse(links.start_url(meeting)).query)["start"][0]
    config = page_config(Client().get(f"/j/{created['id']}", {"start": start}))
    assert config["host"] is True and config["needsPasscode"] is False and "start" in config["link"]


def test_an_invite_link_names_the_attendee(api, create_meeting):
    created = create_meeting(password="123456")
    links = api.post(f"/v2/meetings/{created['id']}/invite_links", {"attendees": [{"name": "Ivy Invitee"}]},
                     format="json").json()["attendees"]
    path = links[0]["join_url"].split("://", 1)[1].split("/", 1)[1]
    config = page_config(Client().get(f"/{path}"))
    assert config["name"] == "Ivy Invitee" and config["nameLocked"] is True and config["needsPasscode"] is False


def test_an_oversized_link_token_is_ignored(create_meeting):
    created = create_meeting(password="")
    config = page_config(Client().get(f"/j/{created['id']}", {"tk": "x" * 5000, "pwd": "p"}))
    assert config["link"] == {"pwd": "p"}


def test_unknown_and_deleted_meetings_get_a_friendly_404(api, create_meeting):
    response = Client().get("/j/12345678901")
    assert response.status_code == 404 and "Check your meeting code" in response.content.decode()
    created = create_meeting()
    api.delete(f"/v2/meetings/{created['id']}")
    assert Client().get(f"/j/{created['id']}").status_code == 404


def test_the_page_is_only_read(create_meeting):
    created = create_meeting(password="")
    assert Client().post(f"/j/{created['id']}").status_code == 405
