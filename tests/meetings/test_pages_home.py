"""The home page (/meetings/): New meeting menu (instant, for later, schedule), the code box, upcoming
meetings as cards in the user's time zone, and the Previous tab with its badges."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from meetings.models import Instance, Meeting
from recordings.models import CloudRecording, RecordingFile
from summaries.models import MeetingSummary
from tests.support.meetings import in_future

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(host):
    client = Client()
    client.force_login(host)
    return client


def test_the_new_meeting_menu_offers_three_ways(browser):
    page = browser.get("/meetings/").content.decode()
    assert 'aria-haspopup="menu"' in page and 'role="menu"' in page
    assert 'action="/meetings/later"' in page and 'action="/meetings/instant"' in page and 'href="/meetings/new"' in page
    assert 'name="code"' in page and ">Join</button>" in page


def test_a_meeting_for_later_shows_its_link_once(browser, host):
    response = browser.post("/meetings/later")
    assert response.status_code == 302 and response["Location"] == "/meetings/"
    meeting = Meeting.objects.get(host=host)
    assert meeting.type == Meeting.Type.RECURRING_NO_FIXED_TIME and meeting.start_time is None
    page = browser.get("/meetings/").content.decode()
    assert 'id="later-dialog"' in page and f"/j/{meeting.pk}?pwd=" in page
    again = browser.get("/meetings/").content.decode()
    assert 'id="later-dialog"' not in again  # shown once
    assert f'data-meeting-id="{meeting.pk}"' in again and "No fixed time" in again  # still listed as a card


def test_later_needs_post(browser):
    assert browser.get("/meetings/later").status_code == 405


def test_cards_show_times_in_the_users_zone_with_a_cue_and_actions(browser, host, create_meeting):
    host.timezone = "Asia/Tokyo"
    host.save()
    start = (timezone.now() + timedelta(minutes=10)).replace(second=0, microsecond=0)
    created = create_meeting(topic="Soon", start_time=start.strftime("%Y-%m-%dT%H:%M:%SZ"), duration=30)
    create_meeting(topic="Weekly", type=8, start_time=in_future(days=1),
                   recurrence={"type": 2, "weekly_days": "2", "end_times": 3})
    page = browser.get("/meetings/").content.decode()
    tokyo = start + timedelta(hours=9)
    assert f"{tokyo:%H:%M}" in page  # Tokyo time, not UTC
    assert f'data-starts-at="{start:%Y-%m-%dT%H:%M:%S}+00:00"' in page
    card = page[page.index(f'data-meeting-id="{created["id"]}"'):]
    card = card[:card.index("</li>")]
    assert "Copy invitation" in card and f"/meetings/{created['id']}/edit" in card and "Delete" in card
    assert f"Meeting ID: {created['id']}" in card  # the invitation the copy button copies
    weekly = page[page.index(">Weekly<"):]
    assert "Recurring" in weekly[:weekly.index("</li>")]


def test_a_meeting_that_ended_an_hour_ago_is_not_upcoming(browser, create_meeting):
    start = timezone.now() - timedelta(minutes=50)
    create_meeting(topic="Gone", start_time=start.strftime("%Y-%m-%dT%H:%M:%SZ"), duration=30)
    assert ">Gone<" not in browser.get("/meetings/").content.decode()


def test_empty_home_invites_to_schedule(browser):
    page = browser.get("/meetings/").content.decode()
    assert "empty-state" in page and "Nothing scheduled" in page


def test_previous_shows_badges_for_recording_transcript_and_summary(browser, host, create_meeting):
    meeting = Meeting.objects.get(pk=create_meeting(topic="Retro")["id"])
    started = timezone.now() - timedelta(hours=2)
    plain = Instance.objects.create(meeting=meeting, started_at=started - timedelta(days=1),
                                    ended_at=started - timedelta(days=1) + timedelta(minutes=5))
    rich = Instance.objects.create(meeting=meeting, started_at=started, ended_at=started + timedelta(minutes=40))
    recording = CloudRecording.objects.create(account=host.account, host=host, instance=rich,
                                              conference_id="6f1c2b3a-0d9e-4c8b-a7f6-e5d4c3b2a191",
                                              meeting_id=meeting.pk, meeting_uuid=rich.uuid, topic="Retro",
                                              start_time=started)
    RecordingFile.objects.create(recording=recording, file_type="TRANSCRIPT", recording_type="audio_transcript",
                                 file_extension="VTT", content_type="text/vtt", recording_start=started,
                                 recording_end=started + timedelta(minutes=40))
    MeetingSummary.objects.create(instance=rich, account=host.account, state="completed")
    page = browser.get("/meetings/previous").content.decode()
    rich_card = page[page.index(f'data-instance-id="{rich.pk}"'):]
    rich_card = rich_card[:rich_card.index("</li>")]
    assert all(f'data-badge="{kind}"' in rich_card for kind in ("recording", "transcript", "summary"))
    plain_card = page[page.index(f'data-instance-id="{plain.pk}"'):]
    assert "data-badge" not in plain_card[:plain_card.index("</li>")]


def test_a_trashed_recording_loses_its_badge(browser, host, create_meeting):
    meeting = Meeting.objects.get(pk=create_meeting(topic="Retro")["id"])
    started = timezone.now() - timedelta(hours=2)
    instance = Instance.objects.create(meeting=meeting, started_at=started, ended_at=started + timedelta(minutes=4))
    CloudRecording.objects.create(account=host.account, host=host, instance=instance, meeting_id=meeting.pk,
                                  conference_id="6f1c2b3a-0d9e-4c8b-a7f6-e5d4c3b2a192", meeting_uuid=instance.uuid,
                                  topic="Retro", start_time=started, trashed_at=timezone.now())
    assert 'data-badge="recording"' not in browser.get("/meetings/previous").content.decode()
