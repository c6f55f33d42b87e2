from datetime import date

import pytest

from screening.rules import MET, NOT_MET, PARTIAL, UNKNOWN, condition_errors, evaluate

TODAY = date(2026, 11, 23)


def ev(condition, profile, partial=False):
    return evaluate(condition, profile, today=TODAY, partial=partial)


# -- education ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("junior_middle", NOT_MET),
        ("senior_high", MET),
        ("secondary_vocational", MET),
        ("bachelor", MET),
    ],
)
def test_education_at_least_compares_ranks(value, status):
    assert ev({"kind": "education_at_least", "level": "senior_high"}, {"education": value}).status == status


def test_education_missing_is_unknown_not_no():
    r = ev({"kind": "education_at_least", "level": "senior_high"}, {})
    assert (r.status, r.fraction, r.best) == (UNKNOWN, 0.0, 1.0)
    assert r.evidence[0]["code"] == "education.unknown"


def test_education_evidence_carries_codes_not_text():
    r = ev({"kind": "education_at_least", "level": "senior_high"}, {"education": "bachelor"})
    assert r.evidence == [{"code": "education.ok", "params": {"value": "bachelor", "required": "senior_high"}}]


# -- age ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dob", "status", "code"),
    [
        ("2008-11-23", MET, "age.ok"),  # 18 today: the lower bound is included
        ("2008-11-24", NOT_MET, "age.too_young"),  # turns 18 tomorrow
        ("1991-11-24", MET, "age.ok"),  # 34, one day before turning 35... still 34
        ("1991-11-23", MET, "age.ok"),  # exactly 35: the upper bound is included
        ("1990-11-23", NOT_MET, "age.too_old"),  # 36
    ],
)
def test_age_between_includes_both_limits(dob, status, code):
    r = ev({"kind": "age_between", "min": 18, "max": 35}, {"date_of_birth": dob})
    assert (r.status, r.evidence[0]["code"]) == (status, code)


def test_age_uses_applied_on_when_given():
    profile = {"date_of_birth": "2008-11-24", "applied_on": "2026-11-24"}
    assert ev({"kind": "age_between", "min": 18}, profile).status == MET


def test_age_falls_back_to_age_key_and_unknown_without_either():
    assert ev({"kind": "age_between", "max": 30}, {"age": 30}).status == MET
    assert ev({"kind": "age_between", "max": 30}, {}).status == UNKNOWN


# -- experience, typing, trait: numeric with partial credit ---------------------------------
def test_experience_threshold_reached_exactly_is_met():
    c = {"kind": "experience_at_least", "field": "customer_service", "years": 2}
    assert ev(c, {"experience": {"customer_service": 2}}).status == MET
    assert ev(c, {"experience": {"customer_service": 1.9}}).status == NOT_MET


def test_experience_partial_credit_is_value_over_threshold():
    c = {"kind": "experience_at_least", "field": "customer_service", "years": 2}
    r = ev(c, {"experience": {"customer_service": 1}}, partial=True)
    assert (r.status, r.fraction) == (PARTIAL, 0.5)


def test_experience_in_a_technical_field():
    c = {"kind": "experience_at_least", "field": "technical", "years": 2}
    assert condition_errors(c) == []
    assert ev(c, {"experience": {"technical": 3}}).status == MET
    r = ev(c, {"experience": {"technical": 1}}, partial=True)
    assert (r.status, r.fraction) == (PARTIAL, 0.5)
    assert r.evidence == [{"code": "experience.below", "params": {"field": "technical", "years": 1, "required": 2}}]
    assert ev(c, {"experience": {"after_sales": 5}}).status == UNKNOWN


def test_experience_other_field_is_unknown():
    c = {"kind": "experience_at_least", "field": "after_sales", "years": 1}
    assert ev(c, {"experience": {"customer_service": 5}}).status == UNKNOWN


