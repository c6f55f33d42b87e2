"""Evidence kinds, the self-rating cap and one score per piece of evidence (issue 12; pure: no database)."""

from datetime import date

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from screening.rules import (
    Requirement,
    effective_weights,
    evidence_kind,
    merge_duplicates,
    points_by_kind,
    questions_read,
    score_profile,
    vocab,
)
from screening.rules.schemas import EVIDENCE, KINDS

TODAY = date(2026, 11, 23)


def req(code, condition, weight=1, knockout=False, partial=False, checklist="c"):
    return Requirement(checklist, code, code, condition, weight, knockout, partial)


def trait(name, rating=4):
    return {"kind": "trait_at_least", "trait": name, "rating": rating}


EDU = {"kind": "education_at_least", "level": "senior_high"}
TYPING = {"kind": "typing_at_least", "cpm": 50}
CHOICE = {"kind": "choice_answer", "question": "q_refund", "points": {"a": 1, "b": 0.25, "c": 0}}
TEXT = {"kind": "text_answer", "question": "q_lost", "groups": [["抱歉", "对不起"], ["查询", "核实"], ["补发", "退款"]]}


# -- evidence kinds --------------------------------------------------------------------------
def test_every_leaf_kind_has_an_evidence_kind():
    assert set(EVIDENCE) == set(KINDS) - {"all_of", "any_of"}
    assert {k for k, v in EVIDENCE.items() if v == "measured"} == {
        "typing_at_least", "chat_response", "choice_answer", "text_answer"
    }  # fmt: skip
    assert {k for k, v in EVIDENCE.items() if v == "self_rated"} == {"trait_at_least"}


@pytest.mark.parametrize(
    ("condition", "kind"),
    [
        (TYPING, "measured"),
        (EDU, "claimed"),
        (trait("patience"), "self_rated"),
        ({"kind": "any_of", "conditions": [TYPING, CHOICE]}, "measured"),
        ({"kind": "any_of", "conditions": [TYPING, EDU]}, "claimed"),  # mixed: the weakest
        ({"kind": "all_of", "conditions": [EDU, {"kind": "any_of", "conditions": [TYPING, trait("patience")]}]},
         "self_rated"),
    ],
)  # fmt: skip
def test_evidence_kind_of_a_combinator_is_its_weakest_childs(condition, kind):
    assert evidence_kind(condition) == kind


def test_each_result_names_its_kind_and_the_score_splits_by_kind():
    reqs = [req("typing", TYPING, 2, partial=True), req("edu", EDU, 2), req("patience", trait("patience"), 1)]
    profile = {"typing": {"cpm": 25}, "education": "bachelor", "traits": {"patience": 4}}
    out = score_profile(reqs, profile, threshold=60, today=TODAY, self_rated_max_share=1.0)
    assert [r["kind"] for r in out.results] == ["measured", "claimed", "self_rated"]
    assert [r["evidence"][0]["code"] for r in out.results] == ["typing.below", "education.ok", "trait.ok"]
    # (2×0.5 + 2×1 + 1×1) / 5 = 80: 20 points measured, 40 claimed, 20 self-rated
    assert out.score == 80.0
    assert out.points_by_kind == {"measured": 20.0, "claimed": 40.0, "self_rated": 20.0}
    assert [r["points"] for r in out.results] == [20.0, 40.0, 20.0]
    assert points_by_kind(out.results, out.score) == out.points_by_kind  # HR reads it back from stored results


def test_points_by_kind_add_up_to_the_rounded_score():
    # three requirements of a third each: 33.33… points apiece, shown so that they still add up to 100
    reqs = [req("typing", TYPING), req("edu", EDU), req("choice", CHOICE)]
    out = score_profile(reqs, {"typing": {"cpm": 60}, "education": "bachelor", "answers": {"q_refund": "a"}},
                        threshold=60, today=TODAY)  # fmt: skip
    assert out.score == 100.0
    assert sorted(out.points_by_kind.values()) == [0.0, 33.3, 66.7]
    assert points_by_kind([{"code": "old", "status": "met"}], 50.0) == {}  # stored before kinds: nothing to show


