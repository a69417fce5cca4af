"""POSTing JSON to an outside summarizer: timeouts, and 429/5xx retried with backoff (Retry-After honoured)."""

from __future__ import annotations

import time

import requests

from summaries.backends.base import BackendError

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_WAIT = 30.0


def post_json(url: str, body: dict, *, headers: dict, timeout: float, retries: int, service: str,
              sleep=time.sleep) -> dict:
    """The JSON answer of a 2xx; BackendError (with the reason) when the service does not give one."""
    last = ""
    for attempt in range(retries + 1):
        try:
            response = requests.post(url, json=body, headers=headers, timeout=timeout, allow_redirects=False)
        except requests.Timeout:
            last = f"{service} did not answer within {timeout:g} s"
        except requests.RequestException as exc:
            last = f"{service} could not be reached ({type(exc).__name__})"
        else:
            if 200 <= response.status_code < 300:
                try:
                    return response.json()
                except ValueError:
                    raise BackendError(f"{service} answered something that is not JSON.") from None
            last = f"{service} answered HTTP {response.status_code}"
            if response.status_code not in RETRY_STATUSES:
                raise BackendError(last + _detail(response))
            retry_after = response.headers.get("Retry-After", "")
            if attempt < retries and retry_after.isdigit():
                sleep(min(MAX_WAIT, float(retry_after)))
                continue
        if attempt < retries:
            sleep(min(MAX_WAIT, 0.5 * (2 ** attempt)))
    raise BackendError(last + f" (after {retries + 1} attempts).")


def _detail(response) -> str:
    try:
        error = response.json().get("error")
        message = error.get("message") if isinstance(error, dict) else error
        return f": {str(message)[:300]}" if message else "."
    except (ValueError, AttributeError):
        return "."
