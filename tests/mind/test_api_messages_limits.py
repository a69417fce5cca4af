"""Chat limits: a message's size (MIND_MESSAGE_MAX_CHARS) and how many persistent messages one
conference keeps (MIND_STORED_MESSAGES_MAX)."""


from mind.models import Message


def test_an_oversized_message_is_refused(mind, conference, settings):
    settings.MIND_MESSAGE_MAX_CHARS = 100
    response = mind.post(f"{conference['id']}/messages", {"sendTo": conference["id"], "text": "x" * 101})
    assert response.status_code == 400 and "100" in response.json()["message"]
    assert mind.post(f"{conference['id']}/messages", {"sendTo": conference["id"], "text": "x" * 100}).status_code == 200


def test_a_conference_keeps_a_bounded_chat(mind, conference, settings):
    settings.MIND_STORED_MESSAGES_MAX = 2
    for n in range(2):
        assert mind.post(f"{conference['id']}/messages",
                         {"sendTo": conference["id"], "text": f"m{n}", "persistent": True}).status_code == 200
    full = mind.post(f"{conference['id']}/messages", {"sendTo": conference["id"], "text": "m3", "persistent": True})
    assert full.status_code == 429 and "keeps" in full.json()["message"]
    assert Message.objects.filter(conference_id=conference["id"]).count() == 2
