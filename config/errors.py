"""The one error type for requests we refuse: every app's exceptions for the caller's mistakes (and
for a dependency being down) are `ConferError`s.

A `ConferError` has
- `status`: the HTTP status it answers with (a SIP status for `meetings.sip.Refused`);
- `code`: Zoom's error code on /v2 (e.g. 300 invalid parameters, 3001 meeting not found), or a
  short machine-readable reason where the surface has string codes (/auth); None when the surface
  has no codes;
- `message`: a sentence for a person;
- `field`: the request field it is about, when there is one ("settings.jbh_time"), so forms put
  the message next to that field.

Each surface renders it in one shape:
- `/v2` (Zoom API): `{"code": <int>, "message": <str>}` (`config.api.zoom_exception_handler`);
- `/mind/` (Mind API): `{"status": <int>, "message": <str>}` (`mind.api.views.error_response`);
- `/j/<id>/...` (the room's JSON endpoints): `{"error": <message>}` (`meetings.join_views`);
- `/auth/`: `{"error": <code>, "message": <str>}` (`accounts.api`);
- pages: the message next to `field` (`meetings.forms`), or at the top of the form.
"""

from __future__ import annotations


class ConferError(Exception):
    status: int = 400
    code: int | str | None = None

    def __init__(self, message: str, *, status: int | None = None, code: int | str | None = None,
                 field: str | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.field = field

    @property
    def bare_message(self) -> str:
        """The message without its "field: " prefix (Zoom writes field errors as "field: text")."""
        if self.field and self.message.startswith(f"{self.field}: "):
            return self.message[len(self.field) + 2:]
        return self.message


def field_of(message: str) -> str | None:
    """The field a Zoom-style message names ("start_time: This field is required." -> "start_time")."""
    field, separator, rest = message.partition(": ")
    if separator and rest and field and " " not in field:
        return field
    return None
