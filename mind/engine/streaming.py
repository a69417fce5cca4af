"""RTMP(S) streaming of conferences: Janus `rtp_forward` -> relay -> ffmpeg -> the streaming's URL.

Where it runs: in the `streamer` process (`manage.py mind_streamer`, a Procfile entry of its own),
never in the process that handles the REST call. The database is the source of truth: every
Streaming row of a live conference should be pushed, nothing else. The streamer re-reads that
every few seconds and immediately when told (Redis pub/sub channel `CHANNEL`: the receivers of
`mind.signals.streaming_changed` and `conference_ended` publish there from whichever process
committed: web, worker, a shell). Each push holds a Redis lease (`lease_key`), so several streamer
processes never push the same streaming twice and the reconciliation task can tell dead owners.

One push (`Push`) is: a `Stage` (streaming_stage.py) that watches the conference's room and keeps
Janus forwarders on what is on air; a `Relay` (streaming_relay.py) that turns those forwarders
into continuous RTP streams with black/silent filler; and one ffmpeg reading the relay through an
SDP file, mixing the audio (amix), scaling the video, encoding H.264 + AAC (keyframe every 2 s)
and pushing FLV to the URL. The Streaming's `alive` is true while ffmpeg is writing to the URL;
when ffmpeg dies it goes false and ffmpeg is restarted with a growing delay (1 s .. 30 s).
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import logging
import os
import shutil
import signal
import socket
import time
from pathlib import Path

import redis
import redis.asyncio as aioredis
from django.conf import settings
from django.utils import timezone

from config import outbound
from mind import services
from mind.engine import janus_pool, rooms, transcriber
from mind.engine.db import in_thread
from mind.engine.janus import JanusError, VideoRoomAdmin
from mind.engine.rooms import room_body
from mind.engine.streaming_relay import Relay, free_udp_port_pairs
from mind.engine.streaming_stage import Stage
from mind.models import Streaming

logger = logging.getLogger(__name__)

CHANNEL = "confer:mind:streaming"
LEASE_PREFIX = "confer:mind:streaming-lease:"
LEASE_SECONDS = 20
SYNC_SECONDS = 5.0
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0
HEALTHY_SECONDS = 30.0  # pushing this long resets the restart delay
STOP_GRACE_SECONDS = 5.0


def option(name: str, default):
    return getattr(settings, name, default)


def lease_key(streaming_id) -> str:
    return f"{LEASE_PREFIX}{streaming_id}"


def _redis():
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)


# --- called from any process (signal receivers, the reconciliation task) ---------------------------


def request_sync(reason: str = "") -> bool:
    """Tells the streamer processes to look at the database now. False if Redis is unreachable
    (they still look every SYNC_SECONDS)."""
    try:
        with _redis() as client:
            client.publish(CHANNEL, json.dumps({"reason": reason}))
        return True
    except Exception as exc:  # noqa: BLE001 (redis raises several unrelated types)
        logger.warning("could not notify the streamer (%s): %s", reason, exc)
        return False


def leases() -> dict[str, dict]:
    """streaming id -> lease value ({owner, ports, ffmpeg}) of every push running somewhere."""
    found = {}
    with _redis() as client:
        for key in client.scan_iter(match=f"{LEASE_PREFIX}*", count=500):
            raw = client.get(key)
            if raw:
                try:
                    found[key.decode()[len(LEASE_PREFIX):]] = json.loads(raw)
                except ValueError:
                    continue
    return found


def wanted_streamings() -> list[dict]:
    """What should be on air: every streaming of a conference that has not ended."""
    rows = (Streaming.objects.filter(conference__ending_at__gt=timezone.now())
            .values("id", "url", "conference_id", "conference__janus_room_id"))
    return [{"id": str(r["id"]), "url": r["url"], "conference_id": str(r["conference_id"]),
             "room_id": r["conference__janus_room_id"]} for r in rows]


def reconcile() -> dict:
    """Periodic (Celery beat), from any process: the safety net under the streamer's own sync.

    * a streaming of a live conference that no streamer holds (its process died) is marked not
      alive and the streamers are told to pick it up;
    * a lease of a streaming that is gone makes the streamers look again (its owner stops it);
    * Janus forwarders (on every server of the pool) to ports that no live push or transcriber
      owns (left by a dead streamer; they would otherwise live as long as their publisher) are
      stopped.
    """
    held = leases()
    wanted = {row["id"]: row for row in wanted_streamings()}
    orphaned = [sid for sid in wanted if sid not in held]
    if orphaned:
        Streaming.objects.filter(pk__in=orphaned, alive=True).update(alive=False)
    stale_leases = [sid for sid in held if sid not in wanted]
    if orphaned or stale_leases:
        request_sync("reconcile")
    owned_ports = {port for lease in held.values() for port in lease.get("ports", [])}
    owned_ports |= transcriber.forwarded_ports()  # the live transcribers' forwarders are not ours to stop
    stopped = 0
    for server in janus_pool.servers():  # forwarders live on the server that holds each room
        try:
            stopped += _stop_unowned_forwarders(server, owned_ports)
        except JanusError as exc:
            logger.warning("reconcile streamings: Janus %s: %s", server.name, exc)
    result = {"orphaned": len(orphaned), "stale_leases": len(stale_leases), "forwarders": stopped}
    if any(result.values()):
        logger.info("reconcile streamings: %s", result)
    return result


def _stop_unowned_forwarders(server: janus_pool.JanusServer, owned_ports: set[int]) -> int:
    stopped = 0
    with VideoRoomAdmin(server.http()) as admin:
        listing = admin.request({"request": "list", "admin_key": settings.JANUS_ROOM_ADMIN_KEY}).get("list", [])
        for room in listing:
            conference_id = rooms.conference_id_of_room(room.get("description"))
            if not conference_id:
                continue
            secret = rooms.room_secret(conference_id)
            try:
                found = admin.request({"request": "listforwarders", "room": room["room"], "secret": secret})
            except JanusError as exc:
                logger.debug("reconcile: listforwarders of room %s: %s", room["room"], exc)
                continue
            for publisher in found.get("publishers", []):
                for forwarder in publisher.get("forwarders", []):
                    if forwarder.get("port") in owned_ports:
                        continue
                    try:
                        admin.request({"request": "stop_rtp_forward", "room": room["room"],
                                       "publisher_id": publisher["publisher_id"], "stream_id": forwarder["stream_id"],
                                       "secret": secret, "admin_key": settings.JANUS_ROOM_ADMIN_KEY})
                        stopped += 1
                    except JanusError as exc:
                        logger.debug("reconcile: stop_rtp_forward: %s", exc)
    return stopped


# --- ffmpeg ----------------------------------------------------------------------------------------


def sdp(ports: dict[str, int], relay: Relay) -> str:
    lines = ["v=0", "o=- 0 0 IN IP4 127.0.0.1", "s=Confer streaming", "c=IN IP4 127.0.0.1", "t=0 0"]
    for name, slot in relay.slots.items():
        if slot.kind == "video":
            lines += [f"m=video {ports[name]} RTP/AVP {slot.pt}", f"a=rtpmap:{slot.pt} VP8/90000"]
        else:
            lines += [f"m=audio {ports[name]} RTP/AVP {slot.pt}", f"a=rtpmap:{slot.pt} opus/48000/2"]
        lines.append("a=recvonly")
    return "\r\n".join(lines) + "\r\n"


def ffmpeg_command(sdp_path: Path, url: str, audio_inputs: int) -> list[str]:
    width, height = (int(n) for n in str(option("MIND_STREAMING_SIZE", "1280x720")).lower().split("x"))
    fps = int(option("MIND_STREAMING_FPS", 30))
    video_kbps = int(option("MIND_STREAMING_VIDEO_KBPS", 2500))
    audio_kbps = int(option("MIND_STREAMING_AUDIO_KBPS", 128))
    mix = "".join(f"[0:a:{n}]" for n in range(audio_inputs))
    return [
        option("MIND_STREAMING_FFMPEG", "ffmpeg"), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "warning",
        "-progress", "pipe:1", "-stats_period", "1",
        "-protocol_whitelist", "file,udp,rtp", "-buffer_size", "4194304",
        "-analyzeduration", "2000000", "-probesize", "2000000",
        "-i", str(sdp_path),
        # Any picture size in (a camera, a screen): letterboxed into the output size.
        "-map", "0:v:0", "-vf",
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,fps={fps},format=yuv420p",
        # Every publisher's audio (and the relay's silence for empty slots), mixed at full level.
        "-filter_complex", f"{mix}amix=inputs={audio_inputs}:duration=longest:normalize=0,aresample=async=1[aout]",
        "-map", "[aout]",
        "-c:v", "libx264", "-preset", str(option("MIND_STREAMING_PRESET", "veryfast")), "-tune", "zerolatency", "-profile:v", "high",
        "-b:v", f"{video_kbps}k", "-maxrate", f"{video_kbps}k", "-bufsize", f"{2 * video_kbps}k",
        "-g", str(2 * fps), "-keyint_min", str(2 * fps), "-sc_threshold", "0",
        "-force_key_frames", "expr:gte(t,n_forced*2)",
        "-c:a", "aac", "-b:a", f"{audio_kbps}k", "-ar", "48000", "-ac", "2",
        "-f", "flv", "-flvflags", "no_duration_filesize", url,
    ]


_libc = ctypes.CDLL(None, use_errno=True)  # loaded here: the child after fork only calls into it
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the ffmpeg child: get SIGTERM when the streamer dies, so no orphan keeps pushing."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Push:
    """One streaming on air in this process."""

    def __init__(self, streaming_id: str, conference_id: str, room_id: int, url: str, owner: str):
        self.streaming_id = streaming_id
        self.conference_id = conference_id
        self.room_id = room_id
        self.url = url
        self.owner = owner
        self.relay = Relay(int(option("MIND_STREAMING_AUDIO_SOURCES", 4)), settings.MIND_RTP_FORWARD_HOST)
        self.stage: Stage | None = None
        self.proc: asyncio.subprocess.Process | None = None
        self.alive = False
        self.restarts = 0
        self.folder = Path(option("MIND_STREAMING_DIR", Path(settings.VAR_DIR) / "streaming")) / streaming_id
        self._tasks: list[asyncio.Task] = []
        self._stopping = False
        self._alive_lock = asyncio.Lock()

    @property
    def lease(self) -> str:
        return json.dumps({"owner": self.owner, "ports": sorted(s.port for s in self.relay.slots.values()),
                           "rtcp_ports": sorted(s.rtcp_port for s in self.relay.slots.values())},
                          sort_keys=True)

    async def open(self) -> None:
        await self.relay.start()

    async def record_alive(self) -> None:
        """Writes `alive` as it is when the write starts; one write at a time, so the database
        always ends with the latest value. Best effort: the streamer's next sync retries."""
        async with self._alive_lock:
            try:
                await in_thread(_set_alive, self.streaming_id, self.alive)
            except Exception:  # noqa: BLE001
                logger.exception("streaming %s: could not record alive=%s", self.streaming_id, self.alive)

    def start(self) -> None:
        self.stage = Stage(self.streaming_id, self.conference_id, self.room_id, self.relay,
                           room_body=lambda: in_thread(room_body, self.conference_id),
                           still_wanted=lambda: in_thread(_exists, self.streaming_id))
        self._tasks = [asyncio.create_task(self.stage.run()), asyncio.create_task(self._supervise())]

    async def stop(self) -> None:
        """Ends the push cleanly: ffmpeg finishes the FLV and closes the connection."""
        self._stopping = True
        await self._end_ffmpeg()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.stage is not None:
            await self.stage.close()
        self.relay.close()
        if self.restarts:
            logger.info("streaming %s: ffmpeg's last words: %s", self.streaming_id, self._log_tail())
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.alive:
            self.alive = False
            await self.record_alive()

    async def _end_ffmpeg(self) -> None:
        proc = self.proc
        if proc is None or proc.returncode is not None:
            return
        try:
            proc.send_signal(signal.SIGINT)  # ffmpeg writes its trailer and closes the connection
            await asyncio.wait_for(proc.wait(), STOP_GRACE_SECONDS)
        except asyncio.TimeoutError:
            proc.kill()
            await proc.wait()
        except ProcessLookupError:
            pass

    async def _supervise(self) -> None:
        delay = BACKOFF_FIRST
        while not self._stopping:
            started = time.monotonic()
            try:
                await self._run_ffmpeg()
            except outbound.RefusedDestination as refused:
                # Checked again at connect time (DNS rebinding): a refused destination is not retried.
                logger.error("streaming %s: destination refused: %s", self.streaming_id, refused)
                return
            except OSError as exc:  # ffmpeg missing or not startable: keep trying, loudly
                logger.error("streaming %s: cannot run ffmpeg: %s", self.streaming_id, exc)
            except Exception:  # e.g. the database away while recording `alive`: keep the push going
                logger.exception("streaming %s: supervising ffmpeg failed", self.streaming_id)
                await self._end_ffmpeg()
            if self._stopping:
                return
            if self.alive:
                self.alive = False
                await self.record_alive()
            if time.monotonic() - started > HEALTHY_SECONDS:
                delay = BACKOFF_FIRST
            logger.warning("streaming %s: ffmpeg ended (%s); restarting in %.0f s: %s", self.streaming_id,
                           self.proc.returncode if self.proc else "-", delay, self._log_tail())
            self.restarts += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF_MAX)

    async def _run_ffmpeg(self) -> None:
        await asyncio.to_thread(outbound.check_url, self.url)  # before any relay or port is set up
        self.folder.mkdir(parents=True, exist_ok=True)
        ports = dict(zip(self.relay.slots, free_udp_port_pairs(len(self.relay.slots)), strict=True))
        sdp_path = self.folder / "input.sdp"
        temporary = sdp_path.with_suffix(".sdp.tmp")
        temporary.write_text(sdp(ports, self.relay))
        os.replace(temporary, sdp_path)
        self.relay.point_at(ports)
        target = await asyncio.to_thread(outbound.pinned_url, self.url)  # resolve + check, then connect there
        command = ffmpeg_command(sdp_path, target, len(self.relay.audio))
        with open(self.folder / "ffmpeg.log", "ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                *command, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=log,
                preexec_fn=_die_with_parent,
            )
        await self._watch_progress(self.proc)
        await self.proc.wait()

    async def _watch_progress(self, proc) -> None:
        """ffmpeg's `-progress` blocks: alive once it has written media to the URL."""
        block: dict[str, str] = {}
        while True:
            line = await proc.stdout.readline()
            if not line:
                return
            key, _, value = line.decode(errors="replace").strip().partition("=")
            block[key] = value
            if key != "progress":
                continue
            written = block.get("total_size", "0").isdigit() and int(block["total_size"]) > 0
            timed = block.get("out_time_us", "0").lstrip("-").isdigit() and int(block["out_time_us"]) > 0
            if timed:
                self.relay.output_confirmed()
            if written and timed and not self.alive and not self._stopping:
                self.alive = True
                await self.record_alive()
                logger.info("streaming %s: pushing to the RTMP server", self.streaming_id)
            block = {}

    def _log_tail(self, lines: int = 5) -> str:
        try:
            return " | ".join((self.folder / "ffmpeg.log").read_text(errors="replace").strip().splitlines()[-lines:])
        except OSError:
            return ""


