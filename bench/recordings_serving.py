"""Benchmark: serving a large recording file through the signed download link.

Prints, for a file of --size MB stored in the recordings storage (the local filesystem backend):
  * throughput of GET /rec/download/<token> (the whole file, streamed by the view) and of a
    Range request for the second half, each as a ratio against reading the same file straight
    from disk in 1 MiB chunks (the baseline, measured in the same run);
  * the process's peak RSS growth while serving, against the file size: streaming keeps it flat
    (a view that read the file into memory would grow by the file size).

    bin/dev bench bench/recordings_serving.py [--size 256] [--repeat 3]

Uses the `confer` database of the throwaway bench namespace (migrated here).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=256, help="file size in MB")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from datetime import timedelta
    from urllib.parse import urlsplit

    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from recordings import access, storage
    from recordings.models import CloudRecording, RecordingFile

    user = User.objects.create_user(email=f"bench-{time.time_ns()}@example.com", password="a-long-bench-password")
    now = timezone.now()
    recording = CloudRecording.objects.create(
        account=user.account, host=user, conference_id=__import__("uuid").uuid4(), meeting_id=1_000_000_001,
        meeting_uuid=f"bench{time.time_ns()}"[:24], topic="bench", start_time=now, status="completed")
    with storage.staging_dir() as work:
        source = work / "big.mp4"
        block = os.urandom(1024 * 1024)
        with open(source, "wb") as out:
            for _ in range(args.size):
                out.write(block)
        checksum = storage.sha256_of(source)
        row = RecordingFile.objects.create(
            recording=recording, file_type="MP4", recording_type="gallery_view", file_extension="MP4",
            content_type="video/mp4", recording_start=now, recording_end=now + timedelta(minutes=1))
        name, size = storage.store(source, f"bench/{row.pk}.mp4", checksum)
    row.storage_name, row.file_size, row.checksum, row.status = name, size, checksum, "completed"
    row.save()
    path = Path(storage.storage().path(name))
    client = Client(SERVER_NAME="localhost")  # an allowed host outside the test runner
    client.force_login(user)
    url = urlsplit(access.download_url(row)).path

    def timed(function) -> float:
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            function()
            best = min(best, time.perf_counter() - started)
        return best

    def raw():
        with open(path, "rb") as handle:
            while handle.read(storage.CHUNK):
                pass

    def whole():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        for _ in response.streaming_content:
            pass

    def second_half():
        response = client.get(url, HTTP_RANGE=f"bytes={size // 2}-")
        assert response.status_code == 206
        for _ in response.streaming_content:
            pass

    baseline = timed(raw)
    rss_before = peak_rss_mb()
    full, half = timed(whole), timed(second_half)
    rss_growth = peak_rss_mb() - rss_before
    mb = size / 1024 / 1024
    print(f"file: {mb:.0f} MB")
    print(f"baseline (raw disk read): {mb / baseline:.0f} MB/s = 1.00")
    print(f"download view, whole file: {mb / full:.0f} MB/s = {baseline / full:.2f} of baseline")
    print(f"download view, Range second half: {mb / 2 / half:.0f} MB/s = {baseline / 2 / half:.2f} of baseline")
    print(f"peak RSS growth while serving: {rss_growth:.1f} MB = {rss_growth / mb:.3f} of the file size")
    storage.delete(name)
    recording.delete()
    user.delete()


if __name__ == "__main__":
    main()
