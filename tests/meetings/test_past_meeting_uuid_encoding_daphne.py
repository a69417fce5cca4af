"""The same UUID encodings through Daphne, the server production runs (ASGI: the path is decoded by
Daphne, not by Django's WSGI handler as in test_past_meeting_uuid_encoding.py): plain, single- and
double-encoded UUIDs, including Zoom's `%253D%253D` padding, name the same instance."""

from urllib.parse import quote

import pytest
import requests

from tests.meetings.helpers import run_instance

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.media]

UUIDS = ("aDYlohsHRtCd4ii1uC2+hA==", "/DYlohs//RtCd4ii1uC2+A==", "QhRyc7ClMfN/l0Eog4dq5Q==")


@pytest.fixture(scope="module")
def daphne(django_db_setup, tmp_path_factory):
    from tests.mind.media_peer import start_daphne, stop_process

    proc, port = start_daphne(tmp_path_factory.mktemp("daphne-uuid"))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(proc)


def forms(uuid):
    once = quote(uuid, safe="")
    return {"single": once, "double": quote(once, safe=""),
            "padding double-encoded": uuid.replace("+", "%2B").replace("/", "%2F").replace("=", "%253D")}


@pytest.mark.parametrize("uuid", UUIDS)
def test_every_encoding_is_accepted_through_daphne(daphne, create_meeting, host, uuid):
    from tests.conftest import issue_token
    from tests.openapi import validate_response

    instance = run_instance(create_meeting()["id"], uuid=uuid)
    headers = {"Authorization": f"Bearer {issue_token(host, 'meeting:read')}"}
    for name, encoded in forms(uuid).items():
        for suffix in ("", "/participants"):  # /instances takes the meeting number only (Zoom)
            path = f"/v2/past_meetings/{encoded}{suffix}"
            # requests keeps the path as given (it does not re-encode %25 or %2F).
            response = requests.get(daphne + path, headers=headers, timeout=30)
            validate_response("GET", path, response.status_code, response.content, response.headers["Content-Type"])
            assert response.status_code == 200, (name, suffix, response.text)
            if suffix == "":
                assert response.json()["uuid"] == instance.uuid, name
            elif suffix == "/participants":
                assert sorted(p["name"] for p in response.json()["participants"]) == ["Ann", "Bob"], name


def test_an_unknown_double_encoded_uuid_is_zooms_404(daphne, host):
    from tests.conftest import issue_token

    headers = {"Authorization": f"Bearer {issue_token(host, 'meeting:read')}"}
    response = requests.get(f"{daphne}/v2/past_meetings/Zm9yZ290dGVuIG1lZXRpbg%253D%253D", headers=headers, timeout=30)
    assert response.status_code == 404 and response.json()["code"] == 3001
