"""Leaving: the participant's session ends; the last one out ends the instance."""

import pytest

from meetings.models import Instance, Participant

pytestmark = pytest.mark.django_db


def test_leaving_records_the_time_and_the_last_one_out_ends_the_meeting(create_meeting, host, joiner):
    created = create_meeting(password="")
    host_session, guest = joiner(host), joiner()
    host_session.join(created["id"])
    guest.join(created["id"], name="Guest")

    assert guest.post(f"/j/{created['id']}/leave", ticket=guest.ticket).json()["state"] == "ended"
    left = Participant.objects.get(key=guest.answer["participant_id"])
    assert left.status == Participant.Status.LEFT and left.left_at >= left.joined_at
    assert Instance.objects.get(meeting_id=created["id"]).ended_at is None

    host_session.post(f"/j/{created['id']}/leave", ticket=host_session.ticket)
    assert Instance.objects.get(meeting_id=created["id"]).ended_at is not None


def test_a_new_instance_gets_a_new_uuid(api, create_meeting, host, joiner):
    created = create_meeting(password="")
    first = joiner(host)
    first.join(created["id"])
    first.post(f"/j/{created['id']}/leave", ticket=first.ticket)
    upcoming_uuid = api.get(f"/v2/meetings/{created['id']}").json()["uuid"]
    second = joiner(host).join(created["id"])
    assert second["conference"]["instance_uuid"] == upcoming_uuid != created["uuid"]
    assert list(Instance.objects.filter(meeting_id=created["id"]).values_list("uuid", flat=True)) == [
        created["uuid"], upcoming_uuid]
