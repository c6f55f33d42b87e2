import pytest

from screening.rules import KINDS, condition_errors

VALID = {
    "education_at_least": {"kind": "education_at_least", "level": "senior_high"},
    "age_between": {"kind": "age_between", "min": 18, "max": 35},
    "experience_at_least": {"kind": "experience_at_least", "field": "customer_service", "years": 1},
    "typing_at_least": {"kind": "typing_at_least", "cpm": 50, "accuracy": 0.9, "measured_only": True},
    "language_at_least": {"kind": "language_at_least", "language": "en", "level": "b1"},
    "certificate_at_least": {"kind": "certificate_at_least", "level": "manager", "years_since": 2},
    "declared": {"kind": "declared", "declaration": "good_health"},
    "platforms_any": {"kind": "platforms_any", "platforms": ["taobao"]},
    "major_matches": {"kind": "major_matches", "keywords": ["电子商务"]},
    "trait_at_least": {"kind": "trait_at_least", "trait": "patience", "rating": 4},
    "skill_has": {"kind": "skill_has", "skill": "excel"},
    "choice_answer": {"kind": "choice_answer", "question": "q1", "points": {"a": 1, "b": 0}},
    "text_answer": {"kind": "text_answer", "question": "q2", "groups": [["抱歉"]]},
    "chat_response": {
        "kind": "chat_response",
        "scenario": "chat_haggle",
        "max_seconds": 15,
        "min_fast_share": 0.8,
        "min_courtesy_share": 0.6,
    },
    "all_of": {
        "kind": "all_of",
        "conditions": [{"kind": "skill_has", "skill": "excel"}, {"kind": "declared", "declaration": "good_health"}],
    },
    "any_of": {
        "kind": "any_of",
        "conditions": [{"kind": "skill_has", "skill": "excel"}, {"kind": "declared", "declaration": "good_health"}],
    },
}


def test_every_kind_has_a_valid_example():
    assert set(VALID) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_valid_condition_has_no_errors(kind):
    assert condition_errors(VALID[kind]) == []


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_key_is_refused(kind):
    errors = condition_errors({**VALID[kind], "bogus": 1})
    assert errors and "bogus" in errors[0]


@pytest.mark.parametrize(
    ("condition", "where"),
    [
        ({"kind": "education_at_least", "level": "college"}, "level:"),
        ({"kind": "age_between"}, "min"),
        ({"kind": "age_between", "min": 40, "max": 30}, "min:"),
        ({"kind": "typing_at_least", "cpm": 50, "accuracy": 2}, "accuracy:"),
        ({"kind": "nope"}, "kind:"),
        (
            {
                "kind": "any_of",
                "conditions": [{"kind": "skill_has", "skill": "excel"}, {"kind": "education_at_least", "level": "phd"}],
            },
            "conditions[1].level:",
        ),
        ("not a dict", "(condition)"),
    ],
)
def test_errors_say_where(condition, where):
    errors = condition_errors(condition)
    assert errors and where in errors[0]


def test_errors_are_in_the_readers_language():
    from django.utils import translation

    assert condition_errors({"kind": "education_at_least"}) == ['(condition): 缺少 "level"']
    with translation.override("en"):
        translated = condition_errors({"kind": "education_at_least"})[0]
    assert translated.startswith("(condition): ") and "缺少" not in translated


@pytest.mark.parametrize(
    ("condition", "errors"),
    [
        ({"kind": "typing_at_least", "cpm": 5.904658365359414e16}, ["cpm: 5.904658365359414e+16 太大（最大 400）"]),
        ({"kind": "typing_at_least", "cpm": 401}, ["cpm: 401 太大（最大 400）"]),
        ({"kind": "typing_at_least", "cpm": 400}, []),
        ({"kind": "experience_at_least", "field": "total", "years": 61}, ["years: 61 太大（最大 60）"]),
        ({"kind": "experience_at_least", "field": "total", "years": 60}, []),
        ({"kind": "certificate_at_least", "level": "manager", "years_since": 1e300},
         ["years_since: 1e+300 太大（最大 60）"]),
    ],
)  # fmt: skip
def test_numbers_no_form_or_import_could_hold_are_refused(condition, errors):
    assert condition_errors(condition) == errors  # the bounds of the form and the import: 400 a minute, 60 years
