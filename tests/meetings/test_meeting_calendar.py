"""The meeting page's "Add to calendar": the .ics download (parsed back with icalendar: time zone,
RRULE, EXDATE of a deleted occurrence, join link) and the Google / Outlook web links."""

from datetime import datetime
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.test import Client
from icalendar import Calendar

from meetings.actions import links
from meetings.models import Meeting, Occurrence

pytestmark = pytest.mark.django_db



@pytest.fixture
def browser(host):
    client = Client()
    client.force_login(host)
    return client


def schedule_weekly(browser, host, topic="Standup", start="2031-03-03T09:00", zone="Europe/Berlin", duration="30") -> dict:
    """A weekly meeting on Mondays and Wednesdays, scheduled through the page (the Zoom contract's
    weekly_days admits one day only, our API and pages take several)."""
    response = browser.post("/meetings/new", {"topic": topic, "start": start, "timezone": zone, "duration": duration,
                                              "repeat": "2", "repeat_interval": "1", "weekly_days": ["2", "4"],
                                              "end_times": "4", "auto_recording": "none"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    meeting = Meeting.objects.filter(host=host).order_by("-created_at").first()
    return {"id": meeting.pk, "join_url": links.join_url(meeting)}


def event_of(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    calendar = Calendar.from_ical(response.content)
    return calendar, calendar.walk("VEVENT")[0]


def test_weekly_meeting_ics_has_the_rrule_and_the_time_zone(browser, host):
    created = schedule_weekly(browser, host)
    calendar, event = event_of(browser.get(f"/meetings/{created['id']}/calendar.ics"))
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and str(event["dtstart"].params["TZID"]) == "Europe/Berlin"
    assert start == datetime(2031, 3, 3, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # 08:00 UTC, winter time
    assert (event.decoded("dtend") - start).total_seconds() == 30 * 60
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "WE"] and rule["COUNT"] == [4]
    assert str(event["summary"]) == "Standup" and created["join_url"] in str(event["description"])
    assert str(event["location"]) == created["join_url"]
    # The rule gives the same starts as the meeting's occurrences.
    starts = list(rrulestr(event["rrule"].to_ical().decode(), dtstart=start))
    meeting = Meeting.objects.get(pk=created["id"])
    assert [s.astimezone(ZoneInfo("UTC")) for s in starts] == [o.start_time for o in meeting.occurrences.order_by("start_time")]


def test_a_deleted_occurrence_is_an_exdate(browser, host, api):
    created = schedule_weekly(browser, host, zone="UTC")
    second = Occurrence.objects.filter(meeting_id=created["id"]).order_by("start_time")[1]
    assert api.delete(f"/v2/meetings/{created['id']}?occurrence_id={second.occurrence_id}").status_code == 204
    _, event = event_of(browser.get(f"/meetings/{created['id']}/calendar.ics"))
    assert [d.dt for d in event["exdate"].dts] == [second.start_time]


def test_monthly_by_weekday_and_end_date(browser, create_meeting):
    created = create_meeting(type=8, start_time="2031-03-11T15:00:00Z", timezone="America/New_York",
                             recurrence={"type": 3, "monthly_week": -1, "monthly_week_day": 6,
                                         "end_date_time": "2031-08-01T00:00:00Z"})
    _, event = event_of(browser.get(f"/meetings/{created['id']}/calendar.ics"))
    rule = event["rrule"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["BYDAY"] == ["-1FR"] and "COUNT" not in rule
    assert rule["UNTIL"][0] == datetime(2031, 8, 1, tzinfo=ZoneInfo("UTC"))


def test_calendar_links_on_the_meeting_page(browser, host):
    created = schedule_weekly(browser, host, topic="Review", duration="60")
    page = browser.get(f"/meetings/{created['id']}/").content.decode()
    assert f'href="/meetings/{created["id"]}/calendar.ics"' in page
    google = next(part for part in page.split('"') if part.startswith("https://calendar.google.com/"))
    query = parse_qs(urlparse(google.replace("&amp;", "&")).query)
    assert query["text"] == ["Review"] and query["dates"] == ["20310303T080000Z/20310303T090000Z"]
    assert query["recur"] == ["RRULE:FREQ=WEEKLY;COUNT=4;INTERVAL=1;BYDAY=MO,WE"] and query["ctz"] == ["Europe/Berlin"]
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page


def test_meetings_without_a_time_have_no_calendar_entry(browser, create_meeting):
    created = create_meeting(type=3)
    assert browser.get(f"/meetings/{created['id']}/calendar.ics").status_code == 404
    assert "calendar.ics" not in browser.get(f"/meetings/{created['id']}/").content.decode()


def test_someone_elses_calendar_file_is_404(create_meeting, make_user):
    created = create_meeting()
    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.get(f"/meetings/{created['id']}/calendar.ics").status_code == 404
