"""Summary pages for the meeting's host: regenerate, edit, tick next steps, e-mail, progress."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meetings.models import Instance, Meeting
from summaries import representations, services
from summaries.models import MeetingSummary


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
        messages.success(request, "The summary is being made.")
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
        messages.success(request, "Summary saved.")
        return redirect(_back(summary))
    if summary.state != MeetingSummary.State.COMPLETED:
        messages.error(request, "Only a finished summary can be edited.")
        return redirect(_back(summary))
    edited = summary.edited or {}
    details = edited.get("summary_details") or "\n\n".join(
        [content.get("overview", "")] + [f"{d['label']}: {d['summary']}" for d in content.get("details", [])])
    return render(request, "summaries/edit.html", {
        "summary": summary, "summary_details": details, "next_steps": "\n".join(services.next_steps_text(summary))})


@login_required
@require_POST
def tick(request, summary_id):
    summary = _own_summary(request, summary_id)
    try:
        services.tick_step(summary, int(request.POST.get("index", "-1")), request.POST.get("done") == "1")
    except (ValueError, services.SummaryError):
        messages.error(request, "No such next step.")
    return redirect(_back(summary))


@login_required
@require_POST
def email(request, summary_id):
    summary = _own_summary(request, summary_id)
    if not summary.content:
        messages.error(request, "The summary is not ready.")
        return redirect(_back(summary))
    participants = summary.instance.participants.filter(joined_at__isnull=False)
    recipients = sorted({p.email or (p.user.email if p.user else "") for p in participants.select_related("user")} - {""})
    if not recipients:
        messages.error(request, "No participant left an e-mail address.")
        return redirect(_back(summary))
    subject = (summary.content or {}).get("title") or "Meeting summary"
    body = representations.as_markdown(summary)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True))
    messages.success(request, f"Sent to {len(recipients)} participant{'s' if len(recipients) != 1 else ''}.")
    return redirect(_back(summary))


@login_required
def digest(request, meeting_id):
    from summaries.digest import series_digest

    meeting = Meeting.objects.filter(pk=meeting_id, host=request.user).first()
    if meeting is None:
        raise Http404("No such meeting.")
    instances = meeting.instances.filter(summary__state=MeetingSummary.State.COMPLETED).order_by("started_at")
    return render(request, "summaries/digest.html", {"meeting": meeting, "digest": series_digest(meeting),
                                                     "instances": instances})
