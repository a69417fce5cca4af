"""The inside of a recogniser process (the live transcriber's `RecogniserPool` starts them).

A spawned process unpickles its work functions by importing their module before anything else
runs, so this module imports nothing of Django's or the engine's at the top: `start()` sets Django
up (its settings come from the inherited environment) and builds one engine; `transcribe(pcm)`
recognises one phrase with it.
"""

from __future__ import annotations

_engine = None


def start() -> None:
    global _engine
    import django

    django.setup()
    from mind.engine.stt import build_engine

    _engine = build_engine()


def start_in_background(niceness: int) -> None:
    """`start()` for the interim recogniser: at a lower CPU priority than the others (`niceness`
    more), so decoding a phrase still being spoken mostly takes what finished phrases leave."""
    import os

    os.nice(niceness)
    start()


def transcribe(pcm: bytes) -> list:
    if _engine is None:
        raise RuntimeError("recogniser process not started: start() runs first")
    return _engine.transcribe(pcm)