def test_typing_cpm_and_accuracy():
    c = {"kind": "typing_at_least", "cpm": 50, "accuracy": 0.9}
    assert ev(c, {"typing": {"cpm": 50, "accuracy": 0.9}}).status == MET
    assert ev(c, {"typing": {"cpm": 60, "accuracy": 0.8}}).status == NOT_MET
    assert ev(c, {"typing": {"cpm": 60}}).status == UNKNOWN


def test_typing_partial_credit_capped_at_one():
    c = {"kind": "typing_at_least", "cpm": 50}
    assert ev(c, {"typing": {"cpm": 25}}, partial=True).fraction == 0.5
    assert ev(c, {"typing": {"cpm": 500}}, partial=True).fraction == 1.0


def test_typing_measured_only_ignores_self_declared_speed():
    c = {"kind": "typing_at_least", "cpm": 50, "measured_only": True}
    assert ev(c, {"typing": {"cpm": 90, "measured": False}}).status == UNKNOWN
    assert ev(c, {"typing": {"cpm": 90, "measured": True}}).status == MET


def test_trait_rating():
    c = {"kind": "trait_at_least", "trait": "patience", "rating": 4}
    assert ev(c, {"traits": {"patience": 4}}).status == MET
    r = ev(c, {"traits": {"patience": 3}}, partial=True)
    assert (r.status, r.fraction) == (PARTIAL, 0.75)
    assert ev(c, {"traits": {}}).status == UNKNOWN


# -- language, certificate -----------------------------------------------------------------
def test_language_level():
    c = {"kind": "language_at_least", "language": "en", "level": "b1"}
    assert ev(c, {"languages": {"en": "b2"}}).status == MET
    assert ev(c, {"languages": {"en": "a2"}}).status == NOT_MET
    assert ev(c, {"languages": {"ja": "c1"}}).status == UNKNOWN


def test_certificate_level_and_years_since():
    c = {"kind": "certificate_at_least", "level": "representative", "years_since": 2}
    assert ev(c, {"certificate": {"level": "senior_representative", "years_since": 2}}).status == MET
    assert ev(c, {"certificate": {"level": "representative", "years_since": 1}}).status == NOT_MET
    assert ev(c, {"certificate": {"level": "none"}}).status == NOT_MET
    assert ev(c, {"certificate": {"level": "representative"}}).status == UNKNOWN
    assert ev(c, {}).status == UNKNOWN


# -- declarations, lists, major ------------------------------------------------------------
def test_declared_true_false_missing():
    c = {"kind": "declared", "declaration": "no_criminal_record"}
    assert ev(c, {"declarations": {"no_criminal_record": True}}).status == MET
    assert ev(c, {"declarations": {"no_criminal_record": False}}).status == NOT_MET
    assert ev(c, {"declarations": {}}).status == UNKNOWN


def test_platforms_any_and_skill_has():
    c = {"kind": "platforms_any", "platforms": ["taobao", "tmall"]}
    assert ev(c, {"platforms": ["jd", "tmall"]}).status == MET
    assert ev(c, {"platforms": []}).status == NOT_MET
    assert ev(c, {}).status == UNKNOWN
    s = {"kind": "skill_has", "skill": "excel"}
    assert ev(s, {"skills": ["excel"]}).status == MET
    assert ev(s, {"skills": ["sales"]}).status == NOT_MET


def test_major_matches_folds_traditional_characters():
    c = {"kind": "major_matches", "keywords": ["电子商务", "市场营销"]}
    assert ev(c, {"major": "電子商務"}).status == MET
    assert ev(c, {"major": "机械"}).status == NOT_MET
    assert ev(c, {"major": " "}).status == UNKNOWN


