"""The registration page /meetings/<id>/register: a form for people, CSRF-protected; it registers
them and shows their join link (automatic approval) or says the host will approve."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from meetings.models import Registrant

pytestmark = pytest.mark.django_db


def form_token(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()


def test_register_and_get_the_link(create_meeting, joiner):
    meeting = create_meeting(topic="Open day", settings={"approval_type": 0, "join_before_host": True})
    url = f"/meetings/{meeting['id']}/register"
    browser = Client(enforce_csrf_checks=True)
    token = form_token(browser, url)
    done = browser.post(url, {"first_name": "Pia", "last_name": "Page", "email": "pia@example.org",
                              "csrfmiddlewaretoken": token})
    assert done.status_code == 200 and b"You are registered for Open day" in done.content
    link = re.search(rb'id="registrant-join-url" href="([^"]+)"', done.content).group(1).decode().replace("&amp;", "&")
    assert joiner().join(meeting["id"], tk=parse_qs(urlsplit(link).query)["tk"][0])["state"] == "admitted"


def test_manual_approval_waits(create_meeting):
    meeting = create_meeting(settings={"approval_type": 1})
    done = Client().post(f"/meetings/{meeting['id']}/register", {"first_name": "Wes", "email": "wes@example.org"})
    assert b"The host will review" in done.content
    assert Registrant.objects.get(email="wes@example.org").status == "pending"


def test_csrf_and_bad_input(create_meeting):
    meeting = create_meeting(settings={"approval_type": 0})
    url = f"/meetings/{meeting['id']}/register"
    assert Client(enforce_csrf_checks=True).post(url, {"first_name": "X", "email": "x@example.org"}).status_code == 403
    bad = Client().post(url, {"first_name": "", "email": "not an address"})
    assert bad.status_code == 400 and not Registrant.objects.exists()


def test_meetings_without_registration_have_no_page(create_meeting):
    meeting = create_meeting()
    assert Client().get(f"/meetings/{meeting['id']}/register").status_code == 404
