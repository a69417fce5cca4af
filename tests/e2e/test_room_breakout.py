"""Breakout rooms in the room (static/js/room/breakout.js, meetings.actions.breakout), in Chromium: the
host creates two rooms in the panel, puts Ann and Bob in one and Cat and Dan in the other, opens them;
each page shows its room and its media is in the room's own engine conference (checked on the server);
each pair sees only each other; the host visits Ann's room (they see each other) and comes back; a
broadcast reaches both rooms; closing with a short countdown shows it in every room and brings
everyone back to the main room. Five people in one Chromium (five contexts)."""

import pytest

from meetings.models import BreakoutRoom, Participant
from tests.e2e.room_helpers import orm

pytestmark = pytest.mark.django_db(transaction=True)


def open_panel(host):
    host.page.click("#btn-more")
    host.page.click('[data-action="breakout"]')
    host.page.wait_for_selector("#breakout:not([hidden]) #breakout-body > *")


def assign(host, name, room):
    host.page.select_option(f'.breakout-person[data-name="{name}"] select', label=room)
    host.wait_for(f"""() => [...document.querySelectorAll('.breakout-room')].some(r => r.dataset.name === '{room}'
                      && r.querySelector('.breakout-person[data-name="{name}"]'))""", message=f"{name} in {room}")


def shows_room(person, text, timeout=45):
    person.wait_for(f"() => document.querySelector('#breakout-where').textContent === {text!r}"
                    " && !document.querySelector('#breakout-bar').hidden", timeout=timeout, message=f"the bar says {text}")


def media_in(name: str, conference_id: str, server) -> bool:
    """Whether the person's engine participant (as the meeting knows it) belongs to that conference."""
    participant = orm(lambda: Participant.objects.get(name=name, status="in_meeting"))
    return server.mind("GET", f"{conference_id}/participants/{participant.media_participant_id}").status_code == 200


def names_in(conference_id: str, server) -> set[str]:
    """Who the engine has in the conference."""
    response = server.mind("GET", f"{conference_id}/participants")
    assert response.status_code == 200, response.text
    return {participant["name"] for participant in response.json()}


def test_breakout_two_rooms_broadcast_and_closing(room_people, screenshot, web_server):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    ann = room_people.guest().open(meeting).join("Ann")
    bob = room_people.guest().open(meeting).join("Bob")
    cat = room_people.guest().open(meeting).join("Cat")
    dan = room_people.guest().open(meeting).join("Dan")
    for name in ("Ann", "Bob", "Cat", "Dan"):
        host.wait_for_tile(name)

    open_panel(host)
    host.page.fill("#breakout-count", "2")
    host.page.click("#breakout-create")
    host.page.wait_for_selector('.breakout-room[data-name="Room 2"]')
    assign(host, "Ann", "Room 1")
    assign(host, "Bob", "Room 1")
    assign(host, "Cat", "Room 2")
    assign(host, "Dan", "Room 2")
    host.page.select_option("#breakout-countdown-seconds", "10")
    host.page.click("#breakout-open")
    screenshot(host.page, "host-panel-open")

    pairs = {"Room 1": (("Ann", ann), ("Bob", bob)), "Room 2": (("Cat", cat), ("Dan", dan))}
    for room, people in pairs.items():
        for _, person in people:
            shows_room(person, f"You're in {room}")
    rooms = dict(orm(lambda: list(BreakoutRoom.objects.values_list("name", "conference_id"))))
    main = orm(lambda: meeting.instances.get().conference_id)
    assert all(media_in(name, rooms["Room 1"], web_server) for name in ("Ann", "Bob"))
    assert all(media_in(name, rooms["Room 2"], web_server) for name in ("Cat", "Dan"))
    assert names_in(rooms["Room 1"], web_server) == {"Ann", "Bob"}
    assert names_in(rooms["Room 2"], web_server) == {"Cat", "Dan"}
    assert names_in(main, web_server) == {"Hana Host"}  # they left the main conference
    # Each pair sees only each other: the partner's video plays, and theirs is the only other tile.
    for first, second in pairs.values():
        for (name, person), (partner, _) in ((first, second), (second, first)):
            person.wait_for_video_of(partner)
            person.wait_for("() => document.querySelectorAll('.tile:not(.self)').length === 1",
                            message=f"{name} sees only {partner}")
    host.wait_for("() => document.querySelectorAll('.tile:not(.self)').length === 0", message="the main room empty")

    # The host visits Room 1: Ann and the host see each other there; then back to the main room.
    host.page.click('.breakout-room[data-name="Room 1"] .breakout-join')
    shows_room(host, "You're in Room 1")
    assert media_in("Hana Host", rooms["Room 1"], web_server)
    ann.wait_for_video_of("Hana Host")
    host.wait_for_video_of("Ann")
    screenshot(ann.page, "ann-in-room-with-visiting-host")
    assert cat.page.locator(".tile:not(.self)").count() == 1  # the visit is Room 1's only
    host.page.click("#breakout-return")
    host.wait_for("() => document.querySelector('#breakout-return').hidden", message="host back in the main room")
    ann.wait_for("() => document.querySelectorAll('.tile:not(.self)').length === 1", message="the host left Room 1")

    host.page.fill("#breakout-broadcast-text", "Five minutes left")
    host.page.click("#breakout-broadcast-send")
    for person in (ann, bob, cat, dan):
        person.wait_for("() => !document.querySelector('#breakout-message').hidden && document.querySelector("
                        "'#breakout-message-text').textContent === 'Message from Hana Host: Five minutes left'",
                        message="the broadcast")
    screenshot(bob.page, "bob-broadcast")

    host.page.click("#breakout-close")
    for person in (ann, bob, cat, dan, host):
        person.wait_for("() => /close in 0:(0\\d|10)/.test(document.querySelector('#breakout-countdown').textContent)"
                        " && !document.querySelector('#breakout-countdown').hidden", message="the countdown")
    screenshot(ann.page, "ann-countdown")

    # After the countdown everyone is back in the main room and sees the others.
    everyone = {"Hana Host": host, "Ann": ann, "Bob": bob, "Cat": cat, "Dan": dan}
    for name, person in everyone.items():
        for other in everyone:
            if other != name:
                person.wait_for_tile(other, timeout=60)
        person.wait_for("() => document.querySelector('#breakout-bar').hidden", message="no breakout bar any more")
    ann.wait_for_video_of("Cat")
    assert all(media_in(name, main, web_server) for name in ("Ann", "Bob", "Cat", "Dan"))
    assert names_in(main, web_server) == set(everyone)
    host.wait_for("() => document.querySelector('#breakout').dataset.state === 'closed'", message="closed in the panel")
    for _ in range(40):
        if not orm(lambda: BreakoutRoom.objects.exclude(conference_id="").exists()):
            break
        host.page.wait_for_timeout(250)
    assert not orm(lambda: BreakoutRoom.objects.exclude(conference_id="").exists())  # the rooms' conferences ended
    screenshot(ann.page, "back-in-main-room")
