"""What-if preview of a checklist change: before an admin saves it, how the current applications of every job
using the checklist would move between advance / review / reject.

The admin validates the edited form as a save would, inside a transaction it rolls back, and reads there what
the jobs' requirements would become (selectors.checklist_jobs_requirements). From then on nothing touches the
database but reads: `preview_start` keeps that proposal in the cache under a new preview id and scores at once
(up to settings.WHATIF_INLINE_LIMIT applications) or asks the worker to (`preview_run`, with progress). Both
sides are scored now by the engine on the stored profiles: the current requirements (not the stored
evaluations, which may be older and of another day) against the proposed ones. The result in the cache holds
ids, scores and requirement statuses, never names.
"""

from collections import Counter
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import get_random_string

from .. import background, fairness, progress, rules
from ..models import Application, Job, VoluntarySelfId
from ..selectors import job_requirements

TTL = 3600  # a preview is looked at now; the proposal and result go an hour later
RECOMMENDATIONS = (rules.ADVANCE, rules.REVIEW, rules.REJECT)
SAMPLE_SIZE = 10  # applications shown per move
CHANGES_SHOWN = 3  # requirements named per application shown
CHUNK = 1000  # profiles read per round trip, and between progress updates
# Decided applications are not "current": a new rule no longer moves them in HR's lists.
CLOSED_STAGES = (Application.Stage.REJECTED, Application.Stage.WITHDRAWN, Application.Stage.HIRED)


def _key(preview_id: str, part: str) -> str:
    return f"whatif:{preview_id}:{part}"


def _progress_name(preview_id: str) -> str:
    return f"whatif:{preview_id}"


def current_applications(job_ids) -> QuerySet[Application]:
    return Application.objects.filter(job_id__in=job_ids).exclude(stage__in=CLOSED_STAGES)


def preview_start(*, checklist_id: int, user_id: int, proposed: dict[int, list[rules.Requirement]]) -> str:
    """Keep the proposal (job id → proposed requirements) under a new preview id and score it: here when the
    jobs have few current applications, by the worker otherwise. Returns the preview id."""
    preview_id = get_random_string(20)
    cache.set(
        _key(preview_id, "proposal"),
        {"checklist": checklist_id, "user": user_id, "jobs": proposed},
        timeout=TTL,
    )
    if current_applications(list(proposed)).count() <= settings.WHATIF_INLINE_LIMIT:
        preview_run(preview_id=preview_id)
    else:
        background.enqueue(background.PREVIEW_CHECKLIST_CHANGE, preview_id)
    return preview_id


def preview_state(*, preview_id: str, checklist_id: int, user_id: int) -> dict | None:
    """{"state": queued | running | done | failed, "done", "total", "result"}, or None for a preview that is
    not this person's on this checklist, or has expired."""
    proposal = cache.get(_key(preview_id, "proposal"))
    if not proposal or proposal["checklist"] != checklist_id or proposal["user"] != user_id:
        return None
    result = cache.get(_key(preview_id, "result"))
    if result is not None:
        return {"state": result["state"], "done": result["total"], "total": result["total"], "result": result}
    counted = progress.read(_progress_name(preview_id))
    if counted is None:
        return {"state": "queued", "done": 0, "total": None, "result": None}
    done, total = counted
    return {"state": "running", "done": done, "total": total, "result": None}


def preview_run(*, preview_id: str, today: date | None = None) -> dict | None:
    """Score the proposal's jobs before and after and keep the result; None when the proposal has expired."""
    proposal = cache.get(_key(preview_id, "proposal"))
    if proposal is None:
        return None
    today = today or timezone.localdate()
    jobs = {job.pk: job for job in Job.objects.filter(pk__in=proposal["jobs"]).only("pk", "title", "advance_threshold")}
    total = current_applications(list(jobs)).count()
    run = progress.start(_progress_name(preview_id), total)
    try:
        reports = [
            _job_report(job, proposal["jobs"][pk], today=today, advance=lambda n: progress.advance(run, n))
            for pk, job in sorted(jobs.items())
        ]
    except Exception:
        cache.set(_key(preview_id, "result"), {"state": "failed", "total": total, "jobs": []}, timeout=TTL)
        raise
    result = {"state": "done", "total": total, "today": today.isoformat(), "jobs": reports}
    cache.set(_key(preview_id, "result"), result, timeout=TTL)
    return result


