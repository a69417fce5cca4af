"""A headless WebRTC participant (aiortc) that speaks the participant session protocol.

Used by the media tests and by `bench/mind_room.py`. It publishes synthetic media (a moving bar
and a 440 Hz tone), answers the server's subscription offers, and measures what it receives:
decoded video frames and the loudest audio sample per subscription stream.
"""

from __future__ import annotations

import asyncio
import fractions
import json
import math
import time
from array import array

import websockets
from aiortc import RTCBundlePolicy, RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError, VideoStreamTrack
from av import AudioFrame, VideoFrame

WIDTH, HEIGHT = 320, 240
AUDIO_RATE = 48000
AUDIO_SAMPLES = 960  # 20 ms


class MovingBarTrack(VideoStreamTrack):
    """A grey picture with a white bar sweeping across it, so every frame differs."""

    def __init__(self):
        super().__init__()
        self.count = 0

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        frame = VideoFrame(width=WIDTH, height=HEIGHT, format="yuv420p")
        luma = frame.planes[0]
        bar = (self.count * 4) % WIDTH
        row = bytearray([80] * luma.line_size)
        row[bar:bar + 16] = bytes([235] * len(row[bar:bar + 16]))
        luma.update(bytes(row) * HEIGHT)
        for chroma in frame.planes[1:]:
            chroma.update(bytes([128]) * chroma.buffer_size)
        frame.pts, frame.time_base = pts, time_base
        self.count += 1
        return frame


class SineTrack(AudioStreamTrack):
    """A 440 Hz tone at about a quarter of full scale."""

    def __init__(self, frequency: float = 440.0):
        super().__init__()
        self.frequency = frequency
        self._sent = 0

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self._sent == 0:
            self._start = time.time()
        else:
            await asyncio.sleep(max(0, self._start + self._sent / AUDIO_RATE - time.time()))
        samples = array("h", (int(8000 * math.sin(2 * math.pi * self.frequency * (self._sent + i) / AUDIO_RATE))
                              for i in range(AUDIO_SAMPLES)))
        frame = AudioFrame(format="s16", layout="mono", samples=AUDIO_SAMPLES)
        frame.planes[0].update(samples.tobytes())
        frame.pts, frame.sample_rate, frame.time_base = self._sent, AUDIO_RATE, fractions.Fraction(1, AUDIO_RATE)
        self._sent += AUDIO_SAMPLES
        return frame


class SpeechTrack(AudioStreamTrack):
    """A 48 kHz mono 16-bit WAV (tests/mind/speech.py) played once at real time, then silence.
    `started_at` (epoch s) is when its first sample was sent: sentence ends in the file then
    have known wall-clock times. With `held=True` it sends silence until `speak()` is called
    (so a test can wait until the server listens before the first word)."""

    def __init__(self, wav_path, loop: bool = False, held: bool = False):
        super().__init__()
        self.loop = loop
        self.held = held
        self._clock_start: float | None = None
        self._clock_sent = 0
        import wave

        with wave.open(str(wav_path), "rb") as wav:
            assert wav.getframerate() == AUDIO_RATE and wav.getnchannels() == 1 and wav.getsampwidth() == 2
            self.pcm = wav.readframes(wav.getnframes())
        self.started_at: float | None = None
        self._sent = 0

    @property
    def finished(self) -> bool:
        return self.started_at is not None and self._sent * 2 >= len(self.pcm)

    def speak(self) -> None:
        self.held = False

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        # One clock for the whole stream (silence while held, then the WAV): frames are paced by it.
        if self._clock_start is None:
            self._clock_start = time.time()
        else:
            await asyncio.sleep(max(0, self._clock_start + self._clock_sent / AUDIO_RATE - time.time()))
        chunk = b""
        if not self.held:
            if self.started_at is None:
                self.started_at = time.time()
            offset = (self._sent * 2) % len(self.pcm) if self.loop else self._sent * 2
            chunk = self.pcm[offset:offset + AUDIO_SAMPLES * 2]
            self._sent += AUDIO_SAMPLES
        frame = AudioFrame(format="s16", layout="mono", samples=AUDIO_SAMPLES)
        frame.planes[0].update(chunk + bytes(AUDIO_SAMPLES * 2 - len(chunk)))
        frame.pts, frame.sample_rate, frame.time_base = self._clock_sent, AUDIO_RATE, fractions.Fraction(1, AUDIO_RATE)
        self._clock_sent += AUDIO_SAMPLES
        return frame


