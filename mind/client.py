"""How the rest of the product reaches the media platform: `get_mind()`.

One interface, two implementations that pass one contract test suite
(tests/mind/test_client_contract.py):

- `EmbeddedMind` calls the embedded engine (`mind.services`) in-process, as the application.
  The default.
- `HttpMind` speaks the Mind REST API to `MIND_API_URL` (our own /mind/ on another server, or
  the Mind cloud) with `MIND_APPLICATION_ID` and `MIND_APPLICATION_TOKEN`. Used when
  `MIND_API_URL` is set.

Methods take and return the Mind API's JSON as dicts, field names exactly as the API defines them.
Failures raise `MindError(status, message)` with the API's status code (503 when a remote
server cannot be reached); `retry_after` is set when the server asked to retry later.
"""

from __future__ import annotations

import abc
import base64
import binascii
import hashlib
import uuid

import requests
from django.conf import settings

from config.errors import ConferError
from mind import representations, services
from mind.services import MindApiError


class MindError(ConferError):
    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message, status=status)
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.status}: {self.message}"


DOWNLOAD_CHUNK = 1024 * 1024


def _sha256_of_repr_digest(header: str) -> bytes | None:
    """The sha-256 value of an RFC 9530 `Repr-Digest` header (`sha-256=:<base64>:`), if any."""
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        if name.strip().lower() == "sha-256" and value.startswith(":") and value.endswith(":"):
            try:
                return base64.b64decode(value[1:-1], validate=True)
            except (ValueError, binascii.Error):
                return None
    return None


def _sip_fields(fields: dict) -> dict:
    # `from` is a Python keyword: accept `from_` too.
    if "from_" in fields:
        fields = {**fields, "from": fields.pop("from_")}
    return fields


class Mind(abc.ABC):
    """The Mind API as the rest of the product uses it."""

    # conferences
    @abc.abstractmethod
    def create_conference(self, **fields) -> dict: ...

    @abc.abstractmethod
    def get_conference(self, conference_id, detailed: bool = False) -> dict: ...

    @abc.abstractmethod
    def update_conference(self, conference_id, **fields) -> dict: ...

    @abc.abstractmethod
    def delete_conference(self, conference_id) -> None: ...

    # participants
    @abc.abstractmethod
    def list_participants(self, conference_id) -> list[dict]: ...

    @abc.abstractmethod
    def create_participant(self, conference_id, **fields) -> dict:
        """The new participant, including its "token" (the only time the token is shown)."""

    @abc.abstractmethod
    def get_participant(self, conference_id, participant_id) -> dict: ...

    @abc.abstractmethod
    def update_participant(self, conference_id, participant_id, **fields) -> dict: ...

    @abc.abstractmethod
    def delete_participant(self, conference_id, participant_id) -> None: ...

    @abc.abstractmethod
    def delete_all_participants(self, conference_id) -> None: ...

    # messages
    @abc.abstractmethod
    def send_message(self, conference_id, text: str, send_to, persistent: bool = False) -> dict:
        """`send_to`: a participant id, the application id, or the conference id (everyone)."""

    # recording
    @abc.abstractmethod
    def start_recording(self, conference_id) -> None: ...

    @abc.abstractmethod
    def stop_recording(self, conference_id) -> None: ...

    @abc.abstractmethod
    def get_recording(self, conference_id, accept: str = "video/mp4") -> bytes:
        """The composed MP4, or with accept="image/jpeg" its thumbnail."""

    @abc.abstractmethod
    def download_recording(self, conference_id, target, accept: str = "video/mp4") -> str:
        """Streams the composed MP4 (or its JPEG thumbnail) into the file `target` (a Path, written
        whole or not at all: the caller renames it into place) and returns its SHA-256 (hex), checked
        against the length and the `Repr-Digest` the server sent. MindError(503) with `retry_after`
        while the recording is being prepared, 409 while it is still recording."""

    @abc.abstractmethod
    def get_recording_preview(self, conference_id) -> bytes:
        """The WebP preview of the recording."""

    @abc.abstractmethod
    def get_recording_transcription(self, conference_id) -> dict:
        """`{"complete": bool, "utterances": [{timestamp, participantId, text}, ...]}`.

        complete is False while recording or shortly after a stop (HTTP 206). Raises MindError(503)
        with `retry_after` when nothing is ready yet, MindError(409) when never recorded."""

    # transcription
    @abc.abstractmethod
    def get_transcription(self, conference_id) -> dict:
        """`{"started": bool}`."""

    @abc.abstractmethod
    def set_transcription(self, conference_id, started: bool) -> dict: ...

    # streamings
    @abc.abstractmethod
    def list_streamings(self, conference_id) -> list[dict]: ...

    @abc.abstractmethod
    def create_streaming(self, conference_id, **fields) -> dict: ...

    @abc.abstractmethod
    def get_streaming(self, conference_id, streaming_id) -> dict: ...

    @abc.abstractmethod
    def delete_streaming(self, conference_id, streaming_id) -> None: ...

    @abc.abstractmethod
    def delete_all_streamings(self, conference_id) -> None: ...

    # SIP
    @abc.abstractmethod
    def sip_dial_out(self, conference_id, participant_id, **fields) -> dict:
        """fields: from (or from_), to, proxy, timeout. Returns `{"status": ...}`."""

    @abc.abstractmethod
    def sip_forward(self, conference_id, participant_id, **fields) -> None:
        """fields: destination."""

    @abc.abstractmethod
    def sip_hang_up(self, conference_id, participant_id) -> None: ...


