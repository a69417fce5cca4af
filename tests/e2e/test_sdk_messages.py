"""Text messages: to everyone, to one participant, and from the application."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

FROM = "(text, pid) => (me, message, participant) => message === text && participant.id === pid"


def test_messages_between_participants_and_from_the_application(sdk_room, web_server):
    alice, bob = sdk_room("speaker", "attendee")

    alice.call("sendToAll", "hello everyone")
    bob.wait_for_event("onMeReceivedMessageFromParticipant", f"({FROM})('hello everyone', '{alice.id}')")

    bob.call("sendToParticipant", "hi alice", alice.id)
    alice.wait_for_event("onMeReceivedMessageFromParticipant", f"({FROM})('hi alice', '{bob.id}')")
    # Messages reach each socket in order: by now Alice would have had her own broadcast back.
    texts = [event["args"][1] for event in alice.events("onMeReceivedMessageFromParticipant")]
    assert texts == ["hi alice"]

    response = web_server.mind("POST", f"{alice.conference_id}/messages", {"sendTo": bob.id, "text": "from the app"})
    assert response.status_code == 200, response.text
    bob.wait_for_event("onMeReceivedMessageFromApplication", "(me, message) => message === 'from the app'")


def test_a_message_to_an_unknown_participant_is_rejected(sdk_room):
    (alice,) = sdk_room("speaker")
    error = alice.js("""async () => {
        try { await window.harness.sendToParticipant("x", "00000000-0000-4000-8000-000000000000"); return null; }
        catch (error) { return String(error.message); }
    }""")
    assert error is not None
