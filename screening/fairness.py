"""Adverse impact (issue 16 item 4): selection and pass rates by group, and the four-fifths rule.

Pure computation over plain rows, no ORM: selectors.job_fairness_rows feeds the HR page and the assessment export,
services.preview feeds the what-if preview. For each comparison, a group's rate is divided by the rate of the
most-selected group (among those large enough to compare); a ratio under 0.8 is adverse impact by the
four-fifths rule (US EEOC Uniform Guidelines, 29 CFR 1607.4(D), a rule of thumb, not a legal finding).

Our choices, said on the page too:
- a group with fewer than SMALL_SAMPLE people is marked "small sample": its ratio is shown, never flagged, and it
  is not the reference unless every group is small;
- sex comes only from the voluntary self-identification; "prefer not to say" and no answer are not compared, and a
  sex group of fewer than MIN_SHOWN people is not shown at all (counted as not compared), so that a table cannot
  tell HR how the one or two people of a group were judged;
- the system's selection is an "advance" recommendation among scored applications; HR's is a stage past "applied"
  other than rejected or withdrawn, among the applications HR has decided (neither still "applied" nor withdrawn);
- a requirement's pass rate is "met" among the applications whose result for it is known (met, partial, not met).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from .rules import MET, UNKNOWN, age_on

SMALL_SAMPLE = 30
FOUR_FIFTHS = 0.8
MIN_SHOWN = 5  # sex groups only: smaller ones are not shown

# (code, lowest age, highest age); None: open
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("under_25", None, 24),
    ("25_34", 25, 34),
    ("35_44", 35, 44),
    ("45_plus", 45, None),
)
AGE_LABELS = {
    "under_25": _("25 岁以下"),
    "25_34": _("25–34 岁"),
    "35_44": _("35–44 岁"),
    "45_plus": _("45 岁及以上"),
}
SEXES = ("female", "male", "other")  # compared; "prefer_not" and no answer are not
SEX_LABELS = {"female": _("女"), "male": _("男"), "other": _("其他")}
DIMENSIONS = {"age": _("年龄"), "sex": _("性别（自愿填写）")}

# Stages (models.Application.Stage codes): HR has not decided yet, or the candidate left; HR said no.
UNDECIDED = ("applied", "withdrawn")
DECLINED = ("rejected",)
ADVANCE = "advance"


@dataclass(frozen=True)
class Row:
    """One application as the report reads it."""

    age: int | None
    sex: str | None  # a self-identification code, or None: not answered
    recommendation: str | None  # None: not scored
    stage: str
    statuses: Mapping[str, str] = field(default_factory=dict)  # requirement key → result status


def age_at(profile: Mapping[str, Any], submitted_on: date) -> int | None:
    """Whole years on the day the application was submitted: from date_of_birth, else the `age` key."""
    return age_on({k: v for k, v in profile.items() if k != "applied_on"}, submitted_on)


def age_band(age: int | None) -> str | None:
    if age is None:
        return None
    for code, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return code
    return None


def _sex_group(sex: str | None) -> str | None:
    return sex if sex in SEXES else None


GROUPINGS: dict[str, tuple[Callable[[Row], str | None], tuple[str, ...], int]] = {
    # dimension: (a row's group, the groups in order, the smallest group shown)
    "age": (lambda row: age_band(row.age), tuple(code for code, _low, _high in AGE_BANDS), 1),
    "sex": (lambda row: _sex_group(row.sex), SEXES, MIN_SHOWN),
}


@dataclass(frozen=True)
class Group:
    code: str
    n: int
    selected: int
    rate: float | None
    ratio: float | None  # rate / the reference group's rate
    small: bool
    reference: bool
    flagged: bool  # ratio under FOUR_FIFTHS on a group that is not small


@dataclass(frozen=True)
class Comparison:
    dimension: str
    groups: tuple[Group, ...]  # the groups shown, in order
    not_compared: int  # rows in no group shown (age unknown, sex not stated, a group too small to show)

    @property
    def flagged(self) -> bool:
        return any(g.flagged for g in self.groups)

    @property
    def lowest_ratio(self) -> float | None:
        """The lowest ratio of a group that is not small (None when there is none)."""
        ratios = [g.ratio for g in self.groups if not g.small and g.ratio is not None]
        return min(ratios) if ratios else None


def compare(dimension: str, outcomes: Iterable[tuple[Row, bool]]) -> Comparison:
    """Rates and impact ratios by the dimension's groups; `outcomes` pairs each counted row with whether it was
    selected (or passed)."""
    group_of, order, min_shown = GROUPINGS[dimension]
    counts = {code: [0, 0] for code in order}
    not_compared = 0
    for row, selected in outcomes:
        code = group_of(row)
        if code is None:
            not_compared += 1
            continue
        counts[code][0] += 1
        counts[code][1] += selected
    shown = [code for code in order if counts[code][0] >= min_shown]
    not_compared += sum(counts[code][0] for code in order if code not in shown)
    rates = {code: counts[code][1] / counts[code][0] for code in shown}
    large = [code for code in shown if counts[code][0] >= SMALL_SAMPLE]
    candidates = large or shown
    reference = max(candidates, key=lambda code: rates[code]) if candidates else None
    best = rates[reference] if reference else 0.0
    groups = []
    for code in shown:
        n, selected = counts[code]
        ratio = rates[code] / best if best else None
        small = n < SMALL_SAMPLE
        groups.append(
            Group(
                code=code,
                n=n,
                selected=selected,
                rate=rates[code],
                ratio=ratio,
                small=small,
                reference=code == reference,
                flagged=not small and ratio is not None and ratio < FOUR_FIFTHS,
            )
        )
    return Comparison(dimension, tuple(groups), not_compared)


def _by_dimension(outcomes: list[tuple[Row, bool]]) -> dict[str, Comparison]:
    return {dimension: compare(dimension, outcomes) for dimension in GROUPINGS}


def recommended(rows: Iterable[Row]) -> list[tuple[Row, bool]]:
    """The system's selection: an "advance" recommendation, among scored applications."""
    return [(row, row.recommendation == ADVANCE) for row in rows if row.recommendation is not None]


