"""Fixtures for the summaries tests: recorded meetings that end with a transcript in the engine.

Transcripts are stored in the embedded engine directly (`mind.services.add_utterances`), as the
transcriber will; everything else (meetings, joining, recording, ending) goes through the product.
"""

from datetime import datetime, timedelta, timezone

import pytest

from meetings.models import Instance, Meeting
from mind import services as mind_services
from mind.models import Conference
from tests.support.meetings import Joiner

RW = "meeting:read meeting:write"

STANDUP = [
    ("host", "okay let's get started this is the planning meeting for the website relaunch"),
    ("host", "first item is the launch date we had planned march tenth"),
    ("guest", "the design team still needs two weeks for the checkout pages so march tenth is tight"),
    ("host", "we agreed to move the launch date to march twenty fourth"),
    ("host", "gita can you tell the newsletter team about the new date by friday"),
    ("guest", "sure will do"),
    ("host", "next item the budget for paid ads"),
    ("guest", "we spent eighty percent of the ads budget already on the search campaign"),
    ("guest", "i'll send the updated budget sheet to finance tomorrow"),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def host(make_user):
    return make_user(email="hana@example.com", display_name="Hana Host")


@pytest.fixture
def api(api_client, host):
    return api_client(host, RW)


def in_future(**delta) -> str:
    return (datetime.now(timezone.utc) + timedelta(**(delta or {"days": 2}))).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def live_recorded_meeting(api, host):
    """live_recorded_meeting(topic=...) -> (meeting, instance, {"host": media id, "guest": media id}):
    the host and a guest (Gita) are in, recording runs."""

    def make(topic="Website relaunch", client=None, host_user=None, meeting_id=None, meeting_type=2):
        client = client or api
        if meeting_id is None:
            created = client.post("/v2/users/me/meetings", {"topic": topic, "type": meeting_type, "start_time": in_future(),
                                                          "password": "", "settings": {"join_before_host": True}},
                                  format="json")
            assert created.status_code == 201, created.content
            meeting_id = created.json()["id"]
        Joiner(host_user or host).join(meeting_id)
        Joiner().join(meeting_id, name="Gita Guest")
        response = client.patch(f"/v2/live_meetings/{meeting_id}/events", {"method": "recording.start"}, format="json")
        assert response.status_code == 202, response.content
        meeting = Meeting.objects.get(pk=meeting_id)
        instance = meeting.live_instance()
        ids = {}
        for participant in instance.participants.exclude(media_participant_id=""):
            ids["host" if participant.is_host else "guest"] = participant.media_participant_id
        return meeting, instance, ids

    return make


def store_lines(instance: Instance, ids: dict, lines, step_ms=8000, start_ms=0):
    conference = Conference.objects.get(pk=instance.conference_id)
    mind_services.add_utterances(conference, [
        {"participantId": ids[who], "timestamp": start_ms + n * step_ms, "text": text} for n, (who, text) in enumerate(lines)
    ])


@pytest.fixture
def ended_meeting(live_recorded_meeting, api):
    """ended_meeting(lines=STANDUP, topic=...) -> the ended Instance, its transcript stored before the end."""

    def make(lines=STANDUP, topic="Website relaunch", client=None, host_user=None, meeting_id=None, meeting_type=2):
        meeting, instance, ids = live_recorded_meeting(topic=topic, client=client, host_user=host_user,
                                                       meeting_id=meeting_id, meeting_type=meeting_type)
        store_lines(instance, ids, lines)
        response = (client or api).put(f"/v2/meetings/{meeting.pk}/status", {"action": "end"}, format="json")
        assert response.status_code == 204, response.content
        instance.refresh_from_db()
        return instance

    return make


@pytest.fixture
def summarised(ended_meeting):
    """summarised(**ended_meeting kwargs) -> the completed MeetingSummary (pipeline run in-process)."""
    from summaries import pipeline
    from summaries.models import MeetingSummary

    def make(**kwargs):
        instance = ended_meeting(**kwargs)
        summary = MeetingSummary.objects.get(instance=instance)
        # With a Celery worker running (transactional tests) the queued task may finish first.
        assert pipeline.run(summary.pk, summary.generation) in ("completed", "superseded")
        summary.refresh_from_db()
        assert summary.state == "completed", summary.failure_reason
        return summary

    return make


@pytest.fixture
def member(make_user, host):
    """A plain member of the host's account, with their own token scopes given per test."""
    return make_user(email="mo@example.com", account=host.account, role="member")


@pytest.fixture
def stranger(make_user):
    """The owner of another account."""
    return make_user(email="sam@other.example")
