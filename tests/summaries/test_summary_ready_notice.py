"""When a meeting's summary is complete its host gets the one "ready" e-mail (notifications.services.
send_ready_notice) with the link to the previous meeting's page, unless they turned it off."""

import pytest

from notifications.models import NotificationSettings

pytestmark = pytest.mark.django_db


def ready_notices(inbox):
    return [(rcpts, m) for _, rcpts, m in inbox.messages if m["Subject"].startswith("Your summary of")]


def test_the_host_is_told_with_a_link(summarised, host, settings, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        summary = summarised()
    [(recipients, message)] = ready_notices(smtp_inbox)
    assert recipients == [host.email]
    assert message["Subject"] == f"Your summary of {summary.instance.meeting.topic} is ready"
    assert f"{settings.SITE_ROOT}/meetings/previous/{summary.instance_id}" in message.get_body(("plain",)).get_content()


def test_not_when_the_host_turned_ready_notices_off(summarised, host, smtp_inbox, django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=host, ready_notices=False)
    with django_capture_on_commit_callbacks(execute=True):
        summarised()
    assert ready_notices(smtp_inbox) == []
