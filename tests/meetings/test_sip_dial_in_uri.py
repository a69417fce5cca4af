"""What the engine's dial-in asks the meetings app: which meeting a dialled URI admits to, or why not."""

import pytest
from django.test import override_settings

from meetings import sip
from meetings.actions.links import sip_dialing

pytestmark = pytest.mark.django_db


def meeting_of(created):
    from meetings.models import Meeting

    return Meeting.objects.get(pk=created["id"])


def refusal(*uris, source=""):
    with pytest.raises(sip.Refused) as refused:
        sip.check_uri(*uris, source=source)
    return refused.value.status


def test_the_signed_uri_admits_and_may_sit_in_the_to_header_only(create_meeting):
    meeting = meeting_of(create_meeting(password="4321"))
    uri = sip_dialing(meeting, "4321")["sip_dialing"]
    assert sip.check_uri(uri) == meeting
    bare = f"sip:{meeting.pk}@localhost:5060"  # a phone that dials the plain address, parameters in To
    assert sip.check_uri(bare, uri) == meeting


def test_the_room_connector_style_needs_the_meetings_passcode(create_meeting):
    meeting = meeting_of(create_meeting(password="4321"))
    assert sip.check_uri(f"sip:{meeting.pk}.4321@localhost") == meeting
    assert refusal(f"sip:{meeting.pk}.9999@localhost") == 403
    assert refusal(f"sip:{meeting.pk}@localhost") == 403  # neither a code nor a passcode
    open_meeting = meeting_of(create_meeting(password=""))
    assert refusal(f"sip:{open_meeting.pk}@localhost") == 403  # meeting numbers alone are not enough
    assert refusal(f"sip:{open_meeting.pk}.1234@localhost") == 403


def test_unknown_meetings_are_404_and_bad_codes_403(create_meeting, api, host):
    meeting = meeting_of(create_meeting(password="4321"))
    other = meeting_of(create_meeting(password="4321"))
    uri = sip_dialing(meeting, "4321")["sip_dialing"]
    assert refusal(uri.replace(f"sip:{meeting.pk}@", "sip:98765432101@")) == 404
    assert refusal("sip:99999999999999999999@localhost") == 404  # beyond a meeting id
    assert refusal("not a uri") == 404
    assert refusal(uri.replace(f"sip:{meeting.pk}@", f"sip:{other.pk}@")) == 403  # another meeting's code
    with override_settings(SIP_URI_TTL=-1):
        assert refusal(uri) == 403
    api.delete(f"/v2/meetings/{meeting.pk}")
    assert refusal(uri) == 404


@override_settings(JOIN_PASSCODE_ATTEMPTS=2)
def test_an_address_guessing_passcodes_is_refused_for_a_while(create_meeting):
    meeting = meeting_of(create_meeting(password="4321"))
    for _ in range(2):
        assert refusal(f"sip:{meeting.pk}.0000@localhost", source="10.0.0.9") == 403
    assert refusal(f"sip:{meeting.pk}.4321@localhost", source="10.0.0.9") == 403  # right, but too late
    assert sip.check_uri(f"sip:{meeting.pk}.4321@localhost", source="10.0.0.8") == meeting


def test_callers_are_named_after_their_display_name_or_number():
    assert sip.caller_name("Pat Caller", "sip:5550100@10.0.0.2") == "Phone: Pat Caller"
    assert sip.caller_name("", "sip:5550100@10.0.0.2:5062") == "Phone: 5550100"
    assert sip.caller_name("x" * 100, "sip:1@h") == "Phone: " + "x" * 57


@override_settings(SIP_DOMAIN="sip.example.com", SIP_PORT=5070)
def test_the_uri_points_at_the_configured_port(create_meeting):
    meeting = meeting_of(create_meeting(password=""))
    assert sip_dialing(meeting)["sip_dialing"].startswith(f"sip:{meeting.pk}@sip.example.com:5070;pic=")
