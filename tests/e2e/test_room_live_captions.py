"""Real speech becomes captions in the room: a guest whose (fake) microphone plays espeak-ng
sentences joins; the host turns transcription on from More; the transcriber process hears the
guest through Janus and the host's captions panel shows the guest's words under their name.
Interim text (a sentence still being spoken) is shown greyed and replaced by the sentence's final
text. The transcriber sends interim text only when its CPU is free (finished sentences come first;
tests/mind/test_transcriber_live.py shows it does), so on a loaded machine there may be none: here
the engine's own interim notification (`services.show_interim_caption`, what the transcriber calls)
is sent while the guest talks, and the next final sentence must replace it. Guests have no
transcription control."""

import re

import pytest

from mind import services
from mind.models import Conference
from tests.e2e.room_helpers import RoomUser, orm
from tests.mind.speech import ALICE, speak

pytestmark = pytest.mark.django_db(transaction=True)


def test_spoken_words_appear_as_captions(room_people, web_server, transcriber, chromium_with_microphone, tmp_path):
    wav = speak(ALICE, tmp_path / "guest.wav", "en-us")
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    speaker_browser = chromium_with_microphone(wav)
    context = speaker_browser.new_context(base_url=web_server.url, permissions=["camera", "microphone"],
                                          viewport={"width": 1280, "height": 800})
    guest = RoomUser(context.new_page(), web_server).open(meeting).join("Sam Speaker")
    host.wait_for_tile("Sam Speaker")
    guest_id = guest.my_id()

    guest.page.click("#btn-more")
    assert guest.page.locator('[data-action="transcription"]').count() == 0  # hosts only
    guest.page.keyboard.press("Escape")

    # Interim lines come and go: remember whether one was ever shown, and its colour.
    host.page.evaluate("""() => {
      window.interimSeen = null;
      new MutationObserver(() => {
        const line = document.querySelector("#captions .caption.interim");
        if (line && !window.interimSeen) window.interimSeen = getComputedStyle(line).color;
      }).observe(document.getElementById("captions"), { childList: true, subtree: true });
    }""")
    host.page.click("#btn-more")
    assert host.page.text_content('[data-action="transcription"]') == "Transcribe meeting"
    host.page.click('[data-action="transcription"]')
    host.page.wait_for_selector("#transcribing:not([hidden])")
    host.page.wait_for_selector("#captions:not([hidden])")  # turned on for the host who started it
    guest.page.wait_for_selector("#transcribing:not([hidden])")
    conference_id = orm(lambda: meeting.instances.get().conference_id)
    assert orm(lambda: Conference.objects.get(pk=conference_id).transcription_started)

    line = host.page.wait_for_selector(f'#captions .caption[data-participant-id="{guest_id}"]', timeout=60000)
    assert line.query_selector("b").text_content() == "Sam Speaker"
    # Content words only (4+ letters): short ones like "the" could come out of any noise.
    spoken = {word for word in re.findall(r"[a-z']+", " ".join(ALICE).lower()) if len(word) >= 4}

    def words_heard() -> set:
        text = host.page.text_content(f'#captions .caption[data-participant-id="{guest_id}"]') or ""
        return set(re.findall(r"[a-z']+", text.lower())) & spoken

    # Words of the spoken sentences (the default fake microphone's beeps would give none).
    for _ in range(120):
        if len(words_heard()) >= 3:
            break
        host.page.wait_for_timeout(500)
    assert len(words_heard()) >= 3, host.page.text_content("#captions")
    # What the transcriber sends for a sentence in progress (it may have sent some already).
    orm(lambda: services.show_interim_caption(conference_id, guest_id, "and the budget so far"))
    host.page.wait_for_function("() => window.interimSeen !== null", timeout=20000)
    # The words may all have come from an interim line: wait for a sentence's final text.
    final_line = host.page.wait_for_selector("#captions .caption:not(.interim)", timeout=60000)
    final_colour = final_line.evaluate("line => getComputedStyle(line).color")
    assert host.page.evaluate("() => window.interimSeen") != final_colour  # greyed until final
    # Between sentences no interim line is left: the final text has replaced it.
    host.page.wait_for_selector("#captions .caption.interim", state="detached", timeout=60000)

    host.page.click("#btn-more")
    host.page.click('[data-action="transcription"]')
    host.page.wait_for_selector("#transcribing", state="hidden")
    assert not orm(lambda: Conference.objects.get(pk=conference_id).transcription_started)
