"""Four people: everyone's camera plays in an adaptive 2×2 grid. At phone width (390 px) the pre-join
screen and the call fit the screen with their controls."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_four_person_grid(room_people, screenshot):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    names = ["Gus Guest", "Olga Other", "Priya Patel"]
    others = [room_people.guest().open(meeting).join(name) for name in names]
    for name in names:
        host.wait_for_video_of(name)
    for other in others:
        other.wait_for_video_of("Hana Host")
    tiles = host.page.evaluate("() => [...document.querySelectorAll('.tile')].map(t => t.getBoundingClientRect().toJSON())")
    assert len(tiles) == 4
    assert len({round(t["x"]) for t in tiles}) == 2 and len({round(t["y"]) for t in tiles}) == 2  # 2 × 2
    assert all(abs(t["width"] / t["height"] - 16 / 9) < 0.05 for t in tiles)
    host.page.mouse.move(5, 5)
    screenshot(host.page, "four-people")

    host.tile("Olga Other").hover()
    host.tile("Olga Other").locator(".tile-pin").click()  # pin: Olga on the stage, the others beside
    host.page.wait_for_selector("#stage:not([hidden])[data-kind='pinned']")
    assert host.page.text_content("#stage-label") == "Olga Other"
    host.wait_for_video("#stage-video", what="Olga pinned on the stage")
    host.tile("Olga Other").locator(".tile-pin").click()
    host.page.wait_for_selector("#stage", state="hidden")


def test_phone_width(room_people, screenshot):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    phone = room_people.guest(viewport=PHONE).open(meeting)
    phone.wait_for_preview()
    assert phone.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone.page, "prejoin-phone")
    phone.join("Pat Phone")
    phone.wait_for_video_of("Hana Host")
    assert phone.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for button in ("#btn-mic", "#btn-cam", "#btn-hand", "#btn-more", "#btn-leave"):
        box = phone.page.locator(button).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["y"] + box["height"] <= PHONE["height"]
    phone.page.click("#btn-more")
    phone.page.click('[data-action="chat"]')
    panel = phone.page.locator("#panel").bounding_box()
    assert panel["width"] == PHONE["width"]  # the chat covers the call on a phone
    phone.page.click("#panel-close")
    screenshot(phone.page, "call-phone")
