"""Quality of hire: which screening requirements, and the score, went with passing the first assessment.

Pure: plain records in, plain figures out (no ORM, no I/O), so a test can recompute every figure on its own.
Rates carry Wilson 95 % intervals, the difference of two rates Newcombe's interval built from them, the
point-biserial correlation of score and passing a Fisher z interval; every figure carries its sample size.
An arm of fewer than MIN_ARM hires is shown as a small sample and never yields a finding or a suggestion.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile
MIN_ARM = 30

RELATION = "relation"
NO_RELATION = "no_relation"
SMALL_SAMPLE = "small_sample"

MET = ("met",)
NOT_MET = ("not_met", "partial")  # short of the requirement, if only in part; "unknown" is in neither arm


@dataclass(frozen=True)
class Hire:
    passed: bool
    score: float | None
    statuses: dict[str, str]  # {requirement key: met / partial / not_met / unknown}


@dataclass(frozen=True)
class Rate:
    passes: int
    n: int
    rate: float | None
    low: float | None
    high: float | None

    @property
    def small(self) -> bool:
        return self.n < MIN_ARM


@dataclass(frozen=True)
class RequirementQuality:
    key: str
    title: str
    met: Rate
    not_met: Rate
    difference: float | None  # pass rate of those who met it minus of those who did not
    low: float | None
    high: float | None
    verdict: str


@dataclass(frozen=True)
class Correlation:
    r: float | None
    low: float | None
    high: float | None
    n: int
    n_passed: int
    n_failed: int
    verdict: str


@dataclass(frozen=True)
class Report:
    overall: Rate
    requirements: list[RequirementQuality]
    correlation: Correlation

    @property
    def suggestions(self) -> list[RequirementQuality]:
        """Requirements with enough hires on both sides that showed no relation to passing (for a person to
        look at through the what-if preview; nothing is changed here)."""
        return [q for q in self.requirements if q.verdict == NO_RELATION]


def wilson(passes: int, n: int, z: float = Z95) -> tuple[float, float] | tuple[None, None]:
    if n == 0:
        return None, None
    p = passes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def rate(passes: int, n: int) -> Rate:
    low, high = wilson(passes, n)
    return Rate(passes=passes, n=n, rate=passes / n if n else None, low=low, high=high)


def newcombe(a: Rate, b: Rate) -> tuple[float, float] | tuple[None, None]:
    """Newcombe's hybrid score interval (his method 10) for a.rate − b.rate, from the two Wilson intervals."""
    if not a.n or not b.n:
        return None, None
    d = a.rate - b.rate
    low = d - math.sqrt((a.rate - a.low) ** 2 + (b.high - b.rate) ** 2)
    high = d + math.sqrt((a.high - a.rate) ** 2 + (b.rate - b.low) ** 2)
    return low, high


def point_biserial(scores: Sequence[float], passed: Sequence[bool]) -> float | None:
    """Pearson's r of the score with passing (1) or not (0)."""
    n = len(scores)
    if n < 2:
        return None
    ys = [1.0 if p else 0.0 for p in passed]
    mx, my = sum(scores) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(scores, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in scores)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def fisher_interval(r: float, n: int, z: float = Z95) -> tuple[float, float] | tuple[None, None]:
    if n <= 3 or abs(r) >= 1:
        return None, None
    centre, se = math.atanh(r), 1 / math.sqrt(n - 3)
    return math.tanh(centre - z * se), math.tanh(centre + z * se)


def _verdict(small: bool, low: float | None, high: float | None) -> str:
    if small or low is None:
        return SMALL_SAMPLE
    return RELATION if low > 0 or high < 0 else NO_RELATION


def requirement_quality(hires: Iterable[Hire], key: str, title: str) -> RequirementQuality:
    met_n = met_pass = not_n = not_pass = 0
    for hire in hires:
        status = hire.statuses.get(key)
        if status in MET:
            met_n, met_pass = met_n + 1, met_pass + hire.passed
        elif status in NOT_MET:
            not_n, not_pass = not_n + 1, not_pass + hire.passed
    met, not_met = rate(met_pass, met_n), rate(not_pass, not_n)
    low, high = newcombe(met, not_met)
    difference = met.rate - not_met.rate if met.n and not_met.n else None
    verdict = _verdict(met.small or not_met.small, low, high)
    return RequirementQuality(key, title, met, not_met, difference, low, high, verdict)


def score_correlation(hires: Iterable[Hire]) -> Correlation:
    scored = [h for h in hires if h.score is not None]
    n_passed = sum(h.passed for h in scored)
    r = point_biserial([h.score for h in scored], [h.passed for h in scored])
    low, high = fisher_interval(r, len(scored)) if r is not None else (None, None)
    small = n_passed < MIN_ARM or len(scored) - n_passed < MIN_ARM
    return Correlation(r, low, high, len(scored), n_passed, len(scored) - n_passed, _verdict(small, low, high))


def quality_report(hires: Sequence[Hire], requirements: Sequence[tuple[str, str]]) -> Report:
    """`requirements`: (key, title) in the order to show them."""
    hires = list(hires)
    return Report(
        overall=rate(sum(h.passed for h in hires), len(hires)),
        requirements=[requirement_quality(hires, key, title) for key, title in requirements],
        correlation=score_correlation(hires),
    )
