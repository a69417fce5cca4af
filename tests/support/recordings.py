"""Recording fixtures shared by several test folders (a plugin registered in tests/conftest.py): real
sample media made by ffmpeg, and `make_recording`, a completed cloud recording with its files stored."""

import pytest


@pytest.fixture(scope="session")
def sample_media(tmp_path_factory):
    """Real small files: a 3 s H.264/AAC MP4 and its JPEG frame (made once by ffmpeg)."""
    import subprocess

    folder = tmp_path_factory.mktemp("sample-media")
    mp4, jpg = folder / "sample.mp4", folder / "sample.jpg"
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", "3", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart",
                    str(mp4)], check=True)
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(mp4), "-frames:v", "1", str(jpg)],
                   check=True)
    return {"MP4": mp4, "TB": jpg}


@pytest.fixture
def make_recording(db, sample_media, tmp_path):
    """make_recording(host, start=None, files=("MP4", "M4A", "TB", "TRANSCRIPT"), **fields) -> a completed
    CloudRecording of a past meeting instance of `host`, its files really stored (storage API)."""
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Instance, Meeting
    from recordings import storage
    from recordings.collection import CONTENT_TYPES, EXTENSIONS
    from recordings.models import CloudRecording, RecordingFile

    types = {"MP4": "gallery_view", "M4A": "audio_only", "TB": "thumbnail", "TRANSCRIPT": "audio_transcript",
             "CHAT": "chat_file", "TIMELINE": "timeline"}
    texts = {"TRANSCRIPT": "WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\nHana Host: Hello there\n\n"
                           "2\n00:00:02.000 --> 00:00:03.000\nGus Guest: Two seconds in\n",
             "CHAT": "00:00:01 From Hana Host to Everyone:\n\tHi\n", "TIMELINE": '{"timeline": []}',
             "M4A": None}

    def make(host, start=None, files=("MP4", "M4A", "TB", "TRANSCRIPT"), meeting=None, **fields):
        start = start or timezone.now() - timedelta(hours=2)
        meeting = meeting or Meeting.objects.create(account=host.account, host=host, topic="Design review",
                                                    start_time=start)
        instance = Instance.objects.create(meeting=meeting, started_at=start, ended_at=start + timedelta(minutes=5),
                                           conference_id=str(uuid.uuid4()))
        recording = CloudRecording.objects.create(
            account=host.account, host=host, conference_id=instance.conference_id, instance=instance,
            meeting_id=meeting.pk, meeting_uuid=instance.uuid, meeting_type=meeting.type, topic=meeting.topic,
            start_time=start, duration=5, status="completed", progress=100, collected_segments=1, **fields)
        for file_type in files:
            source = sample_media.get(file_type)
            if source is None:
                source = tmp_path / f"{uuid.uuid4()}.txt"
                if file_type == "M4A":
                    import subprocess

                    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(sample_media["MP4"]),
                                    "-vn", "-c:a", "copy", "-f", "ipod", str(source)], check=True)
                else:
                    source.write_text(texts[file_type])
            checksum = storage.sha256_of(source)
            row = RecordingFile.objects.create(
                recording=recording, file_type=file_type, recording_type=types[file_type],
                file_extension=EXTENSIONS[file_type], content_type=CONTENT_TYPES[file_type],
                recording_start=start, recording_end=start + timedelta(seconds=3), segments=1)
            staged = tmp_path / f"staged-{row.pk}"
            storage.copy_with_checksum(source, staged)
            name, size = storage.store(staged, f"{recording.pk}/{row.pk}.{EXTENSIONS[file_type].lower()}", checksum)
            row.storage_name, row.file_size, row.checksum, row.status = name, size, checksum, "completed"
            row.save()
        return recording

    return make
