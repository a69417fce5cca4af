"""Pages carry a Content-Security-Policy without 'unsafe-inline' (config/csp.py): an inline <script>
or an on* handler attribute in a template would silently do nothing in the browser."""

import re
from pathlib import Path

from django.conf import settings

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def templates():
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [p for p in Path(settings.BASE_DIR).glob("*/templates") if ".venv" not in p.parts]
    return sorted({path for root in roots for path in root.rglob("*.html")})


def test_templates_have_no_inline_script_or_handlers():
    found = templates()
    assert any(path.name == "base.html" for path in found)
    offenders = [f"{path}: {match.group(0).strip()}" for path in found
                 for pattern in (INLINE_SCRIPT, HANDLER) for match in pattern.finditer(path.read_text())]
    assert offenders == []
