"""Abuse limits: participant.invite e-mails per account and hour, JSON body size, chat message size
and the chat a conference keeps."""

import json

import pytest
from django.core import mail

from tests.meetings.helpers import event

pytestmark = pytest.mark.django_db


def test_participant_invite_emails_are_rate_limited_per_account(api, live_meeting, settings,
                                                                django_capture_on_commit_callbacks):
    settings.INVITE_EMAILS_PER_HOUR = 3
    with django_capture_on_commit_callbacks(execute=True):
        first = event(api, live_meeting["id"], "participant.invite",
                      contacts=[{"email": "a@example.org"}, {"email": "b@example.org"}])
        assert first.status_code == 202
        over = event(api, live_meeting["id"], "participant.invite",
                     contacts=[{"email": "c@example.org"}, {"email": "d@example.org"}])
    assert over.status_code == 429 and over.json()["code"] == 429
    assert "invitations" in over.json()["message"] and int(over["Retry-After"]) >= 1
    assert len(mail.outbox) == 1


def test_oversized_json_bodies_are_refused(api, create_meeting, settings):
    settings.JSON_BODY_MAX_BYTES = 2048
    created = create_meeting()
    response = api.patch(f"/v2/meetings/{created['id']}", {"agenda": "x" * 1900, "topic": "y" * 200},
                         format="json")
    assert response.status_code == 413 and response.json()["code"] == 413
    assert "2048" in response.json()["message"]
    room = api.post(f"/j/{created['id']}/join", json.dumps({"name": "x" * 3000}), content_type="application/json")
    assert room.status_code == 413 and "error" in room.json()
