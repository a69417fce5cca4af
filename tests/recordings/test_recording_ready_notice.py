"""When a cloud recording is complete its host gets the one "ready" e-mail (notifications.services.
send_ready_notice) with the link to the recording's page, unless the recording's send_email_to_host
setting or the host's own notification choice says no."""

import pytest

from notifications.models import NotificationSettings
from recordings import events

pytestmark = pytest.mark.django_db


def test_the_host_is_told_with_a_link(host, make_recording, settings, smtp_inbox, django_capture_on_commit_callbacks):
    recording = make_recording(host)
    with django_capture_on_commit_callbacks(execute=True):
        events.recording_completed(recording)
    [(_, recipients, message)] = smtp_inbox.messages
    assert recipients == [host.email] and message["Subject"] == "Your recording of Design review is ready"
    assert f"{settings.SITE_ROOT}/recordings/{recording.pk}/" in message.get_body(("plain",)).get_content()


def test_not_when_the_host_turned_ready_notices_off(host, make_recording, smtp_inbox, django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=host, ready_notices=False)
    recording = make_recording(host)
    with django_capture_on_commit_callbacks(execute=True):
        events.recording_completed(recording)
    assert smtp_inbox.messages == []


def test_not_when_the_recording_setting_says_no(host, make_recording, smtp_inbox, django_capture_on_commit_callbacks):
    recording = make_recording(host)
    recording.settings = {**recording.settings, "send_email_to_host": False}
    with django_capture_on_commit_callbacks(execute=True):
        events.recording_completed(recording)
    assert smtp_inbox.messages == []
