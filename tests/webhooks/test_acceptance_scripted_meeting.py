"""Acceptance: a receiver on loopback (a real HTTP server that passed the URL validation) gets every
event of a scripted meeting — API create and update, two aiortc peers through Janus with the waiting
room, recording start/pause/resume/stop, a poor connection, leaving (the meeting ends), the collected
recording, its summary, trash/recover/delete, the meeting deleted — delivered by the real Celery
worker, each exactly once after deduplication on x-zm-trackingid, one meeting's events in order."""

import asyncio
import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from meetings.models import Participant
from mind import services as mind_services
from mind.models import Conference
from mind.models import Participant as MindParticipant
from qos.signals import rating_changed
from recordings.models import CloudRecording
from tests.conftest import wait_until
from tests.mind.media_peer import MindPeer, db, receives
from tests.support.mind_server import APPLICATION_ID, APPLICATION_TOKEN
from webhooks import subscriptions
from webhooks.catalog import EVENTS
from webhooks.models import Subscription

pytestmark = pytest.mark.django_db(transaction=True)

MEETING_EVENTS = [
    "meeting.created", "meeting.updated", "meeting.started", "meeting.participant_joined",
    "meeting.participant_joined_waiting_room", "meeting.participant_admitted", "meeting.participant_joined",
    "meeting.sharing_started", "meeting.sharing_ended", "recording.started", "recording.paused", "recording.resumed", "meeting.alert", "recording.stopped",
]


@pytest.fixture(autouse=True)
def same_application_as_media_server(mind_application, fast_password_hashing, settings):
    settings.MIND_APPLICATION_ID = APPLICATION_ID
    settings.MIND_APPLICATION_TOKEN = APPLICATION_TOKEN


def media_id(person) -> str:
    return Participant.objects.get(key=person.answer["participant_id"]).media_participant_id


def test_every_event_of_a_scripted_meeting_arrives_once_in_order(celery_worker, receiver, api, api_client,
                                                                 create_meeting, host, joiner, media_server):
    subscription = Subscription.objects.create(account=host.account, url=receiver.url, events=list(EVENTS))
    receiver.secret = subscription.secret_token
    subscriptions.enable(subscription)

    created = create_meeting(password="", topic="Launch", settings={"waiting_room": True})
    mid = created["id"]
    assert api.patch(f"/v2/meetings/{mid}", {"topic": "Launch review"}, format="json").status_code == 204
    hosting = joiner(host)
    hosting.join(mid, name="Hana Host")
    guest = joiner()
    waiting = guest.join(mid, name="Gus Guest")
    assert hosting.post(f"/j/{mid}/lobby/{waiting['participant_id']}/admit", ticket=hosting.ticket).status_code == 200
    guest.status(mid)
    guest.answer = {**waiting, **guest.status(mid)}
    cid = hosting.answer["conference"]["id"]

    def control(action):
        response = hosting.post(f"/j/{mid}/control", ticket=hosting.ticket, action=action)
        assert response.status_code == 200, response.content

    def poor_connection():
        rating_changed.send(sender=None, conference_id=cid, participant_id=media_id(guest), rating="poor",
                            previous="good", at=timezone.now())

    async def scenario():
        a = await MindPeer.join(media_server.session_url(cid, hosting.answer["participant_token"]))
        b = await MindPeer.join(media_server.session_url(cid, guest.answer["participant_token"]))
        try:
            for peer in (a, b):
                assert (await peer.publish())["type"] == "answer"
            guest_media = await db(media_id, guest)
            await a.wait_until(lambda: receives(a, guest_media), timeout=40, what="the guest's media")
            screen = await db(lambda: MindParticipant.objects.get(pk=guest_media))
            await db(mind_services.set_media, screen, None, {"video": True})
            await db(mind_services.set_media, screen, None, {"video": False})
            await db(control, "recording.start")
            conference = await db(lambda: Conference.objects.get(pk=cid))
            await db(mind_services.add_utterances, conference, [
                {"participantId": await db(media_id, hosting), "timestamp": 500, "text": "Welcome to the launch review"},
                {"participantId": guest_media, "timestamp": 1500, "text": "I will send the budget sheet tomorrow"}])
            await asyncio.sleep(2)
            await db(control, "recording.pause")
            await db(control, "recording.resume")
            await db(poor_connection)
            await asyncio.sleep(2)
            await db(control, "recording.stop")
        finally:
            for peer in (a, b):
                await peer.leave()

    asyncio.run(scenario())
    wait_until(lambda: CloudRecording.objects.filter(meeting_id=mid, status="completed").exists(), timeout=300,
               message="the collected recording")
    writer = api_client(host, "recording:read recording:write")
    url = f"/v2/meetings/{mid}/recordings"
    assert writer.delete(url).status_code == 204
    assert writer.put(f"{url}/status", {"action": "recover"}, format="json").status_code == 204
    m4a = CloudRecording.objects.get(meeting_id=mid).files.get(file_type="M4A")
    assert writer.delete(f"{url}/{m4a.pk}", QUERY_STRING="action=delete").status_code == 204
    assert api.delete(f"/v2/meetings/{mid}").status_code == 204

    expected = {*MEETING_EVENTS, "meeting.participant_left", "meeting.ended", "recording.completed",
                "recording.trashed", "recording.recovered", "recording.deleted", "meeting.summary_completed",
                "meeting.deleted"}

    def unique():
        seen, events = set(), []
        for headers, body in list(receiver.requests):
            if headers["x-zm-trackingid"] not in seen:
                seen.add(headers["x-zm-trackingid"])
                events.append((headers, body))
        return events

    wait_until(lambda: expected <= {json.loads(body)["event"] for _, body in unique()}, timeout=300,
               message="every event at the receiver")
    events = []
    for headers, body in unique():
        digest = hmac.new(subscription.secret_token.encode(),
                          f"v0:{headers['x-zm-request-timestamp']}:".encode() + body, hashlib.sha256).hexdigest()
        assert headers["x-zm-signature"] == "v0=" + digest
        events.append(json.loads(body))
    names = [e["event"] for e in events]
    assert sorted(names) == sorted(MEETING_EVENTS + ["meeting.participant_left"] * 2 + [
        "meeting.ended", "recording.completed", "recording.trashed", "recording.recovered", "recording.deleted",
        "meeting.summary_completed", "meeting.deleted"])  # each exactly once
    for event in events:
        assert event["payload"]["account_id"] == host.account.public_id
    # one meeting's events (keyed by the object's id) arrive in event order
    of_meeting = [e for e in events if e["payload"]["object"].get("id") == mid]
    assert [e["event_ts"] for e in of_meeting] == sorted(e["event_ts"] for e in of_meeting)
    assert [e["event"] for e in of_meeting][:len(MEETING_EVENTS)] == MEETING_EVENTS
    assert [e["event"] for e in of_meeting][-1] == "meeting.deleted"
