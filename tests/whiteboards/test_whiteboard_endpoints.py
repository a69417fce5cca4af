"""The whiteboard's room endpoints (/j/<id>/whiteboard...): only people in the live meeting see and
change the board, the host may restrict drawing, bad requests get 4xx JSON, the PNG is checked, and
only the meeting's host downloads the kept picture."""

import json

import pytest
from django.test import Client

from whiteboards.models import Whiteboard

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
STROKE = {"id": "s1", "type": "Path", "path": [["M", 1, 2], ["L", 3, 4]], "stroke": "#1a73e8"}


@pytest.fixture
def in_call(create_meeting, host, joiner):
    created = create_meeting(password="")
    host_session, guest = joiner(host), joiner()
    host_session.join(created["id"])
    guest.join(created["id"], name="Gus")
    return created["id"], host_session, guest


def post(person, meeting_id, body, path=""):
    return person.client.post(f"/j/{meeting_id}/whiteboard{path}", json.dumps(body), content_type="application/json",
                              HTTP_X_ROOM_TICKET=person.ticket)


def get(person, meeting_id, ticket=None):
    return person.client.get(f"/j/{meeting_id}/whiteboard", HTTP_X_ROOM_TICKET=person.ticket if ticket is None else ticket)


def test_people_in_the_call_draw_and_see_the_board(in_call):
    meeting_id, host_session, guest = in_call
    empty = get(guest, meeting_id).json()
    assert empty == {"version": 0, "elements": [], "hosts_only": False, "may_draw": True, "may_restrict": False}
    state = post(guest, meeting_id, {"op": "add", "element": STROKE}).json()
    assert state["version"] == 1 and state["elements"] == [STROKE]
    assert get(host_session, meeting_id).json()["elements"] == [STROKE]
    assert post(host_session, meeting_id, {"op": "remove", "id": "s1"}).json()["elements"] == []
    assert post(guest, meeting_id, {"op": "add", "element": STROKE}).json()["version"] == 3
    assert post(guest, meeting_id, {"op": "clear"}).json() == {**empty, "version": 4}


def test_strangers_and_bad_tickets_are_refused(in_call):
    meeting_id, host_session, guest = in_call
    assert get(guest, meeting_id, ticket="").status_code == 403
    assert get(guest, meeting_id, ticket="forged").status_code == 403
    assert guest.client.get(f"/j/{meeting_id}/whiteboard", HTTP_X_ROOM_TICKET=guest.ticket).status_code == 200
    other = Client()
    assert other.get(f"/j/{meeting_id}/whiteboard").json()["error"]


def test_the_host_restricts_drawing(in_call):
    meeting_id, host_session, guest = in_call
    assert post(guest, meeting_id, {"op": "restrict", "hosts_only": True}).status_code == 403
    state = post(host_session, meeting_id, {"op": "restrict", "hosts_only": True}).json()
    assert state["hosts_only"] and state["may_restrict"]
    assert get(guest, meeting_id).json()["may_draw"] is False
    refused = post(guest, meeting_id, {"op": "add", "element": STROKE})
    assert refused.status_code == 403 and "hosts" in refused.json()["error"]
    assert post(host_session, meeting_id, {"op": "add", "element": STROKE}).status_code == 200


@pytest.mark.parametrize("body", [{"op": "paint"}, {"op": "add"}, {"op": "add", "element": {"type": "Path"}},
                                  {"op": "add", "element": {"id": "x" * 65}}, {"op": "restrict", "hosts_only": "yes"}])
def test_bad_changes_are_400(in_call, body):
    meeting_id, host_session, guest = in_call
    response = post(host_session, meeting_id, body)
    assert response.status_code == 400 and response.json()["error"]


def test_not_json_is_400(in_call):
    meeting_id, host_session, guest = in_call
    response = host_session.client.post(f"/j/{meeting_id}/whiteboard", "not json", content_type="application/json",
                                        HTTP_X_ROOM_TICKET=host_session.ticket)
    assert response.status_code == 400


def test_the_png_is_checked_kept_and_downloaded_by_the_host_only(in_call, host, make_user):
    meeting_id, host_session, guest = in_call
    post(guest, meeting_id, {"op": "add", "element": STROKE})
    url = f"/j/{meeting_id}/whiteboard/png"
    send = lambda data, version: guest.client.post(f"{url}?version={version}", data, content_type="image/png",  # noqa: E731
                                                   HTTP_X_ROOM_TICKET=guest.ticket)
    assert send(b"GIF89a", 1).status_code == 400
    assert send(PNG, "x").status_code == 400
    assert send(PNG, 1).status_code == 200
    board = Whiteboard.objects.get()
    assert board.png_version == 1 and board.png.read() == PNG
    assert send(PNG, 7).status_code == 200 and Whiteboard.objects.get().png_version == 1  # from the future: ignored

    instance_id = board.instance_id
    download = f"/meetings/previous/{instance_id}/whiteboard.png"
    stranger = Client()
    stranger.force_login(make_user(email="someone@example.com"))
    assert stranger.get(download).status_code == 404
    owner = Client()
    owner.force_login(host)
    response = owner.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
