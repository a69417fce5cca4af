"""A meeting number too big for the database is just a meeting that does not exist (never a 500)."""

import pytest

HUGE = "9" * 25


@pytest.mark.django_db
@pytest.mark.parametrize("path", [f"/j/{HUGE}", f"/j/{HUGE}/join/status?ticket=x",
                                  f"/j/{HUGE}/lobby", f"/j/{HUGE}/roster?ticket=x", f"/meetings/{HUGE}/"])
def test_pages_and_json_answer_404(client, host, path):
    client.force_login(host)
    assert client.get(path).status_code in (403, 404)


@pytest.mark.django_db
def test_joining_answers_404(client):
    response = client.post(f"/j/{HUGE}/join", {"name": "Gus"}, content_type="application/json")
    assert response.status_code == 404 and "does not exist" in response.json()["error"]


@pytest.mark.django_db
def test_the_goodbye_page_needs_no_meeting(client):
    assert client.get(f"/j/{HUGE}/bye?reason=ended").status_code == 200
