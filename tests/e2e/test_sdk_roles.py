"""A moderator changes another participant's role through the SDK: an attendee may not publish,
so its media stops (and comes back when it may publish again); everyone sees the new role."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_demoting_and_promoting_a_participant(sdk_room, screenshot):
    alice, bob = sdk_room("moderator", "speaker")
    bob.call("publish")
    alice.wait_for_video(bob.id)

    alice.call("setRole", bob.id, "attendee")
    bob.wait_for_event("onMeRoleChanged", "(me) => me.role === 'attendee'")
    bob.wait_for_event("onMePublicationStopped", "(me, media, reason) => media === 'primary' && reason === 'role'")
    alice.wait_for_event("onParticipantRoleChanged", f"(p) => p.id === '{bob.id}' && p.role === 'attendee'")
    alice.wait_for_event("onParticipantMediaChanged", f"(p) => p.id === '{bob.id}' && !p.audio && !p.video")
    assert bob.state()["me"]["video"] is False  # an attendee sends nothing, though its camera runs

    alice.call("setRole", bob.id, "speaker")
    bob.wait_for_event("onMeRoleChanged", "(me) => me.role === 'speaker'")
    alice.wait_for_event("onParticipantMediaChanged", f"(p) => p.id === '{bob.id}' && p.audio && p.video")
    alice.wait_for_video(bob.id)


def test_a_speaker_may_not_change_roles(sdk_room):
    alice, bob = sdk_room("speaker", "speaker")
    error = alice.js("async (id) => { try { await window.harness.setRole(id, 'attendee'); return null; }"
                     " catch (error) { return error.message; } }", bob.id)
    assert error == "HTTP response status code: 403"


def test_name_changes_are_seen_by_the_others(sdk_room):
    alice, bob = sdk_room("speaker", "speaker")
    bob.call("setMyName", "Robert")
    alice.wait_for_event("onParticipantNameChanged", f"(p) => p.id === '{bob.id}' && p.name === 'Robert'")
    assert bob.state()["me"]["name"] == "Robert"
    assert not bob.events("onMeNameChanged")  # my own change is not "by someone else"
