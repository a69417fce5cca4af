"""Joining: mute_upon_entry mutes everyone but the hosts; the room gets the video settings."""

import pytest

pytestmark = pytest.mark.django_db


def test_joiners_are_muted_when_the_setting_is_on(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"mute_upon_entry": True, "participant_video": True})
    host_answer = joiner(host).join(created["id"])
    guest = joiner().join(created["id"], name="Guest")
    assert host_answer["muted"] is False
    assert guest["state"] == "admitted" and guest["muted"] is True
    assert guest["room"]["video_on"] is True


def test_joiners_are_not_muted_when_it_is_off(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"mute_upon_entry": False, "host_video": True})
    host_answer = joiner(host).join(created["id"])
    guest = joiner().join(created["id"], name="Guest")
    assert guest["muted"] is False and guest["room"]["video_on"] is False
    assert host_answer["room"]["video_on"] is True


def test_focus_mode_and_watermark_reach_the_room(create_meeting, host, joiner):
    created = create_meeting(password="", settings={"focus_mode": True, "watermark": True})
    answer = joiner(host).join(created["id"])
    assert answer["room"]["focus_mode"] is True and answer["room"]["watermark"] is True
