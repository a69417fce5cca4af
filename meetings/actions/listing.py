"""A page of GET /v2/users/{userId}/meetings in one hand-written SQL query.

`MeetingQuerySet.listed` states the list types in the ORM (the readable definition); this module runs
the same selection as SQL written once per list type at import, because building and compiling that
ORM query on every request was ~40 % of the list's time (docs/scaling.md); PostgreSQL plans each
statement once per pooled connection (config.db.prepared_cursor).
`tests/meetings/test_list_meetings_sql.py` holds the two to the same answers on every list type.

One query gives the page's rows, each with the list's total (a window count over the selection,
before any next_page_token cursor), its live instance's UUID (a join) and, for a fixed-time recurring
meeting, its next occurrence's start (what the list shows as its start_time). Reads only.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from config.api import Page, PageRequest, next_page_token
from config.db import prepared_cursor
from meetings.models import Meeting, Occurrence

SCHEDULED, RECURRING_NO_FIXED_TIME, RECURRING_FIXED_TIME = (
    Meeting.Type.SCHEDULED, Meeting.Type.RECURRING_NO_FIXED_TIME, Meeting.Type.RECURRING_FIXED_TIME)
AVAILABLE = Occurrence.Status.AVAILABLE.value

# Conditions on a meeting row `m` and its live instance `live` (parameters: %(now)s).
LIVE = "live.id IS NOT NULL"
HAS_RUN = "EXISTS (SELECT FROM meetings_instance i WHERE i.meeting_id = m.id AND i.ended_at IS NOT NULL)"
SCHEDULED_END = "m.start_time + m.duration * interval '1 minute'"
OCCURRENCE_NOT_OVER = f"""EXISTS (SELECT FROM meetings_occurrence o WHERE o.meeting_id = m.id AND o.status = '{AVAILABLE}'
                      AND o.start_time + coalesce(o.duration, m.duration) * interval '1 minute' >= %(now)s)"""

LIST_TYPE_CONDITIONS = {
    "scheduled": f"m.type IN ({SCHEDULED}, {RECURRING_NO_FIXED_TIME}, {RECURRING_FIXED_TIME}) OR {LIVE}",
    "live": LIVE,
    "upcoming": f"""{LIVE} OR m.type = {RECURRING_NO_FIXED_TIME}
                    OR (m.type = {SCHEDULED} AND {SCHEDULED_END} >= %(now)s)
                    OR (m.type = {RECURRING_FIXED_TIME} AND {OCCURRENCE_NOT_OVER})""",
    "previous_meetings": f"""{HAS_RUN} OR (m.type = {SCHEDULED} AND {SCHEDULED_END} < %(now)s)
                             OR (m.type = {RECURRING_FIXED_TIME} AND NOT {OCCURRENCE_NOT_OVER})""",
}
LIST_TYPE_CONDITIONS["upcoming_meetings"] = LIST_TYPE_CONDITIONS["upcoming"]

# from/to: the meeting, or an occurrence of it, starts in [%(lower)s, %(upper)s).
STARTS_BETWEEN = f"""((m.start_time >= %(lower)s AND m.start_time < %(upper)s)
    OR EXISTS (SELECT FROM meetings_occurrence o WHERE o.meeting_id = m.id AND o.status = '{AVAILABLE}'
               AND o.start_time >= %(lower)s AND o.start_time < %(upper)s))"""

# The host's meetings in the list (a personal room only while live), each with the list's total.
# A meeting has at most one live instance (the one_live_instance constraint): the join adds no row.
SELECTION = f"""SELECT m.id, m.topic, m.type, left(m.agenda, 250) AS agenda, m.start_time, m.duration, m.timezone,
       m.password, m.settings -> 'use_pmi' = 'true' AS uses_pmi, m.created_at, m.next_instance_uuid, m.personal,
       count(*) OVER () AS total_records, live.uuid AS live_uuid, coalesce(m.start_time, m.created_at) AS sort_time
