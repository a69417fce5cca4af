"""Past-meeting UUIDs arrive plain, single- or double-encoded (Zoom clients double-encode UUIDs that
start with "/" or contain "//", and some always do): every form names the same instance, on every
past-meeting route, through the real server."""

from urllib.parse import quote

import pytest
import requests

from tests.meetings.helpers import run_instance

pytestmark = pytest.mark.django_db(transaction=True)

UUIDS = ("aDYlohsHRtCd4ii1uC2+hA==", "/DYlohs//RtCd4ii1uC2+A==", "QhRyc7ClMfN/l0Eog4dq5Q==")


def forms(uuid):
    once = quote(uuid, safe="")
    return {"single": once, "double": quote(once, safe=""), "only the padding double-encoded":
            uuid.replace("+", "%2B").replace("/", "%2F").replace("=", "%253D")}


@pytest.mark.parametrize("uuid", UUIDS)
def test_every_encoding_is_accepted_on_every_route(live_server, create_meeting, host, uuid):
    from tests.conftest import issue_token
    from tests.openapi import validate_response

    instance = run_instance(create_meeting()["id"], uuid=uuid)
    headers = {"Authorization": f"Bearer {issue_token(host, 'meeting:read')}"}
    for name, encoded in forms(uuid).items():
        for suffix in ("", "/participants"):
            path = f"/v2/past_meetings/{encoded}{suffix}"
            response = requests.get(live_server.url + path, headers=headers, timeout=30)
            validate_response("GET", path, response.status_code, response.content, response.headers["Content-Type"])
            assert response.status_code == 200, (name, suffix, response.text)
        assert requests.get(f"{live_server.url}/v2/past_meetings/{encoded}", headers=headers,
                            timeout=30).json()["uuid"] == instance.uuid
