"""The join answer of an admitted person carries TURN credentials for their browser (`ice_servers`):
the configured TURN URIs, a username "<expiry>:<participant>" that expires TURN_CREDENTIAL_TTL
seconds from now, and its HMAC under TURN_SECRET (config/turn.py); someone still waiting gets none.
"""

import base64
import hashlib
import hmac
import time

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def turn_settings(settings):
    settings.TURN_SECRET = "s3cret-for-this-test"
    settings.TURN_URLS = ["turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:443?transport=tcp"]
    settings.TURN_CREDENTIAL_TTL = 3600
    return settings


def test_an_admitted_joiner_gets_expiring_turn_credentials(create_meeting, host, joiner, turn_settings):
    created = create_meeting(password="")
    before = int(time.time())
    answer = joiner(host).join(created["id"])
    assert answer["state"] == "admitted"
    [server] = answer["ice_servers"]
    assert server["urls"] == turn_settings.TURN_URLS
    expiry, user = server["username"].split(":", 1)
    assert user == answer["participant_id"]
    assert before + 3600 <= int(expiry) <= int(time.time()) + 3600
    expected = base64.b64encode(hmac.new(b"s3cret-for-this-test", server["username"].encode(), hashlib.sha1).digest())
    assert server["credential"] == expected.decode()


def test_no_turn_secret_means_no_turn_servers(create_meeting, host, joiner, settings):
    settings.TURN_SECRET = ""
    answer = joiner(host).join(create_meeting(password="")["id"])
    assert answer["state"] == "admitted" and answer["ice_servers"] == []


def test_a_person_in_the_waiting_room_gets_no_credentials(create_meeting, host, joiner, turn_settings):
    created = create_meeting(password="", settings={"waiting_room": True})
    joiner(host).join(created["id"])
    answer = joiner().join(created["id"], name="Walter Waiting")
    assert answer["state"] == "waiting_room" and "ice_servers" not in answer
