"""Shared steps of the SIP tests: REST calls from async test code, and the participant's state."""

from mind.models import Participant
from tests.mind.media_peer import db

# The seed's own dial-out example (its timeout a string, as the seed sends it).
DIAL = {"from": "John Doe <sip:johndoe@example.com:5060>", "to": "Jane Doe <sip:janedoe@example.com:5060>",
        "proxy": "sip:example.com:5060", "timeout": "15"}


def url(conference, participant, action):
    return f"{conference['id']}/participants/{participant['id']}/{action}"


def sip_url(conference_id, participant_id, action):
    return f"{conference_id}/participants/{participant_id}/{action}"


async def post(mind, path, body=None):
    """A REST call from async code (a dial-out blocks until answered or failed)."""
    response = await db(lambda: mind.post(path, body))
    return response.status_code, (response.json() if response.content else None)


def state(participant_id):
    p = Participant.objects.get(pk=participant_id)
    return {"online": p.online, "audio": p.media_audio, "video": p.media_video, "sip_status": p.sip_status}
