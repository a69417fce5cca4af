"""Demo meetings for `manage.py seed_demo` (idempotent: only for a user who has none)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meetings.actions import schedule
from meetings.models import Meeting


def ensure_demo_meetings(user) -> list[Meeting]:
    existing = list(Meeting.objects.alive().filter(host=user).order_by("created_at"))
    if existing:
        return existing
    tomorrow = (timezone.now() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    weekly = schedule.create_meeting(user, {
        "topic": "Team sync", "type": Meeting.Type.RECURRING_FIXED_TIME, "start_time": tomorrow, "duration": 30,
        "timezone": "UTC", "agenda": "What we did, what we do next, what blocks us.",
        "recurrence": {"type": 2, "weekly_days": str(tomorrow.isoweekday() % 7 + 1), "end_times": 8},
        "settings": {"mute_upon_entry": True, "join_before_host": True},
    }, source="demo")
    review = schedule.create_meeting(user, {
        "topic": "Design review", "type": Meeting.Type.SCHEDULED, "start_time": tomorrow + timedelta(hours=5),
        "duration": 60, "timezone": "UTC", "settings": {"waiting_room": True},
    }, source="demo")
    return [weekly, review]
