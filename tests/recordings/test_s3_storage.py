"""The same collection and download tests, with the recordings stored in a real S3-compatible
server (moto's, on loopback) through django-storages: what works on the local disk works on S3."""

import pytest

from tests.recordings import (
    test_collection,
    test_delete_meeting_recordings,
    test_participant_audio_files,
    test_recording_links,
    test_remote_mind_collection,
)

# Collection runs in this process; a running worker must not race it.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("other_workers_paused")]


@pytest.fixture(autouse=True)
def s3(recordings_on_s3):
    return recordings_on_s3


test_collects_every_file_once = test_collection.test_collects_every_file_once
test_transcript_waits_for_the_final_pass_hold = test_collection.test_transcript_waits_for_the_final_pass_hold
test_owner_downloads_and_plays_with_the_right_headers = \
    test_recording_links.test_owner_downloads_and_plays_with_the_right_headers
test_range_requests_get_exactly_those_bytes = test_recording_links.test_range_requests_get_exactly_those_bytes
test_passcode_and_share_settings_for_viewers_without_an_account = \
    test_recording_links.test_passcode_and_share_settings_for_viewers_without_an_account
test_trash_then_recover_then_delete_for_good = test_delete_meeting_recordings.test_trash_then_recover_then_delete_for_good
test_each_participants_audio_is_collected_listed_and_served = \
    test_participant_audio_files.test_each_participants_audio_is_collected_listed_and_served
test_a_recording_is_fetched_from_the_remote_mind = test_remote_mind_collection.test_a_recording_is_fetched_from_the_remote_mind


def test_objects_are_in_the_bucket(s3, api_client, host, make_recording):

    recording = make_recording(host)
    bucket = s3.bucket
    keys = {obj.key for obj in bucket.objects.all()}
    assert {row.storage_name for row in recording.files.all()} <= keys
