"""Breakout rooms: a host or co-host splits the people of a live meeting into smaller rooms, each its
own engine conference, and brings everyone back to the main room.

- `state(meeting_id, ticket)`: what one person in the live meeting sees: the rooms, the room they
  are assigned to and the one their media is in, the countdown, the last broadcast. Hosts and
  co-hosts also see who is assigned where, who is in which room now, and pre-assigned addresses.
- `manage(meeting_id, action, data, ticket=, user=)` -> (meeting, state): hosts and co-hosts only (the meeting role is
  checked here: 403 for attendees, other meetings' tickets and other accounts): `create` N rooms,
  `rename`, `assign` one person (or take them out), `auto_assign` (an even split of those not
  assigned), `settings` (`allow_choose`, `countdown_seconds`), `open`, `broadcast` a message to every
  room, `close` (everyone returns after the countdown).
- `move(meeting_id, ticket, room_id)`: one person's media moves to a room's conference (`room_id`)
  or back to the main one (`None`), without leaving the meeting: a new engine participant there,
  the row switched to it (`Participant.breakout_room`, `media_participant_id`, `media_token`), the
  old engine participant deleted after commit. Assigned people, anyone when `allow_choose` is on,
  and hosts and co-hosts (visiting) may enter a room; anyone may return.
- `finish_due(session_id)`: closing -> closed once the countdown is over. Every browser counts down
  (`closes_in`) and then moves back and reads the state, which closes the session on the server (as
  does any host action after the deadline): no timer runs on the server, and a room nobody is in
  any more loses its conference then. A browser that never comes back (closed tab) leaves the
  meeting through the engine's presence, like any closed tab; rooms still open when the meeting
  ends are deleted with it.

Pre-assignment: the meeting's `settings.breakout_room` (`enable`, `rooms[{name, participants}]`,
Zoom's API) seeds the rooms when the instance's breakout rooms are first looked at; a signed-in
person whose account e-mail is listed belongs to that room unless a host assigns them elsewhere.

Every change bumps `version` and, on commit, tells the main conference and every room's conference
through the engine's messaging (`{"type": "confer.breakout", "version": n}`); clients then fetch
`state`. Recording, live transcription and streaming stay on the main conference
(`Instance.conference_id`): nothing here records, transcribes or streams a room.

No engine call runs under a row lock: the rooms' conferences are created before the transaction
that opens them (and deleted if it does not commit), a mover's engine participant before the
transaction that switches them (deleted likewise). Locks are taken session first, then participant.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import media
from meetings.actions.admission import participant_for_ticket
from meetings.actions.host_controls import host_actor
from meetings.errors import JoinError
from meetings.models import BreakoutAssignment, BreakoutRoom, BreakoutSession, Instance, Meeting, Participant

logger = logging.getLogger(__name__)

MAX_ROOMS = 50
MAX_NAME = 64
MAX_COUNTDOWN = 300
MAX_MESSAGE = 500
ACTIONS = ("create", "rename", "assign", "auto_assign", "settings", "open", "broadcast", "close")
State = BreakoutSession.State


# --- reading ----------------------------------------------------------------------------------------


def _in_meeting(meeting_id: int, ticket: str) -> Participant:
    participant = participant_for_ticket(meeting_id, ticket)
    if (participant.status != Participant.Status.IN_MEETING or participant.instance is None
            or not participant.instance.is_live):
        raise JoinError(403, _("You are not in this meeting."))
    return participant


def _live(meeting: Meeting) -> Instance:
    instance = meeting.live_instance()
    if instance is None:
        raise JoinError(409, _("The meeting is not in progress."))
    return instance


def _session(instance: Instance) -> BreakoutSession:
    """The instance's breakout rooms, made (and seeded from the meeting's pre-assignment) on first use."""
    session = BreakoutSession.objects.filter(instance=instance).first()
    if session is not None:
        return session
    with transaction.atomic():
        session, created = BreakoutSession.objects.get_or_create(instance=instance)
        if created:
            _seed(session, instance.meeting)
    return session


def _locked(instance: Instance) -> BreakoutSession:
    return BreakoutSession.objects.select_for_update().get(pk=_session(instance).pk)


def _seed(session: BreakoutSession, meeting: Meeting) -> None:
    """Zoom's pre-assigned rooms (settings.breakout_room with enable: true). An address listed twice
    belongs to its first room."""
    preset = meeting.setting("breakout_room") or {}
    if not preset.get("enable"):
        return
    taken: set[str] = set()
    for position, room in enumerate((preset.get("rooms") or [])[:MAX_ROOMS]):
        emails = []
        for email in room.get("participants") or []:
            address = str(email).strip().lower()
            if address and address not in taken:
                taken.add(address)
                emails.append(address)
        name = str(room.get("name") or "").strip()[:MAX_NAME] or _("Room %(number)s") % {"number": position + 1}
        BreakoutRoom.objects.create(session=session, position=position, name=name, emails=emails)


def _people(instance: Instance) -> list[Participant]:
    return list(instance.participants.filter(status=Participant.Status.IN_MEETING)
                .select_related("user").order_by("joined_at", "pk"))


def _assignments(session: BreakoutSession, rooms: list[BreakoutRoom], people: list[Participant]) -> dict:
    """{participant pk: room}: a host's assignment, else the room that pre-assigned their e-mail."""
    by_id = {room.pk: room for room in rooms}
    by_email = {email: room for room in rooms for email in room.emails}
    chosen = dict(BreakoutAssignment.objects.filter(room__session=session).values_list("participant_id", "room_id"))
    found = {}
    for person in people:
        room = by_id.get(chosen[person.pk]) if person.pk in chosen else None
        if room is None and person.pk not in chosen and person.user is not None and person.user.email:
            room = by_email.get(person.user.email.lower())
        if room is not None:
            found[person.pk] = room
    return found