# -- self-ratings cannot carry a score ---------------------------------------------------------
def test_effective_weights_scale_the_self_ratings_to_exactly_the_cap():
    reqs = [
        req("edu", EDU, 3),
        req("typing", TYPING, 3),
        req("p", trait("patience"), 2),
        req("c", trait("carefulness"), 2),
    ]
    weights = effective_weights(reqs, 0.15)
    # 4 of 10 self-rated; allowed: 0.15 × 6 / 0.85 = 1.0588…, shared 1:1
    assert weights.weights[:2] == [3.0, 3.0]
    assert weights.weights[2] == pytest.approx(0.5294, abs=1e-4) == weights.weights[3]
    assert weights.kinds == ["claimed", "measured", "self_rated", "self_rated"]
    assert weights.total == pytest.approx(7.0588, abs=1e-4)
    assert weights.shares["self_rated"] == pytest.approx(0.15)
    assert weights.shares["measured"] == pytest.approx(3 / 7.0588, abs=1e-4)


def test_effective_weights_leave_a_job_under_the_cap_as_configured():
    reqs = [req("edu", EDU, 9), req("p", trait("patience"), 1)]
    weights = effective_weights(reqs, 0.15)
    assert weights.weights == [9.0, 1.0] and weights.total == 10.0
    assert weights.shares == {"measured": 0.0, "claimed": 0.9, "self_rated": 0.1}


def test_a_job_of_self_ratings_alone_cannot_score_past_the_cap():
    reqs = [req("p", trait("patience"), 2), req("c", trait("carefulness"), 1)]
    out = score_profile(reqs, {"traits": {"patience": 5, "carefulness": 5}}, threshold=60, today=TODAY)
    assert (out.score, out.max_possible, out.recommendation) == (15.0, 15.0, "review")
    assert effective_weights(reqs).shares["self_rated"] == pytest.approx(0.15)


TRAITS_59 = [  # 23 of 39 configured weight: 59 % self-rated, rated as the seed checklists rate them
    ("patience", 4, 3), ("responsibility", 4, 3), ("communication", 4, 3), ("service_mindset", 4, 3),
    ("stress_tolerance", 4, 3), ("teamwork", 3, 2), ("learning", 4, 2), ("adaptability", 4, 2), ("carefulness", 4, 2),
]  # fmt: skip
JOB_59 = [
    *(req(t, trait(t, rating), w, partial=True) for t, rating, w in TRAITS_59),
    req("refund", CHOICE, 2),
    req("lost", {**TEXT, "min_groups": 2}, 2, partial=True),
    req("edu", EDU, 3, knockout=True),
    req("record", {"kind": "declared", "declaration": "no_criminal_record"}, 3),
    req("office", {"kind": "skill_has", "skill": "office_software"}, 2),
    req("platform", {"kind": "platforms_any", "platforms": ["taobao", "jd"]}, 2),
    req("shifts", {"kind": "declared", "declaration": "accepts_shifts"}, 2),
]
CLAIMS = {
    "education": "senior_high",
    "declarations": {"no_criminal_record": True, "accepts_shifts": True},
    "skills": ["office_software"],
    "platforms": ["taobao"],
}


