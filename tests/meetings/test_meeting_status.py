"""PUT /v2/meetings/{meetingId}/status: end the live instance, recover a deleted meeting."""

import pytest

from meetings.models import Instance, Participant

pytestmark = pytest.mark.django_db


def test_end_ends_the_live_instance_for_everyone(api, create_meeting, host, joiner):
    created = create_meeting(password="")
    host_session, guest = joiner(host), joiner()
    host_session.join(created["id"])
    guest.join(created["id"], name="Guest")
    assert guest.answer["state"] == "admitted"
    assert api.get(f"/v2/meetings/{created['id']}").json()["status"] == "started"

    response = api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json")
    assert response.status_code == 204 and response.content == b""
    assert api.get(f"/v2/meetings/{created['id']}").json()["status"] == "waiting"
    instance = Instance.objects.get(meeting_id=created["id"])
    assert instance.ended_at is not None
    assert set(instance.participants.values_list("status", flat=True)) == {Participant.Status.LEFT}
    assert guest.status(created["id"])["state"] == "ended"


def test_ending_a_meeting_that_is_not_live_is_an_error(api, create_meeting):
    created = create_meeting()
    response = api.put(f"/v2/meetings/{created['id']}/status", {"action": "end"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 3000


def test_recover_restores_a_deleted_meeting(api, create_meeting):
    created = create_meeting(topic="Keep me")
    api.delete(f"/v2/meetings/{created['id']}")
    assert api.get(f"/v2/meetings/{created['id']}").status_code == 404
    assert api.put(f"/v2/meetings/{created['id']}/status", {"action": "recover"}, format="json").status_code == 204
    assert api.get(f"/v2/meetings/{created['id']}").json()["topic"] == "Keep me"
    again = api.put(f"/v2/meetings/{created['id']}/status", {"action": "recover"}, format="json")
    assert again.status_code == 400


@pytest.mark.parametrize("body", [{}, {"action": "pause"}, {"action": 1}, {"action": None}])
def test_action_must_be_end_or_recover(api, create_meeting, body):
    created = create_meeting()
    response = api.put(f"/v2/meetings/{created['id']}/status", body, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith("action")
