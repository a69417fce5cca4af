"""The captions panel shows the engine's transcription notifications: a transcribed line injected
through the engine (mind.services.add_utterances, what the transcriber calls) appears under the
speaker's name; transcription started through the Mind REST API shows the "Transcribing" chip."""

import pytest

from meetings.models import Instance
from mind import services as mind_services
from mind.models import Conference
from tests.e2e.room_helpers import orm

pytestmark = pytest.mark.django_db(transaction=True)


def test_captions_show_transcribed_lines(room_people, web_server):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest = room_people.guest().open(meeting).join("Gus Guest")
    guest.wait_for_tile("Hana Host")
    conference_id = orm(lambda: Instance.objects.get(meeting=meeting, ended_at__isnull=True).conference_id)
    host_id = host.my_id()

    guest.page.click("#btn-captions")
    guest.page.wait_for_selector("#captions:not([hidden]) .hint")
    response = web_server.mind("PATCH", f"{conference_id}/transcription", {"started": True})
    assert response.status_code == 200
    guest.page.wait_for_selector("#transcribing:not([hidden])")

    orm(lambda: mind_services.add_utterances(Conference.objects.get(pk=conference_id), [
        {"participantId": host_id, "timestamp": 1200, "text": "Let's look at the new onboarding flow."}]))
    line = guest.page.wait_for_selector(f'#captions .caption[data-participant-id="{host_id}"]')
    assert line.query_selector("b").text_content() == "Hana Host"
    assert "Let's look at the new onboarding flow." in line.text_content()
    host.page.click("#btn-captions")  # the speaker sees their own line as "You"
    orm(lambda: mind_services.add_utterances(Conference.objects.get(pk=conference_id), [
        {"participantId": host_id, "timestamp": 2500, "text": "Starting with sign-up."}]))
    mine = host.page.wait_for_selector(f'#captions .caption[data-participant-id="{host_id}"]:has-text("Starting with sign-up.")')
    assert mine.query_selector("b").text_content() == "You"
    assert "Let's look at the new onboarding flow." in mine.text_content()  # one speaker's lines run on
