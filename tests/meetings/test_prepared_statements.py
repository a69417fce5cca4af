"""The hot paths' hand-written SQL is prepared on its connection (config.db.prepared_cursor): after a
few list and get requests on one connection, PostgreSQL holds their statements prepared, and the
answers are the same as the first (unprepared) ones. fetch_model converts columns as the ORM does."""

import pytest
from django.db import connection

from config.db import fetch_model, model_columns, prepared_cursor
from meetings.actions.listing import PAGE_STATEMENTS
from meetings.actions.lookups import MEETING_TO_SHOW_SQL
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def prepared_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return {row[0] for row in cursor.fetchall()}


def normalised(sql: str) -> str:
    return " ".join(sql.split())


def test_list_and_get_are_prepared_after_a_few_runs(api, create_meeting, host):
    meeting = create_meeting(topic="Prepared", settings={"use_pmi": False, "waiting_room": True})
    first_list = api.get("/v2/users/me/meetings?page_size=30").json()
    first_get = api.get(f"/v2/meetings/{meeting['id']}").json()
    assert not any("meetings_meeting" in statement for statement in prepared_statements())
    for _ in range(5):
        assert api.get("/v2/users/me/meetings?page_size=30").json() == first_list
        assert api.get(f"/v2/meetings/{meeting['id']}").json() == first_get
    prepared = {normalised(statement) for statement in prepared_statements()}
    list_sql = normalised(PAGE_STATEMENTS["scheduled", False, False])
    # psycopg sends the statement with $n placeholders: compare what precedes the first parameter.
    assert any(statement.startswith(list_sql.split("%(")[0]) for statement in prepared), prepared
    assert any(statement.startswith(normalised(MEETING_TO_SHOW_SQL).split("%(")[0]) for statement in prepared)
    assert first_get["settings"]["waiting_room"] is True  # the JSON column decoded, as the ORM does


def test_fetch_model_matches_the_orm(create_meeting, host):
    created = create_meeting(topic="Same row", agenda="Agenda", settings={"join_before_host": True})
    sql = f"SELECT {model_columns(Meeting, 'm')}, 42 FROM meetings_meeting m WHERE m.id = %s"
    fetched = fetch_model(Meeting, sql, [created["id"]], extra=("answer",))
    orm = Meeting.objects.get(pk=created["id"])
    for field in Meeting._meta.concrete_fields:
        assert getattr(fetched, field.attname) == getattr(orm, field.attname), field.name
    assert fetched.answer == 42
    assert fetched._state.adding is False and fetched._state.db == "default"
    assert fetch_model(Meeting, sql, [0]) is None


def test_nothing_is_prepared_with_the_threshold_off():
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    connection.connection.prepare_threshold = None  # DB_PREPARE_THRESHOLD empty
    try:
        for _ in range(8):
            with prepared_cursor() as cursor:
                cursor.execute("SELECT %s::int + 1 AS not_prepared", [1])
                assert cursor.fetchone() == (2,)
    finally:
        connection.connection.prepare_threshold = threshold
    assert not any("not_prepared" in statement for statement in prepared_statements())
