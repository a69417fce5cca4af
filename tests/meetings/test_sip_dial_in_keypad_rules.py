"""What keypad dial-in asks the meetings app: which calls get the keypad menu, which entries admit,
which may be retried, which end the call, and the per-address limit on guessing."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from meetings import sip
from meetings.models import Meeting
from mind.engine.sip_dial_in import CallRejected, IncomingCall, KeypadEntry, WrongEntry

pytestmark = pytest.mark.django_db


def incoming(uri="sip:dial-in@localhost", source="10.0.0.7"):
    return IncomingCall(request_uri=uri, to_uri=uri, caller_uri="sip:5550100@10.0.0.7", caller_name="",
                        call_id="keypad-rules", source=source)


def test_calls_without_a_code_get_the_keypad_menu_and_coded_calls_do_not():
    assert sip.carries_code("sip:123.4321@localhost")
    assert not sip.carries_code("sip:123@localhost")
    assert sip.carries_code("sip:123@localhost;pic=abc")
    assert isinstance(sip.answer_call(incoming("sip:dial-in@localhost")), KeypadEntry)
    assert isinstance(sip.answer_call(incoming("sip:+15550100@localhost")), KeypadEntry)


def test_entries_are_checked_with_the_rules_of_code_dial_in(create_meeting):
    meeting = Meeting.objects.get(pk=create_meeting(password="4321")["id"])
    assert sip.check_keypad(str(meeting.pk), "4321") == meeting
    with pytest.raises(sip.WrongDigits):
        sip.check_keypad(str(meeting.pk), "1111")
    with pytest.raises(sip.WrongDigits):
        sip.check_keypad("98765432101", "4321")
    with pytest.raises(sip.WrongDigits):
        sip.check_keypad("", "4321")
    e2ee = Meeting.objects.get(pk=create_meeting(password="4321", settings={"encryption_type": "e2ee"})["id"])
    with pytest.raises(sip.Refused) as refused:
        sip.check_keypad(str(e2ee.pk), "4321")
    assert refused.value.status == 488 and not isinstance(refused.value, sip.WrongDigits)


def test_a_meeting_not_started_without_its_host_ends_the_call_and_wrong_entries_may_be_retried(create_meeting):
    meeting = create_meeting(password="4321", settings={"join_before_host": False})
    entry = sip.answer_call(incoming(source="10.0.0.5"))
    with pytest.raises(WrongEntry):
        entry.check(str(meeting["id"]), "0000")
    with pytest.raises(CallRejected) as rejected:
        entry.check(str(meeting["id"]), "4321")
    assert rejected.value.status == 480


@override_settings(JOIN_PASSCODE_ATTEMPTS=2)
def test_an_address_guessing_meeting_ids_is_refused_before_it_is_answered():
    cache.clear()
    entry = sip.answer_call(incoming(source="10.0.0.9"))
    for guess in ("98765432101", "98765432102"):
        with pytest.raises(WrongEntry):
            entry.check(guess, "")
    with pytest.raises(CallRejected) as rejected:
        entry.check("98765432103", "")
    assert rejected.value.status == 403
    with pytest.raises(CallRejected) as refused:
        sip.answer_call(incoming(source="10.0.0.9"))
    assert refused.value.status == 403
    assert isinstance(sip.answer_call(incoming(source="10.0.0.8")), KeypadEntry)  # another address is not held up
