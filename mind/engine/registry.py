"""Participant media kept alive for a grace period after their socket dropped.

A client whose WebSocket drops (network blip, page suspended) usually still has working
PeerConnections. For MIND_SESSION_GRACE_SECONDS the process keeps its ParticipantMedia (Janus
session, feeds, subscription) and the participant stays online; reconnecting with
`?session=<sessionId>` to the same process resumes it unchanged. When the grace period ends
unclaimed, `on_expire` releases it. Held media are per process: a reconnect that lands on another
process starts a fresh session, whose join kicks the stale feeds out of the room (see
ParticipantMedia._kick_stale_feeds), and the held one is released when its Janus handles are kicked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Awaitable, Callable

from mind.engine.media import ParticipantMedia


@dataclass
class _Held:
    media: ParticipantMedia
    timer: asyncio.TimerHandle | asyncio.Task


_held: dict[str, _Held] = {}  # participant id -> held media


def hold(media: ParticipantMedia, grace: float, on_expire: Callable[[ParticipantMedia], Awaitable[None]]) -> None:
    media.detach_client()
    previous = _held.pop(media.participant_id, None)
    if previous is not None:
        previous.timer.cancel()
        asyncio.create_task(on_expire(previous.media))

    async def expire():
        await asyncio.sleep(grace)
        if _held.get(media.participant_id) is not None and _held[media.participant_id].media is media:
            del _held[media.participant_id]
            await on_expire(media)

    _held[media.participant_id] = _Held(media, asyncio.create_task(expire()))


def take(participant_id, key: str | None) -> ParticipantMedia | None:
    """The held media of this participant if `key` matches it (it is then no longer held)."""
    held = _held.get(str(participant_id))
    if held is None or not key or held.media.key != key or held.media.closed:
        return None
    del _held[str(participant_id)]
    held.timer.cancel()
    return held.media


def release(participant_id) -> ParticipantMedia | None:
    """Stops holding this participant's media (if any) and returns it for the caller to close."""
    held = _held.pop(str(participant_id), None)
    if held is None:
        return None
    held.timer.cancel()
    return held.media


def held_count() -> int:
    return len(_held)
