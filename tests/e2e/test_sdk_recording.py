"""A moderator starts and stops the recording through the SDK; every participant is told."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_recording_started_and_stopped_reach_everyone(sdk_room):
    alice, bob = sdk_room("moderator", "speaker")
    alice.call("startRecording")
    for user in (alice, bob):
        user.wait_for_event("onConferenceRecordingStarted", "(c) => c.recording === true")
    assert bob.state()["recording"] is True

    alice.call("stopRecording")
    for user in (alice, bob):
        user.wait_for_event("onConferenceRecordingStopped", "(c) => c.recording === false")

    error = bob.js("async () => { try { await window.harness.startRecording(); return null; }"
                   " catch (error) { return error.message; } }")
    assert error == "HTTP response status code: 403"
