"""One OpenAPI document for every API the product serves (/v2/openapi.json, Swagger UI at /docs/api/).

drf-spectacular generates the Zoom-compatible /v2 operations from their views. The Mind API (/mind/)
and the sign-in and token endpoints (/auth/, /oauth/token) are plain Django views, so they are kept by
hand in docs/openapi/mind.openapi.json and docs/openapi/auth.openapi.json (with their own security
schemes and error shapes); this hook adds them to the generated document. The tests validate answers
against those files and check that they cover every URL under /mind/ and /auth/.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

HAND_KEPT_DOCUMENTS = (
    Path(__file__).resolve().parent.parent / "docs" / "openapi" / "mind.openapi.json",
    Path(__file__).resolve().parent.parent / "docs" / "openapi" / "auth.openapi.json",
)


@cache
def _hand_kept(path: Path) -> dict:
    return json.loads(path.read_text())


def add_hand_kept_documents(result, generator, request, public):
    """drf-spectacular postprocessing hook: merge the hand-kept documents' paths, tags and components."""
    components = result.setdefault("components", {})
    tags = result.setdefault("tags", [])
    for path in HAND_KEPT_DOCUMENTS:
        document = _hand_kept(path)
        result["paths"].update(document["paths"])
        tags.extend(document.get("tags", []))
        for section, entries in document.get("components", {}).items():
            merged = components.setdefault(section, {})
            for name, entry in entries.items():
                merged.setdefault(name, entry)  # names are prefixed per API (Mind*, Auth*): no clash
    return result
