"""The Mind engine's actions: every change to a conference goes through a function here.

Each action checks who may do it (the `Actor`: the application, or one participant), changes the
database, and after the commit tells everyone concerned with a `{type, location, resource}`
notification (`mind.notifications`). Errors are `MindApiError(status, message)` with the Mind API's
status codes; the REST views and `mind.client.EmbeddedMind` only translate them.

Functions the media side (`mind.engine`, `mind.session`) calls:

``authenticate_participant(conference_id, raw_token) -> Participant``
    The participant the token belongs to, if the token is alive and tied to that conference;
    raises `MindApiError(401)` otherwise (unknown token, participant deleted, conference ended).
``set_online(participant, online: bool)``
    Presence from the participant's session; notifies `updated /participants/<id>` if it changed.
``set_media(participant, primary: dict | None, secondary: dict | None)``
    What the participant publishes: `{"audio": bool, "video": bool}` for primary (camera/mic)
    and secondary (screen) media; `None` leaves that one unchanged. Notifies if it changed.
``notify(conference, type, location, resource, exclude_app=False)``
    Sends one notification to the application socket (unless `exclude_app`) and to every
    participant session of the conference (groups in `mind.notifications`).

Hooks into the media side: the actions below send the Django signals of `mind.signals`
(`recording_changed`, `conference_ended`, `participant_removed`, `streaming_changed`) after the commit;
the engine connects receivers to drive Janus. Recording, streaming and SIP state live here.
"""

from __future__ import annotations

import hmac
import math
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from config import outbound
from config.celery import app as celery_app
from config.errors import ConferError
from mind import recording_retention, signals
from mind.engine import recording_media
from mind.engine.sip_address import parse_address
from mind.models import (
    Conference,
    Layout,
    Message,
    Participant,
    RecordingMediaState,
    RecordingState,
    RetainedRecording,
    Role,
    Streaming,
    Utterance,
    hash_token,
    new_participant_token,
)
from mind.realtime import notifications
from mind.representations import (
    conference_json,
    epoch_ms,
    message_json,
    participant_json,
    streaming_json,
    utterance_json,
)

# While a transcript or a recording is being prepared, clients retry after this many seconds.
RETRY_AFTER_SECONDS = 5
SIP_CALL_STATUSES = ("answered", "declined", "interrupted", "unavailable", "busy", "timeout", "error")