def advanced_by_hr(rows: Iterable[Row]) -> list[tuple[Row, bool]]:
    """HR's selection: a stage past "applied" other than rejected or withdrawn, among decided applications."""
    return [(row, row.stage not in DECLINED) for row in rows if row.stage not in UNDECIDED]


def passed(rows: Iterable[Row], key: str) -> list[tuple[Row, bool]]:
    """A requirement's pass: "met", among the applications whose result for it is known."""
    return [(row, row.statuses[key] == MET) for row in rows if row.statuses.get(key) not in (None, UNKNOWN)]


@dataclass(frozen=True)
class RequirementImpact:
    key: str  # "checklist/code"
    title: str
    knockout: bool
    by_dimension: dict[str, Comparison]

    @property
    def flagged(self) -> bool:
        return any(c.flagged for c in self.by_dimension.values())


@dataclass(frozen=True)
class Report:
    total: int
    recommendation: dict[str, Comparison]
    decision: dict[str, Comparison]
    requirements: tuple[RequirementImpact, ...]

    @property
    def flagged_requirements(self) -> list[RequirementImpact]:
        return [r for r in self.requirements if r.flagged]

    @property
    def flagged(self) -> bool:
        comparisons = [*self.recommendation.values(), *self.decision.values()]
        return any(c.flagged for c in comparisons) or bool(self.flagged_requirements)


def report(rows: Iterable[Row], requirements: Iterable[tuple[str, str, bool]]) -> Report:
    """The whole report: selection by the system and by HR, and each requirement's pass rate ((key, title,
    knockout) in the job's order), by age band and by self-identified sex."""
    rows = list(rows)
    return Report(
        total=len(rows),
        recommendation=_by_dimension(recommended(rows)),
        decision=_by_dimension(advanced_by_hr(rows)),
        requirements=tuple(
            RequirementImpact(key, title, knockout, _by_dimension(passed(rows, key)))
            for key, title, knockout in requirements
        ),
    )


def requirement_key(checklist: str, code: str) -> str:
    return f"{checklist}/{code}"
