"""Chat round-trips: a message to everyone reaches everyone; a private one reaches only its addressee."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = "() => [...document.querySelectorAll('#chat-log .msg')].map(m => [m.dataset.from, m.querySelector('p').textContent])"


def send(user, text, to=None):
    if user.page.locator("#panel-chat").is_hidden():
        user.page.click("#btn-chat")
    if to:
        user.page.select_option("#chat-to", label=to)
    user.page.fill("#chat-input", text)
    user.page.keyboard.press("Enter")


def wait_for_message(user, sender, text):
    user.wait_for("([sender, text]) => [...document.querySelectorAll('#chat-log .msg')].some("
                  "m => m.dataset.from === sender && m.querySelector('p').textContent === text)",
                  [sender, text], message=f"{sender}: {text}")


def test_messages_to_everyone_and_to_one_person(room_people, screenshot):
    host = room_people.host("Hana Host")
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    gus = room_people.guest().open(meeting).join("Gus Guest")
    olga = room_people.guest().open(meeting).join("Olga Other")
    for user, others in ((host, ("Gus Guest", "Olga Other")), (gus, ("Hana Host", "Olga Other")),
                         (olga, ("Hana Host", "Gus Guest"))):
        for name in others:
            user.wait_for_tile(name)

    send(host, "Welcome, everyone! Agenda is in the doc.")
    wait_for_message(gus, "Hana Host", "Welcome, everyone! Agenda is in the doc.")
    wait_for_message(olga, "Hana Host", "Welcome, everyone! Agenda is in the doc.")
    assert gus.page.text_content("#chat-badge") == "1"  # unread while the panel is closed

    send(gus, "Can I present second?", to="Hana Host")
    wait_for_message(host, "Gus Guest", "Can I present second?")
    assert host.page.locator("#chat-log .msg", has_text="Can I present second?").locator("em").is_visible()
    send(gus, "Thanks!", to="Everyone")  # the recipient sticks until changed
    wait_for_message(olga, "Gus Guest", "Thanks!")
    wait_for_message(host, "Gus Guest", "Thanks!")
    olga_saw = [text for _, text in olga.page.evaluate(MESSAGES)]
    assert "Can I present second?" not in olga_saw  # private: Olga got the later message, not that one

    assert gus.page.evaluate(MESSAGES)[-2:] == [["You", "Can I present second?"], ["You", "Thanks!"]]
    send(host, "Sure, you're up after Olga.")
    wait_for_message(gus, "Hana Host", "Sure, you're up after Olga.")
    screenshot(host.page, "chat-panel")
