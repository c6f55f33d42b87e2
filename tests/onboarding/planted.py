"""A synthetic population of hires with a planted relation, written straight to the database (bulk)."""

import random

from screening.models import Application, Evaluation
from screening.onboarding.models import Assessment, Employment, Outcome
from tests.factories import ApplicationFactory, ChecklistFactory, RequirementFactory


def planted_hires(*, job, assessor, n: int = 300, seed: int = 17) -> list[tuple[bool, bool, bool]]:
    """n hires of `job`: requirement 要求甲 (c/a) raises the pass rate of the 3-month assessment from 40 % to 80 %,
    requirement 要求乙 (c/b) changes nothing. Returns (meets a, meets b, passed) per hire."""
    # the job's checklist first, and evaluations that name its revision: scored evaluations of the current
    # checklists are not stale, so a running worker's rescoring of the job (the new checklist asks for one) leaves
    # the planted statuses alone (it replaced them with 'unknown' when a worker was running)
    checklist = ChecklistFactory(slug="c", name="示例清单")
    RequirementFactory(checklist=checklist, code="a", title="要求甲")
    RequirementFactory(checklist=checklist, code="b", title="要求乙")
    job.job_checklists.create(checklist=checklist)
    checklist.refresh_from_db()
    rng = random.Random(seed)
    rows = []
    for _i in range(n):
        meets_a, meets_b = rng.random() < 0.5, rng.random() < 0.5
        rows.append((meets_a, meets_b, rng.random() < (0.8 if meets_a else 0.4)))
    applications = [ApplicationFactory.build(job=job, stage="hired") for _ in rows]
    for a in applications:
        a.applicant.save()
        a.applicant_id = a.applicant.pk
    Application.objects.bulk_create(applications)
    Evaluation.objects.bulk_create(
        Evaluation(application=a, score=50 + 30 * ma + rng.gauss(0, 8), max_possible=100, recommendation="advance",
                   revisions={"c": checklist.revision},
                   results=[{"checklist": "c", "code": "a", "status": "met" if ma else "not_met"},
                            {"checklist": "c", "code": "b", "status": "met" if mb else "not_met"}])
        for a, (ma, mb, _p) in zip(applications, rows, strict=True)
    )  # fmt: skip
    employments = Employment.objects.bulk_create(
        Employment(application=a, started_on="2026-01-01") for a in applications
    )
    Assessment.objects.bulk_create(
        Assessment(employment=e, code="probation_3m", title="3 个月业务考核", due_on="2026-04-01",
                   outcome=Outcome.PASS if p else Outcome.FAIL, assessed_by=assessor, assessed_at="2026-04-01T10:00Z")
        for e, (_a, _b, p) in zip(employments, rows, strict=True)
    )  # fmt: skip
    return rows
