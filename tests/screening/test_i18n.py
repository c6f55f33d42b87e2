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
