import random

import pytest
from django.conf import settings

from mind.engine.janus import Janus, JanusError, VideoRoomAdmin

pytestmark = pytest.mark.media


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


def listening_addresses(port: int) -> set[str]:
    """Local addresses of TCP sockets listening on `port`, read from the kernel (/proc/net/tcp*)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        with open(table) as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                    found.add(address if width == 32 else ".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


@pytest.mark.parametrize("url_setting", ["JANUS_URL", "JANUS_ADMIN_URL", "JANUS_WS_URL"])
def test_signalling_listens_on_loopback_only(url_setting):
    port = int(getattr(settings, url_setting).split(":")[2].split("/")[0])
    assert listening_addresses(port) == {"127.0.0.1"}
