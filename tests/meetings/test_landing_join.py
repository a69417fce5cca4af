"""The landing page at `/` for people who are not signed in: a sign-up link, and the code-or-link box
that takes anyone (no account needed) to the meeting's room; a bad code comes back to the landing page
with a friendly message. Signed-in people land on their meetings."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_landing_page_offers_sign_up_and_a_join_box():
    page = Client().get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="/accounts/signup/"' in html
    assert 'action="/meetings/join"' in html and 'name="code"' in html


@pytest.mark.parametrize("code, target", [
    ("123 4567 8901", "/j/12345678901"),
    ("https://confer.example.com/j/12345678901?pwd=abc&utm=x", "/j/12345678901?pwd=abc"),
])
def test_anyone_joins_with_a_code_or_link(code, target):
    response = Client().get("/meetings/join", {"code": code})
    assert response.status_code == 302 and response["Location"] == target


def test_a_bad_code_comes_back_to_the_landing_page_with_a_message():
    response = Client().get("/meetings/join", {"code": "hello"}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "That is not a meeting ID or a meeting link" in response.content.decode()


def test_in_german(settings):
    client = Client(headers={"accept-language": "de"})
    assert "Kostenlos registrieren" in client.get("/").content.decode()
    response = client.get("/meetings/join", {"code": "hello"}, follow=True)
    assert "Das ist keine Meeting-ID" in response.content.decode()


def test_signed_in_people_land_on_their_meetings(make_user):
    client = Client()
    client.force_login(make_user())
    assert client.get("/")["Location"] == "/meetings/"
