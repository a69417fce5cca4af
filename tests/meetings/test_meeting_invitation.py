"""GET /v2/meetings/{meetingId}/invitation: the invitation text the pages show, and SIP links."""

import pytest

pytestmark = pytest.mark.django_db


def test_invitation_text_and_sip_links(api, create_meeting, settings):
    settings.SIP_DOMAIN, settings.SIP_PORT = "sip.example.com", 5060
    created = create_meeting(topic="Design review", password="246810")
    body = api.get(f"/v2/meetings/{created['id']}/invitation").json()
    assert "Hana Host is inviting you" in body["invitation"] and "Topic: Design review" in body["invitation"]
    assert created["join_url"] in body["invitation"] and "Passcode: 246810" in body["invitation"]
    assert body["sip_links"] == [f"{created['id']}.246810@sip.example.com"]
    assert body["sip_links"][0] in body["invitation"]


def test_no_passcode_no_sip_link(api, create_meeting):
    created = create_meeting(password="")
    assert api.get(f"/v2/meetings/{created['id']}/invitation").json()["sip_links"] == []


def test_other_accounts_meetings_are_not_found(api_client, create_meeting, make_user):
    created = create_meeting()
    stranger = make_user(email="stranger@elsewhere.org")
    response = api_client(stranger, "meeting:read").get(f"/v2/meetings/{created['id']}/invitation")
    assert response.status_code == 404 and response.json()["code"] == 3001