def test_all_fives_with_the_worst_answers_score_below_modest_threes_with_the_best():
    assert round(100 * sum(w for _t, _r, w in TRAITS_59) / sum(r.weight for r in JOB_59)) == 59
    boaster = {**CLAIMS, "traits": dict.fromkeys(vocab.TRAITS, 5), "answers": {"q_refund": "c", "q_lost": "不知道"}}
    modest = {**CLAIMS, "traits": dict.fromkeys(vocab.TRAITS, 3),
              "answers": {"q_refund": "a", "q_lost": "非常抱歉，我马上帮您查询，确认后给您补发"}}  # fmt: skip
    boast = score_profile(JOB_59, boaster, threshold=60, today=TODAY)
    good = score_profile(JOB_59, modest, threshold=60, today=TODAY)
    # self-rated weight 23 → 0.15 × 16 / 0.85 = 2.8235 of 18.8235; the boaster earns the 12 claimed + all of it:
    # 14.8235 / 18.8235 = 78.75; the modest one 12 + 4 measured + 2.8235 × (21 × 0.75 + 2 × 1) / 23 = 96.58
    assert (boast.score, good.score) == (78.8, 96.6)
    assert boast.score < good.score
    assert boast.points_by_kind == {"measured": 0.0, "claimed": 63.8, "self_rated": 15.0}
    # without the cap the boaster would come first: (12 + 23) / 39 = 89.7 against (16 + 17.75) / 39 = 86.5
    uncapped = [score_profile(JOB_59, p, threshold=60, today=TODAY, self_rated_max_share=1.0).score
                for p in (boaster, modest)]  # fmt: skip
    assert uncapped == [89.7, 86.5]


_LEAVES = ["trait", "choice", "text", "typing", "education", "declared"]


@st.composite
def _leaf(draw, code):
    match draw(st.sampled_from(_LEAVES)):
        case "trait":
            return trait(draw(st.sampled_from(vocab.TRAITS)), draw(st.integers(2, 5)))
        case "choice":
            mid = draw(st.sampled_from([0, 0.25, 0.5, 1]))
            return {"kind": "choice_answer", "question": code, "points": {"best": 1, "mid": mid, "worst": 0}}
        case "text":
            groups = [["抱歉", "对不起"], ["查询", "核实"]]
            return {"kind": "text_answer", "question": code, "groups": groups, "min_groups": draw(st.integers(1, 2))}
        case "typing":
            return {"kind": "typing_at_least", "cpm": draw(st.sampled_from([40, 50, 60]))}
        case "education":
            return {"kind": "education_at_least", "level": draw(st.sampled_from(["senior_high", "bachelor"]))}
    return {"kind": "declared", "declaration": "accepts_shifts"}


@st.composite
def _jobs(draw):
    reqs = []
    for i in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            condition = draw(_leaf(f"q{i}"))
        else:
            combinator = draw(st.sampled_from(["all_of", "any_of"]))
            condition = {"kind": combinator, "conditions": [draw(_leaf(f"q{i}a")), draw(_leaf(f"q{i}b"))]}
        reqs.append(req(f"r{i}", condition, draw(st.integers(1, 5)), draw(st.booleans()), draw(st.booleans())))
    return reqs


def _answers(reqs, choice, text):
    choices = _choice_codes(reqs)
    return {
        code: choice if code in choices else text for code in set().union(*(questions_read(r.condition) for r in reqs))
    }


def _choice_codes(reqs):
    def walk(c):
        if c["kind"] in ("all_of", "any_of"):
            return set().union(*(walk(child) for child in c["conditions"]))
        return {c["question"]} if c["kind"] == "choice_answer" else set()

    return set().union(*(walk(r.condition) for r in reqs))


@settings(max_examples=300, deadline=None)
@given(
    reqs=_jobs(),
    cap=st.sampled_from([0.1, 0.15, 0.3]),
    education=st.sampled_from(["junior_middle", "senior_high", "bachelor"]),
    shifts=st.booleans(),
    rating=st.integers(1, 5),
    option=st.sampled_from(["best", "mid", "worst"]),
    text=st.sampled_from(["不知道", "抱歉", "抱歉，我马上查询"]),
    cpm=st.integers(0, 120),
)
def test_self_ratings_move_a_score_less_than_measured_evidence_and_never_past_the_cap(
    reqs, cap, education, shifts, rating, option, text, cpm
):
    claims = {"education": education, "declarations": {"accepts_shifts": shifts}}

    def score(traits, choice, answer, typing):
        profile = {**claims, "traits": dict.fromkeys(vocab.TRAITS, traits), "typing": {"cpm": typing},
                   "answers": _answers(reqs, choice, answer)}  # fmt: skip
        return score_profile(reqs, profile, threshold=60, today=TODAY, self_rated_max_share=cap).score

    by_self = score(5, option, text, cpm) - score(1, option, text, cpm)
    rounding = 0.1 + 1e-9  # each score is rounded to one decimal
    assert 0 <= by_self + rounding and by_self <= 100 * cap + rounding
    weights = effective_weights(merge_duplicates(reqs), cap)
    measured = sum(w for w, k in zip(weights.weights, weights.kinds, strict=True) if k == "measured")
    self_rated = sum(w for w, k in zip(weights.weights, weights.kinds, strict=True) if k == "self_rated")
    # The cap bounds self-ratings by the total weight, not by the measured weight: where the measured weight is
    # smaller than the capped self-rated weight (seed "ecommerce-cs-basic" alone: 2 measured against 2.12
    # self-rated; its partial-credit traits keep it inside the bound only by luck), self-ratings can move the
    # score more than every measured answer can. The comparison holds wherever that is not so.
    if measured and measured >= self_rated:
        event("compared with measured evidence")
        by_measured = score(rating, "best", "抱歉，我马上查询", 120) - score(rating, "worst", "不知道", 0)
        assert by_self <= by_measured + rounding