def _job_report(job: Job, proposed: list[rules.Requirement], *, today: date, advance) -> dict:
    current, _revisions = job_requirements(job=job)
    index = {rec: i for i, rec in enumerate(RECOMMENDATIONS)}
    matrix = [[0] * 3 for _ in RECOMMENDATIONS]
    samples: dict[tuple[str, str], list[dict]] = {}
    reasons: dict[tuple[str, str], Counter] = {}
    n = sum_before = sum_after = 0
    # counted by group for the adverse-impact comparison, never kept per person
    sexes = dict(VoluntarySelfId.objects.filter(application__job_id=job.pk).values_list("application_id", "sex"))
    impact_rows: tuple[list, list] = ([], [])
    rows = (
        current_applications([job.pk])
        .order_by("pk")
        .values_list("pk", "profile", "answers", "submitted_at")
        .iterator(chunk_size=CHUNK)
    )
    for pk, profile, answers, submitted_at in rows:
        data = {**(profile or {}), "answers": answers or {}}
        before = rules.score_profile(current, data, threshold=job.advance_threshold, today=today)
        after = rules.score_profile(proposed, data, threshold=job.advance_threshold, today=today)
        age = fairness.age_at(profile or {}, timezone.localdate(submitted_at))
        for outcome, kept in zip((before, after), impact_rows, strict=True):
            kept.append(_impact_row(outcome, age=age, sex=sexes.get(pk)))
        matrix[index[before.recommendation]][index[after.recommendation]] += 1
        n += 1
        sum_before += before.score
        sum_after += after.score
        if n % CHUNK == 0:
            advance(CHUNK)
        move = (before.recommendation, after.recommendation)
        if move[0] == move[1]:
            continue
        changes = _changes(before, after)
        if changes:
            reasons.setdefault(move, Counter())[changes[0]["title"]] += 1
        shown = samples.setdefault(move, [])
        if len(shown) < SAMPLE_SIZE:
            shown.append(
                {"application": pk, "before": before.score, "after": after.score, "changes": changes[:CHANGES_SHOWN]}
            )
    advance(n % CHUNK)
    moves = [
        {
            "before": b,
            "after": a,
            "count": matrix[index[b]][index[a]],
            "applications": samples.get((b, a), []),
            "reasons": reasons.get((b, a), Counter()).most_common(),
        }
        for b in RECOMMENDATIONS
        for a in RECOMMENDATIONS
        if b != a and matrix[index[b]][index[a]]
    ]
    return {
        "job": job.pk,
        "title": job.title,
        "threshold": job.advance_threshold,
        "total": n,
        "matrix": matrix,
        "mean_before": round(sum_before / n, 1) if n else None,
        "mean_after": round(sum_after / n, 1) if n else None,
        "moves": moves,
        "impact": _impact(current, proposed, *impact_rows),
    }


def _impact_row(outcome: rules.Outcome, *, age: int | None, sex: str | None) -> fairness.Row:
    statuses = {fairness.requirement_key(r["checklist"], r["code"]): r["status"] for r in outcome.results}
    return fairness.Row(age=age, sex=sex, recommendation=outcome.recommendation, stage="", statuses=statuses)


def _lowest(comparison: fairness.Comparison) -> dict:
    """A comparison in brief: its lowest impact ratio of a group that is not small (of any group when all are small,
    marked so), that group, and the flag."""
    ratios = [g for g in comparison.groups if g.ratio is not None]
    lowest = min([g for g in ratios if not g.small] or ratios, key=lambda g: g.ratio, default=None)
    return {
        "ratio": round(lowest.ratio, 2) if lowest else None,
        "group": lowest.code if lowest else None,
        "small": bool(lowest and lowest.small),
        "flagged": comparison.flagged,
    }


def _impact(current: list[rules.Requirement], proposed: list[rules.Requirement], before_rows, after_rows) -> dict:
    """The adverse-impact figures of the current requirements and of the proposed ones, side by side (fairness):
    the advance recommendation and each requirement's pass rate, by age band and self-identified sex."""

    def listed(requirements):
        return [
            (fairness.requirement_key(r.checklist, r.code), r.title, r.knockout)
            for r in rules.merge_duplicates(requirements)
        ]

    before = fairness.report(before_rows, listed(current))
    after = fairness.report(after_rows, listed(proposed))
    dimensions = list(fairness.GROUPINGS)
    by_key = {
        r.key: {"title": r.title, "before": {d: _lowest(r.by_dimension[d]) for d in dimensions}, "after": None}
        for r in before.requirements
    }
    for r in after.requirements:
        entry = by_key.setdefault(r.key, {"title": r.title, "before": None})
        entry["title"] = r.title
        entry["after"] = {d: _lowest(r.by_dimension[d]) for d in dimensions}
    return {
        "recommendation": {
            "before": {d: _lowest(before.recommendation[d]) for d in dimensions},
            "after": {d: _lowest(after.recommendation[d]) for d in dimensions},
        },
        "requirements": [{"key": key, **entry} for key, entry in by_key.items()],
    }


_FAILING = (rules.NOT_MET, rules.PARTIAL)


def _changes(before: rules.Outcome, after: rules.Outcome) -> list[dict]:
    """The requirements whose result differs, the one that moved the application first: a knockout that
    starts or stops failing, then one whose knockout result starts or stops being unknown, then by how many
    points of the score it is worth now against before."""
    old = {(r["checklist"], r["code"]): r for r in before.results}
    new = {(r["checklist"], r["code"]): r for r in after.results}
    weight_before = sum(r["weight"] for r in before.results) or 1
    weight_after = sum(r["weight"] for r in after.results) or 1
    ranked = []
    for key in [*old, *(k for k in new if k not in old)]:
        b, a = old.get(key), new.get(key)
        same = b and a and (b["status"], b["fraction"], b["knockout"], b["weight"]) == (
            a["status"], a["fraction"], a["knockout"], a["weight"]
        )  # fmt: skip
        if same:
            continue
        fails = [bool(r and r["knockout"] and r["status"] in _FAILING) for r in (b, a)]
        unknown = [bool(r and r["knockout"] and r["status"] == rules.UNKNOWN) for r in (b, a)]
        points = [
            100 * r["weight"] * r["fraction"] / total if r else 0.0
            for r, total in ((b, weight_before), (a, weight_after))
        ]
        change = {
            "code": key[1],
            "title": (a or b)["title"],
            "knockout": bool((a or b)["knockout"]),
            "status_before": b["status"] if b else None,
            "status_after": a["status"] if a else None,
        }
        ranked.append(((fails[0] == fails[1], unknown[0] == unknown[1], -abs(points[1] - points[0])), change))
    ranked.sort(key=lambda pair: pair[0])  # stable: equal ranks keep the job's order of requirements
    return [change for _rank, change in ranked]
