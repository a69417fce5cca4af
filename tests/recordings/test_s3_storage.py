"""Recordings stored in a real S3-compatible server (moto's, on loopback) through django-storages.

What works on the local disk works on S3: the collection, download and deletion tests run on both
(the `each_store` fixture, tests/recordings/conftest.py). Here: the objects really are in the bucket.
"""

import pytest

pytestmark = pytest.mark.django_db


def test_objects_are_in_the_bucket(recordings_on_s3, host, make_recording):
    recording = make_recording(host)
    keys = {obj.key for obj in recordings_on_s3.bucket.objects.all()}
    assert {row.storage_name for row in recording.files.all()} <= keys
