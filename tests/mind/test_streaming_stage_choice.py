"""Which feeds a streaming puts on air, and how the relay recognises a VP8 keyframe."""

import struct

from mind.engine.streaming_relay import filler_payloads, is_vp8_keyframe_start, rtp_payload_offset
from mind.engine.streaming_stage import assign_slots, choose_stage


def feed(participant, media, *streams):
    return {"participantId": participant, "media": media,
            "streams": [{"mid": str(n), "type": kind, "codec": codec, "disabled": False, "simulcast": False}
                        for n, (kind, codec) in enumerate(streams)]}


CAMERA = (("audio", "opus"), ("video", "vp8"))
SLOTS = ["audio0", "audio1", "audio2", "audio3"]


def test_first_camera_is_on_stage_and_every_audio_is_mixed():
    feeds = {1: feed("ann", "primary", *CAMERA), 2: feed("bob", "primary", *CAMERA), 3: feed("cy", "primary", ("audio", "opus"))}
    video, audio = choose_stage(feeds, 4)
    assert video == (1, "1", False)
    assert audio == [(1, "0"), (2, "0"), (3, "0")]


def test_latest_screen_share_takes_the_stage():
    feeds = {1: feed("ann", "primary", *CAMERA), 2: feed("bob", "secondary", ("video", "vp8")),
             3: feed("cy", "secondary", ("video", "vp8"))}
    video, _ = choose_stage(feeds, 4)
    assert video == (3, "0", False)


def test_nothing_published_means_nothing_on_air():
    assert choose_stage({}, 4) == (None, [])
    disabled = feed("ann", "primary", *CAMERA)
    for stream in disabled["streams"]:
        stream["disabled"] = True
    assert choose_stage({1: disabled}, 4) == (None, [])


def test_only_vp8_and_opus_are_forwarded():
    feeds = {1: feed("ann", "primary", ("audio", "pcmu"), ("video", "h264")), 2: feed("bob", "primary", *CAMERA)}
    video, audio = choose_stage(feeds, 4)
    assert video == (2, "1", False) and audio == [(2, "0")]


def test_audio_beyond_the_slots_is_left_out_but_the_stage_is_heard():
    feeds = {n: feed(f"p{n}", "primary", ("audio", "opus")) for n in range(1, 6)}
    feeds[9] = feed("presenter", "secondary", ("video", "vp8"), ("audio", "opus"))
    _, audio = choose_stage(feeds, 4)
    assert audio[0] == (9, "1") and len(audio) == 4


def test_audio_sources_keep_their_slots_when_the_stage_changes():
    current = {"audio0": (1, "0"), "audio1": (2, "0")}
    chosen = assign_slots((2, "1", False), [(2, "0"), (1, "0"), (3, "0")], current, SLOTS)
    assert chosen == {"video": (2, "1", False), "audio0": (1, "0", False), "audio1": (2, "0", False),
                      "audio2": (3, "0", False)}
    # A source that left frees its slot; nothing else moves.
    assert assign_slots(None, [(2, "0")], current, SLOTS) == {"audio1": (2, "0", False)}


def rtp(payload: bytes, extension: bytes = b"") -> bytes:
    first = 0x90 if extension else 0x80
    header = struct.pack("!BBHII", first, 96, 1, 1000, 42)
    if extension:
        header += struct.pack("!HH", 0xBEDE, len(extension) // 4) + extension
    return header + payload


def test_vp8_keyframe_detection():
    keyframe = filler_payloads("video")[0]
    assert is_vp8_keyframe_start(rtp(keyframe))
    assert is_vp8_keyframe_start(rtp(keyframe, extension=b"\x10\xff\x00\x00"))  # header extension skipped
    # Extended descriptor with a 15-bit picture id, as browsers send it.
    assert is_vp8_keyframe_start(rtp(bytes([0x90, 0x80, 0x81, 0x23]) + keyframe[1:]))
    interframe = bytes([0x10]) + bytes([keyframe[1] | 0x01]) + keyframe[2:]
    assert not is_vp8_keyframe_start(rtp(interframe))
    continuation = bytes([0x00]) + keyframe[1:]
    assert not is_vp8_keyframe_start(rtp(continuation))
    assert rtp_payload_offset(b"\x00" * 8) is None
