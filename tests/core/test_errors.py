"""One error type: every app's refusals are `config.errors.ConferError`s with status, code, message
and the field they are about."""

import pytest

from accounts.services import AccountsError, NotFound
from config.api import INVALID_PARAMETERS, ZoomAPIError, invalid_parameter
from config.errors import ConferError
from meetings.errors import JoinError
from meetings.forms import friendly
from meetings.media import MediaError
from meetings.sip import Refused
from mind.client import MindError
from mind.realtime.session import BadRequest
from mind.services import MindApiError


@pytest.mark.parametrize("error, status, code", [
    (ZoomAPIError(404, 3001, "Meeting 1 is not found or has expired."), 404, 3001),
    (JoinError(429, "Too many wrong passcodes."), 429, None),
    (MediaError("engine down"), 503, None),
    (MediaError("bad destination", 400), 400, None),
    (Refused(480, "Temporarily Unavailable"), 480, None),
    (MindApiError(409, "The recording is in progress."), 409, None),
    (MindError(503, "Mind API unreachable"), 503, None),
    (BadRequest("forbidden", "a speaker may not publish secondary media"), 400, "forbidden"),
    (AccountsError("invalid_code", "That code is not valid."), 400, "invalid_code"),
    (NotFound("Token not found."), 404, "not_found"),
])
def test_every_refusal_is_one_error_type(error, status, code):
    assert isinstance(error, ConferError)
    assert (error.status, error.code) == (status, code)
    assert error.message and str(error)


def test_a_zoom_field_error_names_its_field():
    error = invalid_parameter("settings.jbh_time: A valid integer is required.")
    assert (error.status, error.code, error.status_code) == (400, INVALID_PARAMETERS, 400)
    assert error.field == "settings.jbh_time"
    assert error.bare_message == "A valid integer is required."
    assert error.message == "settings.jbh_time: A valid integer is required."  # what /v2 answers
    assert friendly(error) == "Jbh time: A valid integer is required."


def test_a_message_without_a_field_stays_whole():
    error = ZoomAPIError(400, 3000, "Meeting 5 is not in progress.")
    assert error.field is None
    assert friendly(error) == "Meeting 5 is not in progress."


def test_engine_errors_keep_their_status_in_text():
    assert str(MindError(503, "Mind API unreachable")) == "503: Mind API unreachable"
    assert str(Refused(603, "Decline")) == "603 Decline"
