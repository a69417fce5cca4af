"""The embedded client still answers for the transcript of a conference deleted while its recording
is retained (mind.recording_retention): 503 + Retry-After while the engine's final pass holds the
media, then the final transcript; 404 once nothing is kept. Workers that summarise a meeting read
the transcript this way after the meeting's end deleted its conference."""

import pytest

from mind import recording_retention, services
from mind.client import EmbeddedMind, MindError
from mind.engine import final_pass
from mind.models import Conference

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("other_workers_paused")]


def test_transcript_of_a_deleted_conference_while_its_recording_is_retained(mind_application):
    mind = EmbeddedMind()
    cid = mind.create_conference()["id"]
    speaker = mind.create_participant(cid)["id"]
    mind.set_transcription(cid, True)
    mind.start_recording(cid)
    services.add_utterances(Conference.objects.get(pk=cid), [{"participantId": speaker, "timestamp": 0, "text": "live words"}])
    recording_retention.take(cid, "test-holder")  # someone still needs the media after the final pass
    mind.delete_conference(cid)  # ends the recording too; the final pass still holds the media

    with pytest.raises(MindError) as waiting:
        mind.get_recording_transcription(cid)
    assert waiting.value.status == 503 and waiting.value.retry_after > 0

    kept = recording_retention.snapshot(cid)
    assert final_pass.give_up(cid, kept.segments) != "recording resumed"  # nothing recorded: the live words stand
    assert mind.get_recording_transcription(cid) == {
        "complete": True, "utterances": [{"timestamp": 0, "participantId": speaker, "text": "live words"}]}

    for holder in recording_retention.holders(cid):  # ours, and the recordings app's collection
        recording_retention.release(cid, holder)
    with pytest.raises(MindError) as gone:
        mind.get_recording_transcription(cid)
    assert gone.value.status == 404
