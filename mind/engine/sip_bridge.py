"""The conference side of a SIP call: the SIP participant as a member of the Janus room.

It is what a browser is for other participants, run server-side with aiortc: a ParticipantMedia
(the same Janus session, publisher and subscription handles a WebSocket session uses) whose
client messages are answered here. The far end's audio is published as the participant's primary
audio; every other feed's audio arrives on the subscription and is mixed (AudioMixer) for the
phone. Video from the room is declined (the answer marks it inactive): audio-only bridge.
"""

from __future__ import annotations

import logging
from typing import Awaitable, Callable

from aiortc import RTCBundlePolicy, RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamTrack

from mind.engine import rooms
from mind.engine.janus_ws import JanusError
from mind.engine.media import ParticipantMedia
from mind.engine.rooms import PRIMARY
from mind.engine.sip_audio import AudioMixer

logger = logging.getLogger(__name__)

OFF = {"audio": False, "video": False}


class ConferenceLeg:
    def __init__(self, conference_id, room_id: int, participant_id, *, may_publish: bool,
                 room_body: Callable[[], Awaitable[dict]],
                 on_flags: Callable[[dict], Awaitable[None]],
                 on_gone: Callable[[str], Awaitable[None]]):
        self.mixer = AudioMixer()  # what the phone hears
        self.may_publish = may_publish
        self._on_flags = on_flags
        self.on_gone = on_gone
        self.media = ParticipantMedia(
            conference_id, room_id, participant_id, room_body=room_body,
            on_flags=lambda primary, secondary: on_flags(primary) if primary is not None else _nothing(),
            on_gone=self._gone,
        )
        self.publisher: RTCPeerConnection | None = None
        self.subscription: RTCPeerConnection | None = None

    async def start(self, far_end_audio: MediaStreamTrack | None) -> dict:
        """Joins the room and publishes the far end's audio; returns the media flags."""
        await self.media.start()
        if not self.media.ready:
            raise JanusError("the media server is not available")
        await self.media.attach_client(self._from_media)
        if far_end_audio is None or not self.may_publish:
            return OFF
        self.publisher = RTCPeerConnection()
        self.publisher.addTransceiver(far_end_audio, direction="sendonly")
        await self.publisher.setLocalDescription(await self.publisher.createOffer())
        answer, flags = await self.media.publish(PRIMARY, self.publisher.localDescription.sdp)
        await self.publisher.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        return flags

    async def set_audio(self, on: bool) -> None:
        """The phone's audio flag as the room shows it (the keypad's `*6`)."""
        await self._on_flags({"audio": on, "video": False})

    async def _gone(self, reason: str) -> None:
        # Kicked (participant deleted, or a newer session of it joined), room destroyed, or Janus
        # lost: the call cannot go on. Close now so ParticipantMedia does not try to recover.
        await self.media.close()
        await self.on_gone(reason)

    async def _from_media(self, message: dict) -> None:
        """Messages ParticipantMedia would send to a browser: only subscription offers matter here."""
        if message.get("type") != "offer":
            return
        if self.subscription is None:
            # One PeerConnection for every feed (Janus multistream); see tests/mind/media_peer.py.
            self.subscription = RTCPeerConnection(RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))

            @self.subscription.on("track")
            def on_track(track):
                if track.kind == "audio":
                    self.mixer.add(track)

        await self.subscription.setRemoteDescription(RTCSessionDescription(sdp=message["sdp"], type="offer"))
        for transceiver in self.subscription.getTransceivers():
            if transceiver.kind == "video":
                transceiver.direction = "inactive"  # nobody would watch it: do not decode it
        await self.subscription.setLocalDescription(await self.subscription.createAnswer())
        try:
            await self.media.answer(self.subscription.localDescription.sdp)
        except (JanusError, ValueError) as exc:
            logger.info("participant %s: subscription answer failed: %s", self.media.participant_id, exc)

    async def close(self) -> None:
        await self.media.close()
        self.mixer.stop()
        for pc in (self.publisher, self.subscription):
            if pc is not None:
                await pc.close()
        self.publisher = self.subscription = None


async def _nothing() -> None:
    return None


def opaque_id(conference_id, participant_id) -> str:
    """Handles are tagged like a participant's own, so reconciliation knows whose they are."""
    return f"{rooms.OPAQUE_PREFIX}{conference_id}:{participant_id}"
