"""GET /v2/users/{userId}/meetings (hand-written SQL, meetings.actions.listing) lists exactly what the
ORM definition of the list types (`MeetingQuerySet.listed`, `starting_between`) selects, in its order,
and shows each meeting as the model-based representation did: every list type, with and without
from/to, paged by token and by page_number, over meetings of every kind and state."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from meetings.actions.links import join_url
from meetings.actions.lookups import next_start
from meetings.models import Instance, Meeting, MeetingQuerySet, Occurrence
from meetings.representations import fmt, personal_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings_of_every_kind(host, make_user):
    now = timezone.now().replace(microsecond=0)
    hour, day = timedelta(hours=1), timedelta(days=1)

    def meeting(**fields):
        fields.setdefault("type", Meeting.Type.SCHEDULED)
        fields.setdefault("topic", f"meeting {Meeting.objects.count()}")
        return Meeting.objects.create(account=host.account, host=fields.pop("host", host), **fields)

    def occurrences(series, *starts, **fields):
        for start in starts:
            Occurrence.objects.create(meeting=series, occurrence_id=int(start.timestamp() * 1000), start_time=start,
                                      **fields)

    def instance(of, ended=False):
        Instance.objects.create(meeting=of, started_at=now - hour, ended_at=now - hour / 2 if ended else None)

    meeting(start_time=now + 3 * day, password="abc123")
    meeting(start_time=now + 3 * day, password="")  # the same start: ordered by id
    meeting(start_time=now - 10 * day, agenda="long " * 80, timezone="Europe/Berlin")
    meeting(start_time=now - 10 * hour, duration=60 * 12)  # under way: not over yet
    instance(meeting(start_time=now - 2 * day), ended=True)  # has run
    meeting(type=Meeting.Type.INSTANT)
    instance(meeting(type=Meeting.Type.INSTANT, password="9876"))  # live
    instance(meeting(type=Meeting.Type.INSTANT), ended=True)
    meeting(type=Meeting.Type.RECURRING_NO_FIXED_TIME, settings={"use_pmi": True})
    meeting(start_time=now + 5 * day, settings={"use_pmi": False, "waiting_room": True})
    weekly = meeting(type=Meeting.Type.RECURRING_FIXED_TIME, start_time=now - 7 * day, duration=30)
    occurrences(weekly, now - 7 * day, now + 7 * day, now + 14 * day)
    occurrences(weekly, now + 2 * day, status=Occurrence.Status.DELETED)
    over = meeting(type=Meeting.Type.RECURRING_FIXED_TIME, start_time=now - 20 * day, duration=30)
    occurrences(over, now - 20 * day, now - 13 * day)
    running = meeting(type=Meeting.Type.RECURRING_FIXED_TIME, start_time=now - 9 * day, duration=30)
    occurrences(running, now - 2 * hour, duration=180)  # its own, longer duration: not over
    occurrences(running, now + 5 * day)
    instance(running)
    longer = meeting(type=Meeting.Type.RECURRING_FIXED_TIME, start_time=now - 8 * day, duration=30)
    occurrences(longer, now - 2 * hour, duration=180)  # not over by its own duration, over by the meeting's
    meeting(type=Meeting.Type.RECURRING_FIXED_TIME, start_time=now + day)  # no occurrence at all
    meeting(start_time=now + day, deleted_at=now)
    room = Meeting.objects.personal(host)
    meeting(start_time=now + day, host=make_user(account=host.account))  # someone else's
    return room


def reference_item(meeting: Meeting) -> dict:
    """A list item as the model-based representation built it."""
    live = meeting.live_instance()
    start = next_start(meeting) if meeting.type == Meeting.Type.RECURRING_FIXED_TIME else meeting.start_time
    item = {
        "uuid": live.uuid if live else meeting.next_instance_uuid, "id": meeting.pk, "host_id": meeting.host.public_id,
        "topic": meeting.topic, "type": meeting.type, "start_time": fmt(start or meeting.start_time),
        "duration": meeting.duration, "timezone": meeting.timezone, "agenda": meeting.agenda[:250],
        "created_at": fmt(meeting.created_at), "join_url": join_url(personal_room(meeting)),
        "pmi": str(meeting.host.pmi) if meeting.personal or meeting.setting("use_pmi") else None,
    }
    return {key: value for key, value in item.items() if value is not None}


def walk(api, params: dict) -> tuple[list[dict], set[int]]:
    """Every item of the list, page after page by next_page_token, and the totals the pages gave."""
    items, totals, token = [], set(), None
    while True:
        response = api.get("/v2/users/me/meetings", {**params, **({"next_page_token": token} if token else {})})
        assert response.status_code == 200, response.content
        page = response.json()
        items += page["meetings"]
        totals.add(page["total_records"])
        token = page["next_page_token"]
        if not token:
            return items, totals


@pytest.mark.parametrize("list_type", MeetingQuerySet.LIST_TYPES)
@pytest.mark.parametrize("window", [None, (-3, 4), (6, 15), (-30, -12)])
def test_each_list_type_lists_what_the_orm_definition_selects(api, host, meetings_of_every_kind, list_type, window):
    now = timezone.now()
    selected = Meeting.objects.alive().filter(host=host).listed(list_type, now)
    params = {"type": list_type, "page_size": 3}
    if window:
        first, last = (now.date() + timedelta(days=offset) for offset in window)
        params.update({"from": first.isoformat(), "to": last.isoformat(), "timezone": "UTC"})
        lower = datetime.combine(first, time.min, UTC)
        upper = datetime.combine(last + timedelta(days=1), time.min, UTC)
        selected = selected.starting_between(lower, upper)
    expected = [reference_item(m) for m in selected.select_related("host").order_by("sort_time", "id")]

    items, totals = walk(api, params)

    assert items == expected
    assert totals == {len(expected)}
    if len(expected) > 3:  # page_number (an offset) lands on the same rows as the tokens
        second = api.get("/v2/users/me/meetings", {**params, "page_number": 2}).json()
        assert second["meetings"] == expected[3:6] and second["total_records"] == len(expected)


def test_the_data_set_reaches_every_kind_of_item(api, host, meetings_of_every_kind):
    """What the comparison above covers: PMI join URLs, live instances, next occurrences, truncated
    agendas; and a personal room is listed while it is live."""
    room = meetings_of_every_kind
    items, _ = walk(api, {"type": "scheduled", "page_size": 300})
    assert room.pk not in [item["id"] for item in items]  # not live: not listed
    assert any(item.get("pmi") == str(host.pmi) and item["join_url"] == join_url(room) for item in items)
    assert any(len(item["agenda"]) == 250 for item in items)
    assert {item["type"] for item in items} == {1, 2, 3, 8}  # the live instant meeting is listed too
    live_uuids = set(Instance.objects.filter(ended_at__isnull=True).values_list("uuid", flat=True))
    assert len([item for item in items if item["uuid"] in live_uuids]) == 2
    weekly = Meeting.objects.get(type=8, occurrences__status="deleted")
    shown = next(item for item in items if item["id"] == weekly.pk)
    assert shown["start_time"] == fmt(weekly.occurrences.filter(status="available", start_time__gt=timezone.now())
                                      .order_by("start_time").first().start_time) != fmt(weekly.start_time)

    Instance.objects.create(meeting=room, started_at=timezone.now())
    live, _ = walk(api, {"type": "live", "page_size": 2})
    assert room.pk in [item["id"] for item in live]
    now = timezone.now()
    assert live == [reference_item(m) for m in Meeting.objects.alive().filter(host=host).listed("live", now)
                    .select_related("host").order_by("sort_time", "id")]
