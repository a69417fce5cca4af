"""GET /mind/<applicationId>/<conferenceId>/participants."""


def test_application_lists_everyone(mind, conference, people):
    body = mind.get(f"{conference['id']}/participants").json()
    assert sorted(p["id"] for p in body) == sorted(p["id"] for p in people.values())
    for participant in body:
        assert set(participant) == {"id", "online", "name", "priority", "role", "layout", "media", "secondaryMedia"}


def test_requesting_participant_comes_first(mind, conference, people):
    for me in people.values():
        body = mind.get(f"{conference['id']}/participants", token=me["token"]).json()
        assert body[0]["id"] == me["id"]
        assert len(body) == 4


def test_empty(mind, conference):
    assert mind.get(f"{conference['id']}/participants").json() == []
