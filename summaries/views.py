"""Summary pages for the meeting's host: regenerate, edit, tick next steps, e-mail, progress."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from meetings.models import Instance, Meeting
from summaries import representations, services
from summaries.digest import series_digest
from summaries.models import AccountSummarySettings, Assistant, MeetingSummary, Style

logger = logging.getLogger(__name__)


def _own_summary(request, summary_id) -> MeetingSummary:
    summary = (MeetingSummary.objects.filter(pk=summary_id, instance__meeting__host=request.user)
               .select_related("instance", "instance__meeting").first())
    if summary is None:
        raise Http404("No such summary.")
    return summary


def _back(summary_or_instance) -> str:
    instance = getattr(summary_or_instance, "instance", summary_or_instance)
    return f"/meetings/previous/{instance.pk}#summary"


@login_required
@require_POST
def regenerate(request, instance_id):
    instance = Instance.objects.filter(pk=instance_id, meeting__host=request.user, ended_at__isnull=False).first()
    if instance is None:
        raise Http404("No such past meeting.")
    try:
        services.request_summary(instance, style=request.POST.get("style") or None,
                                 backend=request.POST.get("backend") or None)
        messages.success(request, _("The summary is being made."))
    except services.SummaryError as exc:
        messages.error(request, str(exc))
    return redirect(_back(instance))


@login_required
def status(request, summary_id):
    summary = _own_summary(request, summary_id)
    return JsonResponse({"state": summary.state, "failure_reason": summary.failure_reason})


@login_required
def markdown(request, summary_id):
    summary = _own_summary(request, summary_id)
    if not summary.content:
        raise Http404("The summary is not ready.")
    return HttpResponse(representations.as_markdown(summary), content_type="text/markdown; charset=utf-8")


@login_required
def edit(request, summary_id):
    summary = _own_summary(request, summary_id)
    content = summary.content or {}
    if request.method == "POST":
        details = request.POST.get("summary_details", "")
        steps = request.POST.get("next_steps", "").splitlines()
        try:
            services.edit_summary(summary, summary_details=details, next_steps=steps)
        except services.SummaryError as exc:
            return render(request, "summaries/edit.html", {"summary": summary, "error": str(exc),
                                                            "summary_details": details, "next_steps": "\n".join(steps)},
                          status=400)
        messages.success(request, _("Summary saved."))
        return redirect(_back(summary))
    if summary.state != MeetingSummary.State.COMPLETED:
        messages.error(request, _("Only a finished summary can be edited."))
        return redirect(_back(summary))
    edited = summary.edited or {}
    details = edited.get("summary_details") or "\n\n".join(
        [content.get("overview", "")] + [f"{d['label']}: {d['summary']}" for d in content.get("details", [])])
    return render(request, "summaries/edit.html", {
        "summary": summary, "summary_details": details, "next_steps": "\n".join(representations.next_steps_text(summary))})


@login_required
@require_POST
def tick(request, summary_id):
    summary = _own_summary(request, summary_id)
    try:
        services.tick_step(summary, int(request.POST.get("index", "-1")), request.POST.get("done") == "1")
    except (ValueError, services.SummaryError):
        messages.error(request, _("No such next step."))
    return redirect(_back(summary))


@login_required
@require_POST
def email(request, summary_id):
    summary = _own_summary(request, summary_id)
    if not summary.content:
        messages.error(request, _("The summary is not ready."))
        return redirect(_back(summary))
    participants = summary.instance.participants.filter(joined_at__isnull=False)
    recipients = sorted({p.email or (p.user.email if p.user else "") for p in participants.select_related("user")} - {""})
    if not recipients:
        messages.error(request, _("No participant left an e-mail address."))
        return redirect(_back(summary))
    subject = (summary.content or {}).get("title") or "Meeting summary"
    body = representations.as_markdown(summary)
    try:  # sent now, so the host learns at once whether it went out and can try again
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("summary %s e-mail failed: %s", summary.pk, exc)
        messages.error(request, _("The e-mail could not be sent; please try again later."))
        return redirect(_back(summary))
    messages.success(request, ngettext("Sent to %(count)d participant.", "Sent to %(count)d participants.",
                                       len(recipients)) % {"count": len(recipients)})
    return redirect(_back(summary))


@login_required
def digest(request, meeting_id):
    meeting = Meeting.objects.filter(pk=meeting_id, host=request.user).first()
    if meeting is None:
        raise Http404("No such meeting.")
    instances = meeting.instances.filter(summary__state=MeetingSummary.State.COMPLETED).order_by("started_at")
    return render(request, "summaries/digest.html", {"meeting": meeting, "digest": series_digest(meeting),
                                                     "instances": instances})


# --- AI assistants and the account's summary settings -----------------------------------------------


def _assistants_page(request, error="", status=200):
    items = [{"assistant": a, "can_manage": services.can_manage_assistant(request.user, a)}
             for a in Assistant.objects.filter(account=request.user.account)]
    return render(request, "summaries/assistants.html", {
        "assistants": items, "error": error, "form_name": request.POST.get("name", "") if error else "",
        "form_instructions": request.POST.get("instructions", "") if error else "",
        "is_admin": request.user.is_account_admin, "account_settings": services.account_settings(request.user.account),
        "styles": Style.choices}, status=status)


@login_required
def assistants(request):
    if request.method == "POST":
        try:
            services.create_assistant(request.user, request.POST.dict())
        except services.SummaryError as exc:
            return _assistants_page(request, str(exc), status=400)
        messages.success(request, _("Assistant created."))
        return redirect("summaries:assistants")
    return _assistants_page(request)


def _account_assistant(request, assistant_id) -> Assistant:
    assistant = Assistant.objects.filter(pk=assistant_id, account=request.user.account).first()
    if assistant is None:
        raise Http404("No such assistant.")
    return assistant


@login_required
@require_POST
def assistant_edit(request, assistant_id):
    assistant = _account_assistant(request, assistant_id)
    try:
        services.update_assistant(request.user, assistant, request.POST.dict())
    except services.SummaryError as exc:
        return _assistants_page(request, str(exc), status=400)
    except PermissionError as exc:
        messages.error(request, str(exc))
        return redirect("summaries:assistants")
    messages.success(request, _("Assistant saved."))
    return redirect("summaries:assistants")


@login_required
@require_POST
def assistant_delete(request, assistant_id):
    assistant = _account_assistant(request, assistant_id)
    try:
        services.delete_assistant(request.user, assistant)
        messages.success(request, _("Assistant deleted."))
    except PermissionError as exc:
        messages.error(request, str(exc))
    return redirect("summaries:assistants")


@login_required
@require_POST
def account_settings(request):
    if not request.user.is_account_admin:
        raise Http404("Only account admins change these settings.")
    style = request.POST.get("style") or Style.GENERAL
    if style not in Style.values:
        messages.error(request, _("Choose one of the styles."))
        return redirect("summaries:assistants")
    AccountSummarySettings.objects.update_or_create(
        account=request.user.account, defaults={"auto_summary": request.POST.get("auto_summary") == "on", "style": style})
    messages.success(request, _("Summary settings saved."))
    return redirect("summaries:assistants")


@login_required
@require_POST
def assistant_run(request, instance_id):
    instance = Instance.objects.filter(pk=instance_id, meeting__host=request.user, ended_at__isnull=False).first()
    if instance is None:
        raise Http404("No such past meeting.")
    assistant_id = request.POST.get("assistant", "")
    assistant = (Assistant.objects.filter(pk=int(assistant_id), account=request.user.account).first()
                 if assistant_id.isdigit() else None)
    if assistant is None:
        messages.error(request, _("Choose one of your account's assistants."))
    else:
        try:
            services.run_assistant(request.user, assistant, instance)
            messages.success(request, _("%(name)s is working on it.") % {"name": assistant.name})
        except services.SummaryError as exc:
            messages.error(request, str(exc))
    return redirect(f"/meetings/previous/{instance.pk}#assistants")
