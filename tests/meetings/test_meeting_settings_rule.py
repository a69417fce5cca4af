"""The three-list rule of docs/meetings.md: every setting of Zoom's meeting schema takes effect (with
a test), is refused, or is documented as "accepted, no effect yet" and then stored and returned."""

import json
import re

import pytest

from tests.openapi import REFERENCE, ROOT

pytestmark = pytest.mark.django_db

DOCS = ROOT / "docs" / "meetings.md"
TABLES = {"effect": "### Settings that take effect", "refused": "### Settings refused",
          "no_effect": "### Settings accepted, no effect yet"}

# A value each refused setting refuses.
REFUSED = {
    "approved_or_denied_countries_or_regions": {"enable": True, "method": "deny", "denied_list": ["CA"]},
}
# A value, other than the default, for each setting that does nothing yet.
NO_EFFECT_SAMPLES = {
    "watermark": True, "focus_mode": True,
    "audio": "both", "allow_multiple_devices": True, "private_meeting": True, "participant_focused_meeting": True,
    "internal_meeting": True, "additional_data_center_regions": ["DE"], "alternative_host_update_polls": True,
    "audio_conference_info": "Dial 555", "authentication_exception": [{"email": "vip@example.org", "name": "V"}],
    "authentication_option": "signIn_D8cJuqWVQ623CI4Q8yQK0Q",
    "calendar_type": 2, "cn_meeting": True, "in_meeting": True, "global_dial_in_countries": ["US"],
    "host_save_video_order": True, "language_interpretation": {
        "enable": True, "interpreters": [{"email": "i@example.org", "languages": "US,FR"}]},
    "sign_language_interpretation": {"enable": True, "interpreters": [{"email": "s@example.org", "sign_language": "American"}]},
    "meeting_invitees": [{"email": "guest@example.org"}], "show_share_button": True,
    "continuous_meeting_chat": {"enable": True, "auto_add_invited_external_users": False},
    "push_change_to_calendar": True,
    "resources": [{"resource_type": "whiteboard", "resource_id": "X4Hy02w3QUOdskKofgb9Jg", "permission_level": "viewer"}],
}


def zoom_setting_names() -> set[str]:
    document = json.loads((REFERENCE / "zoom-meeting-api.openapi.json").read_text())
    schema = document["paths"]["/users/{userId}/meetings"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    while "$ref" in schema:
        target = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    return set(schema["properties"]["settings"]["properties"])


def documented() -> dict[str, dict[str, list[str]]]:
    """{table: {setting: [its other cells]}} from docs/meetings.md."""
    text = DOCS.read_text()
    tables = {}
    for key, heading in TABLES.items():
        assert heading in text, f"docs/meetings.md lacks {heading!r}"
        body = text.split(heading, 1)[1].split("\n#", 1)[0]
        rows = re.findall(r"^\| `([a-z_]+)` \|(.*)\|$", body, flags=re.M)
        tables[key] = {name: [cell.strip() for cell in rest.split("|")] for name, rest in rows}
    return tables


def test_every_zoom_setting_is_in_exactly_one_list():
    tables = documented()
    listed = [name for table in tables.values() for name in table]
    assert len(listed) == len(set(listed)), "a setting is in two lists"
    schema = zoom_setting_names()
    assert schema - set(listed) == set(), "settings of Zoom's schema in none of the three lists"
    assert set(listed) - schema == set(), "listed settings that Zoom's schema does not have"


def test_each_effective_setting_names_a_test_that_exercises_it():
    for name, cells in documented()["effect"].items():
        path = ROOT / cells[-1]
        assert path.is_file(), f"{name}: {cells[-1]} does not exist"
        assert name in path.read_text(), f"{name}: {cells[-1]} does not mention it"


def test_refused_settings_are_refused(api):
    assert set(documented()["refused"]) == set(REFUSED)
    for name, value in REFUSED.items():
        response = api.post("/v2/users/me/meetings", {"type": 1, "settings": {name: value}}, format="json")
        assert response.status_code == 400, name
        assert response.json()["code"] == 300 and response.json()["message"].startswith(f"settings.{name}")


def test_settings_with_no_effect_yet_are_stored_and_returned(api):
    assert set(documented()["no_effect"]) == set(NO_EFFECT_SAMPLES)
    created = api.post("/v2/users/me/meetings", {"type": 1, "settings": NO_EFFECT_SAMPLES}, format="json")
    assert created.status_code == 201, created.content
    settings = api.get(f"/v2/meetings/{created.json()['id']}").json()["settings"]
    for name, value in NO_EFFECT_SAMPLES.items():
        assert settings[name] == value, name


@pytest.mark.parametrize("name,bad", [("breakout_room", {"enable": "yes"}), ("global_dial_in_countries", "US"),
                                      ("meeting_invitees", [{"email": "not an address"}]), ("calendar_type", 3),
                                      ("resources", [{"resource_type": "slides", "resource_id": "x"}])])
def test_wrong_types_are_300_naming_the_setting(api, name, bad):
    response = api.post("/v2/users/me/meetings", {"type": 1, "settings": {name: bad}}, format="json")
    assert response.status_code == 400 and response.json()["message"].startswith(f"settings.{name}")
