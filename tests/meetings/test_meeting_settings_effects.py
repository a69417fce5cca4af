"""Settings that take effect outside the join tests: alternative_hosts (they join as hosts), their
email notice (alternative_hosts_email_notification, email_notification), and per-occurrence
overrides applying to whoever joins that occurrence."""

from datetime import datetime, timedelta, timezone

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_alternative_hosts_join_as_hosts(create_meeting, host, make_user, joiner):
    alternative = make_user(email="alt@example.com", account=host.account)
    created = create_meeting(settings={"alternative_hosts": alternative.email, "waiting_room": True})
    answer = joiner(alternative).join(created["id"])
    assert answer["state"] == "admitted" and answer["role"] == "alternative_host"
    outsider = make_user(email="other@example.com", account=host.account)
    assert joiner(outsider).join(created["id"], passcode=created["password"])["state"] == "waiting_room"


def test_new_alternative_hosts_are_emailed(api, create_meeting, host, make_user, django_capture_on_commit_callbacks):
    first = make_user(email="first@example.com", account=host.account)
    second = make_user(email="second@example.com", account=host.account)
    with django_capture_on_commit_callbacks(execute=True):
        created = create_meeting(topic="Budget", settings={"alternative_hosts": first.email})
    assert [m.to for m in mail.outbox] == [[first.email]] and "Budget" in mail.outbox[0].subject
    assert created["join_url"] in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        api.patch(f"/v2/meetings/{created['id']}", {"settings": {"alternative_hosts": f"{first.email};{second.email}"}},
                  format="json")
    assert [m.to for m in mail.outbox] == [[first.email], [second.email]]  # only the new one


@pytest.mark.parametrize("switch", ["alternative_hosts_email_notification", "email_notification"])
def test_no_email_when_notifications_are_off(create_meeting, host, make_user, django_capture_on_commit_callbacks,
                                             switch):
    alternative = make_user(email="alt@example.com", account=host.account)
    with django_capture_on_commit_callbacks(execute=True):
        create_meeting(settings={"alternative_hosts": alternative.email, switch: False})
    assert mail.outbox == []


def test_an_occurrences_settings_apply_to_that_occurrence(api, create_meeting, joiner):
    start = (datetime.now(timezone.utc) + timedelta(minutes=10)).replace(microsecond=0)
    created = create_meeting(type=8, start_time=start.strftime("%Y-%m-%dT%H:%M:%SZ"), timezone="UTC", password="",
                             recurrence={"type": 1, "end_times": 2}, settings={"join_before_host": True})
    first, second = created["occurrences"]
    # The second occurrence (tomorrow) gets a waiting room: today's joiners are not held.
    api.patch(f"/v2/meetings/{created['id']}?occurrence_id={second['occurrence_id']}",
              {"settings": {"waiting_room": True, "mute_upon_entry": True}}, format="json")
    early = joiner().join(created["id"], name="Today")
    assert early["state"] == "admitted" and early["muted"] is False
    joiner().post(f"/j/{created['id']}/leave", ticket=early["ticket"])
    # Today's occurrence gets one too: it applies now.
    api.patch(f"/v2/meetings/{created['id']}?occurrence_id={first['occurrence_id']}",
              {"settings": {"waiting_room": True}}, format="json")
    assert joiner().join(created["id"], name="Later")["state"] == "waiting_room"
    shown = api.get(f"/v2/meetings/{created['id']}", {"occurrence_id": first["occurrence_id"]}).json()["settings"]
    assert shown["waiting_room"] is True
