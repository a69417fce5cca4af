"""POST /v2/meetings/{meetingId}/sip_dialing and the check the media engine's SIP ingress makes."""

import pytest
from django.test import override_settings

from meetings.sip import verify_uri

pytestmark = pytest.mark.django_db

SIP = "meeting:write:sip_dialing"


def test_returns_a_sip_uri_with_the_passcode_and_an_expiry(api_client, host, create_meeting):
    created = create_meeting(password="4321")
    response = api_client(host, SIP).post(f"/v2/meetings/{created['id']}/sip_dialing", {"passcode": "4321"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["sip_dialing"].startswith(f"sip:{created['id']}@localhost;pwd=4321;pic=")
    assert body["expire_in"] == 3600 and body["paid_crc_plan_participant"] is False
    assert body["participant_identifier_code"] in body["sip_dialing"]
    assert verify_uri(body["sip_dialing"]).pk == created["id"]


def test_the_engine_refuses_wrong_passcodes_forged_and_expired_uris(api_client, host, create_meeting):
    created = create_meeting(password="4321")
    client = api_client(host, SIP)
    wrong = client.post(f"/v2/meetings/{created['id']}/sip_dialing", {"passcode": "0000"}, format="json").json()
    assert verify_uri(wrong["sip_dialing"]) is None
    good = client.post(f"/v2/meetings/{created['id']}/sip_dialing", {"passcode": "4321"}, format="json").json()
    assert verify_uri(good["sip_dialing"].replace(str(created["id"]), "12345678901", 1)) is None
    assert verify_uri(good["sip_dialing"][:-4] + "abcd") is None
    assert verify_uri("not a uri") is None
    with override_settings(SIP_URI_TTL=-1):  # every code is older than its lifetime
        assert verify_uri(good["sip_dialing"]) is None


def test_sip_scopes(api_client, host, create_meeting):
    created = create_meeting()
    plain = api_client(host, "meeting:write").post(f"/v2/meetings/{created['id']}/sip_dialing", {}, format="json")
    assert plain.status_code == 400 and "sip_dialing" in plain.json()["message"]
    admin = api_client(host, "meeting:write:admin:sip_dialing")
    assert admin.post(f"/v2/meetings/{created['id']}/sip_dialing", {}, format="json").status_code == 200


def test_invalid_passcode_type_is_300(api_client, host, create_meeting):
    created = create_meeting()
    response = api_client(host, SIP).post(f"/v2/meetings/{created['id']}/sip_dialing", {"passcode": 1234}, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith("passcode")
