"""The meetings app's errors for the caller's mistakes (see `config.errors`; /v2 raises `config.api.ZoomAPIError`)."""

from __future__ import annotations

from config.errors import ConferError


class JoinError(ConferError):
    """The join request itself is wrong (unknown meeting, bad name): a 4xx with a friendly message."""

    def __init__(self, status: int, message: str, field: str | None = None, retry_after: int | None = None):
        super().__init__(message, status=status, field=field)
        self.retry_after = retry_after  # seconds, sent as Retry-After
