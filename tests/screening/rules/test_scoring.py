from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from screening.rules import ADVANCE, REJECT, REVIEW, Requirement, score_profile
from screening.rules.vocab import EDUCATION_LEVELS, EDUCATION_RANK

TODAY = date(2026, 11, 23)


def req(code, condition, weight=1, knockout=False, partial=False):
    return Requirement("c", code, code, condition, weight, knockout, partial)


EDU = req("edu", {"kind": "education_at_least", "level": "senior_high"}, weight=2, knockout=True)
TYPING = req("typing", {"kind": "typing_at_least", "cpm": 50}, weight=2, partial=True)
PATIENCE = req("patience", {"kind": "trait_at_least", "trait": "patience", "rating": 4})


def score(profile, threshold=60, reqs=(EDU, TYPING, PATIENCE)):
    # the plain formula: PATIENCE is 1/5 of the weight, past the self-rating cap (tested in test_weights.py)
    return score_profile(reqs, profile, threshold=threshold, today=TODAY, self_rated_max_share=1.0)


def test_score_is_weighted_share_and_max_possible_counts_unknowns_as_met():
    out = score({"education": "bachelor", "typing": {"cpm": 25}})
    # (2×1 + 2×0.5 + 1×0) / 5 = 60 ; patience unknown could add 1/5
    assert out.score == 60.0
    assert out.max_possible == 80.0
    assert [r["status"] for r in out.results] == ["met", "partial", "unknown"]


def test_failed_knockout_forces_reject_whatever_the_score():
    out = score({"education": "junior_middle", "typing": {"cpm": 100}, "traits": {"patience": 5}}, threshold=0)
    assert out.recommendation == REJECT


def test_unknown_knockout_gives_review_even_with_high_score():
    out = score({"typing": {"cpm": 100}, "traits": {"patience": 5}}, threshold=0)
    assert out.recommendation == REVIEW


def test_threshold_reached_exactly_advances_and_below_reviews():
    profile = {"education": "bachelor", "typing": {"cpm": 25}}
    assert score(profile, threshold=60).recommendation == ADVANCE
    assert score(profile, threshold=61).recommendation == REVIEW


def test_partial_on_a_knockout_counts_as_failed():
    ko = req("typing", {"kind": "typing_at_least", "cpm": 50}, knockout=True, partial=True)
    assert score({"typing": {"cpm": 49}}, reqs=[ko]).recommendation == REJECT


def test_results_carry_what_explanations_need():
    out = score({"education": "bachelor"})
    first = out.results[0]
    assert {"checklist", "code", "title", "knockout", "weight", "status", "fraction", "evidence"} <= set(first)


numeric = st.integers(min_value=0, max_value=200)


@given(
    cpm=numeric,
    bump=st.integers(min_value=0, max_value=100),
    patience=st.integers(1, 5),
    edu=st.sampled_from(EDUCATION_LEVELS),
    edu2=st.sampled_from(EDUCATION_LEVELS),
)
def test_raising_a_value_or_education_never_lowers_the_score(cpm, bump, patience, edu, edu2):
    low = {"education": edu, "typing": {"cpm": cpm}, "traits": {"patience": patience}}
    better_edu = edu2 if EDUCATION_RANK[edu2] >= EDUCATION_RANK[edu] else edu
    high = {"education": better_edu, "typing": {"cpm": cpm + bump}, "traits": {"patience": min(5, patience + 1)}}
    assert score(high).score >= score(low).score
    assert score(high).max_possible >= score(low).max_possible


# -- over the real seed checklists: more of a good thing never costs points ----------------------
def _fixture_requirements():
    import json

    from screening.seed import FIXTURES

    data = json.loads((FIXTURES / "checklists.json").read_text(encoding="utf-8"))
    return [
        Requirement(c["slug"], r["code"], r["title"], r["condition"], r.get("weight", 1), r.get("knockout", False),
                    r.get("partial_credit", False))
        for c in data for r in c["requirements"]
    ]  # fmt: skip


SEED_REQUIREMENTS = _fixture_requirements()
NUMERIC_PATHS = [
    *[("experience", f) for f in ("customer_service", "ecommerce", "after_sales", "clerical", "sales", "total")],
    ("typing", "cpm"),
    ("typing", "accuracy"),
    ("certificate", "years_since"),
    *[("traits", t) for t in ("patience", "carefulness", "responsibility", "stress_tolerance", "communication")],
]

profiles = st.fixed_dictionaries(
    {
        "education": st.sampled_from(EDUCATION_LEVELS),
        "experience": st.fixed_dictionaries({f: st.integers(0, 10) for _k, f in NUMERIC_PATHS[:6]}),
        "typing": st.fixed_dictionaries(
            {"cpm": st.integers(0, 150), "accuracy": st.floats(0, 1), "measured": st.booleans()}
        ),
        "certificate": st.fixed_dictionaries({"level": st.sampled_from(["none", "representative", "manager"]),
                                              "years_since": st.integers(0, 10)}),
        "traits": st.fixed_dictionaries({t: st.integers(1, 5) for _k, t in NUMERIC_PATHS[9:]}),
    }
)  # fmt: skip


@given(profile=profiles, path=st.sampled_from(NUMERIC_PATHS), bump=st.integers(1, 5), edu_up=st.integers(0, 3))
def test_raising_any_numeric_value_or_education_never_lowers_a_seed_score(profile, path, bump, edu_up):
    import copy

    higher = copy.deepcopy(profile)
    key, sub = path
    value = higher[key][sub]
    higher[key][sub] = min(1.0, value + bump / 10) if sub == "accuracy" else value + bump
    if key == "traits":
        higher[key][sub] = min(5, higher[key][sub])
    levels = sorted(EDUCATION_LEVELS, key=EDUCATION_RANK.get)
    higher["education"] = levels[min(len(levels) - 1, levels.index(profile["education"]) + edu_up)]
    low = score_profile(SEED_REQUIREMENTS, profile, threshold=60, today=TODAY)
    high = score_profile(SEED_REQUIREMENTS, higher, threshold=60, today=TODAY)
    assert high.score >= low.score
    assert high.max_possible >= low.max_possible
