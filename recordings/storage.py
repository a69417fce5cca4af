"""Where recording files are kept: Django's storage API, alias `recordings` (settings.STORAGES).

Local filesystem by default (`RECORDINGS_ROOT`); any S3-compatible store when
`RECORDINGS_S3_BUCKET` is set (django-storages + boto3). Writing is all-or-nothing:

- the file is first made completely in a private temporary folder (on the local backend, inside
  the storage's own folder, so the final step is a rename: `FileSystemStorage` moves a file that
  has a `temporary_file_path` with `os.rename`); an S3 object only appears once its upload is complete;
- its SHA-256 is computed while it is made, and verified by reading the stored object back;
- only then does a database row point at it. A half-written file is never referenced.

Everything is streamed in chunks; nothing reads a whole recording into memory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages

CHUNK = 1024 * 1024


def storage():
    return storages["recordings"]


class StagedFile(File):
    """A finished local file handed to the storage: `temporary_file_path` lets FileSystemStorage
    move it into place with a rename instead of copying."""

    def temporary_file_path(self):
        assert self.file is not None  # made from an open file, never closed before it is stored
        return self.file.name


@contextmanager
def staging_dir():
    """A private folder for making files, on the same filesystem as the local storage when there is one."""
    backend = storage()
    if isinstance(backend, FileSystemStorage):
        root = Path(backend.location) / ".staging"
    else:
        root = Path(settings.RECORDINGS_STAGING_DIR)
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def copy_with_checksum(source: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as dst:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            digest.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest()


def store(path: Path, name: str, checksum: str) -> tuple[str, int]:
    """Puts the finished file `path` into the storage as `name` (or a free variant of it), checks
    that the stored bytes have `checksum`, and returns (stored name, size)."""
    backend = storage()
    size = path.stat().st_size
    with open(path, "rb") as handle:
        stored = backend.save(name, StagedFile(handle, name=str(path)))
    if stored_checksum(stored) != checksum:
        backend.delete(stored)
        raise OSError(f"the stored copy of {name} does not match its checksum")
    return stored, size


def stored_checksum(name: str) -> str:
    digest = hashlib.sha256()
    for chunk in read_range(name, 0, None):
        digest.update(chunk)
    return digest.hexdigest()


def _s3_object(backend, name: str):
    """The boto3 object behind `name` when the backend is django-storages' S3 (else None)."""
    if not hasattr(backend, "bucket") or not hasattr(backend, "_normalize_name"):
        return None
    from storages.utils import clean_name

    # django-storages' own name-to-key mapping (location prefix, no escape): it has no public name
    return backend.bucket.Object(backend._normalize_name(clean_name(name)))  # noqa: SLF001


def read_range(name: str, start: int, length: int | None):
    """Yields the stored bytes [start, start + length) (to the end when length is None) in chunks.

    On S3 this is one ranged GET streamed as it arrives: django-storages' own file object would
    first copy the whole object into a temporary file."""
    backend = storage()
    s3_object = _s3_object(backend, name)
    if s3_object is not None:
        if length == 0:
            return
        end = "" if length is None else str(start + length - 1)
        body = s3_object.get(Range=f"bytes={start}-{end}")["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()
        return
    with backend.open(name, "rb") as handle:
        handle.seek(start)
        remaining = length
        while remaining is None or remaining > 0:
            chunk = handle.read(CHUNK if remaining is None else min(CHUNK, remaining))
            if not chunk:
                break
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk


def delete(name: str) -> None:
    if name:
        storage().delete(name)


def delete_all(names: list[str]) -> None:
    for name in names:
        delete(name)


def remove_stale_staging(older_than_seconds: int = 6 * 3600) -> int:
    """Scratch folders left by a worker killed mid-collection (the next run made its own)."""
    import time

    backend = storage()
    root = Path(backend.location) / ".staging" if isinstance(backend, FileSystemStorage) else \
        Path(settings.RECORDINGS_STAGING_DIR)
    removed = 0
    if root.is_dir():
        for folder in root.iterdir():
            if folder.is_dir() and time.time() - folder.stat().st_mtime > older_than_seconds:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed
