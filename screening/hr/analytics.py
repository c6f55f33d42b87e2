"""Per-job analytics for HR (reads): score histogram, pipeline funnel, which requirement removes most people."""

from django.db import connection
from django.db.models import Count, Q

from ..models import Application, Evaluation, Job, StageChange

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
    """How many applications reached each stage (now there, later, or there at some point in their history):
    one query."""
    labels = dict(Application.Stage.choices)
    history = StageChange.objects.filter(application__job=job)

    def reached(i: int) -> Q:
        later = FUNNEL[i:]
        return Q(stage__in=later) | Q(pk__in=history.filter(to_stage__in=later).values("application_id"))

    counts = Application.objects.filter(job=job).aggregate(
        **{stage: Count("pk", filter=reached(i)) if i else Count("pk") for i, stage in enumerate(FUNNEL)}
    )
    return [(labels[stage], counts[stage]) for stage in FUNNEL]


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
