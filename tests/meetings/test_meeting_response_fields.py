"""Fields of Zoom's meeting object that clients read: h323/pstn passcodes (digits, and they open the
meeting), chat_join_url, start_time of instant meetings, tracking_fields."""

import pytest

pytestmark = pytest.mark.django_db


def test_numeric_passcodes_of_a_digit_passcode_are_the_passcode(api, create_meeting):
    created = create_meeting(password="123456")
    assert created["h323_password"] == created["pstn_password"] == "123456"
    assert api.get(f"/v2/meetings/{created['id']}").json()["h323_password"] == "123456"


def test_a_letter_passcode_gets_a_numeric_one_that_admits(api, create_meeting, joiner):
    created = create_meeting(password="abc*XY", settings={"join_before_host": True})
    digits = created["h323_password"]
    assert digits.isdigit() and len(digits) == 10 and created["pstn_password"] == digits
    assert joiner().join(created["id"], name="Keypad", passcode=digits)["state"] == "admitted"
    assert joiner().join(created["id"], name="Wrong", passcode="0000000000")["state"] == "passcode_required"
    api.patch(f"/v2/meetings/{created['id']}", {"password": "new*one"}, format="json")
    assert api.get(f"/v2/meetings/{created['id']}").json()["h323_password"] != digits


def test_chat_join_url_is_the_room(create_meeting):
    created = create_meeting()
    assert created["chat_join_url"] == created["join_url"]


def test_instant_meetings_start_when_created(api, create_meeting):
    created = create_meeting(type=1)
    assert created["start_time"] == created["created_at"]
    assert api.get(f"/v2/meetings/{created['id']}").json()["start_time"] == created["created_at"]


def test_tracking_fields_are_stored_and_returned(api, create_meeting):
    created = create_meeting(tracking_fields=[{"field": "cost center", "value": "R&D"}, {"field": "project"}])
    expected = [{"field": "cost center", "value": "R&D", "visible": True}, {"field": "project", "value": "", "visible": True}]
    assert created["tracking_fields"] == expected
    assert api.get(f"/v2/meetings/{created['id']}").json()["tracking_fields"] == expected
    api.patch(f"/v2/meetings/{created['id']}", {"tracking_fields": [{"field": "project", "value": "X"}]}, format="json")
    assert api.get(f"/v2/meetings/{created['id']}").json()["tracking_fields"] == [
        {"field": "project", "value": "X", "visible": True}]


@pytest.mark.parametrize("bad", [[{"value": "no field"}], [{"field": 3}], {"field": "x"}])
def test_malformed_tracking_fields_are_300(api, bad):
    response = api.post("/v2/users/me/meetings", {"type": 1, "tracking_fields": bad}, format="json")
    assert response.status_code == 400 and response.json()["code"] == 300
    assert response.json()["message"].startswith("tracking_fields")
