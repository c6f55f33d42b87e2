"""Demo mode's synthetic applicants: marked as such, and ranked on every demo job as their personas say."""

from statistics import mean

import pytest
from django.utils import timezone

from screening.demo import PER_PERSONA, PERSONAS, demo_applicants_seed
from screening.models import Application, Job
from screening.seed import load_fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_fixtures()
    created = demo_applicants_seed(today=timezone.localdate())
    return created


def _by_persona(job):
    rows = Application.objects.filter(job=job, source=Application.Source.DEMO).order_by("pk")
    scored = [(float(a.evaluation.score), a.evaluation.recommendation) for a in rows.select_related("evaluation")]
    # created persona by persona, PER_PERSONA each, in PERSONAS order
    return {p: scored[i * PER_PERSONA : (i + 1) * PER_PERSONA] for i, p in enumerate(PERSONAS)}


def test_every_open_demo_job_gets_thirty_marked_synthetic_applicants(demo):
    jobs = Job.objects.filter(status=Job.Status.OPEN)
    assert demo == jobs.count() * len(PERSONAS) * PER_PERSONA == 30 * jobs.count()
    people = Application.objects.filter(source=Application.Source.DEMO).select_related("applicant")
    assert all(a.applicant.name.startswith("示例") for a in people)
    assert all(a.applicant.email.endswith("@example.invalid") for a in people)
    assert demo_applicants_seed(today=timezone.localdate()) == 0  # once only


def test_the_personas_rank_as_the_seeds_would_have_them_on_every_demo_job(demo):
    for job in Job.objects.filter(status=Job.Status.OPEN):
        personas = _by_persona(job)
        means = {p: mean(score for score, _rec in rows) for p, rows in personas.items()}
        # measured evidence outranks self-praise: the modest borderline candidate above the all-5s self-promoter
        assert means["strong"] > means["borderline"] > means["self_promoter"] > means["weak"], (job.slug, means)
        assert {rec for _score, rec in personas["strong"]} == {"advance"}, job.slug
        # the borderline candidate just meets every measured and claimed requirement: never a knockout failed
        assert "reject" not in {rec for _score, rec in personas["borderline"]}, job.slug
        knockouts = job.checklists.filter(requirements__knockout=True).exists()
        if knockouts:  # failing a knockout is a reject recommendation whatever the score
            assert {rec for _score, rec in personas["knockout"]} == {"reject"}, job.slug
