"""The registration settings: registrants_confirmation_email, registrants_email_notification,
close_registration, contact_name / contact_email (on the registration page)."""

from datetime import datetime, timedelta, timezone

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def test_no_confirmation_email_when_off(api, create_meeting, django_capture_on_commit_callbacks):
    meeting = create_meeting(settings={"approval_type": 0, "registrants_confirmation_email": False})
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/v2/meetings/{meeting['id']}/registrants", {"email": "q@example.org", "first_name": "Q"}, format="json")
    assert mail.outbox == []


def test_no_approval_email_when_off(api, create_meeting, django_capture_on_commit_callbacks):
    meeting = create_meeting(settings={"approval_type": 1, "registrants_email_notification": False,
                                       "registrants_confirmation_email": False})
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/v2/meetings/{meeting['id']}/registrants", {"email": "q@example.org", "first_name": "Q"}, format="json")
        api.put(f"/v2/meetings/{meeting['id']}/registrants/status", {"action": "approve"}, format="json")
    assert mail.outbox == []
    assert api.get(f"/v2/meetings/{meeting['id']}/registrants").json()["total_records"] == 1


def test_close_registration_after_the_meeting(api, create_meeting):
    past = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    closed = create_meeting(start_time=past, duration=30, settings={"approval_type": 0, "close_registration": True})
    response = api.post(f"/v2/meetings/{closed['id']}/registrants", {"email": "l@example.org", "first_name": "L"},
                        format="json")
    assert response.status_code == 400 and response.json()["code"] == 3000
    still_open = create_meeting(start_time=past, duration=30, settings={"approval_type": 0})
    assert api.post(f"/v2/meetings/{still_open['id']}/registrants", {"email": "l@example.org", "first_name": "L"},
                    format="json").status_code == 201


def test_contact_name_and_email_are_on_the_registration_page(create_meeting):
    meeting = create_meeting(settings={"approval_type": 0, "contact_name": "Front Desk", "contact_email": "desk@example.com"})
    page = Client().get(f"/meetings/{meeting['id']}/register")
    assert b"Front Desk" in page.content and b"desk@example.com" in page.content
