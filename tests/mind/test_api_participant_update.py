"""PATCH .../participants/<participantId>: everything for the application or a moderator; only
its own name and layout for anyone else."""

import pytest


def path(conference, participant):
    return f"{conference['id']}/participants/{participant['id']}"


def test_application_changes_everything(mind, conference, people):
    body = {"name": "John Roe", "priority": 3, "role": "attendee", "layout": "selector"}
    response = mind.patch(path(conference, people["speaker"]), body)
    assert response.status_code == 200
    got = response.json()
    assert (got["name"], got["priority"], got["role"], got["layout"]) == ("John Roe", 3, "attendee", "selector")
    assert mind.get(path(conference, people["speaker"])).json() == got


def test_moderator_changes_others(mind, conference, people):
    response = mind.patch(path(conference, people["attendee"]), {"role": "presenter", "priority": 0},
                          token=people["moderator"]["token"])
    assert response.status_code == 200
    assert response.json()["role"] == "presenter"


@pytest.mark.parametrize("role", ["presenter", "speaker", "attendee"])
def test_non_moderator_changes_own_name_and_layout(mind, conference, people, role):
    me = people[role]
    response = mind.patch(path(conference, me), {"name": "New me", "layout": "presenting_mosaic"}, token=me["token"])
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["layout"]) == ("New me", "presenting_mosaic")


@pytest.mark.parametrize("field,value", [("role", "moderator"), ("priority", 9)])
def test_non_moderator_cannot_change_own_role_or_priority(mind, conference, people, field, value):
    me = people["speaker"]
    response = mind.patch(path(conference, me), {field: value}, token=me["token"])
    assert response.status_code == 403
    assert mind.get(path(conference, me)).json()[field] != value


def test_non_moderator_cannot_change_others(mind, conference, people):
    response = mind.patch(path(conference, people["attendee"]), {"name": "x"}, token=people["presenter"]["token"])
    assert response.status_code == 403
    assert mind.get(path(conference, people["attendee"])).json()["name"] == "Attendee"


def test_nulls_change_nothing(mind, conference, people):
    me = people["speaker"]
    response = mind.patch(path(conference, me), {"name": None, "role": None}, token=me["token"])
    assert response.status_code == 200
    assert response.json()["name"] == "Speaker"


@pytest.mark.parametrize("body", [{"role": "boss"}, {"priority": -0.5}, {"layout": "x"}, {"name": 5}])
def test_invalid_values_are_400(mind, conference, people, body):
    assert mind.patch(path(conference, people["speaker"]), body).status_code == 400
