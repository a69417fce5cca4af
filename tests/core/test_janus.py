import random

import pytest
from django.conf import settings

from mind.janus import Janus, JanusError, VideoRoomAdmin


def test_janus_answers_info_with_videoroom():
    info = Janus().info()
    assert info["janus"] == "server_info"
    assert "janus.plugin.videoroom" in info["plugins"]
    assert info["api_secret"] is True  # requests without the API secret are refused


def test_create_and_destroy_a_videoroom():
    room = random.randint(10**9, 10**10)
    with VideoRoomAdmin() as admin:
        created = admin.create_room(room, description="test", publishers=6)
        assert created["videoroom"] == "created"
        assert created["room"] == room
        assert admin.exists(room)
        assert admin.destroy_room(room)["videoroom"] == "destroyed"
        assert not admin.exists(room)


def test_creating_a_room_needs_the_admin_key():
    with VideoRoomAdmin(admin_key="") as admin:
        with pytest.raises(JanusError) as excinfo:
            admin.create_room(random.randint(10**9, 10**10))
    assert excinfo.value.code == 429  # JANUS_VIDEOROOM_ERROR_MISSING_ELEMENT: admin_key missing


def test_requests_without_the_api_secret_are_refused():
    with pytest.raises(JanusError) as excinfo:
        Janus(api_secret=None).create_session()
    assert excinfo.value.code == 403  # JANUS_ERROR_UNAUTHORIZED


def test_admin_api_needs_the_admin_secret():
    assert Janus().admin("list_sessions")["janus"] == "success"
    with pytest.raises(JanusError):
        Janus(admin_secret="wrong").admin("list_sessions")


def test_signalling_is_bound_to_loopback_only():
    assert settings.JANUS_URL.startswith("http://127.0.0.1:")
    assert settings.JANUS_ADMIN_URL.startswith("http://127.0.0.1:")
