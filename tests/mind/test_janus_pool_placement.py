"""Placement of conferences on the Janus pool (mind.engine.janus_pool.place), and JANUS_SERVERS parsing.

One real Janus ("first", the namespace's) and one that never answers ("dead", the discard port)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import _janus_servers
from mind.engine import janus_pool
from mind.models import Conference
from tests.mind.conftest import first_janus_entry

pytestmark = pytest.mark.media  # "first" is the namespace's Janus

DEAD = {"name": "dead", "ws_url": "ws://127.0.0.1:9/", "url": "http://127.0.0.1:9/janus",
        "admin_url": "http://127.0.0.1:9/admin"}


@pytest.fixture
def with_a_dead_server(settings):
    settings.JANUS_SERVERS = [DEAD, first_janus_entry()]
    janus_pool.forget_health()
    yield
    janus_pool.forget_health()


def placement(conference_id) -> str:
    return Conference.objects.values_list("janus_server", flat=True).get(pk=conference_id)


def test_a_new_conference_goes_to_a_healthy_server(mind, with_a_dead_server):
    cid = mind.create_conference(name="new")["id"]
    assert placement(cid) == ""  # nothing needed the room yet
    assert janus_pool.place(cid).name == "first"
    assert placement(cid) == "first"


def test_a_conference_on_a_dead_server_moves(mind, with_a_dead_server):
    cid = mind.create_conference(name="stranded")["id"]
    Conference.objects.filter(pk=cid).update(janus_server="dead")
    assert janus_pool.place(cid).name == "first"
    assert placement(cid) == "first"


def test_a_conference_stays_where_it_is_when_nothing_better_answers(mind, settings):
    settings.JANUS_SERVERS = [DEAD]
    janus_pool.forget_health()
    cid = mind.create_conference(name="alone")["id"]
    Conference.objects.filter(pk=cid).update(janus_server="dead")
    assert janus_pool.place(cid).name == "dead"  # its users retry until it answers again
    assert placement(cid) == "dead"


def test_least_loaded_wins_and_ties_follow_the_list(mind, settings):
    second = {**first_janus_entry(), "name": "second"}  # the same Janus under a second name
    settings.JANUS_SERVERS = [first_janus_entry(), second]
    janus_pool.forget_health()
    cids = [mind.create_conference(name=f"c{n}")["id"] for n in range(3)]
    assert [janus_pool.place(cid).name for cid in cids] == ["first", "second", "first"]
    Conference.objects.filter(pk=cids[0]).update(janus_server="second")  # now second holds 2, first 1
    late = mind.create_conference(name="late")["id"]
    assert janus_pool.place(late).name == "first"


def test_an_unknown_server_name_is_placed_again(mind, settings):
    settings.JANUS_SERVERS = [first_janus_entry()]
    janus_pool.forget_health()
    cid = mind.create_conference(name="renamed")["id"]
    Conference.objects.filter(pk=cid).update(janus_server="removed-from-the-list")
    assert janus_pool.place(cid).name == "first"


def test_janus_servers_setting():
    parsed = _janus_servers("a ws://h1:8188/ http://h1:8088/janus http://h1:7088/admin;\n"
                            " b ws://h2:8188/ http://h2:8088/janus http://h2:7088/admin ; ")
    assert parsed == [
        {"name": "a", "ws_url": "ws://h1:8188/", "url": "http://h1:8088/janus", "admin_url": "http://h1:7088/admin"},
        {"name": "b", "ws_url": "ws://h2:8188/", "url": "http://h2:8088/janus", "admin_url": "http://h2:7088/admin"},
    ]
    assert _janus_servers("")[0]["name"] == "default"
    with pytest.raises(ImproperlyConfigured, match="NAME WS_URL HTTP_URL ADMIN_URL"):
        _janus_servers("a ws://h1:8188/ http://h1:8088/janus")
    with pytest.raises(ImproperlyConfigured, match="a name of its own"):
        _janus_servers("a ws://h1/ http://h1/janus http://h1/admin; a ws://h2/ http://h2/janus http://h2/admin")
