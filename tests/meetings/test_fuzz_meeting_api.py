"""Property-based fuzzing of the meeting endpoints: whatever the input, never a 5xx.

Every response also passes the OpenAPI contract check of `api_client` (errors are Zoom's
{"code", "message"}). Bodies mix plausible values with arbitrary JSON, so both the validation
and the code behind it are exercised. About 480 examples in all.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40)
           | st.sampled_from(["", "\x00", "\ud800", "2031-01-01T10:00:00Z", "2031-01-01T10:00:00", "Europe/Berlin",
                              "../etc", "1,3,5", "9" * 30, "rtmp://h/app", "https://h"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=3), max_leaves=6)

SETTING_NAMES = ["host_video", "join_before_host", "jbh_time", "mute_upon_entry", "waiting_room", "auto_recording",
                 "meeting_authentication", "authentication_domains", "alternative_hosts", "approval_type", "watermark",
                 "focus_mode"]
settings_objects = st.dictionaries(st.sampled_from(SETTING_NAMES), json_values | st.booleans(), max_size=4)
recurrences = st.fixed_dictionaries({}, optional={
    "type": st.sampled_from([1, 2, 3, 4, "1"]) | json_values,
    "repeat_interval": st.integers(-5, 120) | json_values,
    "weekly_days": st.sampled_from(["1", "2,4", "8", "1,,2"]) | json_values,
    "monthly_day": st.integers(-1, 40), "monthly_week": st.integers(-2, 5), "monthly_week_day": st.integers(0, 8),
    "end_times": st.integers(-1, 100) | json_values,
    "end_date_time": st.sampled_from(["2031-02-01T00:00:00Z", "2020-01-01T00:00:00Z", "soon"]) | json_values,
})
meeting_bodies = st.fixed_dictionaries({}, optional={
    "topic": st.text(max_size=210) | json_values,
    "type": st.sampled_from([1, 2, 3, 8, 0, 9]) | json_values,
    "start_time": st.sampled_from(["2031-03-08T09:00:00", "2031-03-08T09:00:00+05:00", "2031-02-30T00:00:00Z",
                                   "0001-01-01T00:00:00Z"]) | json_values,
    "duration": st.integers(-10, 2000) | json_values,
    "timezone": st.sampled_from(["America/New_York", "UTC", "Mars/Base", ""]) | json_values,
    "password": st.text(max_size=12) | json_values,
    "agenda": st.text(max_size=50) | json_values,
    "recurrence": recurrences | json_values,
    "settings": settings_objects | json_values,
    "schedule_for": st.sampled_from(["me", "host@example.com", "nobody@example.org"]) | json_values,
})


def send(api, method, path, body):
    return api.generic(method, path, json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def rate_limits_out_of_the_way(settings):
    """Hundreds of requests in one held rate-limit window (tests/conftest.py): this fuzzes input, not
    the /v2 limits (tests/accounts/test_v2_rate_limits.py), so they must not answer 429 here."""
    settings.API_RATE_LIMITS = {"light": "100000/s", "medium": "100000/s", "heavy": "100000/s"}
    settings.API_TOKEN_RATE_LIMITS = settings.API_RATE_LIMITS


@pytest.fixture
def meeting_id(create_meeting, settings):
    settings.MEETING_UPDATES_PER_DAY = 10**6
    return create_meeting(password="", type=8, start_time="2031-03-01T10:00:00Z",
                          recurrence={"type": 1, "end_times": 3})["id"]


def no_server_error(response):
    assert response.status_code < 500, response.content


@FUZZ
@given(body=meeting_bodies | json_values)
def test_create_meeting(api, body):
    no_server_error(send(api, "POST", "/v2/users/me/meetings", body))


@FUZZ
@given(body=meeting_bodies | json_values, occurrence=st.booleans())
def test_update_meeting(api, meeting_id, body, occurrence):
    path = f"/v2/meetings/{meeting_id}"
    # An earlier example may have made the meeting another type (the fixture's meeting is shared).
    occurrences = api.get(path).json().get("occurrences")
    if occurrence and occurrences:
        path += "?occurrence_id=" + occurrences[0]["occurrence_id"]
    no_server_error(send(api, "PATCH", path, body))


@FUZZ
@given(body=st.fixed_dictionaries({}, optional={
    "attendees": st.lists(st.fixed_dictionaries({}, optional={"name": st.text(max_size=70) | json_values,
                                                             "ttl": st.integers(-1, 8_000_000)}), max_size=4)
    | json_values,
    "ttl": st.integers(-(2**40), 2**40) | json_values}) | json_values)
def test_invite_links(api, meeting_id, body):
    no_server_error(send(api, "POST", f"/v2/meetings/{meeting_id}/invite_links", body))


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["type", "page_size", "next_page_token", "from", "to", "timezone",
                                               "page_number", "unknown"]),
                              st.text(max_size=30) | st.sampled_from(["live", "upcoming", "300", "2031-01-01"]),
                              max_size=5))
def test_list_meetings(api, meeting_id, params):
    no_server_error(api.get("/v2/users/me/meetings", params))


@FUZZ
@given(identifier=st.text(min_size=1, max_size=40) | st.sampled_from(["aDYlohsHRtCd4ii1uC2+hA==", "/a//b==",
                                                                     "99999999999999999999", "-1"]),
       suffix=st.sampled_from(["", "/participants", "/instances"]))
def test_past_meetings(api, identifier, suffix):
    double_encoded = quote(quote(identifier, safe=""), safe="")
    no_server_error(api.get(f"/v2/past_meetings/{double_encoded}{suffix}"))


@FUZZ
@given(body=json_values | st.fixed_dictionaries({}, optional={
    "method": st.sampled_from(["recording.start", "recording.pause", "participant.invite", "meeting.end",
                               "participants.mute_all", "x"]) | json_values,
    "params": st.fixed_dictionaries({}, optional={"contacts": st.lists(st.fixed_dictionaries({}, optional={
        "email": st.sampled_from(["a@example.org", "bad"]) | json_values, "id": json_values}), max_size=3)
        | json_values}) | json_values}))
def test_live_meeting_events(api, meeting_id, body):
    no_server_error(send(api, "PATCH", f"/v2/live_meetings/{meeting_id}/events", body))


@FUZZ
@given(path=st.sampled_from(["livestream", "livestream/status", "status"]), body=json_values | st.fixed_dictionaries(
    {}, optional={"stream_url": json_values | st.just("rtmp://h/a"), "stream_key": json_values,
                  "page_url": json_values | st.just("https://h"), "resolution": json_values,
                  "action": st.sampled_from(["start", "stop", "end", "recover"]) | json_values,
                  "settings": json_values}))
def test_livestream_and_status(api, meeting_id, path, body):
    method = "PUT" if path == "status" else "PATCH"
    no_server_error(send(api, method, f"/v2/meetings/{meeting_id}/{path}", body))


@FUZZ
@given(body=json_values, meeting=st.text(min_size=1, max_size=25).map(lambda t: quote(quote(t, safe=""), safe="")))
def test_sip_dialing_and_odd_meeting_ids(api_client, host, body, meeting):
    client = api_client(host, "meeting:write:sip_dialing meeting:read")
    no_server_error(send(client, "POST", f"/v2/meetings/{meeting}/sip_dialing", body))
    no_server_error(client.get(f"/v2/meetings/{meeting}"))
