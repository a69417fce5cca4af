"""The signed-in meeting pages: home, schedule/edit, detail, delete, previous meetings, join by code."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import user_settings
from config import views as config_views
from config.api import ZoomAPIError
from meetings import calendar, recurrence, representations
from meetings.actions import links, live, lookups
from meetings.actions import schedule as scheduling  # `schedule` is the view below
from meetings.forms import InviteForm, JoinForm, MeetingForm, PersonalRoomForm
from meetings.models import Instance, Meeting
from notifications import services as notifications


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


def _card(meeting: Meeting, start, live: bool, tz_name: str) -> dict:
    """What an upcoming-meeting card shows (templates/meetings/_card.html)."""
    return {
        "meeting": meeting, "start": start, "live": live,
        "end": start + timedelta(minutes=meeting.duration) if start else None,
        "recurring": meeting.type in (Meeting.Type.RECURRING_FIXED_TIME, Meeting.Type.RECURRING_NO_FIXED_TIME),
        "room_url": _room_url(meeting), "join_url": links.join_url(meeting),
        "invitation": representations.invitation_text(meeting),
    }


@login_required
def home(request):
    """Google-Meet-like home: New meeting menu, the code box, upcoming meetings as cards, and the
    link of a meeting just created "for later" (in a dialog)."""
    user = request.user
    now = timezone.now()
    tz_name = lookups.host_timezone(user)
    meetings = Meeting.objects.alive().filter(host=user).select_related("host")
    upcoming = []
    listed = set()
    for meeting, start, _occurrence in lookups.upcoming_window(meetings, now - timedelta(hours=1), now + timedelta(days=30)):
        live = meeting.live_instance() is not None
        if start and not live and start + timedelta(minutes=meeting.duration) < now:
            continue  # over (the window looks back an hour for meetings that may still run)
        if meeting.pk in listed:
            continue  # a recurring meeting shows its next occurrence only
        upcoming.append(_card(meeting, start, live, tz_name))
        listed.add(meeting.pk)
    anytime = [_card(m, None, m.live_instance() is not None, tz_name)
               for m in meetings.filter(type=Meeting.Type.RECURRING_NO_FIXED_TIME).exclude(pk__in=listed)
               .order_by("-created_at")[:20]]
    later = None
    later_id = request.session.pop("later_meeting_id", None)
    if later_id:
        later = meetings.filter(pk=later_id).first()
    return render(request, "meetings/home.html", {
        "upcoming": upcoming[:50], "anytime": anytime, "join_form": JoinForm(), "now": now, "tz_name": tz_name,
        "later": later, "later_join_url": links.join_url(later) if later else "",
    })


@login_required
@require_POST
def instant(request):
    """"Start an instant meeting": an instant meeting, opened in the room at once."""
    meeting = scheduling.create_meeting(request.user, {"type": Meeting.Type.INSTANT})
    return redirect(_room_url(meeting))


@login_required
@require_POST
def later(request):
    """"Create a meeting for later": a meeting with no fixed time whose link the home page then shows."""
    meeting = scheduling.create_meeting(request.user, {"type": Meeting.Type.RECURRING_NO_FIXED_TIME})
    request.session["later_meeting_id"] = meeting.pk
    return redirect("meetings:home")


MEETING_LINK_RE = re.compile(r"/j/(\d{9,19})")


def join_by_code(request):
    """The code-or-link box of the home page and of the landing page (anyone may join a meeting:
    the room decides who gets in); a bad code goes back to the page it came from with a message."""
    back = "meetings:home" if request.user.is_authenticated else "landing"
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
        messages.error(request, _("That is not a meeting ID or a meeting link. A meeting ID has 10 or 11 digits."))
    elif request.GET:
        messages.error(request, _("Enter a meeting ID or link."))
    return redirect(back)


@login_required
def schedule(request):
    # A new meeting's form starts from the user's default meeting settings (accounts.user_settings).
    defaults = user_settings.meeting_defaults(request.user, Meeting.Type.SCHEDULED)
    initial = {"timezone": lookups.host_timezone(request.user), "duration": 60,
               "password": scheduling.new_passcode() if user_settings.generates_passcodes(request.user) else "",
               **{name: defaults[name] for name in ("waiting_room", "host_video", "participant_video",
                                                   "join_before_host", "auto_recording")}}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = scheduling.create_meeting(request.user, form.api_data)
        except ZoomAPIError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Meeting scheduled.")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "title": _("Schedule a meeting"),
                                                  "browser_timezone": not request.POST})


@login_required
@require_POST
def personal_room(request):
    """The profile's "Personal meeting room" card: the room's passcode and main settings."""
    form = PersonalRoomForm(request.POST)
    if form.is_valid():
        try:
            scheduling.update_meeting(Meeting.objects.personal(request.user), form.api_data)
        except ZoomAPIError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Personal meeting room saved."))
    else:
        name, errors = next(iter(form.errors.items()))
        messages.error(request, f"{form[name].label}: {errors[0]}")
    return redirect(reverse("profile") + "#personal-room-title")


@login_required
def preview(request):
    """The schedule form's next-occurrences preview (JSON): the starts the form's current values would
    give, computed by the same rules the meeting will be saved with (meetings.recurrence)."""
    form = MeetingForm(request.GET)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return JsonResponse({"occurrences": [], "error": str(errors[0]), "field": field})
    data = form.api_data
    zone = ZoneInfo(data["timezone"])
    start = form.cleaned_data["start"].replace(tzinfo=None).replace(tzinfo=zone)
    starts = recurrence.expand(data["recurrence"], start, data["timezone"]) if data.get("recurrence") else [start]
    language = translation.get_language()
    return JsonResponse({
        "occurrences": [formats.date_format(s.astimezone(zone), "DATETIME_FORMAT") for s in starts[:6]],
        "count": len(starts), "timezone": data["timezone"], "language": language,
    })


@login_required
def edit(request, meeting_id):
    meeting = _own_meeting(request, meeting_id)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.check_update_rate(meeting)
            scheduling.update_meeting(meeting, form.api_data)
        except ZoomAPIError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Meeting updated.")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "title": _("Edit meeting"), "meeting": meeting})


def _detail_context(request, meeting: Meeting, invite_form: InviteForm | None = None) -> dict:
    has_entry = calendar.has_calendar_entry(meeting)
    tz_name = meeting.timezone
    return {
        "meeting": meeting,
        "join_url": links.join_url(meeting),
        "room_url": _room_url(meeting),
        "invitation": representations.invitation_text(meeting),
        "sip_uri": "" if meeting.end_to_end_encrypted else links.sip_dialing(meeting)["sip_dialing"].split(";pic=")[0],
        "occurrences": [
            {"when": representations.local_time_text(o.start_time, tz_name), "duration": o.duration or meeting.duration}
            for o in meeting.occurrences.filter(status="available", start_time__gte=timezone.now())[:10]
        ],
        "live": meeting.live_instance(),
        "local_start": representations.local_time_text(meeting.start_time, tz_name) if meeting.start_time else "",
        "has_calendar_entry": has_entry,
        "google_link": calendar.google_link(meeting) if has_entry else "",
        "outlook_link": calendar.outlook_link(meeting) if has_entry else "",
        "invite_form": invite_form or InviteForm(),
    }


@login_required
def detail(request, meeting_id):
    meeting = _own_meeting(request, meeting_id)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@login_required
def calendar_file(request, meeting_id):
    """The meeting's .ics (a download), for meetings with a start time."""
    meeting = _own_meeting(request, meeting_id)
    if not calendar.has_calendar_entry(meeting):
        raise Http404("This meeting has no fixed time, so no calendar entry.")
    response = HttpResponse(calendar.ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
@require_POST
def invite(request, meeting_id):
    """Invite people by e-mail: the invitation text and the .ics, one message each."""
    meeting = _own_meeting(request, meeting_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        emails = form.cleaned_data["emails"]
        try:
            live.spend_invitation_budget(meeting, len(emails))
        except ZoomAPIError as exc:
            form.add_error("emails", exc.bare_message)
        else:
            notifications.invite_from_page(meeting, emails)
            messages.success(request, ngettext("Invitation sent to %(count)d person.", "Invitations sent to %(count)d people.",
                                               len(emails)) % {"count": len(emails)})
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting, form), status=400)


