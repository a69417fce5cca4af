"""The participant media this process holds, and the grace period after a socket drops.

A client whose WebSocket drops (network blip, page suspended) usually still has working
PeerConnections. For MIND_SESSION_GRACE_SECONDS the process keeps its ParticipantMedia (Janus
session, feeds, subscription) and the participant stays online; reconnecting with
`?session=<sessionId>` to the same process claims it back unchanged — even if the server has not
noticed the old socket closing yet. When the grace period ends unclaimed, `on_expire` releases it.

Media are per process: a reconnect that lands on another process starts a fresh session, whose
join kicks the stale feeds out of the room (ParticipantMedia._kick_stale_feeds); the old process
releases its media when Janus tells it they were kicked.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

from mind.engine.media import ParticipantMedia

_media: dict[str, ParticipantMedia] = {}  # participant id -> its media in this process
_expiry: dict[str, asyncio.Task] = {}  # participant id -> grace-period timer of a held media


def register(media: ParticipantMedia) -> ParticipantMedia | None:
    """Records the participant's media; returns the one it replaces (the caller closes it)."""
    previous = _media.get(media.participant_id)
    _media[media.participant_id] = media
    _cancel_expiry(media.participant_id)
    return previous if previous is not media else None


def unregister(media: ParticipantMedia) -> None:
    if _media.get(media.participant_id) is media:
        del _media[media.participant_id]
        _cancel_expiry(media.participant_id)


def claim(participant_id, key: str | None) -> ParticipantMedia | None:
    """The participant's media if `key` is its session id (held or still attached to an old socket)."""
    media = _media.get(str(participant_id))
    if media is None or not key or media.key != key or media.closed:
        return None
    _cancel_expiry(media.participant_id)
    return media


def hold(media: ParticipantMedia, grace: float, on_expire: Callable[[ParticipantMedia], Awaitable[None]]) -> None:
    media.detach_client()

    async def expire():
        await asyncio.sleep(grace)
        if _media.get(media.participant_id) is media:
            del _media[media.participant_id]
            _expiry.pop(media.participant_id, None)
            await on_expire(media)

    _cancel_expiry(media.participant_id)
    _expiry[media.participant_id] = asyncio.create_task(expire())


def _cancel_expiry(participant_id: str) -> None:
    task = _expiry.pop(participant_id, None)
    if task is not None and task is not asyncio.current_task():
        task.cancel()