class Received:
    """What arrived on one subscription stream."""

    def __init__(self, kind: str):
        self.kind = kind
        self.frames = 0
        self.peak = 0  # loudest audio sample seen
        self.first_frame_at: float | None = None

    def reset(self) -> None:
        self.frames, self.peak, self.first_frame_at = 0, 0, None

    def add(self, frame) -> None:
        self.frames += 1
        if self.first_frame_at is None:
            self.first_frame_at = time.monotonic()
        if self.kind == "audio":
            samples = array("h", bytes(frame.planes[0]))
            self.peak = max(self.peak, max((abs(s) for s in samples), default=0))


class MindPeer:
    """One participant: `await MindPeer.join(url)`, then `publish()`, then read `received`."""

    def __init__(self, url: str):
        self.url = url
        self.ws = None
        self.welcome: dict | None = None
        self.messages: list[dict] = []  # everything the server sent, in order
        self.publishers: dict[str, RTCPeerConnection] = {}
        self.subscription: RTCPeerConnection | None = None
        self.streams: dict[str, dict] = {}  # subscription mid -> {participantId, media, kind}
        self.received: dict[str, Received] = {}  # subscription mid -> what arrived
        self.offers_answered = 0
        self.answer_delay = 0.0  # seconds to wait before answering an offer (a slow browser)
        self._answering = asyncio.Lock()
        self.close_code: int | None = None
        self._replies: dict[str, asyncio.Future] = {}
        self._next_id = 0
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Event()
        self.publish_started_at: float | None = None

    @classmethod
    async def join(cls, url: str) -> "MindPeer":
        peer = cls(url)
        await peer.connect()
        return peer

    async def connect(self, url: str | None = None) -> None:
        start = len(self.messages)
        self.ws = await websockets.connect(url or self.url, max_size=None)
        self.close_code = None
        self._reader = asyncio.create_task(self._read())
        self.welcome = await self.wait_for(lambda m: m.get("type") == "welcome", start=start)

    async def _read(self):
        try:
            async for raw in self.ws:
                message = json.loads(raw)
                self.messages.append(message)
                future = self._replies.pop(message.get("id", ""), None)
                if future and not future.done():
                    future.set_result(message)
                if message.get("type") == "offer":
                    if self.answer_delay:  # answered in the background, in order: other messages flow on
                        asyncio.create_task(self._answer(message))
                    else:
                        await self._answer(message)
                elif message.get("type") == "mediaReset":  # every PeerConnection is dead
                    await self._close_peer_connections()
                elif message.get("type") == "welcome" and self.welcome is not None and not message.get("resumed"):
                    # A reconnect that started a fresh session (another web process): the old
                    # PeerConnections belong to the old one. Publish again; the new offer follows.
                    await self._close_peer_connections()
                self._changed.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self.close_code = self.ws.close_code
            self._changed.set()

    async def wait_for(self, predicate, timeout: float = 20.0, start: int = 0):
        """The first message (from index `start`) matching `predicate`, waiting if needed."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages[start:]:
                if predicate(message):
                    return message
            if self.close_code is not None and self._reader.done():
                raise AssertionError(f"socket closed ({self.close_code}) before the expected message")
            await self._wait_change(deadline)

    async def wait_until(self, predicate, timeout: float = 20.0, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while not predicate():
            try:
                await self._wait_change(deadline, tick=0.1)
            except asyncio.TimeoutError:
                raise AssertionError(f"timed out waiting for {what}; {self.describe()}") from None

    async def _wait_change(self, deadline: float, tick: float | None = None):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise asyncio.TimeoutError
        self._changed.clear()
        try:
            await asyncio.wait_for(self._changed.wait(), min(remaining, tick) if tick else remaining)
        except asyncio.TimeoutError:
            if tick is None or time.monotonic() >= deadline:
                raise

    async def wait_closed(self, timeout: float = 20.0) -> int:
        await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        return self.close_code

    async def send(self, message: dict) -> None:
        await self.ws.send(json.dumps(message))

    async def request(self, message: dict, timeout: float = 20.0) -> dict:
        self._next_id += 1
        message = {**message, "id": str(self._next_id)}
        future = asyncio.get_running_loop().create_future()
        self._replies[message["id"]] = future
        await self.send(message)
        return await asyncio.wait_for(future, timeout)

    async def publish(self, media: str = "primary", audio: bool = True, video: bool = True,
                      video_track=None, audio_track=None) -> dict:
        """Publishes synthetic media (or `video_track`, `audio_track`); returns the server's reply
        (an answer or an error)."""
        pc = RTCPeerConnection()
        if audio:
            pc.addTransceiver(audio_track or SineTrack(), direction="sendonly")
        if video:
            pc.addTransceiver(video_track or MovingBarTrack(), direction="sendonly")
        await pc.setLocalDescription(await pc.createOffer())
        self.publish_started_at = time.monotonic()
        reply = await self.request({"type": "publish", "media": media, "sdp": pc.localDescription.sdp})
        if reply.get("type") != "answer":
            await pc.close()
            return reply
        await pc.setRemoteDescription(RTCSessionDescription(sdp=reply["sdp"], type="answer"))
        old = self.publishers.pop(media, None)
        if old:
            await old.close()
        self.publishers[media] = pc
        return reply

    async def unpublish(self, media: str = "primary") -> dict:
        """Stops publishing as the browser SDK does: the PeerConnection closes, then `unpublish`."""
        pc = self.publishers.pop(media, None)
        if pc:
            await pc.close()
        return await self.request({"type": "unpublish", "media": media})

    async def _answer(self, offer: dict) -> None:
        async with self._answering:
            await self._answer_now(offer)

    async def _answer_now(self, offer: dict) -> None:
        if self.answer_delay:
            await asyncio.sleep(self.answer_delay)
        if offer.get("fresh") and self.subscription is not None:
            # A new subscription on the server (its handle was re-made): the old PeerConnection
            # belongs to the old one.
            old, self.subscription = self.subscription, None
            self.streams, self.received = {}, {}
            await old.close()
        if self.subscription is None:
            # MAX_BUNDLE: with aiortc's default (balanced) policy, a second m-line of a kind in one
            # offer keeps a transport the BUNDLE step then discards, and its media never arrives.
            self.subscription = RTCPeerConnection(RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))

            @self.subscription.on("track")
            def on_track(track):
                transceiver = next((t for t in self.subscription.getTransceivers() if t.receiver.track is track), None)
                mid = transceiver.mid if transceiver else track.id
                received = self.received.setdefault(mid, Received(track.kind))
                asyncio.create_task(self._consume(track, received))

        # Mids missing from an offer are inactive now; Janus may reuse them for other streams.
        streams = {stream["mid"]: stream for stream in offer.get("streams", [])}
        for mid, stream in streams.items():
            old = self.streams.get(mid)
            if old and mid in self.received and (old["participantId"], old["media"]) != (stream["participantId"], stream["media"]):
                self.received[mid].reset()
        self.streams = streams
        await self.subscription.setRemoteDescription(RTCSessionDescription(sdp=offer["sdp"], type="offer"))
        await self.subscription.setLocalDescription(await self.subscription.createAnswer())
        await self.send({"type": "answer", "sdp": self.subscription.localDescription.sdp})
        self.offers_answered += 1

    async def _consume(self, track, received: Received):
        try:
            while True:
                received.add(await track.recv())
                if received.frames in (1, 10, 50):
                    self._changed.set()
        except MediaStreamError:
            pass

    def received_from(self, participant_id: str, kind: str, media: str = "primary") -> Received | None:
        for mid, stream in self.streams.items():
            if stream["participantId"] == participant_id and stream["kind"] == kind and stream["media"] == media:
                if mid in self.received:
                    return self.received[mid]
        return None

    def describe(self) -> str:
        got = {mid: (self.streams.get(mid, {}).get("participantId", "?")[:8], r.kind, r.frames, r.peak)
               for mid, r in self.received.items()}
        types = [m.get("type") for m in self.messages]
        offers = [m["sdp"] for m in self.messages if m.get("type") == "offer"]
        lines = [line for line in (offers[-1].splitlines() if offers else []) if line.startswith(("m=", "a=mid", "a=ssrc", "a=rtpmap", "a=send", "a=recv", "a=extmap"))]
        answer = self.subscription.localDescription.sdp if self.subscription and self.subscription.localDescription else ""
        alines = [line for line in answer.splitlines() if line.startswith(("m=", "a=mid", "a=ssrc", "a=send", "a=recv", "a=inactive"))]
        return f"streams={self.streams} received={got} messages={types} close={self.close_code} offer={lines} answer={alines}"

    async def leave(self) -> int:
        """Leaves for good: the server releases everything, then closes the socket (1000)."""
        if self.close_code is None:
            await self.send({"type": "leave"})
        code = await self.wait_closed()
        await self.close()
        return code

    async def close_socket(self) -> None:
        """Closes only the WebSocket; the PeerConnections keep running (a network blip)."""
        await self.ws.close()
        await self._reader

    async def _close_peer_connections(self) -> None:
        pcs = list(self.publishers.values()) + ([self.subscription] if self.subscription else [])
        self.publishers.clear()
        self.subscription = None
        self.streams, self.received = {}, {}
        for pc in pcs:
            await pc.close()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        await self._close_peer_connections()


async def db(fn, *args):
    """Runs a database query from async test code (in a thread whose connection is then closed)."""

    def run():
        from django.db import connections

        try:
            return fn(*args)
        finally:
            connections.close_all()

    return await asyncio.to_thread(run)


def receives(peer: MindPeer, participant_id: str, frames: int = 10, media: str = "primary") -> bool:
    """Whether `peer` has decoded `frames` video frames and audible audio from that participant."""
    video = peer.received_from(participant_id, "video", media)
    audio = peer.received_from(participant_id, "audio", media)
    return bool(video and video.frames >= frames and audio and audio.peak > 2000)


async def publishing_pair(server, conference_id, first: dict, second: dict) -> tuple[MindPeer, MindPeer]:
    """Two participants who publish and receive each other's media."""
    a = await MindPeer.join(server.session_url(conference_id, first["token"]))
    b = await MindPeer.join(server.session_url(conference_id, second["token"]))
    for peer in (a, b):
        assert (await peer.publish())["type"] == "answer"
    await a.wait_until(lambda: receives(a, second["id"]), timeout=30, what="media from the second peer")
    await b.wait_until(lambda: receives(b, first["id"]), timeout=30, what="media from the first peer")
    return a, b


