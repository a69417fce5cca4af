"""Mind API JSON for the engine's models (field names exactly as the seeds define them).

The same bodies travel in REST answers (`mind.api`), in notifications (`mind.services` sends them),
and out of `mind.client.EmbeddedMind`, so they live here, below all three.
"""

from datetime import datetime

from mind.models import Conference, Message, Participant, Streaming, Utterance


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def conference_json(conference: Conference) -> dict:
    return {
        "id": str(conference.id),
        "name": conference.name,
        "layout": conference.layout,
        "recording": {"started": conference.recording_started},
        "endingAt": int(conference.ending_at.timestamp()),  # seconds, like the seed's example
    }


def media_json(audio: bool, video: bool) -> dict:
    return {"audio": audio, "video": video}


def participant_json(participant: Participant) -> dict:
    return {
        "id": str(participant.id),
        "online": participant.online,
        "name": participant.name,
        "priority": participant.priority,
        "role": participant.role,
        "layout": participant.layout,
        "media": media_json(participant.media_audio, participant.media_video),
        "secondaryMedia": media_json(participant.secondary_audio, participant.secondary_video),
    }


def message_json(message: Message) -> dict:
    return {
        "id": str(message.id),
        "sentTo": str(message.sent_to),
        "sentBy": str(message.sent_by),
        "sentAt": epoch_ms(message.sent_at),  # milliseconds, like the seed's example
        "text": message.text,
    }


def streaming_json(streaming: Streaming) -> dict:
    return {"id": str(streaming.id), "url": streaming.url, "alive": streaming.alive}


def utterance_json(utterance: Utterance) -> dict:
    return {"timestamp": utterance.timestamp, "participantId": str(utterance.participant_id), "text": utterance.text}
