"""What the meetings app hears from the embedded media engine (`mind.signals`)."""

from meetings import joining


def participant_presence_changed(sender, conference_id, participant_id, online, **kwargs):
    if not online:
        joining.gone_from_media(str(participant_id))
