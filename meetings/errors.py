"""The meetings app's errors for the caller's mistakes (see `config.api` for the /v2 ones)."""

from __future__ import annotations


class JoinError(Exception):
    """The join request itself is wrong (unknown meeting, bad name): a 4xx with a friendly message."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after  # seconds, sent as Retry-After
