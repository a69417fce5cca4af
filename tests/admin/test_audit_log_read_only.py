"""The audit log is read-only in the admin, for superusers too: it can be listed and viewed, never
added to, changed or deleted (not one by one, not by "delete selected")."""

import pytest

from accounts.models import AuditEvent
from accounts.services import audit
from tests.admin.helpers import admin_path

pytestmark = pytest.mark.django_db


def test_the_audit_log_refuses_add_change_and_delete(admin_client, operator):
    event = audit(operator, "meeting.deleted", target=operator.account, meeting_id=1)
    before = AuditEvent.objects.count()

    listing = admin_client.get(admin_path(AuditEvent))
    assert listing.status_code == 200 and b"meeting.deleted" in listing.content
    assert b'value="delete_selected"' not in listing.content
    view = admin_client.get(admin_path(AuditEvent, "change", event))
    assert view.status_code == 200 and b'name="_save"' not in view.content  # shown, not editable

    assert admin_client.get(admin_path(AuditEvent, "add")).status_code == 403
    assert admin_client.post(admin_path(AuditEvent, "add"), {"action": "forged"}).status_code == 403
    changed = admin_client.post(admin_path(AuditEvent, "change", event), {"action": "forged", "actor_email": "x@y"})
    assert changed.status_code == 403
    assert admin_client.get(admin_path(AuditEvent, "delete", event)).status_code == 403
    assert admin_client.post(admin_path(AuditEvent, "delete", event), {"post": "yes"}).status_code == 403
    bulk = admin_client.post(admin_path(AuditEvent), {"action": "delete_selected", "post": "yes",
                                                      "_selected_action": [str(event.pk)]})
    assert bulk.status_code in (200, 302)

    event.refresh_from_db()
    assert event.action == "meeting.deleted" and AuditEvent.objects.filter(pk=event.pk).exists()
    assert not AuditEvent.objects.filter(action="forged").exists()
    assert AuditEvent.objects.count() == before  # nothing removed, and refusals write nothing