def forwarded_publishers(room_id: int, conference_id) -> set[int]:
    """Publisher ids of the room with a Janus rtp_forward (e.g. to the live transcriber)."""
    from mind.engine import rooms
    from mind.engine.janus import VideoRoomAdmin

    with VideoRoomAdmin() as admin:
        found = admin.request({"request": "listforwarders", "room": room_id,
                               "secret": rooms.room_secret(conference_id)})
    return {p["publisher_id"] for p in found.get("publishers", []) if p.get("forwarders")}


def janus_handle_owners() -> list[str]:
    """opaque_id of every handle Janus has (ours are "mind:<conferenceId>:<participantId>")."""
    from mind.engine.janus import Janus, JanusError

    janus, owners = Janus(), []
    for session_id in janus.admin("list_sessions").get("sessions", []):
        try:
            for handle_id in janus.admin("list_handles", session_id=session_id).get("handles", []):
                info = janus.admin("handle_info", session_id=session_id, handle_id=handle_id).get("info", {})
                owners.append(info.get("opaque_id") or "")
        except JanusError:
            pass  # went away while we looked
    return owners


def has_janus_handles(participant_id) -> bool:
    return any(owner.endswith(f":{participant_id}") for owner in janus_handle_owners())


def is_online_note(message: dict, participant_id: str, online: bool) -> bool:
    return (message.get("type") == "updated" and message.get("location") == f"/participants/{participant_id}"
            and (message.get("resource") or {}).get("online") is online)


