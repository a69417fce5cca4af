"""Which layout the recording is composed in, over time: each segment remembers the layout it
started in and every change made while it records (PATCH /{conferenceId} `layout`); the deprecated
`recordingLayout`, when given, wins for good. `services.layout_changes` is what the composer gets."""

import pytest

from mind import services
from mind.models import Conference

pytestmark = pytest.mark.django_db


def layouts_of(cid) -> list[list[str]]:
    return [[entry["layout"] for entry in segment["layouts"]]
            for segment in Conference.objects.get(pk=cid).recording_segments]


def test_changes_while_recording_are_kept_with_their_time(mind):
    cid = mind.create_conference(layout="selector")["id"]
    assert mind.post(f"{cid}/recording/start").status_code == 200
    assert mind.patch(cid, {"layout": "presenting_mosaic"}).status_code == 200
    assert mind.patch(cid, {"layout": "presenting_mosaic"}).status_code == 200  # no change: nothing kept
    assert mind.patch(cid, {"name": "renamed"}).status_code == 200
    assert mind.post(f"{cid}/recording/stop").status_code == 200
    assert layouts_of(cid) == [["selector", "presenting_mosaic"]]
    segment = Conference.objects.get(pk=cid).recording_segments[0]
    times = [entry["at"] for entry in segment["layouts"]]
    assert times[0] == segment["startedAt"] and segment["startedAt"] <= times[1] <= segment["stoppedAt"]

    # Changed while stopped: the next segment starts in it; the first segment is left as it was.
    assert mind.patch(cid, {"layout": "mosaic"}).status_code == 200
    assert mind.post(f"{cid}/recording/start").status_code == 200
    assert mind.post(f"{cid}/recording/stop").status_code == 200
    assert layouts_of(cid) == [["selector", "presenting_mosaic"], ["mosaic"]]
    segments = Conference.objects.get(pk=cid).recording_segments
    assert [layout for _, layout in services.layout_changes(segments, "mosaic")] == [
        "selector", "presenting_mosaic", "mosaic"]


def test_the_deprecated_recording_layout_wins(mind):
    cid = mind.create_conference(layout="mosaic", recordingLayout="presenting_selector")["id"]
    assert mind.post(f"{cid}/recording/start").status_code == 200
    assert mind.patch(cid, {"layout": "selector"}).status_code == 200
    assert mind.get(cid).json()["layout"] == "selector"  # the conference's own layout did change
    assert layouts_of(cid) == [["presenting_selector"]]


def test_segments_without_layouts_are_in_the_default():
    segments = [{"startedAt": 1000, "stoppedAt": 2000},
                {"startedAt": 3000, "stoppedAt": 4000, "layouts": [{"at": 3000, "layout": "selector"}]}]
    assert services.layout_changes(segments, "presenting_mosaic") == [(1000, "presenting_mosaic"), (3000, "selector")]
