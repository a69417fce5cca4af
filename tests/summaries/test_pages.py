"""The summary on the past meeting's page: progress, content, ticking next steps, edit, regenerate, e-mail."""

import pytest
from django.core import mail
from django.test import Client

from summaries import pipeline
from summaries.models import MeetingSummary

pytestmark = pytest.mark.django_db


def page(client, instance):
    response = client.get(f"/meetings/previous/{instance.pk}")
    assert response.status_code == 200
    return response.content.decode()


def test_progress_then_summary(ended_meeting, host):
    instance = ended_meeting()
    client = Client()
    client.force_login(host)
    html = page(client, instance)
    assert "Waiting for the transcript" in html and 'data-state="pending"' in html
    summary = MeetingSummary.objects.get(instance=instance)
    assert client.get(f"/meetings/summaries/{summary.pk}/status").json() == {"state": "pending", "failure_reason": ""}
    pipeline.run(summary.pk, summary.generation)
    html = page(client, instance)
    assert "Meeting summary for Website relaunch" in html
    assert "Gita Guest will tell the newsletter team about the new date by friday." in html
    assert "We agreed to move the launch date to march twenty fourth." in html
    assert "Copy as Markdown" in html
    markdown = client.get(f"/meetings/summaries/{summary.pk}/summary.md").content.decode()
    assert markdown.startswith("# Meeting summary for Website relaunch")
    assert "- [ ] Gita Guest will tell the newsletter team" in markdown


def test_tick_edit_and_email(summarised, host):
    summary = summarised()
    client = Client()
    client.force_login(host)
    response = client.post(f"/meetings/summaries/{summary.pk}/tick", {"index": "0", "done": "1"})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.done_steps == [0]
    assert "checked" in page(client, summary.instance)
    edit = client.get(f"/meetings/summaries/{summary.pk}/edit")
    assert edit.status_code == 200 and "launch date" in edit.content.decode()
    client.post(f"/meetings/summaries/{summary.pk}/edit",
                {"summary_details": "Launch on 24 March.", "next_steps": "Gita: newsletter\nHana: interviews\n"})
    summary.refresh_from_db()
    assert summary.edited == {"summary_details": "Launch on 24 March.", "next_steps": ["Gita: newsletter", "Hana: interviews"]}
    assert "Summary (edited by the host)" in page(client, summary.instance)


def test_email_goes_to_participants_with_addresses(summarised, host):
    summary = summarised()
    client = Client()
    client.force_login(host)
    response = client.post(f"/meetings/summaries/{summary.pk}/email", follow=True)
    assert "Sent to 1 participant." in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [host.email]
    assert mail.outbox[0].subject == "Meeting summary for Website relaunch"


def test_regenerate_with_the_embedded_backend_after_a_failure(ended_meeting, host, settings):
    settings.SUMMARIES_BACKEND = "openai"
    settings.SUMMARIES_OPENAI_BASE_URL = ""
    instance = ended_meeting()
    summary = MeetingSummary.objects.get(instance=instance)
    pipeline.run(summary.pk, summary.generation)
    client = Client()
    client.force_login(host)
    html = page(client, instance)
    assert "The summary could not be made" in html and "not configured" in html
    assert '<option value="embedded" selected>' in html
    client.post(f"/meetings/previous/{instance.pk}/summarise", {"style": "general", "backend": "embedded"})
    summary.refresh_from_db()
    assert summary.state == "pending" and summary.backend == "embedded"
    pipeline.run(summary.pk, summary.generation)
    assert "Meeting summary for Website relaunch" in page(client, instance)


def test_others_cannot_see_or_change_it(summarised, make_user):
    summary = summarised()
    other = make_user(email="eve@other.example")
    client = Client()
    client.force_login(other)
    assert client.get(f"/meetings/summaries/{summary.pk}/status").status_code == 404
    assert client.get(f"/meetings/summaries/{summary.pk}/edit").status_code == 404
    assert client.post(f"/meetings/summaries/{summary.pk}/tick", {"index": "0", "done": "1"}).status_code == 404
    assert client.post(f"/meetings/previous/{summary.instance.pk}/summarise", {}).status_code == 404
    summary.refresh_from_db()
    assert summary.done_steps == [] and summary.state == "completed"


def test_series_digest_page(summarised, host, make_user):
    first = summarised(meeting_type=3)
    client = Client()
    client.force_login(host)
    assert "Series digest" in page(client, first.instance)
    html = client.get(f"/meetings/{first.instance.meeting_id}/digest").content.decode()
    assert "Series digest: Website relaunch" in html
    assert "We agreed to move the launch date to march twenty fourth." in html
    assert "Gita Guest will tell the newsletter team about the new date by friday." in html
    other = Client()
    other.force_login(make_user(email="eve@other.example"))
    assert other.get(f"/meetings/{first.instance.meeting_id}/digest").status_code == 404


def test_ask_about_the_meeting(summarised, host):
    summary = summarised()
    client = Client()
    client.force_login(host)
    html = client.get(f"/meetings/previous/{summary.instance.pk}", {"q": "What was agreed about the launch date?"}).content.decode()
    assert "Hana Host said: \u201cwe agreed to move the launch date to march twenty fourth\u201d" in html
    assert "00:00:24</span> <strong>Hana Host</strong>: we agreed to move the launch date to march twenty fourth" in html


def test_email_failure_is_reported(summarised, host, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    summary = summarised()
    client = Client()
    client.force_login(host)
    response = client.post(f"/meetings/summaries/{summary.pk}/email", follow=True)
    assert response.status_code == 200
    assert "The e-mail could not be sent; please try again later." in response.content.decode()
