"""Shared steps of the SIP tests: REST calls from async test code, and the participant's state."""

from mind.models import Participant
from tests.mind.media_peer import db


def sip_url(conference_id, participant_id, action):
    return f"{conference_id}/participants/{participant_id}/{action}"


async def post(mind, path, body=None):
    """A REST call from async code (a dial-out blocks until answered or failed)."""
    response = await db(lambda: mind.post(path, body))
    return response.status_code, (response.json() if response.content else None)


def state(participant_id):
    p = Participant.objects.get(pk=participant_id)
    return {"online": p.online, "audio": p.media_audio, "video": p.media_video, "sip_status": p.sip_status}
