import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _forms(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_every_string_is_translated_with_the_same_placeholders(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as f:
        catalog = read_po(f)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids, strings = _forms(message.id), _forms(message.string)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
        elif any(set(PLACEHOLDER.findall(s)) - wanted for s in strings) or not set(
            PLACEHOLDER.findall(strings[-1])
        ) >= set(PLACEHOLDER.findall(ids[-1])):
            problems.append(f"placeholders differ: {ids[0]!r} → {strings!r}")
    assert problems == []
    assert len(catalog) > 300


ROOT = LOCALE.parent
# a literal msgid in the code: _("…"), gettext_lazy("…"), {% translate "…" %}; pgettext and blocktranslate are left
# to makemessages (their msgids carry a context or a body that a regular expression reads badly)
PY_LITERAL = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*(?P<q>["'])(?P<id>(?:\\.|(?!(?P=q)).)+)(?P=q)\s*[,)%]""")
TEMPLATE_LITERAL = re.compile(r"""\{%\s*translate\s+(?P<q>["'])(?P<id>(?:(?!(?P=q)).)+)(?P=q)""")


def _literals():
    for path in sorted((ROOT / "screening").rglob("*.py")) + sorted((ROOT / "config").rglob("*.py")):
        if "migrations" not in path.parts:
            for match in PY_LITERAL.finditer(path.read_text()):
                yield path, match["id"].encode().decode("unicode_escape") if "\\" in match["id"] else match["id"]
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted((ROOT / "templates").rglob("*.txt")):
        for match in TEMPLATE_LITERAL.finditer(path.read_text()):
            yield path, match["id"].replace("%", "%%")  # makemessages writes a template's % doubled


def test_every_literal_in_the_code_is_in_the_catalog():
    """A string marked for translation but never extracted (make makemessages not run) would show in Chinese to an
    English reader; the catalog checks above cannot see it."""
    with (LOCALE / "en" / "LC_MESSAGES" / "django.po").open("rb") as f:
        known = {_forms(m.id)[0] for m in read_po(f) if m.id}
    literals = list(_literals())
    missing = sorted({f"{path.relative_to(ROOT)}: {msgid!r}" for path, msgid in literals if msgid not in known})
    assert len(literals) > 500
    assert missing == []
