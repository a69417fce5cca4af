"""The signed-in meeting pages: home, new meeting, join by code, schedule, detail, edit, delete, previous."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from meetings.models import Instance, Meeting, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(host):
    client = Client()
    client.force_login(host)
    return client


def schedule_form(**overrides):
    form = {"topic": "Design review", "start": "2031-04-02T15:30", "timezone": "Europe/Paris", "duration": "45",
            "password": "room42", "agenda": "Mockups", "auto_recording": "none", "waiting_room": "on"}
    form.update(overrides)
    return form


def test_anonymous_visitors_are_sent_to_sign_in():
    response = Client().get("/meetings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_landing_page_sends_signed_in_users_to_their_meetings(browser):
    assert browser.get("/")["Location"] == "/meetings/"
    assert Client().get("/").status_code == 200


def test_home_shows_upcoming_meetings_and_the_actions(browser, create_meeting):
    create_meeting(topic="Tomorrow's sync")
    page = browser.get("/meetings/").content.decode()
    assert "Tomorrow&#x27;s sync" in page and "New meeting" in page and "Schedule" in page and 'name="code"' in page


def test_new_meeting_opens_the_room(browser, host):
    response = browser.post("/meetings/instant")
    meeting = Meeting.objects.get(host=host)
    assert meeting.type == Meeting.Type.INSTANT
    assert response.status_code == 302 and response["Location"].startswith(f"/j/{meeting.pk}?pwd=")


def test_forms_need_the_csrf_token(host):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(host)
    assert strict.post("/meetings/instant").status_code == 403
    assert strict.post("/meetings/new", schedule_form()).status_code == 403
    page = strict.get("/meetings/new")
    token = page.cookies["csrftoken"].value
    assert strict.post("/meetings/new", {**schedule_form(), "csrfmiddlewaretoken": token}).status_code == 302


def test_scheduling_a_weekly_meeting(browser, host):
    response = browser.post("/meetings/new", schedule_form(repeat="2", repeat_interval="1", weekly_days=["2", "4"],
                                                           end_times="4", join_before_host="on"))
    meeting = Meeting.objects.get(host=host)
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.type == Meeting.Type.RECURRING_FIXED_TIME and meeting.timezone == "Europe/Paris"
    assert meeting.start_time.isoformat() == "2031-04-02T13:30:00+00:00"  # 15:30 in Paris, summer time
    assert meeting.recurrence["weekly_days"] == "2,4" and meeting.occurrences.count() == 4
    assert meeting.setting("waiting_room") is True and meeting.setting("join_before_host") is True


def test_scheduling_errors_are_friendly(browser, host):
    missing = browser.post("/meetings/new", schedule_form(start=""))
    assert missing.status_code == 200 and "Choose when the meeting starts." in missing.content.decode()
    bad_code = browser.post("/meetings/new", schedule_form(password="has space"))
    assert "A passcode has at most 10 characters" in bad_code.content.decode()
    bad_zone = browser.post("/meetings/new", schedule_form(timezone="Nowhere/Land"))
    assert bad_zone.status_code == 200 and "Select a valid choice" in bad_zone.content.decode()
    assert not Meeting.objects.filter(host=host).exists()


def test_detail_page_has_the_invitation(browser, create_meeting):
    created = create_meeting(topic="Quarterly", password="4242")
    page = browser.get(f"/meetings/{created['id']}/").content.decode()
    assert "Copy invitation" in page and "Passcode: 4242" in page and created["join_url"].replace("&", "&amp;") in page
    assert f"Meeting ID: {created['id']}" in page


def test_edit_and_delete(browser, create_meeting):
    created = create_meeting(topic="Old name")
    form = browser.get(f"/meetings/{created['id']}/edit").content.decode()
    assert 'value="Old name"' in form
    response = browser.post(f"/meetings/{created['id']}/edit", schedule_form(topic="New name"))
    assert response.status_code == 302 and Meeting.objects.get(pk=created["id"]).topic == "New name"
    assert browser.get(f"/meetings/{created['id']}/delete").status_code == 405
    browser.post(f"/meetings/{created['id']}/delete")
    assert Meeting.objects.get(pk=created["id"]).deleted_at is not None
    assert browser.get(f"/meetings/{created['id']}/").status_code == 404


def test_other_peoples_meetings_are_404(create_meeting, make_user):
    created = create_meeting()
    stranger = Client()
    stranger.force_login(make_user())
    for path in (f"/meetings/{created['id']}/", f"/meetings/{created['id']}/edit"):
        assert stranger.get(path).status_code == 404
    assert stranger.post(f"/meetings/{created['id']}/delete").status_code == 404


def test_previous_meetings_with_participants(browser, create_meeting, make_user):
    created = create_meeting(topic="Retro")
    meeting = Meeting.objects.get(pk=created["id"])
    started = timezone.now() - timedelta(hours=2)
    instance = Instance.objects.create(meeting=meeting, started_at=started, ended_at=started + timedelta(minutes=40))
    Participant.objects.create(meeting=meeting, instance=instance, name="Ann", status="left",
                               joined_at=started, left_at=started + timedelta(minutes=30))
    listing = browser.get("/meetings/previous").content.decode()
    assert "Retro" in listing and f"/meetings/previous/{instance.pk}" in listing
    detail = browser.get(f"/meetings/previous/{instance.pk}").content.decode()
    assert "Ann" in detail and "0:30:00" in detail
    other = Client()
    other.force_login(make_user())
    assert other.get(f"/meetings/previous/{instance.pk}").status_code == 404


@pytest.mark.parametrize("code, target", [
    ("123 4567 8901", "/j/12345678901"),
    ("http://localhost:8000/j/12345678901?pwd=abc&x=1", "/j/12345678901?pwd=abc"),
])
def test_join_with_a_code_or_link(browser, code, target):
    assert browser.get("/meetings/join", {"code": code})["Location"] == target


def test_join_with_nonsense_explains(browser):
    response = browser.get("/meetings/join", {"code": "hello"}, follow=True)
    assert "That is not a meeting ID or a meeting link" in response.content.decode()