# -- one piece of evidence, scored once per job ------------------------------------------------
def test_identical_conditions_merge_into_one_requirement_with_the_larger_weight():
    reqs = [
        req("typing", {"kind": "typing_at_least", "cpm": 50, "measured_only": False}, 2, partial=True,
            checklist="cs-work-abilities"),
        req("edu", EDU, 3, knockout=True, checklist="cs-work-abilities"),
        req("typing", {"measured_only": False, "cpm": 50.0, "kind": "typing_at_least"}, 4, knockout=True,
            partial=True, checklist="cs-eight-must-haves"),  # same condition: keys in another order, 50.0
        req("typing60", {"kind": "typing_at_least", "cpm": 60}, 1, checklist="cs-eight-must-haves"),
    ]  # fmt: skip
    merged = merge_duplicates(reqs)
    assert [(r.checklist, r.code, r.weight, r.knockout, r.partial_credit) for r in merged] == [
        ("cs-work-abilities", "typing", 4, True, True),
        ("cs-work-abilities", "edu", 3, True, False),
        ("cs-eight-must-haves", "typing60", 1, False, False),
    ]
    assert merged[0].merged == (
        {"checklist": "cs-eight-must-haves", "code": "typing", "title": "typing", "weight": 4, "knockout": True},
    )
    assert merge_duplicates(merged) == merged


def test_partial_credit_survives_a_merge_only_if_every_requirement_allows_it():
    merged = merge_duplicates([req("a", TYPING, 2, partial=True), req("b", TYPING, 1, partial=False)])
    assert [(r.code, r.weight, r.partial_credit) for r in merged] == [("a", 2, False)]


def test_the_score_counts_a_repeated_condition_once():
    reqs = [req("typing", TYPING, 4, partial=True), req("edu", EDU, 4), req("typing_again", TYPING, 2, partial=True)]
    out = score_profile(reqs, {"typing": {"cpm": 25}, "education": "bachelor"}, threshold=60, today=TODAY)
    # one typing requirement of weight 4 at half credit, one education of 4: (2 + 4) / 8 = 75, not (2 + 4 + 1) / 10
    assert out.score == 75.0
    assert [r["code"] for r in out.results] == ["typing", "edu"]
    assert out.results[0]["merged"] == [
        {"checklist": "c", "code": "typing_again", "title": "typing_again", "weight": 2, "knockout": False}
    ]
    assert "merged" not in out.results[1]


def test_a_new_requirement_list_is_planned_afresh():
    # the per-job plan is cached by the requirements' identity: equal-looking new objects are new requirements
    first = score_profile([req("typing", TYPING, 2), req("edu", EDU, 2)], {"education": "bachelor"}, threshold=60,
                          today=TODAY)  # fmt: skip
    second = score_profile([req("typing", TYPING, 2), req("edu", EDU, 6)], {"education": "bachelor"}, threshold=60,
                           today=TODAY)  # fmt: skip
    assert (first.score, second.score) == (50.0, 75.0)
