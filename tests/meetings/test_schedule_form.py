"""The schedule/edit form: the recurrence builder (weekly days, monthly by day or weekday, end by
count or date), its next-occurrences preview, alternative hosts checked against the account, and
errors beside their fields."""


import pytest
from django.test import Client

from meetings.models import Meeting

pytestmark = pytest.mark.django_db

BASE = {"topic": "Planning", "start": "2031-04-02T15:30", "timezone": "Europe/Paris", "duration": "45",
        "auto_recording": "none"}


@pytest.fixture
def browser(host):
    client = Client()
    client.force_login(host)
    return client


def test_the_form_groups_settings_as_zoom_does(browser):
    page = browser.get("/meetings/new").content.decode()
    for legend in ("Recurrence", "Security", "Video", "Audio", "Options"):
        assert f"<legend>{legend}</legend>" in page
    assert "data-browser-default" in page and 'id="tz-search"' in page


def test_preview_lists_the_next_weekly_occurrences(browser):
    response = browser.get("/meetings/new/preview", {**BASE, "repeat": "2", "weekly_days": ["2", "4"],
                                                     "end_by": "count", "end_times": "8"})
    data = response.json()
    assert response.status_code == 200 and data["count"] == 8 and len(data["occurrences"]) == 6
    # 2 April 2031 is a Wednesday: Wed 2, Mon 7, Wed 9, Mon 14 ...
    assert [o.split(",")[0] for o in data["occurrences"][:4]] == ["April 2", "April 7", "April 9", "April 14"]
    assert all("3:30 p.m." in o for o in data["occurrences"])  # local time, not UTC


def test_preview_monthly_on_the_last_friday_until_a_date(browser):
    data = browser.get("/meetings/new/preview", {**BASE, "repeat": "3", "monthly_by": "weekday", "monthly_week": "-1",
                                                 "monthly_week_day": "6", "end_by": "date",
                                                 "end_date": "2031-07-31"}).json()
    assert [o.split(",")[0] for o in data["occurrences"]] == ["April 25", "May 30", "June 27", "July 25"]


def test_preview_reports_what_is_wrong(browser):
    data = browser.get("/meetings/new/preview", {**BASE, "repeat": "2", "end_by": "count", "end_times": "3"}).json()
    assert data["occurrences"] == [] and data["field"] == "weekly_days" and data["error"] == "Choose at least one day."


def test_monthly_by_day_with_an_end_date_is_saved(browser, host):
    response = browser.post("/meetings/new", {**BASE, "repeat": "3", "monthly_by": "day", "monthly_day": "15",
                                              "end_by": "date", "end_date": "2031-06-30"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(host=host)
    assert meeting.recurrence["monthly_day"] == 15 and meeting.recurrence["end_date_time"].startswith("2031-06-30T21:59")
    assert meeting.occurrences.count() == 3  # 15 April, May, June
    form = browser.get(f"/meetings/{meeting.pk}/edit").content.decode()
    assert 'value="2031-06-30"' in form and '<option value="day" selected>' in form


def test_alternative_hosts_must_be_people_of_the_account(browser, host, make_user):
    colleague = make_user(email="colleague@example.com", account=host.account)
    make_user(email="outsider@example.com")
    response = browser.post("/meetings/new", {**BASE, "alternative_hosts": "outsider@example.com"})
    page = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.filter(host=host).exists()
    field = page[page.index('data-field="alternative_hosts"'):]
    assert "outsider@example.com is not a user of this account." in field[:field.index("</div>\n")+600]
    saved = browser.post("/meetings/new", {**BASE, "alternative_hosts": "Colleague@example.com, "})
    assert saved.status_code == 302
    assert Meeting.objects.get(host=host).alternative_host_emails() == [colleague.email]


def test_errors_sit_beside_their_fields(browser):
    page = browser.post("/meetings/new", {**BASE, "repeat": "1", "end_by": "date", "end_date": "2031-03-01"}).content.decode()
    field = page[page.index('data-field="end_date"'):]
    assert "The end date is before the start." in field[:800] and 'aria-invalid="true"' in field[:800]
