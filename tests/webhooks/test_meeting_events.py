"""The meeting's life as events: each domain action records its Zoom-shaped event for the account's
subscriptions, in order, one each (the scheduling API, joins through the waiting room, recording
controls, leaving); another account's subscription gets none of them."""

import pytest
from django.utils import timezone

from meetings.models import Participant
from mind import services as mind_services
from mind.models import Participant as MindParticipant
from qos.signals import rating_changed
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def engine(fast_password_hashing, mind_application):
    pass


def bodies(subscription):
    return [d.body for d in Delivery.objects.filter(subscription=subscription).order_by("event_ts", "pk")]


def test_a_scripted_meeting_records_every_event_in_order(api, create_meeting, host, joiner, make_user,
                                                        django_capture_on_commit_callbacks):
    everything = Subscription.objects.create(account=host.account, url="http://127.0.0.1:9/hook", status="active")
    stranger = Subscription.objects.create(account=make_user().account, url="http://127.0.0.1:9/hook", status="active")
    created = create_meeting(password="", topic="Launch", settings={"waiting_room": True})
    mid = created["id"]
    assert api.patch(f"/v2/meetings/{mid}", {"topic": "Launch review"}, format="json").status_code == 204
    host_session = joiner(host)
    host_session.join(mid)
    guest = joiner()
    answer = guest.join(mid, name="Guest")
    assert host_session.post(f"/j/{mid}/lobby/{answer['participant_id']}/admit", ticket=host_session.ticket).status_code == 200
    # the guest's screen video goes on and off in the engine
    with django_capture_on_commit_callbacks(execute=True):
        screen = MindParticipant.objects.get(pk=Participant.objects.get(key=answer["participant_id"]).media_participant_id)
        mind_services.set_media(screen, None, {"video": True})
        mind_services.set_media(screen, None, {"video": True})  # unchanged: no event
        mind_services.set_media(screen, None, {"video": False})
    for method in ("recording.start", "recording.pause", "recording.resume", "recording.stop"):
        assert api.patch(f"/v2/live_meetings/{mid}/events", {"method": method}, format="json").status_code == 202
    # the qos app's rating turns poor (once: staying poor, or fair, is no alert)
    person = Participant.objects.select_related("instance").get(key=answer["participant_id"])
    assert person.media_participant_id
    for previous, rating in (("good", "fair"), ("fair", "poor"), ("poor", "poor")):
        rating_changed.send(sender=None, conference_id=person.instance.conference_id,
                            participant_id=person.media_participant_id, rating=rating, previous=previous,
                            at=timezone.now())
    assert guest.post(f"/j/{mid}/leave", ticket=guest.ticket).status_code == 200
    assert host_session.post(f"/j/{mid}/leave", ticket=host_session.ticket).status_code == 200
    later = create_meeting(topic="Cancelled one")
    assert api.delete(f"/v2/meetings/{later['id']}").status_code == 204

    events = bodies(everything)
    assert [e["event"] for e in events] == [
        "meeting.created", "meeting.updated", "meeting.started", "meeting.participant_joined",
        "meeting.participant_joined_waiting_room", "meeting.participant_admitted", "meeting.participant_joined",
        "meeting.sharing_started", "meeting.sharing_ended", "recording.started", "recording.paused", "recording.resumed", "recording.stopped", "meeting.alert",
        "meeting.participant_left", "meeting.participant_left", "meeting.ended",
        "meeting.created", "meeting.deleted"]
    assert bodies(stranger) == []
    for event in events:
        assert event["payload"]["account_id"] == host.account.public_id and isinstance(event["event_ts"], int)
    created_object, updated_object = events[0]["payload"]["object"], events[1]["payload"]["object"]
    assert created_object["id"] == mid and created_object["topic"] == "Launch" and created_object["host_id"] == host.public_id
    assert updated_object["topic"] == "Launch review"
    waiting = events[4]["payload"]["object"]
    assert waiting["id"] == mid and waiting["uuid"] and waiting["participant"]["user_name"] == "Guest"
    assert waiting["participant"]["participant_uuid"] == answer["participant_id"]
    joined_host = events[3]["payload"]["object"]["participant"]
    assert joined_host["id"] == host.public_id and joined_host["join_time"]
    sharing = events[7]["payload"]["object"]["participant"]
    assert sharing["user_name"] == "Guest" and sharing["sharing_details"]["content"] == "desktop"
    alert = events[13]["payload"]["object"]
    assert alert["id"] == mid and alert["issues"] == ["Poor network connection"]
    assert alert["participant"]["participant_uuid"] == answer["participant_id"]
    assert events[14]["payload"]["object"]["participant"]["leave_time"]
    assert events[18]["payload"]["object"]["id"] == later["id"]
    assert [e["event_ts"] for e in events] == sorted(e["event_ts"] for e in events)
