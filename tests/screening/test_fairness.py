"""The adverse-impact computation on plain rows (screening/fairness.py): bands, the reference group, the
four-fifths rule, small samples and what is never compared."""

from datetime import date

import pytest

from screening import fairness
from screening.fairness import Row


def _rows(group_sizes: dict, *, dimension="age", key="a/edu"):
    """Rows with `selected` of `n` passing, per group: {age or sex: (n, passed)}."""
    rows = []
    for group, (n, passing) in group_sizes.items():
        for i in range(n):
            status = "met" if i < passing else "not_met"
            age, sex = (group, None) if dimension == "age" else (30, group)
            rows.append(Row(age=age, sex=sex, recommendation="advance" if i < passing else "review", stage="applied",
                            statuses={key: status}))  # fmt: skip
    return rows


@pytest.mark.parametrize(
    ("age", "band"),
    [(None, None), (16, "under_25"), (24, "under_25"), (25, "25_34"), (34, "25_34"), (35, "35_44"), (44, "35_44"),
     (45, "45_plus"), (70, "45_plus")],
)  # fmt: skip
def test_age_bands_have_the_edges_the_page_says(age, band):
    assert fairness.age_band(age) == band


def test_age_is_taken_on_the_day_of_submission_not_the_profiles_applied_on():
    profile = {"date_of_birth": "1981-06-15", "applied_on": "2030-01-01"}
    assert fairness.age_at(profile, date(2026, 6, 14)) == 44
    assert fairness.age_at(profile, date(2026, 6, 15)) == 45
    assert fairness.age_at({"age": 52}, date(2026, 1, 1)) == 52  # a job board's age
    assert fairness.age_at({}, date(2026, 1, 1)) is None


def test_the_four_fifths_rule_against_the_most_selected_large_group():
    # 22 → 40 of 50 pass (80 %), 30 → 45 of 50 (90 %), 40 → 30 of 50 (60 %), 50 → 8 of 10 (small)
    rows = _rows({22: (50, 40), 30: (50, 45), 40: (50, 30), 50: (10, 1)})
    c = fairness.compare("age", fairness.passed(rows, "a/edu"))
    by = {g.code: g for g in c.groups}
    assert by["25_34"].reference and by["25_34"].ratio == 1.0
    assert by["under_25"].ratio == pytest.approx(0.8 / 0.9) and not by["under_25"].flagged
    assert by["35_44"].ratio == pytest.approx(0.6 / 0.9) and by["35_44"].flagged
    # far below, but 10 people: marked small, not flagged
    assert by["45_plus"].small and by["45_plus"].ratio == pytest.approx(0.1 / 0.9) and not by["45_plus"].flagged
    assert c.flagged and c.lowest_ratio == pytest.approx(0.6 / 0.9)


def test_a_small_group_is_not_the_reference_while_a_large_one_exists():
    rows = _rows({22: (5, 5), 30: (40, 20), 40: (40, 10)})  # 100 % of 5 people
    by = {g.code: g for g in fairness.compare("age", fairness.passed(rows, "a/edu")).groups}
    assert by["25_34"].reference and by["35_44"].ratio == pytest.approx(0.5) and by["35_44"].flagged
    assert by["under_25"].ratio == pytest.approx(2.0) and by["under_25"].small


def test_when_every_group_is_small_nothing_is_flagged():
    rows = _rows({22: (20, 20), 40: (20, 2)})
    c = fairness.compare("age", fairness.passed(rows, "a/edu"))
    assert [g.ratio for g in c.groups] == [1.0, pytest.approx(0.1)]
    assert not c.flagged


def test_sex_not_stated_and_tiny_groups_are_not_compared():
    rows = _rows({"female": (40, 20), "male": (40, 36), "other": (3, 0), "prefer_not": (9, 0)}, dimension="sex")
    rows.append(Row(age=30, sex=None, recommendation="review", stage="applied", statuses={"a/edu": "not_met"}))
    c = fairness.compare("sex", fairness.passed(rows, "a/edu"))
    assert [g.code for g in c.groups] == ["female", "male"]  # 3 "other": not shown, so not told about
    assert c.not_compared == 3 + 9 + 1
    assert c.groups[0].ratio == pytest.approx(0.5 / 0.9) and c.groups[0].flagged


def test_unknown_results_and_unscored_or_undecided_applications_are_not_counted():
    rows = [
        Row(age=30, sex=None, recommendation=None, stage="applied", statuses={}),  # not scored
        Row(age=30, sex=None, recommendation="advance", stage="withdrawn", statuses={"a/x": "unknown"}),
        Row(age=30, sex=None, recommendation="reject", stage="rejected", statuses={"a/x": "partial"}),
        Row(age=30, sex=None, recommendation="review", stage="interview", statuses={"a/x": "met"}),
    ]
    report = fairness.report(rows, [("a/x", "X", False)])
    [recommended] = report.recommendation["age"].groups
    assert (recommended.n, recommended.selected) == (3, 1)
    [decided] = report.decision["age"].groups
    assert (decided.n, decided.selected) == (2, 1)  # rejected and interview; not applied, not withdrawn
    [requirement] = report.requirements[0].by_dimension["age"].groups
    assert (requirement.n, requirement.selected) == (2, 1)  # partial counts as not passed; unknown not at all


def test_the_computation_reads_no_model_or_database():
    """It takes rows (import-linter cannot forbid django.db, an external package's subpackage)."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(fairness.__file__).read_text("utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    # relative imports appear without their dots: "from .models import" as "models"
    assert not {m for m in imported if m and m.startswith(("django.db", "django.apps", "models", "selectors"))}