# -- questions --------------------------------------------------------------------------------
def test_choice_answer_points():
    c = {"kind": "choice_answer", "question": "q1", "points": {"a": 1, "b": 0.5, "c": 0}}
    assert ev(c, {"answers": {"q1": "a"}}).status == MET
    r = ev(c, {"answers": {"q1": "b"}})
    assert (r.status, r.fraction) == (PARTIAL, 0.5)
    assert ev(c, {"answers": {"q1": "c"}}).status == NOT_MET
    assert ev(c, {"answers": {"q1": "zzz"}}).evidence[0]["code"] == "choice.invalid"
    assert ev(c, {"answers": {}}).status == UNKNOWN


TEXT = {
    "kind": "text_answer",
    "question": "lost",
    "groups": [["抱歉", "对不起"], ["查询", "核实"], ["补发", "退款"]],
    "min_groups": 2,
}


@pytest.mark.parametrize(
    "answer",
    [
        "非常抱歉，我马上帮您查询物流",
        "非常抱歉，我馬上幫您查詢物流",  # traditional characters
        "非常抱歉，我马上帮您ＣＨＥＣＫ，查询物流",  # full-width letters around
    ],
)
def test_text_answer_matches_simplified_traditional_and_full_width(answer):
    r = ev(TEXT, {"answers": {"lost": answer}})
    assert r.status == MET
    assert r.evidence[0]["params"]["matched"] == ["抱歉", "查询"]


def test_text_answer_is_case_insensitive_and_counts_groups():
    c = {"kind": "text_answer", "question": "q", "groups": [["SF", "顺丰"]]}
    assert ev(c, {"answers": {"q": "我们发 sf 快递"}}).status == MET
    r = ev(TEXT, {"answers": {"lost": "不知道"}}, partial=True)
    assert r.status == NOT_MET
    r = ev(TEXT, {"answers": {"lost": "对不起"}}, partial=True)
    assert (r.status, r.fraction) == (PARTIAL, 0.5)


# -- combinators and unknown propagation ---------------------------------------------------
EDU = {"kind": "education_at_least", "level": "junior_college"}
EXP = {"kind": "experience_at_least", "field": "clerical", "years": 1}


def test_any_of_met_when_one_child_met_even_with_unknowns():
    r = ev({"kind": "any_of", "conditions": [EDU, EXP]}, {"education": "bachelor"})
    assert r.status == MET


def test_any_of_unknown_when_no_child_met_and_one_unknown():
    r = ev({"kind": "any_of", "conditions": [EDU, EXP]}, {"education": "senior_high"})
    assert (r.status, r.fraction, r.best) == (UNKNOWN, 0.0, 1.0)


def test_any_of_not_met_when_all_children_fail():
    r = ev({"kind": "any_of", "conditions": [EDU, EXP]}, {"education": "senior_high", "experience": {"clerical": 0}})
    assert r.status == NOT_MET


def test_all_of_fails_on_a_failed_child_whatever_the_unknowns():
    r = ev({"kind": "all_of", "conditions": [EDU, EXP]}, {"education": "senior_high"})
    assert (r.status, r.best) == (NOT_MET, 0.0)


def test_all_of_unknown_when_the_unknown_could_decide():
    r = ev({"kind": "all_of", "conditions": [EDU, EXP]}, {"education": "bachelor"})
    assert (r.status, r.best) == (UNKNOWN, 1.0)


def test_nested_combinators_keep_children_for_explanations():
    c = {"kind": "any_of", "conditions": [{"kind": "all_of", "conditions": [EDU, EXP]}, EDU]}
    r = ev(c, {"education": "senior_high", "experience": {"clerical": 3}})
    assert r.status == NOT_MET
    assert [child.status for child in r.children] == [NOT_MET, NOT_MET]
    assert r.children[0].children[1].status == MET


def test_flagged_typing_measurement_is_shown_in_the_evidence():
    c = {"kind": "typing_at_least", "cpm": 50}
    r = ev(c, {"typing": {"cpm": 900, "measured": True, "flags": ["too_fast"]}})
    assert r.status == MET
    assert r.evidence[-1] == {"code": "typing.flagged", "params": {"flags": ["too_fast"]}}
