"""The text files of a cloud recording, in Zoom's formats.

- TRANSCRIPT: WebVTT, one numbered cue per utterance, `Speaker Name: text`, times from the
  recording's start. A cue ends where the next one starts (at most `MAX_CUE_MS` later).
- CHAT: Zoom's chat file, `HH:MM:SS From Name to Everyone:` then the message on a tab-indented
  line; direct messages say `to Name(direct message)`.
- TIMELINE: JSON `{"timeline": [{"ts": "HH:MM:SS.mmm", "event": "joined"|"left"|"spoke", "users":
  [{"username", "user_id"}]}]}`: who joined, left and spoke, when (from the recording's start).
"""

from __future__ import annotations

import json

MAX_CUE_MS = 8000
UNKNOWN_SPEAKER = "Unknown speaker"


def clock(ms: int, fraction_separator: str | None = ".") -> str:
    ms = max(0, int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return text + f"{fraction_separator}{millis:03d}" if fraction_separator else text


def _one_line(text: str) -> str:
    # A blank line would end the cue early; "-->" inside a cue payload is not allowed by WebVTT.
    return " ".join(str(text).split()).replace("-->", "->")


def webvtt(utterances: list[dict], names: dict[str, str]) -> str:
    lines = ["WEBVTT", ""]
    ordered = sorted(utterances, key=lambda u: int(u["timestamp"]))
    for number, utterance in enumerate(ordered, start=1):
        start = int(utterance["timestamp"])
        following = ordered[number]["timestamp"] if number < len(ordered) else None
        end = min(int(following), start + MAX_CUE_MS) if following is not None else start + MAX_CUE_MS
        end = max(end, start + 500)
        speaker = names.get(str(utterance.get("participantId")), UNKNOWN_SPEAKER)
        lines += [str(number), f"{clock(start)} --> {clock(end)}", f"{_one_line(speaker)}: {_one_line(utterance['text'])}", ""]
    return "\n".join(lines)


def parse_webvtt(text: str) -> list[dict]:
    """Cues of a WebVTT file as [{start, end (seconds), speaker, text}] (the player reads these)."""
    cues = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        rows = [row for row in block.strip().split("\n") if row]
        timing = next((i for i, row in enumerate(rows) if "-->" in row), None)
        if timing is None:
            continue
        start, end = (part.strip().split(" ")[0] for part in rows[timing].split("-->"))
        payload = " ".join(rows[timing + 1:])
        speaker, _, said = payload.partition(": ")
        cues.append({"start": _seconds(start), "end": _seconds(end), "speaker": speaker if said else "",
                     "text": said or payload})
    return cues


def _seconds(stamp: str) -> float:
    parts = stamp.split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2]) if len(parts) > 1 else 0
    hours = int(parts[-3]) if len(parts) > 2 else 0
    return hours * 3600 + minutes * 60 + seconds


def chat_text(messages: list[dict], names: dict[str, str], origin_ms: int, everyone_ids: set[str]) -> str:
    """`messages` are {sentAt (epoch ms), sentBy, sentTo, text}; `everyone_ids` are the addressees
    meaning everyone (the conference)."""
    rows = []
    for message in sorted(messages, key=lambda m: m["sentAt"]):
        sender = names.get(str(message["sentBy"]), UNKNOWN_SPEAKER)
        to = str(message["sentTo"])
        recipient = "Everyone" if to in everyone_ids else f"{names.get(to, UNKNOWN_SPEAKER)}(direct message)"
        rows.append(f"{clock(message['sentAt'] - origin_ms, None)} From {sender} to {recipient}:\n\t{message['text']}")
    return "\n".join(rows) + ("\n" if rows else "")


def timeline_json(events: list[dict]) -> str:
    """`events`: {ms (from the recording start), event, username, user_id}."""
    timeline = [{"ts": clock(e["ms"]), "event": e["event"],
                 "users": [{"username": e["username"], "user_id": e["user_id"]}]}
                for e in sorted(events, key=lambda e: (e["ms"], e["event"]))]
    return json.dumps({"timeline": timeline}, indent=1)
