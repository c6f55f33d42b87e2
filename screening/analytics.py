"""Per-job analytics for HR (reads): score histogram, pipeline funnel, which requirement removes most people."""

from django.db import connection
from django.db.models import Count, Q

from .models import Application, Evaluation, Job, StageChange

FUNNEL = ("applied", "reviewing", "interview", "offer", "hired")


def score_histogram(*, job: Job) -> list[tuple[str, int]]:
    """Ten buckets of 10 points (the last includes 100)."""
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT LEAST(FLOOR(e.score / 10), 9)::int AS bucket, COUNT(*) FROM {Evaluation._meta.db_table} e "
            f"JOIN {Application._meta.db_table} a ON a.id = e.application_id WHERE a.job_id = %s GROUP BY bucket",
            [job.pk],
        )
        counts = dict(cur.fetchall())
    return [(f"{b * 10}–{b * 10 + 9 if b < 9 else 100}", counts.get(b, 0)) for b in range(10)]


def funnel(*, job: Job) -> list[tuple[str, int]]:
    """How many applications reached each stage (now there, later, or there at some point in their history)."""
    labels = dict(Application.Stage.choices)
    rows = []
    for i, stage in enumerate(FUNNEL):
        later = FUNNEL[i:]
        reached = Application.objects.filter(job=job).filter(
            Q(stage__in=later) | Q(pk__in=StageChange.objects.filter(to_stage__in=later).values("application_id"))
        )
        rows.append((labels[stage], reached.count() if i else Application.objects.filter(job=job).count()))
    return rows


def requirement_failures(*, job: Job) -> list[dict]:
    """For each requirement: how many scored applicants fail it (not met), most failing first."""
    with connection.cursor() as cur:
        cur.execute(
            f"""
            SELECT r->>'checklist', r->>'code', MAX(r->>'title'), BOOL_OR((r->>'knockout')::boolean),
                   COUNT(*) FILTER (WHERE r->>'status' = 'not_met'),
                   COUNT(*) FILTER (WHERE r->>'status' = 'unknown'),
                   COUNT(*)
            FROM {Evaluation._meta.db_table} e
            JOIN {Application._meta.db_table} a ON a.id = e.application_id
            CROSS JOIN LATERAL jsonb_array_elements(e.results) r
            WHERE a.job_id = %s
            GROUP BY 1, 2
            """,
            [job.pk],
        )
        rows = [
            {"checklist": c, "code": k, "title": t, "knockout": ko, "failed": f, "unknown": u, "total": n,
             "share": round(100 * f / n, 1) if n else 0.0}
            for c, k, t, ko, f, u, n in cur.fetchall()
        ]  # fmt: skip
    return sorted(rows, key=lambda r: (-r["share"], r["title"]))


def stage_counts(*, job: Job) -> dict[str, int]:
    return dict(Application.objects.filter(job=job).values_list("stage").annotate(n=Count("pk")))
