"""Score a profile against a job's requirements (DESIGN.md "Scoring").

Two rules of ours shape the weights before any profile is read: one piece of evidence is scored once per job
(requirements with the identical condition merge, merge_duplicates), and self-ratings cannot carry a score (the
self-rated requirements together carry at most `self_rated_max_share` of the weight, effective_weights).
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple

from . import vocab
from .conditions import MET, NOT_MET, PARTIAL, UNKNOWN, evaluate
from .schemas import evidence_kind

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
    # the requirements merged into this one (same condition elsewhere in the job): {checklist, code, title, …}
    merged: tuple[dict[str, Any], ...] = ()


@dataclass(slots=True)
class Outcome:
    score: float
    max_possible: float
    recommendation: str
    results: list[dict[str, Any]]
    knockout_failed: bool = False
    unknown_count: int = 0
    # points of the score by evidence kind ({"measured": 52.0, "claimed": 30.0, "self_rated": 8.0}), summing to it
    points_by_kind: dict[str, float] = field(default_factory=dict)


def _canonical(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 50.0 and 50 are one threshold
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def canonical_condition(condition: dict[str, Any]) -> str:
    """The condition as canonical JSON: two requirements asking the same thing compare equal."""
    return json.dumps(_canonical(condition), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def merge_duplicates(requirements: Iterable[Requirement]) -> list[Requirement]:
    """One requirement per distinct condition, in first-seen order, so one piece of evidence (typing 50 字/分 in
    two checklists) is scored once per job: the first's code and title, the largest weight, knockout if any is,
    partial credit only if every one allows it, and the others named in `merged`."""
    groups: dict[str, list[Requirement]] = {}
    for req in requirements:
        groups.setdefault(canonical_condition(req.condition), []).append(req)
    merged = []
    for same in groups.values():
        first = same[0]
        if len(same) == 1:
            merged.append(first)
            continue
        merged.append(
            replace(
                first,
                weight=max(r.weight for r in same),
                knockout=any(r.knockout for r in same),
                partial_credit=all(r.partial_credit for r in same),
                merged=first.merged
                + tuple(
                    {
                        "checklist": r.checklist,
                        "code": r.code,
                        "title": r.title,
                        "weight": r.weight,
                        "knockout": r.knockout,
                    }
                    for r in same[1:]
                ),  # fmt: skip
            )
        )
    return merged


class EffectiveWeights(NamedTuple):
    weights: list[float]  # one per requirement, in order
    kinds: list[str]  # the evidence kind of each
    total: float  # what the score divides by
    shares: dict[str, float]  # each evidence kind's share of `total`, 0–1


def effective_weights(
    requirements: Sequence[Requirement], self_rated_max_share: float = vocab.SELF_RATED_MAX_SHARE
) -> EffectiveWeights:
    """The weights the score uses (the job's effective weight map): configured weights, except that the
    self-rated requirements together carry at most `self_rated_max_share` of the total; past it they are scaled
    down proportionally to exactly that share. A job of self-ratings alone keeps the rest of the total empty:
    its score cannot pass the cap. Pass merge_duplicates(requirements) to see what score_profile uses."""
    cap = min(max(float(self_rated_max_share), 0.0), 1.0)
    kinds = [evidence_kind(r.condition) for r in requirements]
    self_rated = sum(r.weight for r, k in zip(requirements, kinds, strict=True) if k == vocab.SELF_RATED)
    others = sum(r.weight for r, k in zip(requirements, kinds, strict=True) if k != vocab.SELF_RATED)
    scale, total = 1.0, float(self_rated + others)
    if self_rated and others:
        allowed = cap * others / (1 - cap) if cap < 1 else self_rated
        scale = min(1.0, allowed / self_rated)
        total = others + self_rated * scale
    elif self_rated:  # nothing but self-ratings: they still earn no more than the cap of a score
        scale = 1.0 if cap > 0 else 0.0
        total = self_rated / cap if cap > 0 else 0.0
    weights = [
        r.weight * scale if k == vocab.SELF_RATED else float(r.weight) for r, k in zip(requirements, kinds, strict=True)
    ]
    shares = {kind: 0.0 for kind in reversed(vocab.EVIDENCE_KINDS)}
    for w, k in zip(weights, kinds, strict=True):
        shares[k] += w / total if total else 0.0
    return EffectiveWeights(weights, kinds, total, shares)


def points_by_kind(results: Iterable[Mapping[str, Any]], score: float) -> dict[str, float]:
    """The score's points by evidence kind, from results as score_profile writes them ("kind", "points"), in
    tenths that add up to the score exactly. Empty for results stored before kinds were."""
    raw = {kind: 0.0 for kind in reversed(vocab.EVIDENCE_KINDS)}
    for r in results:
        if r.get("kind") not in raw or not isinstance(r.get("points"), (int, float)):
            return {}
        raw[r["kind"]] += r["points"]
    return _in_tenths(raw, score) if results else {}


def _in_tenths(raw: dict[str, float], score: float) -> dict[str, float]:
    """Raw points per kind rounded to tenths that sum to the (rounded) score: largest remainders first."""
    tenths = {k: int(v * 10 + 1e-9) for k, v in raw.items()}
    left = round(score * 10) - sum(tenths.values())  # 0 to 3, but for the stored points' own rounding
    by_remainder = sorted(raw, key=lambda k: raw[k] * 10 - tenths[k], reverse=True)
    for k in by_remainder[: max(left, 0)]:
        tenths[k] += 1
    for k in reversed(by_remainder):
        if left >= 0:
            break
        if tenths[k] > 0:
            tenths[k] -= 1
            left += 1
    return {k: t / 10 for k, t in tenths.items()}


class _Item(NamedTuple):
    requirement: Requirement
    weight: float
    kind: str
    points: float  # points of the score when fully met: 100 × weight / total
    shown: float  # the weight as results show it


# What a job's requirement list turns into before any profile is read, cached by the identity of its requirements:
# a chunk of applications shares one list, so it pays for the merge and the weights once. The cache holds the
# requirements, so an id is never reused while its entry lives; conditions are immutable, as everywhere in the
# engine. Plain dict operations only (safe under threads); past the bound it simply starts again.
_Plan = tuple[list[_Item], float]
_PLANS: dict[tuple, tuple[tuple[Requirement, ...], _Plan]] = {}
_PLANS_MAX = 64


def _plan(requirements: tuple[Requirement, ...], self_rated_max_share: float) -> _Plan:
    key = (*map(id, requirements), self_rated_max_share)
    hit = _PLANS.get(key)
    if hit is not None:
        return hit[1]
    merged = merge_duplicates(requirements)
    weights = effective_weights(merged, self_rated_max_share)
    total = weights.total
    items = [
        _Item(req, w, kind, 100 * w / total if total else 0.0, round(w, 4))
        for req, w, kind in zip(merged, weights.weights, weights.kinds, strict=True)
    ]
    plan = (items, total)
    if len(_PLANS) >= _PLANS_MAX:
        _PLANS.clear()
    _PLANS[key] = (requirements, plan)
    return plan


def score_profile(
    requirements: Iterable[Requirement],
    profile: Mapping[str, Any],
    *,
    threshold: float,
    today: date,
    self_rated_max_share: float = vocab.SELF_RATED_MAX_SHARE,
) -> Outcome:
    """Score = 100 × Σ(effective weight × fraction) / total over the job's merged requirements. Each result
    carries its evidence kind ("kind"), its effective weight and the points it earned of the score."""
    items, total = _plan(tuple(requirements), self_rated_max_share)
    results = []
    earned = best = 0.0
    by_kind = {kind: 0.0 for kind in reversed(vocab.EVIDENCE_KINDS)}
    knockout_failed = knockout_unknown = False
    for req, weight, kind, full, shown in items:
        r = evaluate(req.condition, profile, today=today, partial=req.partial_credit)
        earned += weight * r.fraction
        best += weight * r.best
        points = full * r.fraction
        by_kind[kind] += points
        if req.knockout:
            # a knockout passes only when fully met: partial credit cannot buy past a hard rule
            knockout_failed |= r.status in (NOT_MET, PARTIAL)
            knockout_unknown |= r.status == UNKNOWN
        result = {
            "checklist": req.checklist,
            "code": req.code,
            "title": req.title,
            "knockout": req.knockout,
            "weight": req.weight,
            "kind": kind,
            "effective_weight": shown,
            "points": round(points, 4),
            **r.as_dict(),
        }
        if req.merged:
            result["merged"] = list(req.merged)
        results.append(result)
    if not items:
        score = max_possible = 100.0
    else:
        score = round(100 * earned / total, 1) if total else 0.0
        max_possible = round(100 * best / total, 1) if total else 0.0
    if knockout_failed:
        recommendation = REJECT
    elif knockout_unknown or score < threshold:
        recommendation = REVIEW
    else:
        recommendation = ADVANCE
    unknowns = sum(r["status"] == UNKNOWN for r in results)
    shares = _in_tenths(by_kind, score) if items else {}
    return Outcome(score, max_possible, recommendation, results, knockout_failed, unknowns, shares)


__all__ = [
    "ADVANCE",
    "MET",
    "NOT_MET",
    "EffectiveWeights",
    "Outcome",
    "PARTIAL",
    "REJECT",
    "REVIEW",
    "Requirement",
    "UNKNOWN",
    "canonical_condition",
    "effective_weights",
    "merge_duplicates",
    "points_by_kind",
    "score_profile",
]
