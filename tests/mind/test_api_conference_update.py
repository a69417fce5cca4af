"""PATCH /mind/<applicationId>/<conferenceId>: the application or a moderator."""

import pytest


def test_application_renames(mind, conference):
    response = mind.patch(conference["id"], {"name": "Modified meeting name"})
    assert response.status_code == 200
    assert response.json()["name"] == "Modified meeting name"
    assert mind.get(conference["id"]).json()["name"] == "Modified meeting name"


def test_moderator_renames(mind, conference, people):
    response = mind.patch(conference["id"], {"name": "By moderator"}, token=people["moderator"]["token"])
    assert response.status_code == 200
    assert mind.get(conference["id"]).json()["name"] == "By moderator"


@pytest.mark.parametrize("role", ["presenter", "speaker", "attendee"])
def test_other_roles_are_403(mind, conference, people, role):
    response = mind.patch(conference["id"], {"name": "nope"}, token=people[role]["token"])
    assert response.status_code == 403
    assert mind.get(conference["id"]).json()["name"] == "Weekly sync"


def test_null_name_changes_nothing(mind, conference):
    assert mind.patch(conference["id"], {"name": None}).json()["name"] == "Weekly sync"


def test_layout(mind, conference):
    assert mind.patch(conference["id"], {"layout": "selector"}).json()["layout"] == "selector"
    assert mind.patch(conference["id"], {"layout": "tiles"}).status_code == 400


def test_bad_name_is_400(mind, conference):
    assert mind.patch(conference["id"], {"name": ["x"]}).status_code == 400


def test_non_json_is_415(mind, conference):
    assert mind.patch(conference["id"], raw=b"name", content_type="text/plain").status_code == 415