class _translate_errors:
    """Turns the engine's MindApiError into the client's MindError."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, MindApiError):
            retry = exc.headers.get("Retry-After")
            raise MindError(exc.status, exc.message, int(retry) if retry else None) from exc
        return False


class EmbeddedMind(Mind):
    """The embedded engine, in-process, acting as the application."""

    def __init__(self):
        self.actor = services.application_actor()

    def create_conference(self, **fields):
        with _translate_errors():
            return representations.conference_json(services.create_conference(self.actor, fields))

    def get_conference(self, conference_id, detailed=False):
        with _translate_errors():
            conference = services.get_conference(self.actor, conference_id)
            return services.conference_view(self.actor, conference, detailed=detailed)

    def update_conference(self, conference_id, **fields):
        with _translate_errors():
            return representations.conference_json(services.update_conference(self.actor, conference_id, fields))

    def delete_conference(self, conference_id):
        with _translate_errors():
            services.delete_conference(self.actor, conference_id)

    def list_participants(self, conference_id):
        with _translate_errors():
            return [representations.participant_json(p) for p in services.list_participants(self.actor, conference_id)]

    def create_participant(self, conference_id, **fields):
        with _translate_errors():
            participant, token = services.create_participant(self.actor, conference_id, fields)
            return {"id": str(participant.id), "token": token, **representations.participant_json(participant)}

    def get_participant(self, conference_id, participant_id):
        with _translate_errors():
            return representations.participant_json(services.get_participant(self.actor, conference_id, participant_id))

    def update_participant(self, conference_id, participant_id, **fields):
        with _translate_errors():
            participant = services.update_participant(self.actor, conference_id, participant_id, fields)
            return representations.participant_json(participant)

    def delete_participant(self, conference_id, participant_id):
        with _translate_errors():
            services.delete_participant(self.actor, conference_id, participant_id)

    def delete_all_participants(self, conference_id):
        with _translate_errors():
            services.delete_all_participants(self.actor, conference_id)

    def send_message(self, conference_id, text, send_to, persistent=False):
        with _translate_errors():
            body = {"text": text, "sendTo": str(send_to), "persistent": persistent}
            return services.send_message(self.actor, conference_id, body)

    def start_recording(self, conference_id):
        with _translate_errors():
            services.start_recording(self.actor, conference_id)

    def stop_recording(self, conference_id):
        with _translate_errors():
            services.stop_recording(self.actor, conference_id)

    def get_recording(self, conference_id, accept="video/mp4"):
        if accept not in services.RECORDING_KINDS or accept == "image/webp":
            raise MindError(406, "The recording is available as video/mp4 or image/jpeg.")
        with _translate_errors():
            return services.recording_file(self.actor, conference_id, accept).read_bytes()

    def download_recording(self, conference_id, target, accept="video/mp4"):
        if accept not in ("video/mp4", "image/jpeg"):
            raise MindError(406, "The recording is available as video/mp4 or image/jpeg.")
        with _translate_errors():
            source = services.recording_file(self.actor, conference_id, accept)
        digest = hashlib.sha256()
        with open(source, "rb") as reader, open(target, "wb") as writer:
            for chunk in iter(lambda: reader.read(DOWNLOAD_CHUNK), b""):
                digest.update(chunk)
                writer.write(chunk)
        return digest.hexdigest()

    def get_recording_preview(self, conference_id):
        with _translate_errors():
            return services.recording_file(self.actor, conference_id, "image/webp").read_bytes()

    def get_recording_transcription(self, conference_id):
        with _translate_errors():
            try:
                status, utterances, _ = services.recording_transcription(self.actor, conference_id)
            except MindApiError as exc:
                if exc.status != 404:
                    raise
                # Deleted, but its recording may be retained until its final pass and collection are
                # done: the embedded engine still answers for it (a remote Mind answers 404).
                return {"complete": True,
                        "utterances": services.retained_recording_transcription(self.actor, conference_id)}
            return {"complete": status == 200, "utterances": utterances}

    def get_transcription(self, conference_id):
        with _translate_errors():
            return services.get_transcription(self.actor, conference_id)

    def set_transcription(self, conference_id, started):
        with _translate_errors():
            return services.set_transcription(self.actor, conference_id, {"started": started})

    def list_streamings(self, conference_id):
        with _translate_errors():
            return [representations.streaming_json(s) for s in services.list_streamings(self.actor, conference_id)]

    def create_streaming(self, conference_id, **fields):
        with _translate_errors():
            return representations.streaming_json(services.create_streaming(self.actor, conference_id, fields))

    def get_streaming(self, conference_id, streaming_id):
        with _translate_errors():
            return representations.streaming_json(services.get_streaming(self.actor, conference_id, streaming_id))

    def delete_streaming(self, conference_id, streaming_id):
        with _translate_errors():
            services.delete_streaming(self.actor, conference_id, streaming_id)

    def delete_all_streamings(self, conference_id):
        with _translate_errors():
            services.delete_all_streamings(self.actor, conference_id)

    def sip_dial_out(self, conference_id, participant_id, **fields):
        with _translate_errors():
            return services.sip_dial_out(self.actor, conference_id, participant_id, _sip_fields(fields))

    def sip_forward(self, conference_id, participant_id, **fields):
        with _translate_errors():
            services.sip_forward(self.actor, conference_id, participant_id, fields)

    def sip_hang_up(self, conference_id, participant_id):
        with _translate_errors():
            services.sip_hang_up(self.actor, conference_id, participant_id)


class HttpMind(Mind):
    """A Mind API server over HTTP(S), as the application."""

    def __init__(self, base_url: str | None = None, application_id: str | None = None,
                 application_token: str | None = None, timeout: float | None = None):
        self.base_url = (base_url or settings.MIND_API_URL or "").rstrip("/")
        self.application_id = str(uuid.UUID(str(application_id or settings.MIND_APPLICATION_ID)))
        token = application_token or settings.MIND_APPLICATION_TOKEN
        if not self.base_url or not token:
            raise ValueError("HttpMind needs MIND_API_URL and MIND_APPLICATION_TOKEN.")
        self.timeout = timeout if timeout is not None else settings.MIND_HTTP_TIMEOUT
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def _url(self, conference_id=None, *parts) -> str:
        segments = [self.base_url, self.application_id]
        if conference_id is not None:
            segments.append(str(conference_id))
        segments.extend(str(part) for part in parts)
        return "/".join(segments)

    def _request(self, method, url, json=None, params=None, headers=None, timeout=None) -> requests.Response:
        try:
            response = self.http.request(method, url, json=json, params=params, headers=headers,
                                         timeout=timeout or self.timeout)
        except requests.RequestException as exc:
            raise MindError(503, f"Mind API unreachable: {exc}") from exc
        if response.status_code >= 400:
            try:
                message = response.json().get("message") or response.reason
            except (ValueError, AttributeError):
                message = response.text[:500] or response.reason
            retry = response.headers.get("Retry-After")
            raise MindError(response.status_code, message, int(retry) if retry and retry.isdigit() else None)
        return response

    def _json(self, method, url, json=None, params=None, timeout=None):
        response = self._request(method, url, json=json, params=params, timeout=timeout)
        return response.json() if response.content else None

    def create_conference(self, **fields):
        return self._json("POST", self._url(), json=fields)

    def get_conference(self, conference_id, detailed=False):
        return self._json("GET", self._url(conference_id), params={"detailed": "true"} if detailed else None)

    def update_conference(self, conference_id, **fields):
        return self._json("PATCH", self._url(conference_id), json=fields)

    def delete_conference(self, conference_id):
        self._request("DELETE", self._url(conference_id))

    def list_participants(self, conference_id):
        return self._json("GET", self._url(conference_id, "participants"))

    def create_participant(self, conference_id, **fields):
        return self._json("POST", self._url(conference_id, "participants"), json=fields)

    def get_participant(self, conference_id, participant_id):
        return self._json("GET", self._url(conference_id, "participants", participant_id))

    def update_participant(self, conference_id, participant_id, **fields):
        return self._json("PATCH", self._url(conference_id, "participants", participant_id), json=fields)

    def delete_participant(self, conference_id, participant_id):
        self._request("DELETE", self._url(conference_id, "participants", participant_id))

    def delete_all_participants(self, conference_id):
        self._request("DELETE", self._url(conference_id, "participants"))

    def send_message(self, conference_id, text, send_to, persistent=False):
        body = {"text": text, "sendTo": str(send_to), "persistent": persistent}
        return self._json("POST", self._url(conference_id, "messages"), json=body)

    def start_recording(self, conference_id):
        self._request("POST", self._url(conference_id, "recording", "start"))

    def stop_recording(self, conference_id):
        self._request("POST", self._url(conference_id, "recording", "stop"))

    def get_recording(self, conference_id, accept="video/mp4"):
        return self._request("GET", self._url(conference_id, "recording"), headers={"Accept": accept}).content

    def download_recording(self, conference_id, target, accept="video/mp4"):
        url = self._url(conference_id, "recording")
        try:
            response = self.http.get(url, headers={"Accept": accept}, stream=True, timeout=self.timeout)
        except requests.RequestException as exc:
            raise MindError(503, f"Mind API unreachable: {exc}") from exc
        with response:
            if response.status_code >= 400:
                retry = response.headers.get("Retry-After")
                try:
                    message = response.json().get("message") or response.reason
                except (ValueError, AttributeError):
                    message = response.reason
                raise MindError(response.status_code, message, int(retry) if retry and retry.isdigit() else None)
            digest, size = hashlib.sha256(), 0
            try:
                with open(target, "wb") as writer:
                    for chunk in response.iter_content(DOWNLOAD_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        writer.write(chunk)
            except requests.RequestException as exc:
                raise MindError(503, f"The download broke off: {exc}") from exc
        expected = response.headers.get("Content-Length")
        if expected is not None and expected.isdigit() and int(expected) != size:
            raise MindError(502, f"The download is incomplete: {size} of {expected} bytes.")
        sent = _sha256_of_repr_digest(response.headers.get("Repr-Digest", ""))
        if sent is not None and sent != digest.digest():
            raise MindError(502, "The download does not match the server's Repr-Digest.")
        return digest.hexdigest()

    def get_recording_preview(self, conference_id):
        return self._request("GET", self._url(conference_id, "recording", "preview")).content

    def get_recording_transcription(self, conference_id):
        response = self._request("GET", self._url(conference_id, "recording", "transcription"))
        return {"complete": response.status_code == 200, "utterances": response.json()}

    def get_transcription(self, conference_id):
        return self._json("GET", self._url(conference_id, "transcription"))

    def set_transcription(self, conference_id, started):
        return self._json("PATCH", self._url(conference_id, "transcription"), json={"started": started})

    def list_streamings(self, conference_id):
        return self._json("GET", self._url(conference_id, "streamings"))

    def create_streaming(self, conference_id, **fields):
        return self._json("POST", self._url(conference_id, "streamings"), json=fields)

    def get_streaming(self, conference_id, streaming_id):
        return self._json("GET", self._url(conference_id, "streamings", streaming_id))

    def delete_streaming(self, conference_id, streaming_id):
        self._request("DELETE", self._url(conference_id, "streamings", streaming_id))

    def delete_all_streamings(self, conference_id):
        self._request("DELETE", self._url(conference_id, "streamings"))

    def sip_dial_out(self, conference_id, participant_id, **fields):
        # The server answers once the call is answered or failed: up to `timeout` (30) s, plus setup.
        ring = fields.get("timeout")
        ring = int(ring) if isinstance(ring, int) or (isinstance(ring, str) and ring.isdigit()) else 30
        return self._json("POST", self._url(conference_id, "participants", participant_id, "dial"),
                          json=_sip_fields(fields), timeout=max(self.timeout, ring + 30))

    def sip_forward(self, conference_id, participant_id, **fields):
        self._request("POST", self._url(conference_id, "participants", participant_id, "forward"), json=fields)

    def sip_hang_up(self, conference_id, participant_id):
        self._request("POST", self._url(conference_id, "participants", participant_id, "hangup"))


def get_mind() -> Mind:
    """The Mind the product uses: HttpMind when MIND_API_URL is set, else the embedded engine."""
    return HttpMind() if settings.MIND_API_URL else EmbeddedMind()