def _closes_in(session: BreakoutSession) -> int | None:
    if session.state != State.CLOSING or session.closes_at is None:
        return None
    return max(0, math.ceil((session.closes_at - timezone.now()).total_seconds()))


def _view(session: BreakoutSession, viewer: Participant | None, moderator: bool) -> dict:
    rooms = list(session.rooms.all())
    people = _people(session.instance)
    assigned = _assignments(session, rooms, people)
    present: dict[int, list[Participant]] = {room.pk: [] for room in rooms}
    for person in people:
        if person.breakout_room_id in present:
            present[person.breakout_room_id].append(person)
    mine = assigned.get(viewer.pk) if viewer is not None else None
    here = next((room for room in rooms if viewer is not None and room.pk == viewer.breakout_room_id), None)
    data: dict = {
        "state": session.state, "version": session.version, "round": session.round,
        "allow_choose": session.allow_choose, "countdown_seconds": session.countdown_seconds,
        "closes_in": _closes_in(session),
        "message": ({"id": session.message_id, "text": session.message, "from": session.message_from}
                    if session.message_id else None),
        "may_manage": moderator,
        "my_room": mine.pk if mine is not None else None,
        "current_room": {"id": here.pk, "name": here.name} if here is not None else None,
        "rooms": [{"id": room.pk, "name": room.name, "open": bool(room.conference_id),
                   "count": len(present[room.pk])} for room in rooms],
    }
    if moderator:
        matched = {person.user.email.lower() for person in people if person.user is not None and person.user.email}
        for entry, room in zip(data["rooms"], rooms, strict=True):
            entry["people"] = [{"id": person.key, "name": person.name, "here": person.breakout_room_id == room.pk}
                               for person in people if assigned.get(person.pk) is room]
            entry["emails"] = [email for email in room.emails if email not in matched]
        data["unassigned"] = [{"id": person.key, "name": person.name, "role": person.role,
                               "room": person.breakout_room_id}
                              for person in people if person.pk not in assigned]
    return data


def state(meeting_id: int, ticket: str) -> dict:
    """The breakout rooms as the person with this ticket sees them."""
    participant = _in_meeting(meeting_id, ticket)
    assert participant.instance is not None  # _in_meeting checked it
    session = _session(participant.instance)
    if session.state == State.CLOSING and session.closes_at is not None and session.closes_at <= timezone.now():
        finish_due(session.pk)
        session.refresh_from_db()
    return _view(session, participant, participant.can_moderate)


# --- what hosts and co-hosts do ---------------------------------------------------------------------------


