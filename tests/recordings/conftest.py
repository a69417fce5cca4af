"""Fixtures for the recordings tests: the meetings fixtures (host, api, create_meeting, joiner), the
embedded engine as a Mind application, and `recorded_meeting`: a meeting recorded with real media."""

import pytest

from tests.meetings.conftest import (  # noqa: F401  (fixtures)
    api,
    create_meeting,
    fast_password_hashing,
    host,
    joiner,
    mind_application,
)

READ, WRITE = "recording:read", "recording:write"


@pytest.fixture(autouse=True)
def recordings_storage(settings, tmp_path):
    """Each test stores its recordings in its own folder (the worker uses the same settings via env)."""
    return settings


def record_meeting(api, create_meeting, host, joiner, *, seconds=2.0, utterances=()):
    """A started meeting, recorded from the room's control with real .mjr media in the engine's
    folder (Janus's format, made by pcap2mjr), then stopped. Returns (meeting, host joiner, instance)."""
    from meetings.models import Instance, Participant
    from mind import recording_retention
    from mind import services as mind_services
    from mind.models import Conference
    from tests.mind.mjr_maker import make_mjr

    created = create_meeting(password="", settings={"auto_recording": "none"})
    person = joiner(host)
    person.join(created["id"], name="Hana Host")
    response = person.post(f"/j/{created['id']}/control", ticket=person.ticket, action="recording.start")
    assert response.status_code == 200, response.content
    instance = Instance.objects.get(meeting_id=created["id"])
    cid = instance.conference_id
    media_id = Participant.objects.get(instance=instance, user=host).media_participant_id
    folder = recording_retention.mjr_dir(cid)
    make_mjr(folder / f"{media_id}-primary-1-video-1.mjr", "vp8", seconds=seconds, ssrc=1111)
    make_mjr(folder / f"{media_id}-primary-1-audio-0.mjr", "opus", seconds=seconds, ssrc=2222)
    if utterances:
        mind_services.add_utterances(Conference.objects.get(pk=cid), [
            {"participantId": media_id, "timestamp": ms, "text": text} for ms, text in utterances])
    return created, person, instance
