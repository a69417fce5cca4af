"""The "your recording / summary is ready" hook the recordings and summaries apps call."""

import pytest

from notifications import services

pytestmark = pytest.mark.django_db


def test_ready_notice_links_to_the_page(host, settings, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_ready_notice(host, "recording", "Design review", "/recordings/abc/")
    [(_, recipients, message)] = smtp_inbox.messages
    assert recipients == [host.email] and message["Subject"] == "Your recording of Design review is ready"
    assert settings.SITE_ROOT + "/recordings/abc/" in message.get_body(("plain",)).get_content()


def test_nothing_is_sent_when_the_transaction_rolls_back(host, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.send_ready_notice(host, "summary", "Retro", "/meetings/previous/1")
    assert smtp_inbox.messages == []


def test_the_choice_on_the_settings_page_turns_them_off(host, smtp_inbox, django_capture_on_commit_callbacks):
    from notifications.models import NotificationSettings

    NotificationSettings.objects.create(user=host, ready_notices=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_ready_notice(host, "recording", "Design review", "/recordings/abc/") is False
    assert smtp_inbox.messages == []