@login_required
@require_POST
def delete(request, meeting_id):
    """Deletes the meeting; with "notify" checked (the default), registrants and the people invited from
    the page get the cancellation notice; hosts get it by their notification settings."""
    meeting = _own_meeting(request, meeting_id)
    tell_guests = request.POST.get("notify") == "on"
    try:
        scheduling.delete_meeting(meeting, notify_registrants=tell_guests,
                                  notify=notifications.cancellation_recipients(meeting, invitees=tell_guests))
    except ZoomAPIError as exc:  # e.g. in progress (end it first), or the personal meeting room
        messages.error(request, exc.bare_message)
        return redirect("meetings:detail", meeting_id=meeting.pk)
    messages.success(request, f"“{meeting.topic}” was deleted.")
    return redirect("meetings:home")


@login_required
def previous(request):
    """Ended instances, newest first, with badges for what each has: a cloud recording, a transcript
    (a recording's TRANSCRIPT file), a completed summary (looked up through the reverse relations the
    recordings and summaries apps declare on Instance, so this app imports neither)."""
    own = Instance.objects.filter(pk=OuterRef("pk"))
    instances = (Instance.objects.filter(meeting__host=request.user, ended_at__isnull=False)
                 .annotate(has_recording=Exists(own.filter(cloud_recording__isnull=False,
                                                            cloud_recording__trashed_at__isnull=True)),
                           has_transcript=Exists(own.filter(cloud_recording__files__file_type="TRANSCRIPT",
                                                            cloud_recording__trashed_at__isnull=True)),
                           has_summary=Exists(own.filter(summary__state="completed")))
                 .select_related("meeting").order_by("-started_at"))
    page = Paginator(instances, 20).get_page(request.GET.get("page"))
    return render(request, "meetings/previous.html", {"page": page, "tz_name": lookups.host_timezone(request.user)})


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
