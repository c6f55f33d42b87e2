"""Quality of hire on a synthetic population with a planted relation: requirement A predicts passing the first
assessment, requirement B does not. The report must find A and not B, and its figures must match scipy's."""

import math
import random

import pytest
from scipy import stats

from screening.onboarding import quality

A, B = "cs/typing", "cs/major"


def population(n=300, seed=20261207):
    rng = random.Random(seed)
    hires = []
    for _ in range(n):
        meets_a, meets_b = rng.random() < 0.5, rng.random() < 0.5
        passed = rng.random() < (0.8 if meets_a else 0.4)  # only A matters
        score = 55 + 20 * meets_a + 5 * meets_b + rng.gauss(0, 10)
        statuses = {A: "met" if meets_a else rng.choice(["not_met", "partial"]), B: "met" if meets_b else "not_met"}
        if rng.random() < 0.05:
            statuses[B] = "unknown"  # in neither arm
        hires.append(quality.Hire(passed=passed, score=score, statuses=statuses))
    return hires


def test_the_report_finds_the_planted_relation_and_not_the_other():
    report = quality.quality_report(population(), [(A, "打字速度"), (B, "专业")])
    by_key = {q.key: q for q in report.requirements}
    assert by_key[A].verdict == quality.RELATION and by_key[A].low > 0.2
    assert by_key[B].verdict == quality.NO_RELATION and by_key[B].low < 0 < by_key[B].high
    assert [q.key for q in report.suggestions] == [B]
    assert report.correlation.verdict == quality.RELATION and report.correlation.r > 0.3


def _wilson_scipy(k, n):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def test_the_figures_match_scipy():
    hires = population()
    report = quality.quality_report(hires, [(A, "打字速度"), (B, "专业")])
    for q in report.requirements:
        met = [h.passed for h in hires if h.statuses[q.key] == "met"]
        short = [h.passed for h in hires if h.statuses[q.key] in ("not_met", "partial")]
        assert (q.met.n, q.met.passes) == (len(met), sum(met))
        assert (q.not_met.n, q.not_met.passes) == (len(short), sum(short))
        assert (q.met.low, q.met.high) == pytest.approx(_wilson_scipy(sum(met), len(met)), abs=1e-9)
        assert (q.not_met.low, q.not_met.high) == pytest.approx(_wilson_scipy(sum(short), len(short)), abs=1e-9)
        # Newcombe's method 10 from scipy's Wilson limits
        p1, p2 = sum(met) / len(met), sum(short) / len(short)
        (l1, u1), (l2, u2) = _wilson_scipy(sum(met), len(met)), _wilson_scipy(sum(short), len(short))
        d = p1 - p2
        expected = (d - math.hypot(p1 - l1, u2 - p2), d + math.hypot(u1 - p1, p2 - l2))
        assert (q.low, q.high) == pytest.approx(expected, abs=1e-9)
    scores, passed = [h.score for h in hires], [int(h.passed) for h in hires]
    expected_r = stats.pointbiserialr(passed, scores)
    assert report.correlation.r == pytest.approx(expected_r.statistic, abs=1e-12)
    ci = stats.pearsonr(passed, scores).confidence_interval(0.95)  # Fisher z, as scipy computes it
    assert (report.correlation.low, report.correlation.high) == pytest.approx((ci.low, ci.high), abs=1e-9)
    assert report.correlation.n == 300


def test_a_small_arm_is_never_a_finding():
    hires = population(n=50)
    report = quality.quality_report(hires, [(A, "打字速度"), (B, "专业")])
    assert all(q.verdict == quality.SMALL_SAMPLE for q in report.requirements)
    assert report.suggestions == []
    assert report.correlation.verdict == quality.SMALL_SAMPLE
    # a strong planted relation in a small sample is still no finding
    strong = [quality.Hire(passed=i < 20, score=None, statuses={A: "met" if i < 20 else "not_met"}) for i in range(29)]
    assert quality.requirement_quality(strong, A, "").verdict == quality.SMALL_SAMPLE
