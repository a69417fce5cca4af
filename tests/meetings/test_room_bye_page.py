"""GET /j/<id>/bye?reason=...: where the room sends people when their call is over."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reason, title, rejoin", [
    ("left", "You left the meeting", True),
    ("ended", "The meeting has ended", False),
    ("removed", "You&#x27;ve been removed from the meeting", False),
    ("denied", "You can&#x27;t join this meeting", False),
    ("elsewhere", "You joined from another window", True),
    ("<script>", "You left the meeting", True),
])
def test_each_reason_has_its_page(reason, title, rejoin):
    response = Client().get("/j/12345678901/bye", {"reason": reason})
    html = response.content.decode()
    assert response.status_code == 200 and title in html
    assert ('href="/j/12345678901"' in html) is rejoin
    assert "<script>" not in html.split("<body", 1)[1]


def test_signed_in_people_return_to_their_meetings(host):
    client = Client()
    client.force_login(host)
    assert 'href="/meetings/"' in client.get("/j/12345678901/bye").content.decode()