def manage(meeting_id: int, action: str, data: dict, *, ticket: str = "", user=None) -> tuple[Meeting, dict]:
    """A host or co-host changes the breakout rooms; answers the meeting and the new state (their view)."""
    if action not in ACTIONS:
        raise JoinError(400, _("action must be one of %(actions)s.") % {"actions": ", ".join(ACTIONS)})
    meeting = host_actor(meeting_id, ticket=ticket, user=user)
    actor = participant_for_ticket(meeting_id, ticket) if ticket else None
    instance = _live(meeting)
    finish_due(_session(instance).pk)  # a countdown that is over ends before anything else changes
    if action == "open":
        _open(instance)
    else:
        with transaction.atomic():
            session = _locked(instance)
            _finish(session)
            if action == "create":
                _create(session, _count(data))
            elif action == "rename":
                room = _room(session, data.get("room"))
                room.name = _name(data.get("name"))
                room.save(update_fields=["name"])
            elif action == "assign":
                _assign(session, instance, data.get("participant"), data.get("room"))
            elif action == "auto_assign":
                _auto_assign(session, instance)
            elif action == "settings":
                _settings(session, data)
            elif action == "broadcast":
                _broadcast(session, data.get("message"), actor.name if actor else _display_name(user))
            elif action == "close":
                _close(session, data)
            _changed(session)
    session = BreakoutSession.objects.get(instance=instance)
    return meeting, _view(session, actor, True)


def _display_name(user) -> str:
    return (user.get_full_name() if user is not None and user.is_authenticated else "")[:MAX_NAME] or _("The host")


def _count(data: dict) -> int:
    count = data.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_ROOMS:
        raise JoinError(400, _("count must be a number from 1 to %(max)s.") % {"max": MAX_ROOMS})
    return count


def _name(value) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name or len(name) > MAX_NAME or "\x00" in name:
        raise JoinError(400, _("A room's name has 1 to %(max)s characters.") % {"max": MAX_NAME})
    return name


def _room(session: BreakoutSession, room_id) -> BreakoutRoom:
    room = None
    if isinstance(room_id, int) and not isinstance(room_id, bool):
        room = session.rooms.filter(pk=room_id).first()
    if room is None:
        raise JoinError(404, _("There is no such breakout room."))
    return room


def _editable(session: BreakoutSession) -> None:
    if session.state in (State.OPEN, State.CLOSING):
        raise JoinError(409, _("Close the breakout rooms first."))


def _create(session: BreakoutSession, count: int) -> None:
    _editable(session)
    if Participant.objects.filter(breakout_room__session=session, status=Participant.Status.IN_MEETING).exists():
        raise JoinError(409, _("Someone is still in a breakout room. Wait until everyone is back."))
    session.rooms.all().delete()  # their assignments go with them
    BreakoutRoom.objects.bulk_create([
        BreakoutRoom(session=session, position=index, name=_("Room %(number)s") % {"number": index + 1})
        for index in range(count)])
    session.state = State.DRAFT


def _person(instance: Instance, key) -> Participant:
    person = None
    if isinstance(key, str) and key:
        person = (instance.participants.select_related("user")
                  .filter(key=key, status=Participant.Status.IN_MEETING).first())
    if person is None:
        raise JoinError(404, _("Nobody with that id is in the meeting."))
    return person


def _assign(session: BreakoutSession, instance: Instance, key, room_id) -> None:
    person = _person(instance, key)
    room = _room(session, room_id) if room_id is not None else None
    BreakoutAssignment.objects.filter(participant=person).delete()
    if person.user is not None and person.user.email:
        address = person.user.email.lower()
        for listed in session.rooms.all():
            if address in listed.emails:  # a host's choice replaces the pre-assignment
                listed.emails = [email for email in listed.emails if email != address]
                listed.save(update_fields=["emails"])
    if room is not None:
        BreakoutAssignment.objects.create(room=room, participant=person)


def _auto_assign(session: BreakoutSession, instance: Instance) -> None:
    """An even split: each attendee not assigned yet goes to the room with the fewest people (the
    first such room on a tie). Hosts and co-hosts stay where they are."""
    rooms = list(session.rooms.all())
    if not rooms:
        raise JoinError(409, _("Create the breakout rooms first."))
    people = _people(instance)
    assigned = _assignments(session, rooms, people)
    sizes = {room.pk: 0 for room in rooms}
    for room in assigned.values():
        sizes[room.pk] += 1
    for person in people:
        if person.pk in assigned or person.can_moderate:
            continue
        room = min(rooms, key=lambda r: (sizes[r.pk], r.position))
        BreakoutAssignment.objects.update_or_create(participant=person, defaults={"room": room})
        sizes[room.pk] += 1


