"""Every /v2 view names the rate-limit class (Zoom's light / medium / heavy) of each method it answers,
and it is the label the documents give the operation: the Zoom reference, or
docs/openapi/extra.openapi.json for the operations Zoom lacks. A new view without a class, or with
another class than its documented label, fails here."""

import json
import re
import uuid

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from accounts.throttling import ZoomRateLimit
from tests.openapi import DOCUMENTS

METHODS = ("get", "post", "put", "patch", "delete")
CLASSES = {"light", "medium", "heavy"}
# /v2 routes no token ever reaches: nothing to count per token or account.
UNMETERED = {"openapi-schema": "the public, unauthenticated schema of the API"}
LABEL = re.compile(r"Rate Limit Label[^`]*`([\w-]+)`")
# Zoom's few RESOURCE-INTENSIVE operations (the dashboard's meeting lists) are counted in our heaviest class.
LABEL_CLASS = {"resource-intensive": "heavy"}


def v2_views():
    """[(route, url name, view class)] of every class-based view under /v2/."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route.lstrip("^").startswith("v2/"):
                found.append((route, entry.name, getattr(entry.callback, "cls", None)))

    walk(get_resolver().url_patterns, "")
    return found


def documented_labels():
    """[(method, path template, label)] of every operation in the documents."""
    labels = []
    for document in DOCUMENTS:
        for template, item in json.loads(document.read_text())["paths"].items():
            for method, operation in item.items():
                if method in METHODS:
                    match = LABEL.search(operation.get("description", ""))
                    label = match.group(1).lower() if match else None
                    labels.append((method, template, LABEL_CLASS.get(label, label) if label else None))
    return labels


SAMPLE_ID, SAMPLE_UUID = "85746065432", str(uuid.uuid4())


def sample_path(template: str) -> str:
    return "/v2" + re.sub(r"\{([^}]+)\}", lambda m: SAMPLE_UUID if m.group(1) == "recordingId" else SAMPLE_ID, template)


def test_the_walk_finds_the_api():
    names = {name for _, name, _ in v2_views()}
    assert {"zoom-user", "api-user-meetings", "api-user-recordings", "api-meeting-summaries"} <= names


def test_every_v2_view_has_a_class_for_every_method():
    missing = []
    for route, name, view in v2_views():
        if view is None or name in UNMETERED:
            assert view is None or name in UNMETERED
            continue
        assert ZoomRateLimit in view.throttle_classes or ZoomRateLimit in getattr(view, "throttle_classes", ()), route
        declared = getattr(view, "rate_limit_classes", {})
        for method in METHODS:
            if hasattr(view, method) and declared.get(method.upper()) not in CLASSES:
                missing.append(f"{method.upper()} {route} ({view.__name__})")
    assert missing == []


def test_the_classes_are_the_documented_labels():
    served, wrong = set(), []
    for method, template, label in documented_labels():
        try:
            match = resolve(sample_path(template))
        except Resolver404:
            continue
        view = getattr(match.func, "cls", None)
        # A route parameter that took a literal segment of another operation (users/<id> and
        # /users/summary, past_meetings/<uuid with slashes> and .../polls) is not this operation.
        if view is None or not hasattr(view, method) or set(match.kwargs.values()) - {SAMPLE_ID, SAMPLE_UUID}:
            continue
        served.add((view, method))
        declared = getattr(view, "rate_limit_classes", {}).get(method.upper())
        if declared != label:
            wrong.append(f"{method.upper()} {template}: {view.__name__} says {declared}, the documents {label}")
    assert wrong == []
    undocumented = [f"{method.upper()} {route}" for route, name, view in v2_views()
                    if view is not None and name not in UNMETERED
                    for method in METHODS if hasattr(view, method) and (view, method) not in served]
    assert undocumented == []


@pytest.mark.django_db
def test_a_heavy_operation_is_counted_as_heavy(settings, make_user, api_client):
    """The class decides the budget: two heavy calls exhaust 1/m heavy, light ones still pass."""
    settings.API_RATE_LIMITS = {"light": "100/m", "medium": "100/m", "heavy": "1/m"}
    settings.API_TOKEN_RATE_LIMITS = {"light": "100/m", "medium": "100/m", "heavy": "1/m"}
    client = api_client(make_user(), "meeting_summary:read meeting_summary:write user:read")
    first = client.post("/v2/meetings/85746065432/meeting_summary/questions", {"question": "?"}, format="json")
    assert first.status_code != 429
    second = client.post("/v2/meetings/85746065432/meeting_summary/questions", {"question": "?"}, format="json")
    assert second.status_code == 429 and second.json()["code"] == 429
    assert client.get("/v2/users/me").status_code == 200
