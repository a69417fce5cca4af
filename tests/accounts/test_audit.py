"""accounts.services.audit and the audit trail of critical actions."""

import pytest

from accounts.models import AuditEvent
from accounts.services import audit
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_audit_records_actor_account_target_ip_and_details(make_user):
    user = make_user(email="auditor@example.com")
    event = audit(user, "meeting.deleted", target=user.account, ip="10.0.0.7", meeting_id=123, topic="Standup")
    event.refresh_from_db()
    assert event.action == "meeting.deleted"
    assert event.actor == user and event.actor_email == "auditor@example.com"
    assert event.account == user.account  # taken from the actor when not given
    assert event.target_type == "accounts.account" and event.target_id == str(user.account.pk)
    assert event.ip_address == "10.0.0.7"
    assert event.details == {"meeting_id": 123, "topic": "Standup"}


def test_anonymous_actor_and_explicit_account(make_user):
    owner = make_user()
    event = audit(None, "recording.deleted", account=owner.account, recording="abc")
    assert event.actor is None and event.account == owner.account and event.details == {"recording": "abc"}


def test_audit_survives_the_users_deletion(make_user):
    user = make_user(email="gone@example.com")
    other = make_user()
    event = audit(user, "something", account=other.account)
    user.delete()
    event.refresh_from_db()
    assert event.actor is None and event.actor_email == "gone@example.com"


def test_sign_in_success_and_failure_are_audited(make_user, client):
    user = make_user()
    client.post("/accounts/login/", {"username": user.email, "password": "nope"})
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    actions = list(AuditEvent.objects.filter(account=user.account).order_by("id").values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.login"]
    assert AuditEvent.objects.get(action="auth.login").ip_address == "127.0.0.1"
