"""Profile page: display name and time zone."""

import pytest

pytestmark = pytest.mark.django_db


def test_profile_shows_ids_and_saves_changes(make_user, client):
    user = make_user()
    client.force_login(user)
    page = client.get("/accounts/profile/").content.decode()
    assert user.account.public_id in page and str(user.pmi) in page
    response = client.post("/accounts/profile/", {"display_name": "  Ada L.  ", "timezone": "Asia/Tokyo"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Ada L." and user.timezone == "Asia/Tokyo"


def test_unknown_time_zone_is_a_form_error(make_user, client):
    user = make_user()
    client.force_login(user)
    response = client.post("/accounts/profile/", {"display_name": "x", "timezone": "Mars/Olympus"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_profile_needs_sign_in(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