class MindApiError(ConferError):
    """A Mind API error: its HTTP status, the message, and headers to add (e.g. Retry-After)."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message, status=status)
        self.headers = headers or {}


def bad_request(message: str) -> MindApiError:
    return MindApiError(400, message)


def forbidden(message: str = "This token is not allowed to do that.") -> MindApiError:
    return MindApiError(403, message)


def not_found(what: str = "resource") -> MindApiError:
    return MindApiError(404, f"No such {what}.")


@dataclass(frozen=True)
class Actor:
    """Who makes a request: the application (participant is None) or one participant."""

    application_id: uuid.UUID
    participant: Participant | None = None

    @property
    def is_application(self) -> bool:
        return self.participant is None

    @property
    def id(self) -> uuid.UUID:
        return self.application_id if self.participant is None else self.participant.id

    @property
    def is_moderator(self) -> bool:
        return self.participant is not None and self.participant.is_moderator


def application_actor() -> Actor:
    return Actor(application_id=uuid.UUID(str(settings.MIND_APPLICATION_ID)))


# --- tokens ---------------------------------------------------------------------------------------


def is_application_token(raw_token: str) -> bool:
    expected = settings.MIND_APPLICATION_TOKEN
    return bool(expected) and hmac.compare_digest(raw_token.encode(), str(expected).encode())


def authenticate_participant(conference_id, raw_token: str) -> Participant:
    participant = find_participant_by_token(raw_token)
    if participant is None or str(participant.conference_id) != str(conference_id):
        raise MindApiError(401, "No valid token was provided.")
    return participant


def find_participant_by_token(raw_token: str) -> Participant | None:
    """The live participant a token belongs to (None if unknown, expelled or the conference ended)."""
    if not raw_token:
        return None
    participant = (
        Participant.objects.select_related("conference").filter(token_hash=hash_token(raw_token)).first()
    )
    if participant is None or participant.conference.has_ended:
        return None
    return participant


# --- notifications and presence (called by the media side) ---------------------------------------


def notify(conference: Conference, type: str, location: str, resource, exclude_app: bool = False) -> None:
    note = notifications.notification(type, location, resource)
    if not exclude_app:
        notifications.to_application(conference.id, note)
    notifications.to_participants(conference.id, note)


def _participant_location(participant: Participant) -> str:
    return f"/participants/{participant.id}"


def set_online(participant: Participant, online: bool) -> None:
    with transaction.atomic():
        changed = Participant.objects.filter(pk=participant.pk).exclude(online=online).update(online=online)
        participant.online = online
        if changed:
            fresh = Participant.objects.get(pk=participant.pk)
            notify(fresh.conference, notifications.UPDATED, _participant_location(fresh), participant_json(fresh))
            conference_id, participant_id = fresh.conference_id, fresh.pk
            transaction.on_commit(lambda: signals.presence_changed.send(
                sender=Participant, conference_id=conference_id, participant_id=participant_id, online=online))


def set_media(participant: Participant, primary: dict | None, secondary: dict | None) -> None:
    with transaction.atomic():
        fresh = Participant.objects.select_for_update().get(pk=participant.pk)
        before = (fresh.media_audio, fresh.media_video, fresh.secondary_audio, fresh.secondary_video)
        if primary is not None:
            fresh.media_audio = bool(primary.get("audio", fresh.media_audio))
            fresh.media_video = bool(primary.get("video", fresh.media_video))
        if secondary is not None:
            fresh.secondary_audio = bool(secondary.get("audio", fresh.secondary_audio))
            fresh.secondary_video = bool(secondary.get("video", fresh.secondary_video))
        after = (fresh.media_audio, fresh.media_video, fresh.secondary_audio, fresh.secondary_video)
        if after != before:
            fresh.save(update_fields=["media_audio", "media_video", "secondary_audio", "secondary_video"])
            notify(fresh.conference, notifications.UPDATED, _participant_location(fresh), participant_json(fresh))
        if after[3] != before[3]:  # screen video on or off: sharing started or ended
            conference_id, participant_id, sharing = str(fresh.conference_id), str(fresh.pk), after[3]
            transaction.on_commit(lambda: signals.screen_share_changed.send(
                sender=Participant, conference_id=conference_id, participant_id=participant_id, sharing=sharing))
        participant.media_audio, participant.media_video, participant.secondary_audio, participant.secondary_video = after


# --- input checks ---------------------------------------------------------------------------------


@overload
def _string(data: dict, key: str, nullable: Literal[False] = False, max_length: int = 500) -> str: ...
@overload
def _string(data: dict, key: str, nullable: bool, max_length: int = 500) -> str | None: ...
def _string(data: dict, key: str, nullable: bool = False, max_length: int = 500) -> str | None:
    value = data[key]
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise bad_request(f"`{key}` must be a string.")
    if len(value) > max_length:
        raise bad_request(f"`{key}` must be at most {max_length} characters.")
    if "\x00" in value:  # PostgreSQL text cannot hold NUL
        raise bad_request(f"`{key}` must not contain NUL characters.")
    return value


@overload
def _choice(data: dict, key: str, choices, nullable: Literal[False] = False) -> str: ...
@overload
def _choice(data: dict, key: str, choices, nullable: bool) -> str | None: ...
def _choice(data: dict, key: str, choices, nullable: bool = False) -> str | None:
    value = data[key]
    if value is None and nullable:
        return None
    if value not in choices.values:
        raise bad_request(f"`{key}` must be one of: {', '.join(choices.values)}.")
    return value


@overload
def _priority(data: dict, nullable: Literal[False] = False) -> float: ...
@overload
def _priority(data: dict, nullable: bool) -> float | None: ...
def _priority(data: dict, nullable: bool = False) -> float | None:
    value = data["priority"]
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise bad_request("`priority` must be a number >= 0.")
    return float(value)


def _uuid(value, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise bad_request(f"`{what}` must be a UUID.") from None


# --- conferences ----------------------------------------------------------------------------------


def _require_application(actor: Actor) -> None:
    if not actor.is_application:
        raise forbidden("Only the application may do that.")


def _require_moderator(actor: Actor) -> None:
    if not (actor.is_application or actor.is_moderator):
        raise forbidden("Only the application or a moderator may do that.")


def get_conference(actor: Actor, conference_id, lock: bool = False) -> Conference:
    """The conference, if it is alive and the actor may see it (404/403 otherwise)."""
    if actor.participant is not None and str(actor.participant.conference_id) != str(conference_id):
        raise forbidden("This participant token belongs to another conference.")
    try:
        conference_uuid = uuid.UUID(str(conference_id))
    except ValueError:
        raise not_found("conference") from None
    queryset = Conference.objects.filter(application_id=actor.application_id, pk=conference_uuid)
    if lock:
        queryset = queryset.select_for_update()
    conference = queryset.first()
    if conference is None or conference.has_ended:
        raise not_found("conference")
    return conference


def create_conference(actor: Actor, data: dict) -> Conference:
    _require_application(actor)
    fields = {}
    if "name" in data:
        fields["name"] = _string(data, "name", nullable=True) or ""
    if data.get("layout") is not None:
        fields["layout"] = _choice(data, "layout", Layout)
    if data.get("recordingLayout") is not None:
        fields["recording_layout"] = _choice(data, "recordingLayout", Layout)
    return Conference.objects.create(application_id=actor.application_id, **fields)


def conference_view(actor: Actor, conference: Conference, detailed: bool = False) -> dict:
    body = conference_json(conference)
    if detailed:
        body["transcription"] = {"started": conference.transcription_started}
        body["participants"] = [participant_json(p) for p in _participants_for(actor, conference)]
        if actor.is_application:
            body["streamings"] = [streaming_json(s) for s in conference.streamings.all()]
    return body


def update_conference(actor: Actor, conference_id, data: dict) -> Conference:
    _require_moderator(actor)
    with transaction.atomic():
        conference = get_conference(actor, conference_id, lock=True)
        changed = []
        if "name" in data and (name := _string(data, "name", nullable=True)) is not None:
            conference.name = name
            changed.append("name")
        if "layout" in data and (layout := _choice(data, "layout", Layout, nullable=True)) is not None:
            if layout != conference.layout and conference.recording_started and not conference.recording_layout:
                # The recording follows the change from now on (composition reads the segment's layouts).
                segments = list(conference.recording_segments)
                segments[-1] = {**segments[-1], "layouts": [*_segment_layouts(segments[-1], conference),
                                                            {"at": epoch_ms(timezone.now()), "layout": layout}]}
                conference.recording_segments = segments
                changed.append("recording_segments")
            conference.layout = layout
            changed.append("layout")
        if changed:
            conference.save(update_fields=changed)
            _notify_conference_updated(actor, conference)
    return conference


def _notify_conference_updated(actor: Actor, conference: Conference) -> None:
    notify(conference, notifications.UPDATED, "/", conference_json(conference), exclude_app=actor.is_application)


def delete_conference(actor: Actor, conference_id) -> None:
    _require_application(actor)
    with transaction.atomic():
        conference = get_conference(actor, conference_id, lock=True)
        end_conference(conference)


def end_conference(conference: Conference, by_application: bool = True) -> None:
    """Deletes the conference and all its data; every open socket closes with 4000.

    When the engine itself ends it (expiry), everyone is first told `deleted /`."""
    conference_id, room_id = conference.id, conference.janus_room_id
    notify(conference, notifications.DELETED, "/", None, exclude_app=by_application)
    if conference.recording_started:  # ended while recording: what was recorded is final now
        conference.recording_segments[-1]["stoppedAt"] = epoch_ms(timezone.now())
        _enqueue_final_audio_pass(conference)
    # A held recording outlives the conference (mind.recording_retention); an unheld one goes with it.
    after_media = recording_retention.conference_deleting(conference)
    conference.delete()  # participants (and so their tokens) go with it
    notifications.end_sessions(conference_id)
    transaction.on_commit(
        lambda: signals.conference_ended.send(sender=Conference, conference_id=conference_id, janus_room_id=room_id)
    )
    if after_media is not None:
        transaction.on_commit(after_media)


def end_expired_conferences() -> int:
    """Ends every conference past its `endingAt` (run periodically by Celery beat)."""
    ended = 0
    for conference_id in Conference.objects.filter(ending_at__lte=timezone.now()).values_list("pk", flat=True):
        with transaction.atomic():
            conference = Conference.objects.select_for_update(skip_locked=True).filter(pk=conference_id).first()
            if conference is not None and conference.has_ended:
                end_conference(conference, by_application=False)
                ended += 1
    return ended


# --- participants ---------------------------------------------------------------------------------


def _participants_for(actor: Actor, conference: Conference) -> list[Participant]:
    participants = list(conference.participants.all())
    if actor.participant is not None:  # the requester comes first, as the seeds promise
        participants.sort(key=lambda p: p.id != actor.id)
    return participants


def list_participants(actor: Actor, conference_id) -> list[Participant]:
    return _participants_for(actor, get_conference(actor, conference_id))


def get_participant(actor: Actor, conference_id, participant_id, lock: bool = False) -> Participant:
    conference = get_conference(actor, conference_id)
    try:
        participant_uuid = uuid.UUID(str(participant_id))
    except ValueError:
        raise not_found("participant") from None
    queryset = conference.participants.filter(pk=participant_uuid)
    if lock:
        queryset = queryset.select_for_update()
    participant = queryset.first()
    if participant is None:
        raise not_found("participant")
    return participant


def create_participant(actor: Actor, conference_id, data: dict) -> tuple[Participant, str]:
    """Returns the participant and its raw token (shown once; only its hash is stored)."""
    _require_application(actor)
    with transaction.atomic():
        conference = get_conference(actor, conference_id)
        participant = Participant(conference=conference, layout=conference.layout)
        if "name" in data:
            participant.name = _string(data, "name", nullable=True) or ""
        if data.get("priority") is not None:
            participant.priority = _priority(data)
        if data.get("role") is not None:
            participant.role = _choice(data, "role", Role)
        if data.get("layout") is not None:
            participant.layout = _choice(data, "layout", Layout)
        raw_token = new_participant_token()
        participant.token_hash = hash_token(raw_token)
        participant.save()
        notify(conference, notifications.CREATED, _participant_location(participant), participant_json(participant),
               exclude_app=True)
    return participant, raw_token


# Fields any participant may change on itself; the rest need the application or a moderator.
SELF_EDITABLE_FIELDS = {"name", "layout"}


def update_participant(actor: Actor, conference_id, participant_id, data: dict) -> Participant:
    with transaction.atomic():
        participant = get_participant(actor, conference_id, participant_id, lock=True)
        requested = {key for key in ("name", "priority", "role", "layout") if data.get(key) is not None}
        if not (actor.is_application or actor.is_moderator):
            if participant.id != actor.id:  # not the application: actor.id is its participant's
                raise forbidden("A participant may change only itself unless it is a moderator.")
            if requested - SELF_EDITABLE_FIELDS:
                raise forbidden("A participant may change only its own name and layout unless it is a moderator.")
        changed = []
        if "name" in requested:
            participant.name = _string(data, "name")
            changed.append("name")
        if "priority" in requested:
            participant.priority = _priority(data)
            changed.append("priority")
        if "role" in requested:
            participant.role = _choice(data, "role", Role)
            changed.append("role")
        if "layout" in requested:
            participant.layout = _choice(data, "layout", Layout)
            changed.append("layout")
        if changed:
            participant.save(update_fields=changed)
            notify(participant.conference, notifications.UPDATED, _participant_location(participant),
                   participant_json(participant), exclude_app=actor.is_application)
    return participant


def _remove_participant(conference: Conference, participant: Participant, actor: Actor) -> None:
    participant_id = participant.id
    participant.delete()  # the token dies with the row
    notify(conference, notifications.DELETED, f"/participants/{participant_id}", None, exclude_app=actor.is_application)
    notifications.expel_participant(participant_id)
    transaction.on_commit(
        lambda: signals.participant_removed.send(sender=Participant, conference=conference, participant_id=participant_id)
    )


def delete_participant(actor: Actor, conference_id, participant_id) -> None:
    _require_application(actor)
    with transaction.atomic():
        participant = get_participant(actor, conference_id, participant_id, lock=True)
        _remove_participant(participant.conference, participant, actor)


def delete_all_participants(actor: Actor, conference_id) -> None:
    _require_application(actor)
    with transaction.atomic():
        conference = get_conference(actor, conference_id, lock=True)
        for participant in conference.participants.select_for_update():
            _remove_participant(conference, participant, actor)


# --- messages -------------------------------------------------------------------------------------


def send_message(actor: Actor, conference_id, data: dict) -> dict:
    with transaction.atomic():
        conference = get_conference(actor, conference_id)
        if "sendTo" not in data or data["sendTo"] is None:
            raise bad_request("`sendTo` is required.")
        if "text" not in data or data["text"] is None:
            raise bad_request("`text` is required.")
        send_to = _uuid(data["sendTo"], "sendTo")
        text = _string(data, "text", max_length=settings.MIND_MESSAGE_MAX_CHARS)
        persistent = data.get("persistent", False)
        if not isinstance(persistent, bool):
            raise bad_request("`persistent` must be a boolean.")
        message = Message(conference=conference, sent_to=send_to, sent_by=actor.id, text=text)
        body = message_json(message)
        note = notifications.notification(notifications.CREATED, f"/messages/{message.id}", body)
        if send_to == conference.id:
            if not actor.is_application:
                notifications.to_application(conference.id, note)
            notifications.to_participants(conference.id, note)
        elif send_to == conference.application_id:
            if actor.is_application:
                raise bad_request("The application cannot send a message to itself.")
            notifications.to_application(conference.id, note)
        elif conference.participants.filter(pk=send_to).exists():
            notifications.to_participant(send_to, note)
        else:
            raise bad_request("`sendTo` must be a participant of the conference, the application or the conference.")
        # A participant's message to everyone while the conference is recorded is kept too: it is the
        # recording's chat file (mind.recording_retention), as Zoom keeps in-meeting chat with a recording.
        if persistent or (send_to == conference.id and not actor.is_application
                          and conference.recording_state == RecordingState.STARTED):
            full = conference.messages.count() >= settings.MIND_STORED_MESSAGES_MAX
            if full and persistent:
                raise MindApiError(429, f"This conference keeps {settings.MIND_STORED_MESSAGES_MAX} messages, "
                                        "the most allowed; send it without `persistent`.")
            if not full:  # a full recording chat keeps its first messages, the call goes on
                message.save()
    return body


# --- recording ------------------------------------------------------------------------------------


def start_recording(actor: Actor, conference_id) -> Conference:
    _require_moderator(actor)
    with transaction.atomic():
        conference = get_conference(actor, conference_id, lock=True)
        if conference.recording_state != RecordingState.STARTED:
            conference.recording_state = RecordingState.STARTED
            now = epoch_ms(timezone.now())
            conference.recording_segments = [*conference.recording_segments, {
                "startedAt": now, "stoppedAt": None,
                "layouts": [{"at": now, "layout": recording_layout(conference)}]}]
            # A resumed recording has to be composed again, and its transcript is growing again.
            conference.recording_media_state = RecordingMediaState.NONE
            conference.transcription_completed_at = None
            conference.save(update_fields=["recording_state", "recording_segments", "recording_media_state",
                                           "transcription_completed_at"])
            recording_retention.recording_started(conference)
            _notify_conference_updated(actor, conference)
            _send_recording_changed(conference)
    return conference


def stop_recording(actor: Actor, conference_id) -> Conference:
    _require_moderator(actor)
    with transaction.atomic():
        conference = get_conference(actor, conference_id, lock=True)
        if conference.recording_state == RecordingState.STARTED:
            now = timezone.now()
            segments = list(conference.recording_segments)
            segments[-1] = {**segments[-1], "stoppedAt": epoch_ms(now)}
            conference.recording_state = RecordingState.STOPPED
            conference.recording_segments = segments
            conference.recording_media_state = RecordingMediaState.PENDING
            if not conference.transcription_started:
                # Nobody is transcribing: what we have is all there will be.
                conference.transcription_completed_at = now
            conference.save(update_fields=["recording_state", "recording_segments", "recording_media_state",
                                           "transcription_completed_at"])
            recording_retention.recording_stopped(conference)
            _notify_conference_updated(actor, conference)
            _send_recording_changed(conference)  # the engine closes the .mjr files first...
            transaction.on_commit(lambda: _enqueue_composition(conference.id))  # ...then we compose
            _enqueue_final_audio_pass(conference)  # per-participant audio and the final transcript
    return conference


def recording_layout(conference: Conference) -> str:
    """The layout the recording is composed in: the deprecated `recordingLayout` when it was given
    at creation, else the conference's `layout`."""
    return conference.recording_layout or conference.layout


