"""The personal meeting room: /j/<pmi> (the user's personal_meeting_url) is an always-available
meeting of its owner, with its own passcode and settings; it cannot be deleted and is not listed."""

import pytest
from django.test import Client

from meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def pmi_meeting(api, host):
    response = api.get(f"/v2/meetings/{host.pmi}")
    assert response.status_code == 200
    return response.json()


def test_personal_meeting_url_opens_the_room(api_client, host):
    url = api_client(host, "user:read").get("/v2/users/me").json()["personal_meeting_url"]
    assert url.endswith(f"/j/{host.pmi}")
    page = Client().get(f"/j/{host.pmi}")
    assert page.status_code == 200 and b"Personal Meeting Room" in page.content
    meeting = Meeting.objects.get(pk=host.pmi)
    assert meeting.personal and meeting.host == host


def test_the_owner_hosts_and_guests_use_its_passcode(host, joiner, pmi_meeting):
    assert pmi_meeting["type"] == 3 and pmi_meeting["pmi"] == str(host.pmi) and pmi_meeting["password"]
    assert pmi_meeting["join_url"].split("?")[0].endswith(f"/j/{host.pmi}")
    assert joiner(host).join(host.pmi)["role"] == "host"
    assert joiner().join(host.pmi, name="Guest")["state"] == "passcode_required"
    assert joiner().join(host.pmi, name="Guest", passcode=pmi_meeting["password"])["state"] == "admitted"


def test_its_settings_and_passcode_are_its_own(api, host, joiner, pmi_meeting):
    assert api.patch(f"/v2/meetings/{host.pmi}", {"password": "pm1", "settings": {"waiting_room": True}},
                     format="json").status_code == 204
    joiner(host).join(host.pmi)
    assert joiner().join(host.pmi, name="Guest", passcode="pm1")["state"] == "waiting_room"


def test_it_cannot_be_deleted_and_is_not_listed(api, host, pmi_meeting):
    response = api.delete(f"/v2/meetings/{host.pmi}")
    assert response.status_code == 400 and response.json() == {"code": 3018, "message": "Not allowed to delete PMI."}
    assert all(m["id"] != host.pmi for m in api.get("/v2/users/me/meetings").json()["meetings"])


def test_other_accounts_do_not_see_it(api_client, host, make_user):
    stranger = make_user(email="stranger@elsewhere.org")
    response = api_client(stranger, "meeting:read meeting:read:admin").get(f"/v2/meetings/{host.pmi}")
    assert response.status_code == 404 and response.json()["code"] == 3001
    assert not Meeting.objects.filter(pk=host.pmi).exists()


def test_an_unknown_number_is_still_missing():
    assert Client().get("/j/1234567").status_code == 404


def test_new_meetings_never_take_a_pmi(create_meeting, host):
    assert len(str(host.pmi)) == 10
    assert all(len(str(create_meeting(type=1)["id"])) == 11 for _ in range(5))


def test_a_pmi_held_by_an_older_meeting_is_replaced(host, make_user):
    older = Meeting.objects.create(pk=host.pmi, account=host.account, host=make_user(account=host.account), type=1)
    room = Meeting.objects.personal(host)
    host.refresh_from_db()
    assert room.pk == host.pmi != older.pk and room.personal and room.host == host