# --- database helpers (run in threads: the streamer's loop must never block) ----------------------


def _exists(streaming_id) -> bool:
    return Streaming.objects.filter(pk=streaming_id, conference__ending_at__gt=timezone.now()).exists()


def _set_alive(streaming_id, alive: bool) -> None:
    services.set_streaming_alive(streaming_id, alive)



# --- the streamer process ----------------------------------------------------------------------------

# Renews our lease; takes it back if it expired meanwhile (e.g. this process was stalled) and
# nobody else took it; fails only if another streamer holds it.
_RENEW = """
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] or not holder then
  return redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return false
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class Streamer:
    """Keeps this process's pushes equal to the streamings the database wants on air."""

    def __init__(self):
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"
        self.pushes: dict[str, Push] = {}
        self._wake = asyncio.Event()
        self._redis: aioredis.Redis | None = None  # connected by run()

    @property
    def redis(self) -> aioredis.Redis:
        if self._redis is None:
            raise RuntimeError("the streaming runner is not running: run() connects to Redis")
        return self._redis

    async def run(self, stop: asyncio.Event) -> None:
        self._redis = aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5)
        listener = asyncio.create_task(self._listen())
        logger.info("streamer %s ready", self.owner)
        try:
            while not stop.is_set():
                try:
                    await self.sync()
                except Exception:  # the database or Redis may be briefly away: try again soon
                    logger.exception("streamer: sync failed")
                self._wake.clear()
                waits = [asyncio.create_task(self._wake.wait()), asyncio.create_task(stop.wait())]
                await asyncio.wait(waits, timeout=SYNC_SECONDS, return_when=asyncio.FIRST_COMPLETED)
                for task in waits:
                    task.cancel()
        finally:
            listener.cancel()
            await asyncio.gather(*(self._stop(sid) for sid in list(self.pushes)), return_exceptions=True)
            await self._redis.aclose()

    async def _listen(self) -> None:
        while True:
            try:
                pubsub = self.redis.pubsub()
                await pubsub.subscribe(CHANNEL)
                self._wake.set()  # messages may have been missed while unsubscribed
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                logger.warning("streamer: Redis subscription lost (%s); retrying", exc)
                await asyncio.sleep(1)

    async def sync(self) -> None:
        wanted = {row["id"]: row for row in await in_thread(wanted_streamings)}
        for streaming_id in [sid for sid in self.pushes if sid not in wanted]:
            await self._stop(streaming_id)
        for streaming_id, push in list(self.pushes.items()):
            if wanted[streaming_id]["url"] != push.url:  # not changeable through the API; be safe
                await self._stop(streaming_id)
                continue
            if not await self.redis.eval(_RENEW, 1, lease_key(streaming_id), push.lease, LEASE_SECONDS):
                logger.warning("streaming %s: lost its lease; another streamer has it", streaming_id)
                await self._stop(streaming_id, release=False)
        for streaming_id, row in wanted.items():
            if streaming_id not in self.pushes:
                await self._start(row)
        for push in list(self.pushes.values()):
            await push.record_alive()  # repairs a write lost while the database was away

    async def _start(self, row: dict) -> None:
        push = Push(row["id"], row["conference_id"], row["room_id"], row["url"], self.owner)
        await push.open()
        try:
            leased = await self.redis.set(lease_key(push.streaming_id), push.lease, nx=True, ex=LEASE_SECONDS)
        except BaseException:
            push.relay.close()
            raise
        if not leased:
            push.relay.close()  # another streamer pushes it
            return
        self.pushes[push.streaming_id] = push
        push.start()
        logger.info("streaming %s: started for conference %s", push.streaming_id, push.conference_id)

    async def _stop(self, streaming_id: str, release: bool = True) -> None:
        push = self.pushes.pop(streaming_id, None)
        if push is None:
            return
        await push.stop()
        if release:
            await self.redis.eval(_RELEASE, 1, lease_key(streaming_id), push.lease)
        logger.info("streaming %s: stopped", streaming_id)


def run_streamer() -> None:
    """The `mind_streamer` management command: runs until SIGTERM/SIGINT."""

    async def main():
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await Streamer().run(stop)

    asyncio.run(main())