FROM meetings_meeting m LEFT JOIN meetings_instance live ON live.meeting_id = m.id AND live.ended_at IS NULL
WHERE m.host_id = %(host)s AND m.deleted_at IS NULL AND (NOT m.personal OR {LIVE})
  AND ({{list_type}}) {{range}}"""

# The page of the selection, in (sort_time, id) order, after the cursor if any.
PAGE = f"""SELECT page.id, page.topic, page.type, page.agenda, page.start_time, page.duration, page.timezone,
    page.password, page.uses_pmi, page.created_at, page.next_instance_uuid, page.personal, page.total_records,
    page.live_uuid,
    CASE WHEN page.type = {RECURRING_FIXED_TIME} THEN
        (SELECT o.start_time FROM meetings_occurrence o WHERE o.meeting_id = page.id AND o.status = '{AVAILABLE}'
           AND o.start_time >= %(now)s - page.duration * interval '1 minute' ORDER BY o.start_time LIMIT 1)
    END AS next_occurrence_start
FROM ({{selection}}) page
{{after}}
ORDER BY page.sort_time, page.id
LIMIT %(limit)s OFFSET %(offset)s"""
AFTER_CURSOR = "WHERE (page.sort_time, page.id) > (%(after_sort_time)s, %(after_id)s)"
COUNT = "SELECT count(*) FROM ({selection}) counted"


def _selection(list_type: str, in_range: bool) -> str:
    return SELECTION.format(list_type=LIST_TYPE_CONDITIONS[list_type], range=f"AND {STARTS_BETWEEN}" if in_range else "")


# Built once: every page query by (list type, from/to given, after a cursor); every count by (list type, from/to).
PAGE_STATEMENTS = {(list_type, in_range, after): PAGE.format(selection=_selection(list_type, in_range),
                                                             after=AFTER_CURSOR if after else "")
                   for list_type in LIST_TYPE_CONDITIONS for in_range in (False, True) for after in (False, True)}
COUNT_STATEMENTS = {(list_type, in_range): COUNT.format(selection=_selection(list_type, in_range))
                    for list_type in LIST_TYPE_CONDITIONS for in_range in (False, True)}


@dataclasses.dataclass
class ListedMeeting:
    """One row of a list page: what a list item shows (fields in the order of PAGE's columns)."""
    id: int
    topic: str
    type: int
    agenda: str  # its first 250 characters
    start_time: datetime | None
    duration: int
    timezone: str
    password: str
    uses_pmi: bool | None  # settings.use_pmi
    created_at: datetime
    next_instance_uuid: str
    personal: bool
    total_records: int
    live_uuid: str | None
    next_occurrence_start: datetime | None  # fixed-time recurring meetings only

    @property
    def sort_time(self) -> datetime:
        """What the list is ordered by (with the id): the start, else the creation."""
        return self.start_time or self.created_at

    @property
    def list_start(self) -> datetime | None:
        """The start the list shows: a fixed-time recurring meeting's next occurrence not over yet, else its own."""
        return self.next_occurrence_start or self.start_time


def list_page(host_id: int, list_type: str, now: datetime, wanted: PageRequest, scope: str,
              starts_between: tuple[datetime, datetime] | None = None) -> Page:
    """The page `wanted` (its next_page_token bound to `scope`) of `host_id`'s meetings in `list_type`
    (one of MeetingQuerySet.LIST_TYPES), optionally only those starting in [lower, upper): ListedMeeting items."""
    params: dict = {"host": host_id, "now": now, "limit": wanted.size + 1, "offset": wanted.offset}
    if starts_between:
        params["lower"], params["upper"] = starts_between
    if wanted.after is not None:
        params["after_sort_time"], params["after_id"] = wanted.after
    with prepared_cursor(binary=True) as cursor:
        cursor.execute(PAGE_STATEMENTS[list_type, bool(starts_between), wanted.after is not None], params)
        rows = [ListedMeeting(*row) for row in cursor.fetchall()]
        if rows:
            total = rows[0].total_records
        elif wanted.number == 1:
            total = 0
        else:  # past the end (an offset, or a cursor after everything): the total apart
            cursor.execute(COUNT_STATEMENTS[list_type, bool(starts_between)], params)
            total = cursor.fetchone()[0]
    items = rows[:wanted.size]
    token = next_page_token(scope, wanted, (items[-1].sort_time, items[-1].id)) if len(rows) > wanted.size else ""
    return Page(items, wanted.size, total, token, wanted.number)
