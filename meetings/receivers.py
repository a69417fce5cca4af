"""What the meetings app hears from the embedded media engine (`mind.signals`)."""

from meetings.actions import admission


def participant_presence_changed(sender, conference_id, participant_id, online, **kwargs):
    if not online:
        admission.gone_from_media(str(participant_id))


def participant_sharing_changed(sender, conference_id, participant_id, sharing, **kwargs):
    admission.sharing_changed(str(participant_id), sharing)
