"""Score a profile against a job's requirements (DESIGN.md "Scoring")."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .conditions import MET, NOT_MET, PARTIAL, UNKNOWN, evaluate

ADVANCE, REVIEW, REJECT = "advance", "review", "reject"


@dataclass(frozen=True, slots=True)
class Requirement:
    checklist: str
    code: str
    title: str
    condition: dict[str, Any]
    weight: int = 1
    knockout: bool = False
    partial_credit: bool = False


@dataclass(slots=True)
class Outcome:
    score: float
    max_possible: float
    recommendation: str
    results: list[dict[str, Any]]
    knockout_failed: bool = False
    unknown_count: int = 0


def score_profile(
    requirements: Iterable[Requirement], profile: Mapping[str, Any], *, threshold: float, today: date
) -> Outcome:
    results = []
    total_weight = earned = best = 0.0
    knockout_failed = knockout_unknown = False
    for req in requirements:
        r = evaluate(req.condition, profile, today=today, partial=req.partial_credit)
        total_weight += req.weight
        earned += req.weight * r.fraction
        best += req.weight * r.best
        if req.knockout:
            # a knockout passes only when fully met: partial credit cannot buy past a hard rule
            knockout_failed |= r.status in (NOT_MET, PARTIAL)
            knockout_unknown |= r.status == UNKNOWN
        results.append(
            {
                "checklist": req.checklist,
                "code": req.code,
                "title": req.title,
                "knockout": req.knockout,
                "weight": req.weight,
                **r.as_dict(),
            }
        )
    score = round(100 * earned / total_weight, 1) if total_weight else 100.0
    max_possible = round(100 * best / total_weight, 1) if total_weight else 100.0
    if knockout_failed:
        recommendation = REJECT
    elif knockout_unknown or score < threshold:
        recommendation = REVIEW
    else:
        recommendation = ADVANCE
    unknowns = sum(r["status"] == UNKNOWN for r in results)
    return Outcome(score, max_possible, recommendation, results, knockout_failed, unknowns)


__all__ = [
    "ADVANCE",
    "MET",
    "NOT_MET",
    "Outcome",
    "PARTIAL",
    "REJECT",
    "REVIEW",
    "Requirement",
    "UNKNOWN",
    "score_profile",
]
