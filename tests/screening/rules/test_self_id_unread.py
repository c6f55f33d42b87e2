"""The voluntary self-identification is never read by the rule engine (issue 16 item 4): no condition can name it,
profile_reads never yields it, the application form never asks it, and the engine ignores it were it to turn up."""

import json
from datetime import date
from pathlib import Path

from screening import profile_keys, rules
from screening.rules.schemas import SCHEMAS, profile_reads

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "checklists.json"
SELF_ID_WORDS = ("sex", "gender", "self_id", "selfid")


def _conditions():
    for checklist in json.loads(FIXTURES.read_text("utf-8")):
        for requirement in checklist.get("requirements", []):
            yield requirement["condition"]


def test_no_condition_kind_has_a_key_that_could_name_it():
    keys = {key for schema in SCHEMAS.values() for key in schema.get("properties", {})}
    assert not {k for k in keys if any(word in k for word in SELF_ID_WORDS)}
    assert not {kind for kind in SCHEMAS if any(word in kind for word in SELF_ID_WORDS)}


def test_profile_reads_never_yields_it_and_the_form_never_asks_it():
    reads = set().union(*(profile_reads(c) for c in _conditions()))
    assert reads  # the fixtures read plenty
    assert not {r for r in reads if any(word in str(r).lower() for word in SELF_ID_WORDS)}
    asked = profile_keys.asked(reads)
    assert not {k.key for k in asked if any(word in k.key for word in SELF_ID_WORDS)}
    declared = {e.key if isinstance(e, profile_keys.ProfileKey) else e.head for e in profile_keys.KEYS}
    assert not {k for k in declared if any(word in k for word in SELF_ID_WORDS)}


def test_the_engine_scores_the_same_if_it_ever_turned_up_in_a_profile():
    requirements = [
        rules.Requirement(checklist="c", code=f"r{i}", title=str(i), condition=c, weight=1)
        for i, c in enumerate(_conditions())
    ]
    profile = {"education": "bachelor", "date_of_birth": "1995-04-01", "declarations": {"good_health": True}}
    plain = rules.score_profile(requirements, profile, threshold=60, today=date(2026, 3, 1))
    marked = rules.score_profile(
        requirements, {**profile, "sex": "female", "self_id": {"sex": "female"}}, threshold=60, today=date(2026, 3, 1)
    )
    assert (marked.score, marked.recommendation, marked.results) == (plain.score, plain.recommendation, plain.results)
