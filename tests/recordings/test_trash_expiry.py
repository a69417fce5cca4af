"""The beat task empties the trash after RECORDINGS_TRASH_DAYS and honours auto_delete."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recordings import services, storage
from recordings.models import CloudRecording, RecordingFile
from recordings.tasks import empty_trash

pytestmark = pytest.mark.django_db


def test_trash_older_than_30_days_is_deleted_for_good(host, make_recording, django_capture_on_commit_callbacks):
    old, recent = make_recording(host), make_recording(host)
    services.trash_recording(old)
    services.trash_recording(recent)
    RecordingFile.objects.filter(recording=old).update(trashed_at=timezone.now() - timedelta(days=31))
    CloudRecording.objects.filter(pk=old.pk).update(trashed_at=timezone.now() - timedelta(days=31))
    names = list(old.files.values_list("storage_name", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        assert empty_trash() == 4
    assert not CloudRecording.objects.filter(pk=old.pk).exists()
    assert not any(storage.storage().exists(n) for n in names)
    assert CloudRecording.objects.get(pk=recent.pk).files.count() == 4  # 0 days in the trash: kept


def test_auto_delete_moves_due_recordings_to_the_trash(host, make_recording):
    today = timezone.now().date()
    due = make_recording(host, settings={"auto_delete": True, "auto_delete_date": str(today)})
    later = make_recording(host, settings={"auto_delete": True, "auto_delete_date": str(today + timedelta(days=3))})
    off = make_recording(host, settings={"auto_delete": False, "auto_delete_date": str(today)})
    assert services.auto_delete_due() == 1
    assert CloudRecording.objects.get(pk=due.pk).trashed_at is not None
    assert CloudRecording.objects.get(pk=later.pk).trashed_at is None
    assert CloudRecording.objects.get(pk=off.pk).trashed_at is None
