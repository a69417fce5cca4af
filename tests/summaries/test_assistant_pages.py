"""Assistant pages: manage the account's assistants, run one from a past meeting's page, see the kept answer."""

import pytest
from django.test import Client

from summaries import assistants
from summaries.models import AccountSummarySettings, Assistant, AssistantRun

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_create_edit_delete(host, member):
    client = signed_in(host)
    assert "No assistants yet." in client.get("/meetings/assistants/").content.decode()
    response = client.post("/meetings/assistants/", {"name": "Risks", "instructions": "List the risks raised"})
    assert response.status_code == 302
    assistant = Assistant.objects.get()
    assert (assistant.account, assistant.created_by) == (host.account, host)
    duplicate = client.post("/meetings/assistants/", {"name": "risks", "instructions": "again"})
    assert duplicate.status_code == 400 and "already has an assistant called risks" in duplicate.content.decode()
    client.post(f"/meetings/assistants/{assistant.pk}/edit", {"name": "Risks", "instructions": "List every risk"})
    assistant.refresh_from_db()
    assert assistant.instructions == "List every risk"
    # A member sees it but cannot change it.
    other = signed_in(member)
    assert "List every risk" in other.get("/meetings/assistants/").content.decode()
    other.post(f"/meetings/assistants/{assistant.pk}/delete")
    assert Assistant.objects.exists()
    client.post(f"/meetings/assistants/{assistant.pk}/delete")
    assert not Assistant.objects.exists()


def test_run_from_the_meeting_page(summarised, host):
    summary = summarised()
    assistant = Assistant.objects.create(account=host.account, name="Follow-up", instructions="Draft the follow-up e-mail")
    client = signed_in(host)
    page = client.get(f"/meetings/previous/{summary.instance.pk}").content.decode()
    assert '<option value="%d">Follow-up</option>' % assistant.pk in page
    client.post(f"/meetings/previous/{summary.instance.pk}/assistants/run", {"assistant": str(assistant.pk)})
    run = AssistantRun.objects.get()
    assert "Working…" in client.get(f"/meetings/previous/{summary.instance.pk}").content.decode()
    assistants.run(run.pk)
    page = client.get(f"/meetings/previous/{summary.instance.pk}").content.decode()
    assert "Subject: Follow-up: Website relaunch" in page


def test_account_settings_admins_only(host, member):
    signed_in(host).post("/meetings/assistants/settings", {"style": "daily_standup"})
    settings = AccountSummarySettings.objects.get(account=host.account)
    assert (settings.auto_summary, settings.style) == (False, "daily_standup")
    assert signed_in(member).post("/meetings/assistants/settings", {"auto_summary": "on"}).status_code == 404
    assert AccountSummarySettings.objects.get(account=host.account).auto_summary is False


def test_other_accounts_assistants_cannot_be_used(summarised, host, stranger):
    summary = summarised()
    theirs = Assistant.objects.create(account=stranger.account, name="Theirs", instructions="List the risks")
    client = signed_in(host)
    client.post(f"/meetings/previous/{summary.instance.pk}/assistants/run", {"assistant": str(theirs.pk)})
    assert not AssistantRun.objects.exists()
    assert signed_in(stranger).post(f"/meetings/assistants/{theirs.pk}/edit", {"name": "x", "instructions": "y"}).status_code == 302
    assert signed_in(host).post(f"/meetings/assistants/{theirs.pk}/delete").status_code == 404
