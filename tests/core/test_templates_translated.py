"""Every user-facing string of the translated pages goes through Django's translation: the text of a
template outside {% translate %} / {% blocktranslate %}, and the labels people read in attributes
(aria-label, title, placeholder, alt, data-confirm), must hold no words; the room's scripts wrap
their sentences in `_()` (static/js/room/i18n.js), which makemessages extracts.

The scan reads templates with Django's own template lexer, so a string is "marked" exactly when
Django would translate it. Words inside <code> (identifiers) and the site's name are not prose.
Each marked string must have a German translation in the compiled catalogs (`.mo`, what ships: msgfmt
leaves fuzzy entries out): a marked string nobody translated would still show in English.
"""

from __future__ import annotations

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

BASE = Path(settings.BASE_DIR)
# Every page template and fragment, the apps' own template folders included (docs/design.md: Translations).
TEMPLATE_ROOTS = [BASE / "templates", *sorted(BASE.glob("*/templates"))]
LABEL_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "data-confirm"}
WORD = re.compile(r"[A-Za-z]{2,}")
NOT_PROSE = {"API", "UTC", "Google", "Outlook"}  # names, not prose


def template_files() -> list[Path]:
    files = []
    for root in TEMPLATE_ROOTS:
        files += sorted(root.rglob("*.html"))
    return files


def test_every_registration_page_is_scanned():
    scanned = set(template_files())
    assert {BASE / "templates/base.html", BASE / "templates/landing.html"} <= scanned
    registration = sorted((BASE / "templates/registration").glob("*.html"))
    assert len(registration) >= 10 and set(registration) <= scanned


class _Prose(HTMLParser):
    """Collects text and label attributes of an HTML fragment, skipping <code>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_code = 0

    def handle_starttag(self, tag, attrs):
        if tag == "code":
            self.in_code += 1
        self.found += [value for name, value in attrs if name in LABEL_ATTRIBUTES and value and WORD.search(value)]

    def handle_endtag(self, tag):
        if tag == "code" and self.in_code:
            self.in_code -= 1

    def handle_data(self, data):
        if not self.in_code:
            words = [w for w in WORD.findall(data) if w not in NOT_PROSE]
            if words:
                self.found.append(data.strip())


def untranslated(source: str) -> list[str]:
    """The prose of a template that Django would show untranslated. Template tags and variables
    become a placeholder, so a tag inside an attribute (aria-label="{% translate ... %}") is fine."""
    html, depth = [], 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans", "comment"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment"):
                depth -= 1
            html.append("\x00")
        elif token.token_type == TokenType.TEXT and depth == 0:
            html.append(token.contents)
        elif token.token_type == TokenType.VAR:
            html.append("\x00")
    parser = _Prose()
    parser.feed("".join(html).replace("\x00", "0"))
    parser.close()
    return parser.found


def test_the_scan_finds_untranslated_text():
    assert untranslated('<p>Hello {{ name }}</p><b title="Close">x</b>') == ["Hello 0", "Close"]
    assert untranslated('{% load i18n %}<p>{% translate "Hello" %}</p>'
                        '<b title="{% translate "Close" %}"></b><code>edited_summary</code>'
                        '{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}') == []


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(BASE)))
def test_template_text_is_marked_for_translation(path):
    assert untranslated(path.read_text()) == []


ROOM_JS = BASE / "static/js/room"
# A sentence in a script: a string literal starting with a capital and holding a lower-case word.
SENTENCE = re.compile(r"""(?<![\w.])(["'`])([A-Z][a-z']*(?: [^"'`\n]*)?[a-z][^"'`\n]*)\1""")
WRAPPED = re.compile(r"_\(\s*$")


def script_sentences(source: str) -> list[str]:
    found = []
    for line in source.splitlines():
        code = line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
        for match in SENTENCE.finditer(code):
            before = code[:match.start()]
            text = match.group(2)
            if WRAPPED.search(before):
                continue
            # One word is a label only where a label goes ("Pin" after `label:`, `?` or `return`);
            # CamelCase words are identifiers (error names).
            if " " not in text and (not re.fullmatch(r"[A-Z][a-z]+", text)
                                    or not before.rstrip().endswith((":", "?", "return"))):
                continue
            found.append(text)
    return found


def test_the_script_scan_finds_bare_sentences():
    assert script_sentences('toast("Recording stopped");') == ["Recording stopped"]
    assert script_sentences('toast(_("Recording stopped")); // "Not this one"') == []
    assert script_sentences('x = y ? "Unpin" : _("Pin");') == ["Unpin"]
    assert script_sentences('explain({ name: "NotFoundError" }); el.dataset.audio = "on";') == []


@pytest.mark.parametrize("path", sorted(ROOM_JS.glob("*.js")), ids=lambda p: p.name)
def test_room_script_sentences_are_marked(path):
    assert script_sentences(path.read_text()) == []


def marked_strings() -> set[str]:
    strings = set()
    for path in template_files():
        strings |= set(re.findall(r'\{% translate "([^"]+)"', path.read_text()))
    for path in ROOM_JS.glob("*.js"):
        strings |= set(re.findall(r'\b_\("((?:[^"\\]|\\.)+)"\)', path.read_text()))
    return strings


def test_german_has_every_marked_string():
    catalog: dict = {}
    for name in ("django", "djangojs"):
        with open(BASE / f"locale/de/LC_MESSAGES/{name}.mo", "rb") as compiled:
            catalog.update(gettext.GNUTranslations(compiled)._catalog)
    missing = sorted(s for s in marked_strings() if not catalog.get(s.replace('\\"', '"')))
    assert missing == []
