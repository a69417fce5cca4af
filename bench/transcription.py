"""Benchmark: speech-to-text cost on this machine, as real-time factors (seconds of compute per
second of audio), with the decode of the same audio (Opus .mjr → 16 kHz PCM) as the baseline.

For each engine it runs the final pass's recogniser path (VAD phrases → engine) over two
participants' known speech (espeak-ng, two voices) and prints the real-time factor and the word
error rate. `openai` runs against a local server speaking the protocol that answers at once, so
its figure is the client's own overhead (encoding, HTTP), not a Whisper server's speed.

Then the live path: its front end alone (Opus RTP → decode → 16 kHz → VAD, in this process), and
end to end: a real Daphne, the namespace's Janus, the `mind_transcriber`
process and aiortc peers speaking espeak-ng sentences into a conference whose transcription is
started, with 1 and then 3 people speaking at once. It prints
  * latency: from the end of each spoken phrase (known from the WAV) to the arrival of its
    utterance notification on the application WebSocket (p50, p95, max);
  * interim captions: how many phrases showed interim text on a participant's session before the
    phrase ended, and the median time from the first interim text to the phrase's end;
  * the transcriber process's CPU per concurrent speaker (CPU seconds per second of speech per
    speaker, from /proc), and the 3-speaker figure as a ratio of the 1-speaker baseline.

    bin/dev bench bench/transcription.py [--skip-final]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from tests.support import mind_server as mind_conftest  # noqa: E402  (the bench's Mind application)

os.environ["MIND_APPLICATION_ID"] = mind_conftest.APPLICATION_ID
os.environ["MIND_APPLICATION_TOKEN"] = mind_conftest.APPLICATION_TOKEN

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from mind.engine import participant_audio  # noqa: E402
from mind.engine.final_pass import transcribe_pcm  # noqa: E402
from tests.mind.mjr_maker import make_mjr  # noqa: E402
from tests.mind.openai_stt_server import OpenAISttServer  # noqa: E402
from tests.mind.speech import ALICE, BOB, speak, word_error_rate  # noqa: E402


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-stt-"))
    speakers = []
    for name, sentences, voice in (("alice", ALICE, "en-us"), ("bob", BOB, "en-gb")):
        wav = speak(sentences, work / f"{name}.wav", voice)
        mjr = make_mjr(work / f"{name}.mjr", "opus", seconds=None, source=wav)
        speakers.append((name, " ".join(sentences), mjr))

    started = time.process_time()
    decoded = []
    for name, reference, mjr in speakers:
        audio = participant_audio.extract(name, [mjr], work)
        decoded.append((name, reference, participant_audio.decode_pcm(audio, min(a.start_us for a in audio))))
    decode_cpu = time.process_time() - started  # our process only; ffmpeg's children counted below
    children = os.times()
    decode_cpu += children.children_user + children.children_system
    seconds = sum(len(pcm) for _, _, pcm in decoded) / 32000
    print(f"audio: {seconds:.1f} s from {len(speakers)} speakers (Opus .mjr, as Janus records it)")
    print(f"baseline  decode .mjr → 16 kHz PCM       RTF {decode_cpu / seconds:.3f}")

    configured = settings.STT_ENGINE
    with OpenAISttServer() as server:
        settings.STT_OPENAI_URL = server.base_url
        for engine in ("pocketsphinx", "openai"):
            settings.STT_ENGINE = engine
            server.script = [("ok", {"text": "hello"})] * 1000
            errors, wall = [], 0.0
            for name, reference, pcm in decoded:
                began = time.perf_counter()
                utterances = transcribe_pcm(pcm, name)
                wall += time.perf_counter() - began
                errors.append(word_error_rate(reference, " ".join(u["text"] for u in utterances)))
            rtf = wall / seconds
            wer = " ".join(f"{e:.2f}" for e in errors)
            print(f"final     {engine:<13} VAD + recogniser  RTF {rtf:.3f}  ({rtf / (decode_cpu / seconds):.1f}× "
                  f"the decode)  WER per speaker {wer}")
    settings.STT_ENGINE = configured  # the live part's transcriber process reads the environment


# --- live: the transcriber process, end to end ---------------------------------------------------


def phrase_ends(wav: Path, silence_seconds: float = 0.5) -> list[float]:
    """Seconds into the WAV where each spoken phrase ends (espeak-ng pads with digital silence)."""
    import wave
    from array import array

    with wave.open(str(wav), "rb") as source:
        rate = source.getframerate()
        samples = array("h", source.readframes(source.getnframes()))
    window = rate // 100  # 10 ms
    loud = [max(abs(v) for v in samples[i:i + window]) > 300 for i in range(0, len(samples) - window, window)]
    ends, quiet, last_loud = [], 0, None
    for index, is_loud in enumerate(loud):
        if is_loud:
            last_loud, quiet = index, 0
            continue
        quiet += 1
        if last_loud is not None and quiet == int(silence_seconds * 100):
            ends.append((last_loud + 1) / 100)
            last_loud = None
    if last_loud is not None:
        ends.append((last_loud + 1) / 100)
    return ends


def cpu_seconds(pid: int) -> float:
    """CPU time of the process and its live children (the transcriber's recogniser processes)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


async def live_round(server, transcriber_pid: int, wavs: list[Path], stagger: float = 0.7) -> dict:
    import asyncio
    import json

    import websockets
    from asgiref.sync import sync_to_async

    from mind import services
    from tests.mind.media_peer import MindPeer, SpeechTrack

    actor = services.application_actor()

    def setup():
        conference = services.create_conference(actor, {"name": f"live {len(wavs)}"})
        people = [services.create_participant(actor, conference.id, {"name": f"p{i}"}) for i in range(len(wavs))]
        services.set_transcription(actor, conference.id, {"started": True})
        origin = services.Conference.objects.get(pk=conference.id).transcription_started_at.timestamp()
        return str(conference.id), origin, [(str(p.id), token) for p, token in people]

    cid, origin, people = await sync_to_async(setup)()
    notes: list[tuple[float, dict]] = []
    app = await websockets.connect(f"ws://127.0.0.1:{server.port}/mind/{server.application_id}/{cid}"
                                   f"?access_token={mind_conftest.APPLICATION_TOKEN}")

    async def read():
        async for raw in app:
            note = json.loads(raw)
            if note.get("type") == "created" and note.get("location", "").startswith("/transcription/utterances/"):
                notes.append((time.time(), note["resource"]))

    reader = asyncio.create_task(read())
    peers, tracks = [], {}
    interims: list[tuple[float, str]] = []  # (arrival, participant id) of interim text, as peer 0 saw it

    async def watch_interim():
        seen = 0
        while True:
            await asyncio.sleep(0.05)
            if peers:
                messages = peers[0].messages
                for message in messages[seen:]:
                    if message.get("type") == "updated" and message.get("location", "").startswith(
                            "/transcription/interim/") and message["resource"].get("text"):
                        interims.append((time.time(), message["resource"]["participantId"]))
                seen = len(messages)

    watcher = asyncio.create_task(watch_interim())
    try:
        for (participant_id, token), wav in zip(people, wavs, strict=True):
            peer = await MindPeer.join(server.session_url(cid, token))
            peers.append(peer)
            tracks[participant_id] = (SpeechTrack(wav), phrase_ends(wav))
            await peer.publish(audio_track=tracks[participant_id][0], video=False)
            await asyncio.sleep(stagger)
        while not all(track.started_at for track, _ in tracks.values()):
            await asyncio.sleep(0.05)
        cpu_before, wall_before = cpu_seconds(transcriber_pid), time.time()
        while not all(track.finished for track, _ in tracks.values()):
            await asyncio.sleep(0.1)
        expected = sum(len(ends) for _, ends in tracks.values())
        deadline = time.time() + 30
        while len(notes) < expected and time.time() < deadline:
            await asyncio.sleep(0.2)
        await asyncio.sleep(2)
        cpu, wall = cpu_seconds(transcriber_pid) - cpu_before, time.time() - wall_before
    finally:
        for peer in peers:
            await peer.leave()
        reader.cancel()
        watcher.cancel()
        await app.close()
        await sync_to_async(services.delete_conference)(actor, cid)
    return {"notes": notes, "tracks": tracks, "cpu": cpu, "wall": wall, "expected": expected, "origin": origin,
            "interims": interims}


def summarise(result: dict) -> dict:
    """Each utterance is placed in its speaker's WAV by its timestamp; its latency is its arrival
    minus the wall-clock end of the phrase it starts in."""
    latencies = []
    for arrived, utterance in result["notes"]:
        track, ends = result["tracks"][utterance["participantId"]]
        said_at = result["origin"] + utterance["timestamp"] / 1000 - track.started_at  # s into the WAV
        end = next((e for e in ends if e > said_at), ends[-1])
        latencies.append(arrived - (track.started_at + end))
    latencies.sort()
    # Interim text: a phrase "had" it when some arrived between the previous phrase's end and its own
    # end; the lead is how long before its end the first one came.
    leads = []
    for participant_id, (track, ends) in result["tracks"].items():
        arrivals = [at - track.started_at for at, who in result["interims"] if who == participant_id]
        for index, end in enumerate(ends):
            before = ends[index - 1] if index else 0.0
            first = min((t for t in arrivals if before < t <= end), default=None)
            if first is not None:
                leads.append(end - first)
    leads.sort()
    speech = sum(ends[-1] for _, ends in result["tracks"].values())  # seconds of speech sent, all speakers

    def pick(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")

    return {"speakers": len(result["tracks"]), "phrases": result["expected"], "utterances": len(result["notes"]),
            "p50": pick(0.5), "p95": pick(0.95), "max": latencies[-1] if latencies else float("nan"),
            "cpu_per_speaker": result["cpu"] / result["wall"] / len(result["tracks"]),
            "interim_phrases": len(leads), "interim_lead": leads[len(leads) // 2] if leads else float("nan"),
            "rtf": result["cpu"] / speech}


def front_end() -> None:
    """The live path without the recogniser: Opus RTP → decode → 16 kHz → VAD, in this process."""
    import asyncio
    import struct

    from mind.engine.live_speech import SpeakerStream
    from tests.mind.speech import ALICE, opus_rtp

    class NoRecogniser:
        size = 1

        async def transcribe(self, pcm):
            return []

    wav = speak(ALICE, Path(tempfile.mkdtemp(prefix="bench-front-")) / "alice.wav", "en-us")
    packets = opus_rtp(wav)

    async def run():
        async def ignore(*args):
            pass

        stream = SpeakerStream("bench", NoRecogniser(), ignore)  # type: ignore[arg-type]
        first = struct.unpack("!I", packets[0][4:8])[0]
        began = time.process_time()
        for packet in packets:
            stream.packet(packet, 1e9 + (struct.unpack("!I", packet[4:8])[0] - first) / 48000)
        await stream.close()
        return time.process_time() - began, stream.phrases

    cpu, phrases = asyncio.run(run())
    seconds = len(packets) * 0.02
    print(f"live      front end (Opus decode, 16 kHz, VAD; no recogniser)  CPU s per s {cpu / seconds:.4f}  "
          f"({phrases} phrases in {seconds:.1f} s)")


def live() -> None:
    import asyncio
    import logging
    import subprocess

    from django.core.management import call_command

    from tests.mind.media_peer import MediaServer, start_daphne, stop_process
    from tests.mind.speech import ALICE, BOB

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    work = Path(tempfile.mkdtemp(prefix="bench-live-"))
    sentences = ALICE + BOB
    wavs = [speak(sentences, work / f"{voice}.wav", voice) for voice in ("en-us", "en-gb", "en-us+f3")]
    proc, port = start_daphne(work)
    log = open(work / "transcriber.log", "w")
    transcriber = subprocess.Popen([sys.executable, "manage.py", "mind_transcriber"], cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT)
    server = MediaServer(port, mind_conftest.APPLICATION_ID)
    try:
        time.sleep(5)  # the transcriber loads Django
        warm = speak(sentences[:1], work / "warm.wav", "en-us")
        asyncio.run(live_round(server, transcriber.pid, [warm, warm]))  # recognisers loaded
        load = os.getloadavg()[0]  # the machine is shared: say how busy it was
        rounds = [summarise(asyncio.run(live_round(server, transcriber.pid, wavs[:n]))) for n in (1, 3)]
    finally:
        stop_process(transcriber)
        stop_process(proc)
    base = rounds[0]
    print(f"live transcriber ({settings.MIND_TRANSCRIBER_RECOGNISERS} recognisers, engine {settings.STT_ENGINE}), "
          f"{len(sentences)} sentences per speaker; load average before: {load:.1f} on {os.cpu_count()} cores")
    print(f"{'speakers':>8} {'phrases':>8} {'utterances':>10} {'latency p50':>12} {'p95':>7} {'max':>7} "
          f"{'CPU/speaker':>12} {'vs 1':>6} {'RTF':>6} {'interim':>8} {'lead':>6}")
    for r in rounds:
        print(f"{r['speakers']:>8} {r['phrases']:>8} {r['utterances']:>10} {r['p50']:>11.2f}s {r['p95']:>6.2f}s "
              f"{r['max']:>6.2f}s {r['cpu_per_speaker'] * 100:>10.1f}% {r['cpu_per_speaker'] / base['cpu_per_speaker']:>5.2f}x "
              f"{r['rtf']:>6.3f} {r['interim_phrases']:>3}/{r['phrases']:<4} {r['interim_lead']:>5.2f}s")
    print("latency: end of the spoken phrase → its utterance notification on the application socket;")
    print("interim: phrases with interim text on a participant's session before the phrase ended; lead: "
          "median time from the first interim text to the end of the phrase;")
    print("CPU/speaker: transcriber CPU (% of one core) while they speak, per concurrent speaker; "
          "RTF: transcriber CPU s per s of speech.")


if __name__ == "__main__":
    if "--skip-final" not in sys.argv:
        main()
    front_end()
    live()