# --- a real Daphne serving the participant sessions, on the test database ------------------------

GRACE_SECONDS = 3  # the server's MIND_SESSION_GRACE_SECONDS in these tests


class MediaServer:
    def __init__(self, port: int, application_id: str):
        self.port = port
        self.application_id = application_id

    def session_url(self, conference_id: str, token: str, session: str | None = None) -> str:
        url = f"ws://127.0.0.1:{self.port}/mind/{self.application_id}/{conference_id}/session?access_token={token}"
        return url + (f"&session={session}" if session else "")


def start_daphne(tmp_dir, **extra_env):
    """Starts Daphne as a child process (test database, test Mind application); returns (proc, port)."""
    import subprocess
    import sys

    import requests

    from tests.conftest import ROOT, free_port, process_env, wait_until
    from tests.mind.conftest import APPLICATION_ID, APPLICATION_TOKEN

    port = free_port()
    env = process_env(MIND_APPLICATION_ID=APPLICATION_ID, MIND_APPLICATION_TOKEN=APPLICATION_TOKEN, MIND_API_URL="",
                      ALLOWED_HOSTS="127.0.0.1,localhost", MIND_SESSION_GRACE_SECONDS=str(GRACE_SECONDS),
                      **extra_env)
    out = open(tmp_dir / "daphne.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
                            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    wait_until(lambda: requests.get(f"http://127.0.0.1:{port}/mind/{APPLICATION_ID}", timeout=1).status_code,
               timeout=60, message="Daphne")
    return proc, port


def stop_process(proc) -> None:
    import subprocess

    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


