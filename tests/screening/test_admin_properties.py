"""Conditions typed in the admin (hypothesis): valid ones are saved as typed, anything else (malformed JSON, what
jsonb cannot store, an invalid condition) is refused with a message and changes nothing.
"""

import json
import math
from pathlib import Path

import pytest
from django.forms import BooleanField
from django.urls import reverse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from screening.models import Question, Requirement
from screening.rules import condition_errors, lint, questions_read, scenarios_read
from tests.factories import RequirementFactory
from tests.strategies import CODES, DB_SETTINGS, TEXT, rolled_back

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _fixture_conditions() -> list:
    found = []

    def walk(condition):
        found.append(condition)
        for child in condition.get("conditions", []):
            walk(child)

    for checklist in json.loads((ROOT / "fixtures" / "checklists.json").read_text(encoding="utf-8")):
        for requirement in checklist["requirements"]:
            walk(requirement["condition"])
    return found


CONDITION_KEYS = sorted({k for c in _fixture_conditions() for k in c} | {"kind"})
JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | TEXT | st.sampled_from(CODES),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(TEXT | st.sampled_from(CONDITION_KEYS), c, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated_json(draw, value, depth=0):
    """One change somewhere in the tree: a value replaced, a key removed or added, or the kind swapped."""
    children = list(value) if isinstance(value, dict) else list(range(len(value))) if isinstance(value, list) else []
    how = draw(st.sampled_from(["descend", "descend", "replace", "remove", "add", "kind"]))
    if how == "descend" and children and depth < 6:
        key = draw(st.sampled_from(children))
        copy = dict(value) if isinstance(value, dict) else list(value)
        copy[key] = draw(mutated_json(copy[key], depth + 1))
        return copy
    if how == "remove" and children:
        key = draw(st.sampled_from(children))
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k != key}
        return value[:key] + value[key + 1 :]
    if how == "add" and isinstance(value, dict):
        return {**value, draw(TEXT | st.sampled_from(CONDITION_KEYS)): draw(JSON)}
    if how == "kind" and isinstance(value, dict):
        return {**value, "kind": draw(st.sampled_from([*CONDITION_KEYS, "skill_has", "any_of", "all_of"]) | TEXT)}
    return draw(JSON)


def _unstorable(value) -> bool:
    """NaN/Infinity or a NUL character: Python's json accepts them, PostgreSQL's jsonb does not."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    return isinstance(value, list) and any(map(_unstorable, value))


CONDITION_TEXTS = st.one_of(
    JSON.map(lambda v: json.dumps(v, ensure_ascii=False)),
    st.sampled_from(_fixture_conditions()).flatmap(mutated_json).map(lambda v: json.dumps(v, ensure_ascii=False)),
    st.sampled_from([c for c in _fixture_conditions() if not questions_read(c) and not scenarios_read(c)]).map(
        json.dumps  # valid as they are, and savable in a checklist without their questions
    ),
    TEXT,
)


@pytest.fixture
def admin_setup(client, django_user_model):
    """A logged-in admin, a requirement, and its checklist's change form as a browser would post it back."""
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    # posted back with a justification: an age or health condition (issue 16) is then saved like any other
    requirement = RequirementFactory(justification="岗位确需（测试）")
    Question.objects.create(
        checklist=requirement.checklist,
        code="basic_private_discount",  # read by a fixture condition: its mutations may be valid
        prompt="？",
        options=[{"code": "a", "label": "甲"}, {"code": "b", "label": "乙"}],
    )
    url = reverse("admin:screening_checklist_change", args=[requirement.checklist.pk])
    return client, url, requirement, *_posted_back(client, url, requirement)


def _posted_back(client, url, requirement) -> tuple[dict, str]:
    """Every field of the change form and of all its inlines, unchanged, and the requirement's condition field
    (built from the page, so an inline added to the checklist admin later is posted too)."""
    context = client.get(url).context
    all_forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        all_forms += [inline.formset.management_form, *inline.formset.forms]
    data, condition = {}, None
    for form in all_forms:
        for bound in form:
            value = bound.value()  # already prepared for display, as the page shows it
            if isinstance(bound.field, BooleanField):
                value = "on" if value else None
            if value is not None:
                data[bound.html_name] = value
        if isinstance(getattr(form, "instance", None), Requirement) and form.instance.pk == requirement.pk:
            condition = form["condition"].html_name
    return data, condition


