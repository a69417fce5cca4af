"""The keypad's parsing: SIP INFO bodies, RFC 4733 events (one digit per event, repeats of a key
counted), and the SDP answer that accepts telephone events."""

import asyncio
import struct

from mind.engine.sip_keypad import Keypad, accept_telephone_events, digit_of_info, telephone_event_type


def test_sip_info_bodies_give_their_digit():
    assert digit_of_info("application/dtmf-relay", b"Signal=5\r\nDuration=160\r\n") == "5"
    assert digit_of_info("application/dtmf-relay", b"Signal= #\r\nDuration=160") == "#"
    assert digit_of_info("application/dtmf-relay", b"Signal=11\r\n") == "#"
    assert digit_of_info("application/dtmf-relay", b"Signal=10\r\n") == "*"
    assert digit_of_info("application/dtmf", b"7") == "7"
    assert digit_of_info("application/dtmf-relay", b"Signal=99\r\n") is None
    assert digit_of_info("text/plain", b"Signal=5") is None


def _event(keypad, timestamp, event, end):
    keypad.telephone_event(0x1234, timestamp, struct.pack("!BBH", event, (0x80 if end else 0) | 10, 160))


def test_telephone_events_give_one_digit_per_event_and_repeated_keys_count():
    keypad = Keypad()
    for timestamp, event in ((1000, 1), (2000, 1), (3000, 11)):
        for index in range(10):
            _event(keypad, timestamp, event, end=index >= 7)
    _event(keypad, 3000, 11, end=False)  # the same event replayed after its end: pressed again
    pressed = []
    while not keypad.digits.empty():
        pressed.append(keypad.digits.get_nowait())
    assert pressed == ["1", "1", "#", "#"]


def test_an_entry_ends_at_pound_and_times_out_without_it():
    async def run():
        keypad = Keypad()
        for key in "123#45":
            keypad.press(key)
        return await keypad.entry(), await keypad.entry(timeout=0.1)

    assert asyncio.run(run()) == ("123", None)


def test_the_answer_accepts_the_offered_telephone_events():
    offer = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
    assert telephone_event_type(offer) == 101
    answer = ("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n"
              "m=video 0 UDP/TLS/RTP/SAVPF 96\r\n")
    accepted = accept_telephone_events(answer, 101)
    assert accepted.split("\r\n")[:6] == ["v=0", "m=audio 9 UDP/TLS/RTP/SAVPF 8 101", "a=rtpmap:8 PCMA/8000",
                                          "a=sendrecv", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16"]
    assert "m=video 0 UDP/TLS/RTP/SAVPF 96" in accepted
    assert accept_telephone_events(accepted, 101) == accepted