def _settings(session: BreakoutSession, data: dict) -> None:
    if "allow_choose" in data:
        if not isinstance(data["allow_choose"], bool):
            raise JoinError(400, _("allow_choose must be true or false."))
        session.allow_choose = data["allow_choose"]
    if "countdown_seconds" in data:
        session.countdown_seconds = _countdown(data["countdown_seconds"])


def _countdown(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNTDOWN:
        raise JoinError(400, _("countdown_seconds must be a number from 0 to %(max)s.") % {"max": MAX_COUNTDOWN})
    return value


def _broadcast(session: BreakoutSession, message, sender: str) -> None:
    if session.state not in (State.OPEN, State.CLOSING):
        raise JoinError(409, _("The breakout rooms are not open."))
    text = message.strip() if isinstance(message, str) else ""
    if not text or len(text) > MAX_MESSAGE or "\x00" in text:
        raise JoinError(400, _("A message has 1 to %(max)s characters.") % {"max": MAX_MESSAGE})
    session.message, session.message_from = text, sender[:MAX_NAME]
    session.message_id += 1


def _close(session: BreakoutSession, data: dict) -> None:
    if session.state != State.OPEN:
        raise JoinError(409, _("The breakout rooms are not open."))
    seconds = _countdown(data["countdown_seconds"]) if "countdown_seconds" in data else session.countdown_seconds
    session.countdown_seconds = seconds
    session.state = State.CLOSING
    session.closes_at = timezone.now() + timedelta(seconds=seconds)
    _finish(session)  # at once when there is no countdown


def _open(instance: Instance) -> None:
    """Each room gets its engine conference (made before the transaction, deleted if it fails)."""
    session = _session(instance)
    _editable(session)
    rooms = list(session.rooms.all())
    if not rooms:
        raise JoinError(409, _("Create the breakout rooms first."))
    made: dict[int, str] = {}
    try:
        for room in rooms:
            made[room.pk] = media.create_conference(f"{instance.meeting.topic or instance.meeting.pk} · {room.name}")
        with transaction.atomic():
            session = _locked(instance)
            _editable(session)  # another host opened them meanwhile
            current = list(session.rooms.all())
            if {room.pk for room in current} != set(made):
                raise JoinError(409, _("The breakout rooms changed meanwhile. Try again."))
            for room in current:
                room.conference_id = made[room.pk]
                room.save(update_fields=["conference_id"])
            session.state = State.OPEN
            session.round += 1
            session.closes_at = None
            session.message, session.message_from = "", ""
            _changed(session)
    except media.MediaError as exc:
        _discard(made.values())
        raise JoinError(503, _("The media engine could not open the breakout rooms: %(reason)s") % {"reason": exc}) from exc
    except BaseException:
        _discard(made.values())
        raise


def _discard(conference_ids) -> None:
    for conference_id in conference_ids:
        try:
            media.delete_conference(conference_id)
        except media.MediaError:
            logger.warning("could not delete breakout conference %s", conference_id)


def _changed(session: BreakoutSession) -> None:
    """Stores the session with a new version; on commit, every open conference hears of it."""
    session.version += 1
    session.save()
    conferences = [session.instance.conference_id,
                   *session.rooms.exclude(conference_id="").values_list("conference_id", flat=True)]
    instruction = {"type": "confer.breakout", "version": session.version}
    transaction.on_commit(lambda: _announce(conferences, instruction))


def _announce(conferences: list[str], instruction: dict) -> None:
    for conference_id in conferences:
        try:
            media.tell_everyone(conference_id, instruction)
        except media.MediaError:  # stored: clients catch up when they next fetch
            logger.warning("could not tell conference %s about the breakout rooms", conference_id)


# --- closing ------------------------------------------------------------------------------------------------


def _finish(session: BreakoutSession) -> bool:
    """Closing -> closed when the countdown is over (the caller holds the session's lock and saves).
    Rooms nobody is in any more lose their conference now; the others when their last person leaves."""
    if session.state != State.CLOSING or session.closes_at is None or session.closes_at > timezone.now():
        return False
    session.state = State.CLOSED
    for room in session.rooms.exclude(conference_id=""):
        if not room.present.filter(status=Participant.Status.IN_MEETING).exists():
            _drop_conference(room)
    return True


def _drop_conference(room: BreakoutRoom) -> None:
    conference_id = room.conference_id
    room.conference_id = ""
    room.save(update_fields=["conference_id"])
    transaction.on_commit(lambda: _discard([conference_id]))


def finish_due(session_id: int) -> None:
    """Closes the breakout rooms whose countdown is over (idempotent: the Celery task and reads call it)."""
    with transaction.atomic():
        session = BreakoutSession.objects.select_for_update().select_related("instance").filter(pk=session_id).first()
        if session is not None and _finish(session):
            _changed(session)


# --- moving -----------------------------------------------------------------------------------------------


def _media_answer(participant: Participant) -> dict:
    room = participant.breakout_room
    conference_id = participant.media_conference_id
    return {
        "conference": {"id": conference_id or None, "uri": media.conference_uri(conference_id) or None},
        "participant_token": participant.media_token or None,
        "media_participant_id": participant.media_participant_id or None,
        "room": {"id": room.pk, "name": room.name} if room is not None else None,
    }


def move(meeting_id: int, ticket: str, room_id: int | None) -> dict:
    """Moves the ticket holder's media into a breakout room (`room_id`) or back to the main room
    (None); answers what the browser joins next: {conference {id, uri}, participant_token,
    media_participant_id, room}."""
    participant = _in_meeting(meeting_id, ticket)
    instance = participant.instance
    assert instance is not None  # _in_meeting checked it
    if room_id is not None and (isinstance(room_id, bool) or not isinstance(room_id, int)):
        raise JoinError(400, _("room must be a room's id, or null for the main room."))
    if participant.breakout_room_id == room_id:
        return _media_answer(participant)  # there already (a repeated request)
    target = _entry_conference(participant, room_id) if room_id is not None else instance.conference_id
    try:
        media_id, token = media.add_participant(target, participant.name, participant.role)
    except media.MediaError as exc:
        raise JoinError(503, _("The media engine could not move you: %(reason)s") % {"reason": exc}) from exc
    try:
        with transaction.atomic():
            session = BreakoutSession.objects.select_for_update().filter(instance=instance).first()
            fresh = (Participant.objects.select_for_update(of=("self",)).select_related("instance", "breakout_room")
                     .get(pk=participant.pk))
            if fresh.status != Participant.Status.IN_MEETING or fresh.instance is None or not fresh.instance.is_live:
                raise JoinError(403, _("You are not in this meeting."))
            if room_id is not None and (session is None or _entry_conference(fresh, room_id) != target):
                raise JoinError(409, _("The breakout rooms changed meanwhile. Try again."))
            left_room = fresh.breakout_room
            old = (fresh.media_conference_id, fresh.media_participant_id)
            fresh.breakout_room_id = room_id
            fresh.media_participant_id, fresh.media_token = media_id, token
            fresh.save(update_fields=["breakout_room", "media_participant_id", "media_token"])
            transaction.on_commit(lambda: _remove_quietly(*old))
            if (left_room is not None and left_room.conference_id and session is not None
                    and session.state == State.CLOSED
                    and not left_room.present.filter(status=Participant.Status.IN_MEETING).exists()):
                _drop_conference(left_room)  # the last one out of a closed room
    except BaseException:
        _remove_quietly(target, media_id)
        raise
    fresh.breakout_room = BreakoutRoom.objects.filter(pk=room_id).first() if room_id is not None else None
    return _media_answer(fresh)


def _entry_conference(participant: Participant, room_id: int) -> str:
    """The conference of an open room this participant may enter (their own, any when people may
    choose, any for hosts and co-hosts visiting)."""
    assert participant.instance is not None
    session = BreakoutSession.objects.filter(instance=participant.instance).first()
    room = session.rooms.filter(pk=room_id).first() if session is not None else None
    if session is None or room is None:
        raise JoinError(404, _("There is no such breakout room."))
    if session.state != State.OPEN or not room.conference_id:
        raise JoinError(409, _("The breakout rooms are not open."))
    if not (participant.can_moderate or session.allow_choose):
        people = [participant]
        assigned = _assignments(session, list(session.rooms.all()), people).get(participant.pk)
        if assigned is None or assigned.pk != room.pk:
            raise JoinError(403, _("You are not assigned to this breakout room."))
    return room.conference_id


def _remove_quietly(conference_id: str, media_participant_id: str) -> None:
    try:
        media.remove_participant(conference_id, media_participant_id)
    except media.MediaError:
        logger.warning("could not remove engine participant %s from %s", media_participant_id, conference_id)
