"""A page reload within the grace period resumes the same server session: same participant, never
shown offline to the others, and media flows again after it publishes anew."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_reloading_the_page_resumes_the_session(sdk_room, web_server):
    alice, bob = sdk_room("speaker", "speaker")
    for user in (alice, bob):
        user.call("publish")
    bob.wait_for_video(alice.id)
    alice.wait_for_video(bob.id)
    before = alice.state()

    alice.page.reload()
    alice.open()
    after = alice.join()
    assert after["me"]["id"] == alice.id
    assert after["serverSessionId"] == before["serverSessionId"]  # resumed, not a new session
    assert any(p["id"] == bob.id for p in after["participants"])

    alice.call("publish")
    alice.wait_for_video(bob.id)
    bob.wait_for_video(alice.id)
    assert web_server.get_participant(alice.conference_id, alice.id)["online"] is True
    assert not bob.events("onParticipantExited")
    # Alice was in Bob's snapshot when he joined; she never left, so she never "joined" either.
    assert not [e for e in bob.events("onParticipantJoined") if e["args"][0]["id"] == alice.id]