def _errors_by_field(response) -> dict:
    """Every error the admin page shows, by the posted name of its field (a formset's own under its prefix)."""
    if not response.context:
        return {}
    forms, found = [response.context["adminform"].form], {}
    for inline in response.context["inline_admin_formsets"]:
        forms += inline.formset.forms
        if inline.formset.non_form_errors():
            found[inline.formset.prefix] = list(inline.formset.non_form_errors())
    for form in forms:
        found |= {form.add_prefix(field): list(errors) for field, errors in form.errors.items()}
    return found


def _should_be_saved(text: str, questions: set[str]) -> bool:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, 4300+ digit numbers, deep nesting
        return False
    if _unstorable(value):  # the admin refuses what jsonb cannot store
        return False
    # the checklist holds the questions given and no chat scenario
    if condition_errors(value) or lint.findings(value):  # lint: words a checklist may not screen by (issue 16)
        return False
    return questions_read(value) <= questions and not scenarios_read(value)


@settings(max_examples=80, **DB_SETTINGS)
@given(text=CONDITION_TEXTS)
def test_admin_saves_only_valid_conditions_and_refuses_the_rest_with_a_message(admin_setup, text):
    client, url, requirement, data, condition = admin_setup
    with rolled_back():
        before = Requirement.objects.get(pk=requirement.pk).condition
        response = client.post(url, {**data, condition: text})
        assert response.status_code < 500
        after = Requirement.objects.get(pk=requirement.pk).condition
        saved = _should_be_saved(text, {"basic_private_discount"})
        event("valid: saved" if saved else "invalid: refused")
        if saved:
            assert response.status_code == 302, _errors_by_field(response)
            assert after == json.loads(text)
        else:
            assert after == before
            assert response.status_code == 200 and "errornote" in response.content.decode()
            errors = _errors_by_field(response)  # refused for the condition, with a message, and for nothing else
            assert list(errors) == [condition] and all(errors[condition]), errors


INVALID_JSON = "输入一个有效的JSON。"  # Django's message for text that is not JSON, in the admin's language


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param('{"kind": "major_matches", "keywords": ["\\u0000"]}', "不能包含空字符（NUL）",
                     id="nul-in-a-keyword"),
        pytest.param('{"kind": "experience_at_least", "field": "total", "years": Infinity}', INVALID_JSON,
                     id="infinity"),
        pytest.param('{"kind": "experience_at_least", "field": "total", "years": NaN}', INVALID_JSON, id="nan"),
        pytest.param('{"kind": "skill_has", "skill": "excel", "n": ' + "1" * 5000 + "}", INVALID_JSON,
                     id="5000-digits"),
        pytest.param("[" * 100_000, INVALID_JSON, id="deep-nesting"),
        pytest.param('{"kind": []}', "kind: 未知的条件类型 []", id="list-as-kind"),
        pytest.param('{"kind": "any_of", "conditions": [{"kind": {}}, {"kind": "skill_has", "skill": "excel"}]}',
                     "conditions[0].kind: 未知的条件类型 {}", id="object-as-kind-of-a-child"),
    ],
)  # fmt: skip
def test_admin_refuses_json_postgresql_cannot_store(admin_setup, text, message):
    client, url, requirement, data, condition = admin_setup
    with rolled_back():
        response = client.post(url, {**data, condition: text})
        assert response.status_code == 200 and "errornote" in response.content.decode()
        errors = _errors_by_field(response)
        assert list(errors) == [condition], errors
        # the message up to the list of known kinds (after "；")
        assert [m.split("；")[0] for m in errors[condition]] == [message]
        assert Requirement.objects.get(pk=requirement.pk).condition == requirement.condition
