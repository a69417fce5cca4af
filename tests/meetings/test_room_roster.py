"""GET /j/<id>/roster (X-Room-Ticket): who is in the call, with meeting roles, for the participants panel,
and the profile pictures of signed-in people (shown on their tiles while their camera is off)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import pictures
from tests.accounts.pictures import image_bytes

pytestmark = pytest.mark.django_db


def test_everyone_in_the_call_sees_the_roles(create_meeting, host, joiner):
    created = create_meeting(password="")
    host_session, guest = joiner(host), joiner()
    host_session.join(created["id"])
    guest.join(created["id"], name="Gus")
    response = guest.client.get(f"/j/{created['id']}/roster", HTTP_X_ROOM_TICKET=guest.ticket)
    assert response.status_code == 200
    assert response.json()["participants"] == [
        {"id": host_session.answer["media_participant_id"], "name": "Hana Host", "role": "host", "picture": ""},
        {"id": guest.answer["media_participant_id"], "name": "Gus", "role": "attendee", "picture": ""},
    ]
    host_session.post(f"/j/{created['id']}/participants/{guest.answer['media_participant_id']}/make-cohost",
                      ticket=host_session.ticket)
    roles = [p["role"] for p in guest.client.get(f"/j/{created['id']}/roster", HTTP_X_ROOM_TICKET=guest.ticket).json()["participants"]]
    assert roles == ["host", "co_host"]


def test_people_not_in_the_call_get_nothing(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"waiting_room": True})
    joiner(host).join(created["id"])
    waiting = joiner()
    waiting.join(created["id"], name="Wes")
    assert waiting.client.get(f"/j/{created['id']}/roster", HTTP_X_ROOM_TICKET=waiting.ticket).status_code == 403
    assert waiting.client.get(f"/j/{created['id']}/roster", HTTP_X_ROOM_TICKET="forged").status_code == 403
    assert waiting.client.get(f"/j/{created['id']}/roster").status_code == 403


def test_signed_in_people_come_with_their_picture(create_meeting, host, joiner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = pictures.set_picture(host, SimpleUploadedFile("me.png", image_bytes()))
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    guest = joiner()
    guest.join(created["id"], name="Gus")
    people = guest.client.get(f"/j/{created['id']}/roster", HTTP_X_ROOM_TICKET=guest.ticket).json()["participants"]
    assert [(p["name"], p["picture"]) for p in people] == [("Hana Host", url), ("Gus", "")]
    assert guest.client.get(url).status_code == 200