def _segment_layouts(segment: dict, conference: Conference) -> list[dict]:
    return list(segment.get("layouts") or [{"at": segment["startedAt"], "layout": recording_layout(conference)}])


def layout_changes(segments: list[dict], default: str) -> list[tuple[int, str]]:
    """[(epoch ms, layout)] over every segment of a recording; segments written before layouts
    were kept (no `layouts`) are in `default`."""
    changes = []
    for segment in segments:
        for entry in segment.get("layouts") or [{"at": segment["startedAt"], "layout": default}]:
            changes.append((int(entry["at"]), str(entry["layout"])))
    return sorted(changes)


def _enqueue_composition(conference_id) -> None:
    # By name: mind.tasks calls into this module, so this module does not import it.
    celery_app.send_task("mind.tasks.compose_recording", args=[str(conference_id)])


def _enqueue_final_audio_pass(conference: Conference) -> None:
    # By name, like the composition: the engine's final pass (docs/transcription.md).
    args = [str(conference.id), conference.recording_segments, conference.transcription_started]
    transaction.on_commit(lambda: celery_app.send_task("mind.engine.tasks.finish_recording_audio", args=args))


def _send_recording_changed(conference: Conference) -> None:
    started = conference.recording_started
    transaction.on_commit(
        lambda: signals.recording_changed.send(sender=Conference, conference=conference, started=started)
    )


