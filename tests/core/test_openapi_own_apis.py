"""The OpenAPI document covers every API we serve, not just /v2.

The Mind API (/mind/) and the sign-in and token endpoints (/auth/, /oauth/token) are plain Django
views, described by hand in docs/openapi/{mind,auth}.openapi.json and merged into the served
/v2/openapi.json (config/openapi.py). Their answers are validated against those files in the Mind
and accounts tests (tests/openapi.py); here: every URL pattern has its path and methods documented,
every operation has a summary and its error responses, and the served document carries them.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

from tests.openapi import find_own_path, own_document_for

OWN_PREFIXES = ("mind/", "auth/", "oauth/")


def _routes(patterns=None, prefix=""):
    """(route, view) for every URL pattern, routes written as in urls.py (`mind/<uuid:application_id>`)."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and entry.name != "not-found":  # the Mind API's JSON 404
            yield route, entry.callback


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _as_openapi(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{" + _camel(m.group(1)) + "}", route)


OWN_ROUTES = sorted({(route, view) for route, view in _routes() if route.startswith(OWN_PREFIXES)}, key=lambda r: r[0])


def test_there_are_routes_to_check():
    routes = [route for route, _ in OWN_ROUTES]
    assert any(route.startswith("mind/") for route in routes) and "auth/tokens" in routes


@pytest.mark.parametrize("route,view", OWN_ROUTES, ids=[route for route, _ in OWN_ROUTES])
def test_every_route_is_documented(route, view):
    path = _as_openapi(route)
    found = find_own_path(path)
    assert found is not None, f"{path} is not in the OpenAPI document"
    template, item = found
    assert template == path, f"{path} resolves to {template} in the document"
    allowed = getattr(view, "allowed_methods", None)  # the Mind API's endpoint() views name theirs
    if allowed is not None:
        assert sorted(m.lower() for m in allowed) == sorted(item), f"{path}: served {allowed}, documented {sorted(item)}"


def _operations():
    for prefix in ("/mind/", "/auth/"):
        document = own_document_for(prefix)
        for template, item in document["paths"].items():
            for method, operation in item.items():
                yield f"{method.upper()} {template}", document, operation


@pytest.mark.parametrize("name,document,operation", list(_operations()), ids=[name for name, _, _ in _operations()])
def test_every_operation_has_a_summary_security_and_its_errors(name, document, operation):
    assert operation.get("summary"), name
    assert operation.get("security"), name
    assert [status for status in operation["responses"] if status.startswith("4")], f"{name} documents no errors"
    for requirement in operation["security"]:
        assert set(requirement) <= set(document["components"]["securitySchemes"]), name


def test_documents_are_valid_openapi():
    for prefix in ("/mind/", "/auth/"):
        validate(own_document_for(prefix))


def test_served_document_holds_every_api(client):
    response = client.get("/v2/openapi.json")
    assert response.status_code == 200
    served = response.json()
    validate(served)
    for prefix in ("/mind/", "/auth/"):
        document = own_document_for(prefix)
        for template, item in document["paths"].items():
            assert served["paths"][template] == item
    schemes = served["components"]["securitySchemes"]
    assert {"oauth2", "mindApplicationToken", "mindParticipantToken", "oauthClient"} <= set(schemes)
    assert any(path.startswith("/v2/") for path in served["paths"])
