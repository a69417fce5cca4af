"""The signed-in meeting pages: home, schedule/edit, detail, delete, previous meetings, join by code."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from config import views as config_views
from config.api import ZoomAPIError
from meetings import representations
from meetings.actions import links, lookups
from meetings.actions import schedule as scheduling  # `schedule` is the view below
from meetings.forms import JoinForm, MeetingForm, friendly
from meetings.models import Instance, Meeting


def landing(request):
    """Signed-in people land on their meetings; everyone else on the product page."""
    if request.user.is_authenticated:
        return redirect("meetings:home")
    return config_views.landing(request)


def _own_meeting(request, meeting_id, include_deleted=False) -> Meeting:
    try:
        return lookups.get_meeting(request.user, meeting_id, admin=False, include_deleted=include_deleted)
    except ZoomAPIError:
        raise Http404("No such meeting.") from None


def _room_url(meeting: Meeting) -> str:
    return links.join_url(meeting).removeprefix(settings.SITE_ROOT)


@login_required
def home(request):
    user = request.user
    now = timezone.now()
    meetings = Meeting.objects.alive().filter(host=user).select_related("host")
    upcoming = []
    for meeting, start, occurrence_id in lookups.upcoming_window(meetings, now - timedelta(hours=1), now + timedelta(days=30)):
        upcoming.append({"meeting": meeting, "start": start, "occurrence_id": occurrence_id,
                         "live": meeting.live_instance() is not None})
    return render(request, "meetings/home.html", {
        "upcoming": upcoming[:50], "join_form": JoinForm(), "now": now,
    })


@login_required
@require_POST
def instant(request):
    """"New meeting": an instant meeting, opened in the room at once."""
    meeting = scheduling.create_meeting(request.user, {"type": Meeting.Type.INSTANT})
    return redirect(_room_url(meeting))


MEETING_LINK_RE = re.compile(r"/j/(\d{9,19})")


@login_required
def join_by_code(request):
    form = JoinForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"].strip()
        digits = re.sub(r"[\s-]", "", code)
        if digits.isdigit():
            return redirect(f"/j/{int(digits)}")
        match = MEETING_LINK_RE.search(code)
        if match:
            query = parse_qs(urlparse(code).query)
            keep = {k: v[0] for k, v in query.items() if k in ("pwd", "tk")}
            suffix = "?" + "&".join(f"{k}={v}" for k, v in keep.items()) if keep else ""
            return redirect(f"/j/{match.group(1)}{suffix}")
        messages.error(request, "That is not a meeting ID or a meeting link. A meeting ID has 10 or 11 digits.")
    elif request.GET:
        messages.error(request, "Enter a meeting ID or link.")
    return redirect("meetings:home")


@login_required
def schedule(request):
    form = MeetingForm(request.POST or None, initial={"timezone": lookups.host_timezone(request.user), "duration": 60,
                                                      "password": scheduling.new_passcode()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = scheduling.create_meeting(request.user, form.api_data)
        except ZoomAPIError as exc:
            form.add_error(None, friendly(exc))
        else:
            messages.success(request, "Meeting scheduled.")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "title": "Schedule a meeting"})


@login_required
def edit(request, meeting_id):
    meeting = _own_meeting(request, meeting_id)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.check_update_rate(meeting)
            scheduling.update_meeting(meeting, form.api_data)
        except ZoomAPIError as exc:
            form.add_error(None, friendly(exc))
        else:
            messages.success(request, "Meeting updated.")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "title": "Edit meeting", "meeting": meeting})


@login_required
def detail(request, meeting_id):
    meeting = _own_meeting(request, meeting_id)
    return render(request, "meetings/detail.html", {
        "meeting": meeting,
        "join_url": links.join_url(meeting),
        "room_url": _room_url(meeting),
        "invitation": representations.invitation_text(meeting),
        "occurrences": [
            {"when": representations.local_time_text(o.start_time, meeting.timezone),
             "duration": o.duration or meeting.duration}
            for o in meeting.occurrences.filter(status="available", start_time__gte=timezone.now())[:20]
        ],
        "live": meeting.live_instance(),
        "local_start": representations.local_time_text(meeting.start_time, meeting.timezone) if meeting.start_time else "",
    })


@login_required
@require_POST
def delete(request, meeting_id):
    meeting = _own_meeting(request, meeting_id)
    try:
        scheduling.delete_meeting(meeting)
    except ZoomAPIError as exc:  # e.g. in progress: end it first
        messages.error(request, exc.bare_message)
        return redirect("meetings:detail", meeting_id=meeting.pk)
    messages.success(request, f"“{meeting.topic}” was deleted.")
    return redirect("meetings:home")


@login_required
def previous(request):
    instances = (Instance.objects.filter(meeting__host=request.user, ended_at__isnull=False)
                 .select_related("meeting").order_by("-started_at"))
    page = Paginator(instances, 20).get_page(request.GET.get("page"))
    return render(request, "meetings/previous.html", {"page": page})


@login_required
def past_instance(request, instance_id):
    instance = (Instance.objects.filter(pk=instance_id, meeting__host=request.user, ended_at__isnull=False)
                .select_related("meeting", "meeting__host").first())
    if instance is None:
        raise Http404("No such past meeting.")
    participants = instance.participants.filter(joined_at__isnull=False).select_related("user").order_by("joined_at")
    return render(request, "meetings/past.html", {
        "instance": instance, "summary": representations.past_meeting_object(instance),
        "participants": [(p, timedelta(seconds=p.duration_seconds())) for p in participants],
    })
