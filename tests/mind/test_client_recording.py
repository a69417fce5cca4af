"""mind.client contract: recording and its transcript (states; the composed files themselves are
covered end to end in test_api_recording_media.py)."""

import pytest

from mind import services
from mind.client import MindError
from mind.models import Conference


def status_of(call) -> MindError:
    with pytest.raises(MindError) as error:
        call()
    return error.value


def test_recording_states(mind_client):
    cid = mind_client.create_conference()["id"]
    assert status_of(lambda: mind_client.get_recording(cid)).status == 404
    assert status_of(lambda: mind_client.get_recording_transcription(cid)).status == 409
    mind_client.start_recording(cid)
    assert mind_client.get_conference(cid)["recording"] == {"started": True}
    assert status_of(lambda: mind_client.get_recording(cid)).status == 409
    assert mind_client.get_recording_transcription(cid) == {"complete": False, "utterances": []}
    mind_client.stop_recording(cid)
    assert mind_client.get_conference(cid)["recording"] == {"started": False}
    # Nothing was published, so the worker (when one runs) can only fail; until then: 503 + Retry-After.
    # The state is read after the answer: a worker may fail the composition between the two.
    error = status_of(lambda: mind_client.get_recording(cid, accept="image/jpeg"))
    if error.status == 404:
        assert Conference.objects.get(pk=cid).recording_media_state == "failed"
    else:
        assert error.status == 503 and error.retry_after > 0
    assert mind_client.get_recording_transcription(cid) == {"complete": True, "utterances": []}


@pytest.mark.usefixtures("other_workers_paused")  # the final pass queued at the stop would complete it
def test_transcript_in_progress(mind_client):
    cid = mind_client.create_conference()["id"]
    participant = mind_client.create_participant(cid)
    mind_client.set_transcription(cid, True)
    mind_client.start_recording(cid)
    mind_client.stop_recording(cid)
    error = status_of(lambda: mind_client.get_recording_transcription(cid))
    assert error.status == 503 and error.retry_after > 0
    conference = Conference.objects.get(pk=cid)
    services.add_utterances(conference, [{"participantId": participant["id"], "timestamp": 0, "text": "hello"}])
    assert mind_client.get_recording_transcription(cid) == {
        "complete": False, "utterances": [{"timestamp": 0, "participantId": participant["id"], "text": "hello"}]}
    services.complete_transcription(conference)
    assert mind_client.get_recording_transcription(cid)["complete"] is True
