"""Serving a stored recording file over HTTP: the whole file (200) or one byte range (206).

Streams from the storage in chunks (local file or S3 object alike). One range per request
(`bytes=a-b`, `bytes=a-`, `bytes=-n`); a range past the end → 416 with `Content-Range: bytes */size`;
several ranges are answered with the whole file, which HTTP allows.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse

from recordings import storage
from recordings.models import RecordingFile

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def filename(file: RecordingFile) -> str:
    recording = file.recording
    stamp = file.recording_start.strftime("%Y%m%d-%H%M%S")
    kind = f"{file.recording_type}-{file.participant_name or file.participant_id}" if file.participant_id else file.recording_type
    base = f"{recording.topic or recording.meeting_id}-{stamp}-{kind}"
    base = re.sub(r"[^\w.-]+", "_", base).strip("_")[:120] or "recording"
    return f"{base}.{file.file_extension.lower()}"


def file_response(request, file: RecordingFile, *, attachment: bool):
    size = file.file_size
    header = request.headers.get("Range", "")
    start, end, partial = 0, size - 1, False
    match = RANGE_RE.match(header.strip()) if header else None
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # the last n bytes
            start = max(0, size - int(last))
        if start >= size or end < start:
            response: HttpResponse | StreamingHttpResponse = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        partial = True
    length = end - start + 1 if size else 0
    response = StreamingHttpResponse(storage.read_range(file.storage_name, start, length), status=206 if partial else 200,
                                     content_type=file.content_type)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if partial:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    name = filename(file)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f"{disposition}; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
