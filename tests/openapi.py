"""Every /v2 response the tests see is checked against the OpenAPI contract (the Zulip idiom).

Documents, in order: the Zoom Meeting API and Meeting Summaries references (copied from
shared/reference into docs/openapi/reference, so any clone can run the tests),
then our own `docs/openapi/extra.openapi.json` for the few seed operations Zoom lacks. An
operation found in none of them fails the test: undocumented API is a defect.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from jsonschema import FormatChecker
from openapi_schema_validator import OAS30Validator

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "openapi" / "reference"
DOCUMENTS = [
    REFERENCE / "zoom-meeting-api.openapi.json",
    REFERENCE / "zoom-meeting-summaries.openapi.json",
    ROOT / "docs" / "openapi" / "extra.openapi.json",
]
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
}


class ContractError(AssertionError):
    pass


def _path_regex(template: str, parameter: str):
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", parameter, re.escape(template)) + "/?$")


@cache
def _operations():
    """[(strict regex, loose regex, literal segment count, path template, method, operation, document)]"""
    found = []
    for path in DOCUMENTS:
        document = json.loads(path.read_text())
        for template, item in document["paths"].items():
            literals = sum(1 for part in template.split("/") if part and not part.startswith("{"))
            for method, operation in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    found.append((_path_regex(template, "[^/]+"), _path_regex(template, ".+?"), literals, template,
                                  method, operation, document))
    return found


def find_operation(method: str, path: str):
    """The documented operation for `METHOD /v2/...`, preferring literal segments over parameters."""
    api_path = path.split("?", 1)[0].removeprefix("/v2")
    candidates = [op for op in _operations() if op[4] == method.lower()]
    # A meeting UUID may hold a "/" that clients send unencoded (Zoom asks for double encoding only
    # when it starts with "/" or contains "//"), so a parameter may span segments as a last resort.
    matches = [op for op in candidates if op[0].match(api_path)] or [op for op in candidates if op[1].match(api_path)]
    if not matches:
        return None
    return max(matches, key=lambda op: op[2])


def _resolve(node, document):
    if isinstance(node, dict):
        if "$ref" in node:
            target = document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return _resolve(target, document)
        return {k: _resolve(v, document) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, document) for v in node]
    return node


def validate_response(method: str, path: str, status: int, body: bytes, content_type: str = "") -> None:
    operation = find_operation(method, path)
    if operation is None:
        raise ContractError(f"{method} {path} is not described in any OpenAPI document")
    _, _, _, template, _, spec, document = operation
    responses = spec.get("responses", {})
    documented = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")

    if status >= 400:
        schema = ERROR_SCHEMA  # Zoom documents error statuses without bodies; ours are always {code, message}
    elif documented is None:
        raise ContractError(f"{method} {template} answered {status}, which the contract does not document "
                            f"(documented: {sorted(responses)})")
    else:
        schema = _resolve((documented.get("content", {}).get("application/json") or {}).get("schema"), document)
    if status == 204:
        if body:
            raise ContractError(f"{method} {template} answered 204 with a body")
        return
    if schema is None:
        return
    if "json" not in content_type:
        raise ContractError(f"{method} {template} answered {content_type!r}, not JSON")
    instance = json.loads(body)
    if isinstance(schema, dict) and "oneOf" in schema and not any("required" in branch for branch in schema["oneOf"]):
        # Zoom documents some answers (GET /users/{userId}/settings) as a oneOf of objects that require
        # nothing, so every answer matches all of them: "exactly one" cannot hold; "one of them" must.
        schema = {**{k: v for k, v in schema.items() if k != "oneOf"}, "anyOf": schema["oneOf"]}
    errors = sorted(OAS30Validator(schema, format_checker=FormatChecker()).iter_errors(instance), key=str)
    if errors:
        details = "\n".join(f"  at {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:10])
        raise ContractError(f"{method} {template} -> {status} breaks the contract:\n{details}")


# --- our own APIs: the Mind API (/mind/) and the sign-in and token endpoints (/auth/, /oauth/token) ---
#
# These documents describe their own error bodies per operation, so every answer, errors included,
# must be a documented status whose body matches. A method a path does not have may answer 405 in the
# document's `x-method-not-allowed` shape (or with no body).

OWN_DOCUMENTS = {
    "/mind/": ROOT / "docs" / "openapi" / "mind.openapi.json",
    "/auth/": ROOT / "docs" / "openapi" / "auth.openapi.json",
    "/oauth/": ROOT / "docs" / "openapi" / "auth.openapi.json",
}


@cache
def own_document(path: Path) -> dict:
    return json.loads(path.read_text())


def own_document_for(url_path: str) -> dict:
    for prefix, document_path in OWN_DOCUMENTS.items():
        if url_path.startswith(prefix):
            return own_document(document_path)
    raise ContractError(f"{url_path} belongs to no OpenAPI document of ours")


def find_own_path(url_path: str):
    """(template, path item) of the document for `url_path`, preferring literal segments; None if none."""
    document = own_document_for(url_path)
    matches = []
    for template, item in document["paths"].items():
        if _path_regex(template, "[^/]+").match(url_path):
            literals = sum(1 for part in template.split("/") if part and not part.startswith("{"))
            matches.append((literals, template, item))
    if not matches:
        return None
    _, template, item = max(matches, key=lambda match: match[0])
    return template, item


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _check_body(document, where: str, schema, body: bytes) -> None:
    instance = json.loads(body)
    schema = _resolve(schema, document)
    errors = sorted(OAS30Validator(schema, format_checker=FormatChecker()).iter_errors(instance), key=str)
    if errors:
        details = "\n".join(f"  at {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:10])
        raise ContractError(f"{where} breaks the contract:\n{details}")


def validate_own_response(method: str, url_path: str, status: int, body: bytes, content_type: str = "") -> None:
    """Checks an answer of /mind/, /auth/ or /oauth/ against docs/openapi/{mind,auth}.openapi.json."""
    document = own_document_for(url_path)
    found = find_own_path(url_path)
    if found is None:
        raise ContractError(f"{method} {url_path} is not described in {document['info']['title']!r}")
    template, item = found
    operation = item.get(method.lower())
    where = f"{method} {template} -> {status}"
    if operation is None:
        if status != 405:
            raise ContractError(f"{method} {template} is not documented, yet it answered {status}")
        if body and "json" in content_type:
            _check_body(document, where, document["x-method-not-allowed"], body)
        return
    documented = operation["responses"].get(str(status))
    if documented is None:
        raise ContractError(f"{where}, which the contract does not document "
                            f"(documented: {sorted(operation['responses'])})")
    documented = _resolve(documented, document)
    content = documented.get("content")
    if not content:
        if body and status != 302:  # a redirect's body is Django's empty or courtesy text
            raise ContractError(f"{where} answered a body ({content_type!r}) the contract does not document")
        return
    media_type = _media_type(content_type)
    if media_type not in content:
        raise ContractError(f"{where} answered {content_type!r}; documented: {sorted(content)}")
    schema = content[media_type].get("schema")
    if "json" in media_type and schema is not None:
        _check_body(document, where, schema, body)
