"""The meeting API drives the embedded media engine (mind.client): conferences, participants,
recording and RTMP streaming follow what happens to the meeting."""

import pytest

from meetings.models import Instance
from mind.client import MindError, get_mind

pytestmark = pytest.mark.django_db

STREAM = {"stream_url": "rtmp://127.0.0.1:1935/live", "stream_key": "key 1/2", "page_url": "https://example.com/live"}


def conference_of(meeting_id) -> str:
    return Instance.objects.get(meeting_id=meeting_id, ended_at__isnull=True).conference_id


def test_admitted_joiners_are_engine_participants_with_tokens(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"waiting_room": True})
    host_answer = joiner(host).join(created["id"])
    conference_id = host_answer["conference"]["id"]
    assert conference_id and host_answer["participant_token"]
    waiting = joiner().join(created["id"], name="Guest")
    assert waiting["participant_token"] is None

    participants = {p["name"]: p["role"] for p in get_mind().list_participants(conference_id)}
    assert participants == {"Hana Host": "presenter"}  # nobody in the waiting room is in the conference
    host_session = joiner(host)
    host_session.join(created["id"])
    host_session.post(f"/j/{created['id']}/lobby/{waiting['participant_id']}/admit", ticket=host_session.ticket)
    roles = sorted(p["role"] for p in get_mind().list_participants(conference_id))
    assert roles == ["presenter", "presenter", "speaker"]


def test_recording_controls_reach_the_engine(api, create_meeting, host, joiner):
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    conference_id = conference_of(created["id"])
    api.patch(f"/v2/live_meetings/{created['id']}/events", {"method": "recording.start"}, format="json")
    assert get_mind().get_conference(conference_id)["recording"]["started"] is True
    api.patch(f"/v2/live_meetings/{created['id']}/events", {"method": "recording.pause"}, format="json")
    assert get_mind().get_conference(conference_id)["recording"]["started"] is False


def test_auto_recording_starts_the_engine_recording(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"auto_recording": "cloud"})
    conference_id = joiner(host).join(created["id"])["conference"]["id"]
    assert get_mind().get_conference(conference_id)["recording"]["started"] is True


def test_livestream_start_and_stop_drive_an_engine_streaming(api, create_meeting, host, joiner):
    created = create_meeting(password="")
    api.patch(f"/v2/meetings/{created['id']}/livestream", STREAM, format="json")
    joiner(host).join(created["id"])
    conference_id = conference_of(created["id"])
    assert api.patch(f"/v2/meetings/{created['id']}/livestream/status", {"action": "start"},
                     format="json").status_code == 204
    assert [s["url"] for s in get_mind().list_streamings(conference_id)] == ["rtmp://127.0.0.1:1935/live/key%201%2F2"]
    again = api.patch(f"/v2/meetings/{created['id']}/livestream/status", {"action": "start"}, format="json")
    assert again.status_code == 204 and len(get_mind().list_streamings(conference_id)) == 1
    assert api.patch(f"/v2/meetings/{created['id']}/livestream/status", {"action": "stop"},
                     format="json").status_code == 204
    assert get_mind().list_streamings(conference_id) == []


def test_ending_the_meeting_deletes_the_conference(api, create_meeting, host, joiner, django_capture_on_commit_callbacks):
    created = create_meeting(password="")
    joiner(host).join(created["id"])
    conference_id = conference_of(created["id"])
    with django_capture_on_commit_callbacks(execute=True):
        api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json")
    with pytest.raises(MindError) as error:
        get_mind().get_conference(conference_id)
    assert error.value.status == 404


def test_engine_not_configured_is_a_clear_503(create_meeting, host, joiner, settings):
    settings.MIND_APPLICATION_ID = None
    created = create_meeting(password="")
    answer = joiner(host).join(created["id"], expect=503)
    assert "media engine" in answer["error"]
