"""Quality pages for hosts and account admins: a meeting's quality (per participant: charts of
bitrate, loss, jitter, round-trip time and frame rate per minute, and the quality flags), its CSV
export, and a dashboard of live meetings that reloads itself (docs/qos.md). Who sees what is the
dashboard API's rule (`qos.dashboard`): account admins the account's meetings, others their own."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from meetings.actions import lookups
from meetings.models import Instance
from qos import charts, dashboard, reports

RECENT_DAYS = 7
LIVE_RELOAD_MS = 15_000


def _instance(user, instance_id) -> Instance:
    meetings = lookups.visible_meetings(user, admin=dashboard.is_admin(user), include_deleted=True)
    instance = Instance.objects.filter(pk=instance_id, meeting__in=meetings).select_related("meeting").first()
    if instance is None:
        raise Http404("No such meeting.")
    return instance


def _people_with_rows(instance):
    people = list(dashboard.joined_participants(instance).order_by("joined_at", "pk"))
    series = reports.minute_rows(instance.conference_id, [p.media_participant_id for p in people])
    return [(person, series.get(person.media_participant_id, [])) for person in people]


@login_required
def meeting_quality(request, instance_id):
    instance = _instance(request.user, instance_id)
    people = [{"person": person, "flags": reports.quality_of(rows), "charts": charts.charts(rows), "minutes": len(
        charts.per_minute(rows))} for person, rows in _people_with_rows(instance)]
    return render(request, "qos/meeting.html", {"instance": instance, "people": people, "width": charts.WIDTH,
                                                "height": charts.HEIGHT})


CSV_COLUMNS = ["participant", "user_id", "minute_utc", "source", "stream", "samples", "bitrate_kbps_avg",
               "latency_ms_avg", "jitter_ms_avg", "loss_pct_avg", "loss_pct_max", "frame_rate_avg", "resolution"]


@login_required
def meeting_quality_csv(request, instance_id):
    instance = _instance(request.user, instance_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quality-{instance.meeting_id}-{instance.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for person, rows in _people_with_rows(instance):
        for row in rows:
            stream = reports.STREAM_NAMES.get((row["direction"], row["media"], row["kind"]), "as_audio")
            writer.writerow([_cell(person.name), person.key, row["minute"].strftime("%Y-%m-%dT%H:%M:%SZ"), row["source"],
                             stream, row["samples"], f"{row['bitrate_avg'] / 1000:.2f}", f"{row['rtt_avg']:.0f}",
                             f"{row['jitter_avg']:.0f}", f"{row['loss_avg']:.2f}", f"{row['loss_max']:.2f}",
                             f"{row['frame_rate_avg']:.0f}", reports.resolution(row["width_max"], row["height_max"])])
    return response


def _cell(text: str) -> str:
    """A name as a CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def live(request):
    meetings = lookups.visible_meetings(request.user, admin=dashboard.is_admin(request.user), include_deleted=True)
    instances = Instance.objects.filter(meeting__in=meetings).select_related("meeting", "meeting__host")
    now = timezone.now()
    live_instances = list(instances.filter(ended_at__isnull=True).order_by("-started_at")[:100])
    recent = list(instances.filter(ended_at__gte=now - timedelta(days=RECENT_DAYS)).order_by("-started_at")[:50])
    flags = reports.conference_flags(i.conference_id for i in live_instances + recent)
    counts = dashboard.participant_counts(live_instances + recent)
    rows = lambda group: [{"instance": i, "flags": flags.get(i.conference_id, {}), "participants": counts.get(i.pk, 0)}  # noqa: E731
                          for i in group]
    return render(request, "qos/live.html", {"live": rows(live_instances), "recent": rows(recent),
                                             "reload_ms": LIVE_RELOAD_MS, "recent_days": RECENT_DAYS})