RECORDING_KINDS = {"video/mp4": "recording.mp4", "image/jpeg": "thumbnail.jpg", "image/webp": "preview.webp"}


def recording_media_dir(conference_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "mind" / str(conference_id)


def recording_file(actor: Actor, conference_id, content_type: str) -> Path:
    """The composed recording file of that type, once the worker has made it."""
    _require_moderator(actor)
    conference = get_conference(actor, conference_id)
    if conference.recording_state == RecordingState.IDLE:
        raise not_found("recording (it was never started)")
    if conference.recording_state == RecordingState.STARTED:
        raise MindApiError(409, "The recording is in progress; stop it first.")
    if conference.recording_media_state == RecordingMediaState.FAILED:
        raise not_found("recording (it could not be composed)")
    path = recording_media_dir(conference.id) / RECORDING_KINDS[content_type]
    if conference.recording_media_state != RecordingMediaState.READY or not path.exists():
        raise MindApiError(503, "The recording is being prepared.", {"Retry-After": str(RETRY_AFTER_SECONDS)})
    return path


def janus_recordings_dir(conference_id) -> Path:
    """Where Janus writes the conference's .mjr files (as mind.engine.rooms.recordings_dir)."""
    return Path(settings.JANUS_RECORDINGS_DIR) / str(conference_id)


def compose_recording_media(conference_id) -> str:
    """Composes the stopped recording's MP4, JPEG and WebP (run by the worker; idempotent).

    Returns the resulting media state. A recording resumed meanwhile is left alone: its next
    stop composes it again."""
    conference = Conference.objects.filter(pk=conference_id).first()
    if conference is None:
        # Deleted: a recording someone still holds is composed all the same (mind.recording_retention).
        retained = RetainedRecording.objects.filter(pk=conference_id, conference_deleted_at__isnull=False).first()
        if retained is None or retained.media_state != RecordingMediaState.PENDING:
            return retained.media_state if retained else "skipped"
        segments, layout = retained.segments, retained.layout
    elif conference.recording_state != RecordingState.STOPPED:
        return "skipped"
    elif conference.recording_media_state == RecordingMediaState.READY:
        return RecordingMediaState.READY
    else:
        segments, layout = conference.recording_segments, recording_layout(conference)
    names = {content_type: name for content_type, name in RECORDING_KINDS.items()}
    try:
        recording_media.compose(janus_recordings_dir(conference_id), recording_media_dir(conference_id), names,
                                layout_changes(segments, layout))
        state, error = RecordingMediaState.READY, ""
    except recording_media.CompositionError as exc:
        state, error = RecordingMediaState.FAILED, str(exc)
    with transaction.atomic():
        # Only if nobody started recording again while we were composing.
        Conference.objects.filter(pk=conference_id, recording_state=RecordingState.STOPPED,
                                  recording_segments=segments).update(recording_media_state=state,
                                                                      recording_media_error=error)
        recording_retention.composition_finished(conference_id, segments, state, error)
    return state


# --- transcription --------------------------------------------------------------------------------


def get_transcription(actor: Actor, conference_id) -> dict:
    conference = get_conference(actor, conference_id)
    return {"started": conference.transcription_started}


def set_transcription(actor: Actor, conference_id, data: dict) -> dict:
    _require_application(actor)
    with transaction.atomic():
        conference = get_conference(actor, conference_id, lock=True)
        started = data.get("started")
        if started is not None:
            if not isinstance(started, bool):
                raise bad_request("`started` must be a boolean.")
            if started != conference.transcription_started:
                conference.transcription_started = started
                fields = ["transcription_started"]
                if started:
                    conference.transcription_started_at = timezone.now()
                    fields.append("transcription_started_at")
                conference.save(update_fields=fields)
                notify(conference, notifications.UPDATED, "/transcription", {"started": started}, exclude_app=True)
                transaction.on_commit(lambda: signals.transcription_changed.send(
                    sender=Conference, conference_id=conference.id, started=started))
    return {"started": conference.transcription_started}


def recording_transcription(actor: Actor, conference_id) -> tuple[int, list[dict], dict]:
    """(status, utterances, headers) for GET .../recording/transcription.

    200 with the full transcript once the recording is stopped and transcribing is complete;
    206 with what there is so far while recording, or while the stopped recording's transcript is
    still being completed (plus Retry-After); 503 + Retry-After when nothing is ready yet after a
    stop; 409 when there is no recording to transcribe (never started).
    """
    _require_moderator(actor)
    conference = get_conference(actor, conference_id)
    if conference.recording_state == RecordingState.IDLE:
        raise MindApiError(409, "The conference has not been recorded.")
    utterances = [utterance_json(u) for u in conference.utterances.all()]
    if conference.recording_state == RecordingState.STARTED:
        return 206, utterances, {}
    if conference.transcription_completed_at is not None:
        return 200, utterances, {}
    retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if not utterances:
        raise MindApiError(503, "The transcription is not ready yet.", retry)
    return 206, utterances, retry


def retained_recording_transcription(actor: Actor, conference_id) -> list[dict]:
    """The transcript of a deleted conference whose recording is still retained
    (mind.recording_retention): its utterances once complete; 503 + Retry-After while the final pass
    still runs; 404 when nothing is kept. Not part of the Mind REST API (a deleted conference is 404
    there): the embedded client offers it so the product's workers can finish a meeting's transcript."""
    _require_application(actor)
    kept = recording_retention.snapshot(conference_id)
    if kept is None or kept.conference_exists or kept.application_id != str(actor.application_id):
        raise not_found("conference")
    if not kept.transcript_complete:
        raise MindApiError(503, "The transcription is not ready yet.", {"Retry-After": str(RETRY_AFTER_SECONDS)})
    return kept.utterances


def add_utterances(conference: Conference, utterances: list[dict]) -> None:
    """Stores transcribed lines ({participantId, timestamp, text}); called by the transcriber.

    Each line is also a live notification, `created /transcription/utterances/<n>` with the
    utterance, so rooms can show captions while people speak."""
    created = Utterance.objects.bulk_create(
        Utterance(conference=conference, participant_id=u["participantId"], timestamp=int(u["timestamp"]), text=u["text"])
        for u in utterances
    )
    for utterance in created:
        notify(conference, notifications.CREATED, f"/transcription/utterances/{utterance.pk}", utterance_json(utterance))


def show_interim_caption(conference_id, participant_id, text: str) -> None:
    """Text of a phrase still being spoken (live transcriber), for the participants' captions: not
    stored, and replaced by the phrase's utterance. `updated /transcription/interim/<participantId>`
    with `{participantId, text}`; an empty text withdraws it (the phrase gave no words)."""
    location = f"/transcription/interim/{participant_id}"
    notifications.to_participants(conference_id, notifications.notification(
        notifications.UPDATED, location, {"participantId": str(participant_id), "text": text}))


def complete_transcription(conference: Conference) -> None:
    """The transcriber has processed everything recorded up to the stop."""
    Conference.objects.filter(pk=conference.pk, recording_state=RecordingState.STOPPED).update(
        transcription_completed_at=timezone.now()
    )


# --- streamings -----------------------------------------------------------------------------------


def list_streamings(actor: Actor, conference_id) -> list[Streaming]:
    _require_application(actor)
    return list(get_conference(actor, conference_id).streamings.all())


def get_streaming(actor: Actor, conference_id, streaming_id) -> Streaming:
    _require_application(actor)
    conference = get_conference(actor, conference_id)
    try:
        streaming = conference.streamings.filter(pk=uuid.UUID(str(streaming_id))).first()
    except ValueError:
        streaming = None
    if streaming is None:
        raise not_found("streaming")
    return streaming


def create_streaming(actor: Actor, conference_id, data: dict) -> Streaming:
    _require_application(actor)
    with transaction.atomic():
        conference = get_conference(actor, conference_id)
        if data.get("url") is None:
            raise bad_request("`url` is required.")
        url = _string(data, "url", max_length=2000)
        parts = urlsplit(url)
        if parts.scheme not in ("rtmp", "rtmps") or not parts.hostname:
            raise bad_request("`url` must be an rtmp:// or rtmps:// URL.")
        _check_destination(outbound.check_url, url, "url")
        if Streaming.objects.count() >= settings.MIND_STREAMINGS_MAX:
            raise MindApiError(429, f"This server runs {settings.MIND_STREAMINGS_MAX} streamings at once, the most "
                                    "it allows; stop one first.")
        streaming = Streaming.objects.create(conference=conference, url=url)
        transaction.on_commit(
            lambda: signals.streaming_changed.send(sender=Streaming, streaming=streaming, started=True)
        )
    return streaming


def delete_streaming(actor: Actor, conference_id, streaming_id) -> None:
    with transaction.atomic():
        streaming = get_streaming(actor, conference_id, streaming_id)
        _remove_streaming(streaming)


def delete_all_streamings(actor: Actor, conference_id) -> None:
    _require_application(actor)
    with transaction.atomic():
        for streaming in get_conference(actor, conference_id).streamings.all():
            _remove_streaming(streaming)


def _remove_streaming(streaming: Streaming) -> None:
    streaming_id = streaming.id
    streaming.delete()
    streaming.id = streaming_id  # Django clears the pk on delete; the engine needs it to stop the push
    transaction.on_commit(lambda: signals.streaming_changed.send(sender=Streaming, streaming=streaming, started=False))


def set_streaming_alive(streaming_id, alive: bool) -> None:
    """Called by the media side when the RTMP push starts or dies (and to repair it: no write if
    it is already so)."""
    Streaming.objects.filter(pk=streaming_id).exclude(alive=alive).update(alive=alive)


# --- SIP ------------------------------------------------------------------------------------------


def sip_dial_out(actor: Actor, conference_id, participant_id, data: dict) -> dict:
    _require_moderator(actor)
    participant = get_participant(actor, conference_id, participant_id)
    for key in ("from", "to"):
        if data.get(key) is None:
            raise bad_request(f"`{key}` is required.")
        _sip_address(data, key, destination=key == "to")
    if data.get("proxy") is not None:
        _sip_address(data, "proxy")
    timeout = data.get("timeout", 30)
    # The seed's own example sends "15" as a string: accept digit strings too.
    if isinstance(timeout, str) and timeout.isdigit():
        timeout = int(timeout)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or not 5 <= timeout <= 30:
        raise bad_request("`timeout` must be an integer from 5 to 30.")
    _check_dial_out_policy(participant.conference_id, data["to"], data.get("proxy"))
    return {"status": _sip_gateway().dial_out(participant, data["from"], data["to"], data.get("proxy"), timeout)}


def sip_forward(actor: Actor, conference_id, participant_id, data: dict) -> None:
    _require_moderator(actor)
    participant = get_participant(actor, conference_id, participant_id)
    if data.get("destination") is None:
        raise bad_request("`destination` is required.")
    destination = _sip_address(data, "destination")
    _check_dial_out_policy(participant.conference_id, destination)
    _sip_gateway().forward(participant, destination)


def _check_dial_out_policy(conference_id, *destinations) -> None:
    """SIP_DIAL_OUT_POLICY (a dotted path; the product's is `meetings.actions.callout.engine_policy`)
    answers None when the conference may call every destination, else why not: 403. Empty: the
    engine runs without accounts and the outbound policy alone applies."""
    policy = getattr(settings, "SIP_DIAL_OUT_POLICY", "")
    if not policy:
        return
    refusal = import_string(policy)(conference_id, [d for d in destinations if d])
    if refusal:
        raise MindApiError(403, refusal)


def _check_destination(check, value: str, key: str) -> None:
    """The outbound policy (config/outbound.py): no internal addresses, no own service ports."""
    try:
        check(value, unresolvable_ok=True)
    except outbound.RefusedDestination as refused:
        raise bad_request(f"`{key}`: {refused}") from None


def _sip_address(data: dict, key: str, destination: bool = True) -> str:
    """A `sip:`/`sips:` URI, optionally with a display name (`Jane <sip:jane@example.com>`)."""
    value = _string(data, key, max_length=1000)
    try:
        parse_address(value)
    except ValueError:
        raise bad_request(f"`{key}` must be a SIP URI such as sip:jane@example.com.") from None
    if destination:  # `from` names us; `to`, `proxy` and a forward's `destination` are dialled
        _check_destination(outbound.check_sip_uri, value, key)
    return value


def sip_hang_up(actor: Actor, conference_id, participant_id) -> None:
    _require_moderator(actor)
    participant = get_participant(actor, conference_id, participant_id)
    _sip_gateway().hang_up(participant)  # no call: nothing happens (the seeds); no sip process: 503


# The engine's SIP gateway, installed by `mind.apps` at start-up: `mind.engine.sip_remote.SipClient`,
# which sends each request to the `sip` process that holds the calls. The engine calls into this
# module, so this module does not import the engine's SIP side.
_gateway_factory = None


def install_sip_gateway(factory) -> None:
    global _gateway_factory
    _gateway_factory = factory


def _sip_gateway():
    """The media side's SIP gateway; 501 when there is none."""
    if _gateway_factory is None:
        raise MindApiError(501, "SIP calls are not available on this server.")
    return _gateway_factory()
