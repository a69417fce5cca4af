"""auto_recording=cloud starts recording when the meeting starts."""

import pytest

from meetings.models import Instance

pytestmark = pytest.mark.django_db


def test_cloud_auto_recording_records_from_the_start(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"auto_recording": "cloud"})
    answer = joiner(host).join(created["id"])
    assert answer["conference"]["recording"] == "recording"
    instance = Instance.objects.get(meeting_id=created["id"])
    assert instance.recording_state == "recording" and instance.recording_started_at is not None


@pytest.mark.parametrize("mode", ["none", "local"])
def test_other_modes_do_not_record_on_the_server(create_meeting, host, joiner, mode):
    created = create_meeting(password="", settings={"auto_recording": mode})
    assert joiner(host).join(created["id"])["conference"]["recording"] == "idle"
