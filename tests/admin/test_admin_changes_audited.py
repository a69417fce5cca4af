"""Every change made in the admin writes an AuditEvent (actor, action, object, changed fields
without their values): adding, changing, deleting one object or many ("delete selected"), through
our admins and the libraries' alike, and every admin action."""

import json

import pytest
from django.contrib.auth.models import Group

from accounts.models import AuditEvent
from notifications.models import PageInvitation
from tests.admin.helpers import admin_path

pytestmark = pytest.mark.django_db


def admin_events(**filters):
    return list(AuditEvent.objects.filter(action__startswith="admin.", **filters).order_by("id"))


def test_a_change_is_audited_with_the_fields_not_their_values(admin_client, operator, make_user):
    customer = make_user(email="owner@customer.example").account
    form = {"name": "Renamed Ltd", "sip_dial_out": "on", "sip_dial_out_allowed": "sip.secret-partner.example",
            "users-TOTAL_FORMS": "1", "users-INITIAL_FORMS": "1", "users-MIN_NUM_FORMS": "0",
            "users-MAX_NUM_FORMS": "1000", "users-0-id": str(customer.users.get().pk),
            "users-0-account": str(customer.pk)}
    response = admin_client.post(admin_path(type(customer), "change", customer), form)
    assert response.status_code == 302, response.content.decode()[:3000]

    [event] = admin_events()
    assert event.action == "admin.changed" and event.actor == operator and event.actor_email == operator.email
    assert event.target_type == "accounts.account" and event.target_id == str(customer.pk)
    assert event.account == customer and event.ip_address == "127.0.0.1"
    assert set(event.details["fields"]) == {"Name", "SIP dial-out", "SIP dial-out allow-list"}
    assert "Renamed Ltd" not in json.dumps(event.details) and "secret-partner" not in json.dumps(event.details)


def test_a_password_set_in_the_admin_is_audited_without_it(admin_client, make_user):
    user = make_user(email="member@customer.example")
    new_password = "Another-long-password-42"
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/password/",
                                 {"password1": new_password, "password2": new_password})
    assert response.status_code == 302, response.content.decode()[:3000]
    [event] = admin_events(target_id=str(user.pk))
    assert event.action == "admin.changed" and event.target_type == "accounts.user"
    assert event.details["fields"] and new_password not in json.dumps(event.details)


def test_adding_in_a_library_admin_is_audited(admin_client, operator):
    response = admin_client.post(admin_path(Group, "add"), {"name": "Support"})
    assert response.status_code == 302, response.content.decode()[:3000]
    group = Group.objects.get(name="Support")
    [event] = admin_events()
    assert event.action == "admin.added" and event.target_type == "auth.group" and event.target_id == str(group.pk)
    assert event.target_repr == "Support" and event.details["model"] == "auth.group"


def test_deleting_one_object_is_audited(admin_client):
    invitation = PageInvitation.objects.create(meeting_id=81234567890, email="guest@example.org")
    response = admin_client.post(admin_path(PageInvitation, "delete", invitation), {"post": "yes"})
    assert response.status_code == 302
    assert not PageInvitation.objects.filter(pk=invitation.pk).exists()
    [event] = admin_events()
    assert event.action == "admin.deleted" and event.target_id == str(invitation.pk)
    assert event.target_type == "notifications.pageinvitation"


def test_deleting_selected_objects_is_audited_one_by_one_once_confirmed(admin_client):
    invitations = [PageInvitation.objects.create(meeting_id=81234567890, email=f"guest{n}@example.org")
                   for n in range(3)]
    selection = {"action": "delete_selected", "_selected_action": [str(i.pk) for i in invitations[:2]]}
    confirm_page = admin_client.post(admin_path(PageInvitation), selection)
    assert confirm_page.status_code == 200 and admin_events() == []  # asked, nothing deleted yet

    response = admin_client.post(admin_path(PageInvitation), {**selection, "post": "yes"})
    assert response.status_code == 302
    assert list(PageInvitation.objects.values_list("pk", flat=True)) == [invitations[2].pk]
    events = admin_events()
    assert [e.action for e in events] == ["admin.deleted", "admin.deleted"]
    assert {e.target_id for e in events} == {str(i.pk) for i in invitations[:2]}


def test_an_admin_action_is_audited(admin_client, operator, one_of_each):
    from webhooks.models import Delivery

    delivery = one_of_each[Delivery]
    response = admin_client.post(admin_path(Delivery), {"action": "redeliver", "_selected_action": [str(delivery.pk)]})
    assert response.status_code == 302
    [event] = admin_events(action="admin.action")
    assert event.actor == operator and event.ip_address == "127.0.0.1"
    assert event.details == {"admin_action": "redeliver", "model": "webhooks.delivery", "count": 1,
                             "ids": [str(delivery.pk)]}
