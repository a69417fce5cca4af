"""A meeting in progress: DELETE is refused (Zoom's 3002) and the call goes on; PATCH applies to
whoever joins next, but the type cannot change while it runs."""

import pytest

from meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_meeting(create_meeting, host, joiner):
    created = create_meeting(password="")
    assert joiner(host).join(created["id"])["state"] == "admitted"
    return created


def test_deleting_a_live_meeting_is_refused_and_it_goes_on(api, live_meeting):
    response = api.delete(f"/v2/meetings/{live_meeting['id']}")
    assert response.status_code == 400
    assert response.json() == {"code": 3002, "message": "Sorry, you cannot delete this meeting since it is in progress."}
    meeting = Meeting.objects.get(pk=live_meeting["id"])
    assert meeting.deleted_at is None and meeting.live_instance() is not None
    assert api.put(f"/v2/meetings/{live_meeting['id']}/status", {"action": "end"}, format="json").status_code == 204
    assert api.delete(f"/v2/meetings/{live_meeting['id']}").status_code == 204


def test_patch_of_a_live_meeting_applies_to_the_next_joiner(api, live_meeting, joiner):
    assert joiner().join(live_meeting["id"], name="Early")["state"] == "admitted"
    assert api.patch(f"/v2/meetings/{live_meeting['id']}", {"settings": {"waiting_room": True}},
                     format="json").status_code == 204
    assert joiner().join(live_meeting["id"], name="Late")["state"] == "waiting_room"
    assert Meeting.objects.get(pk=live_meeting["id"]).live_instance() is not None


def test_the_type_of_a_live_meeting_cannot_change(api, live_meeting):
    response = api.patch(f"/v2/meetings/{live_meeting['id']}", {"type": 8, "recurrence": {"type": 1}}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 3000
    assert api.get(f"/v2/meetings/{live_meeting['id']}").json()["type"] == 2
