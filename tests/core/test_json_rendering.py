"""/v2 answers are encoded with orjson (config.rendering) into exactly the bytes DRF's JSONRenderer
writes, and negotiated as DRF negotiates them."""

import datetime as dt
import decimal
import json
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from config.rendering import JSONRenderer

UTC = dt.timezone.utc
BODIES = [
    {"page_size": 30, "meetings": [{"id": 81234567890, "topic": "Réunion 会议 🎥", "duration": 1.5, "pmi": None,
                                    "settings": {"host_video": True, "alternative_hosts": ""}}]},
    {"separators": "line\u2028paragraph\u2029end", "control": "tab\tquote\"backslash\\"},
    {"aware": dt.datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=UTC), "naive": dt.datetime(2030, 1, 2, 3, 4, 5),
     "date": dt.date(2030, 1, 2), "time": dt.time(10, 30, 15, 250000), "delta": dt.timedelta(minutes=90)},
    {"decimal": decimal.Decimal("12.50"), "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
     "lazy": gettext_lazy("Invalid access token."), "set": {1}, "tuple": (1, "two"), 7: "int key", None: "none key"},
    {"beyond 64 bits": 2**70, "negative": -(2**63)},
    [],
    "plain",
]


@pytest.mark.parametrize("body", BODIES)
def test_the_bytes_are_drfs(body):
    assert JSONRenderer().render(body) == DRFJSONRenderer().render(body)


def test_a_pretty_printing_request_is_pretty_printed():
    body = {"meetings": [{"id": 1, "start_time": dt.datetime(2030, 1, 2, tzinfo=UTC)}]}
    rendered = JSONRenderer().render(body, "application/json; indent=4")
    assert rendered == DRFJSONRenderer().render(body, "application/json; indent=4")
    assert b'\n    "meetings": [' in rendered


def test_a_float_that_json_cannot_hold_is_null_where_drf_refused_it():
    with pytest.raises(ValueError):
        DRFJSONRenderer().render({"rate": float("nan")})
    assert JSONRenderer().render({"rate": float("nan"), "peak": float("inf")}) == b'{"rate":null,"peak":null}'


def test_nothing_renders_as_an_empty_body():
    assert JSONRenderer().render(None) == b""


def test_what_neither_can_encode_is_refused_the_same():
    with pytest.raises(TypeError):
        DRFJSONRenderer().render({"object": object()})
    with pytest.raises(TypeError):
        JSONRenderer().render({"object": object()})


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, text/plain, */*",
                                    "application/*", "application/json;q=0.9, */*;q=0.1"])
def test_json_is_answered_to_any_accept_header_that_takes_it(api, create_meeting, accept):
    created = create_meeting(topic="Négociation\u2028")
    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    response = api.get("/v2/users/me/meetings", **headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert b"\\u2028" in response.content
    assert [m["topic"] for m in json.loads(response.content)["meetings"]] == [created["topic"]]


@pytest.mark.django_db
def test_a_request_that_takes_no_json_is_refused_as_before(api):
    response = api.get("/v2/users/me/meetings", HTTP_ACCEPT="text/html")
    assert response.status_code == 406 and response.json()["code"] == 406


@pytest.mark.django_db
def test_a_format_override_is_still_negotiated(api):
    assert api.get("/v2/users/me/meetings?format=json").status_code == 200
    response = api.get("/v2/users/me/meetings?format=xml")
    assert response.status_code == 404 and response.json() == {"code": 404, "message": "Not found."}
