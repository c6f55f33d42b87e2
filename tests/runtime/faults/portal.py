"""What the fault tests run in processes of their own, against the private PostgreSQL and Redis.

    python -m tests.runtime.faults.portal up VAR_DIR   # start what is not running under VAR_DIR, print its URLs as JSON
    python -m tests.runtime.faults.portal prepare      # migrate, load the seed checklists and demo jobs
    python -m tests.runtime.faults.portal seed N       # a demo job with N fresh applications, each queued for scoring
    python -m tests.runtime.faults.portal verify       # JSON: counts, and evaluations that differ from a fresh score
    python -m tests.runtime.faults.portal in-flight W  # JSON: scoring tasks worker W is running, not yet written

`up` runs in a process of its own because pgserver remembers the servers a process started and would
not start one again after it was stopped. `seed` and `verify` read DATABASE_URL / REDIS_URL from the
environment the test gives them.
"""

import json
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

JOB = "double11-cs-specialist"
TEXTS = ["非常抱歉给您带来不便，我马上帮您核实物流，尽快补发或退款。", "不知道", "您好，请稍等"]


def up(var: Path) -> dict:
    from config.embedded import Embedded

    stack = Embedded(var)
    return {"DATABASE_URL": stack.ensure_postgres(), "REDIS_URL": stack.ensure_redis()}


def _django():
    import django

    django.setup()


def _profile(rng: random.Random) -> dict:
    from screening.rules import vocab

    profile = {
        "age": rng.randrange(16, 50),
        "education": rng.choice(vocab.EDUCATION_LEVELS),
        "experience": {f: rng.choice([0, 0.5, 1, 3]) for f in vocab.EXPERIENCE_FIELDS},
        "typing": {"cpm": rng.randrange(20, 120), "accuracy": rng.uniform(0.8, 1), "measured": rng.random() < 0.5},
        "certificate": {"level": rng.choice(vocab.CERTIFICATE_LEVELS), "years_since": rng.randrange(0, 6)},
        "declarations": {d: rng.random() < 0.9 for d in vocab.DECLARATIONS},
        "platforms": rng.sample(vocab.PLATFORMS, rng.randrange(0, 4)),
        "traits": {t: rng.randrange(1, 6) for t in vocab.TRAITS},
        "skills": rng.sample(vocab.SKILLS, rng.randrange(0, 4)),
    }
    del profile[rng.choice(list(profile))]  # something unknown, as in real applications
    return profile


def prepare() -> dict:
    _django()
    from django.core.management import call_command

    from screening.seed import load_fixtures

    call_command("migrate", verbosity=0)
    return load_fixtures()


def seed(n: int) -> dict:
    """A fresh start: no applications, an empty broker; then N applications of one job, each queued for
    scoring on the path a submitted application takes (services.application_enqueue_scoring)."""
    _django()
    from django.db import connection

    from config.celery_app import app
    from screening.models import Applicant, Application, Job, Question
    from screening.services import application_enqueue_scoring

    with connection.cursor() as cur:
        cur.execute("TRUNCATE screening_evaluation, screening_application, screening_applicant CASCADE")
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # the private broker: queues and unacked messages of the last test
    job = Job.objects.get(slug=JOB)
    questions = Question.objects.filter(checklist__job_checklists__job=job)
    rng = random.Random(n)
    people = Applicant.objects.bulk_create(
        Applicant(name=f"应聘者{i}", email=f"fault{i}@example.com", phone=f"139{i:08d}") for i in range(n)
    )
    applications = Application.objects.bulk_create(
        Application(
            applicant=person,
            job=job,
            profile=_profile(rng),
            answers={
                q.code: rng.choice(q.options)["code"] if q.options else rng.choice(TEXTS)
                for q in questions
                if rng.random() < 0.9
            },
        )
        for person in people
    )
    for application in applications:
        application_enqueue_scoring(application=application)
    return {"job": job.pk, "applications": len(applications)}


def in_flight(worker: str) -> dict:
    """The scoring tasks `worker`'s pool processes are running (as the worker reports them: inspect().active()
    gives each started task with the pid of the pool process running it) whose application has no evaluation
    yet, i.e. work a fault now puts at stake. Only stable while the test holds the pool processes stopped."""
    _django()
    from config.celery_app import app
    from screening.models import Evaluation

    replies = app.control.inspect(destination=[worker], timeout=30, limit=1).active() or {}
    tasks = [
        {"pid": task["worker_pid"], "id": task["id"], "application": task["args"][0]}
        for task in replies.get(worker, [])
        if task["name"] == "screening.tasks.score_application"
    ]
    ids = [task["application"] for task in tasks]
    written = set(Evaluation.objects.filter(application_id__in=ids).values_list("application_id", flat=True))
    return {"answered": worker in replies, "tasks": [task for task in tasks if task["application"] not in written]}


def _tenth(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def verify() -> dict:
    """Counts the tests assert on, and every evaluation that is not what scoring the profile now gives."""
    _django()
    from django.db.models import Count, Max
    from django.utils import timezone

    from screening import rules
    from screening.models import Application, Evaluation, Job
    from screening.selectors import job_requirements

    job = Job.objects.get(slug=JOB)
    requirements, revisions = job_requirements(job=job)
    today = timezone.localdate()
    applications = Application.objects.filter(job=job)
    wrong = []
    for evaluation in Evaluation.objects.filter(application__job=job).select_related("application"):
        a = evaluation.application
        outcome = rules.score_profile(
            requirements, {**a.profile, "answers": a.answers}, threshold=job.advance_threshold, today=today
        )
        expected = (_tenth(outcome.score), _tenth(outcome.max_possible), outcome.recommendation, revisions)
        got = (evaluation.score, evaluation.max_possible, evaluation.recommendation, evaluation.revisions)
        if got != expected:
            wrong.append({"application": a.pk, "expected": str(expected), "got": str(got)})
    per_application = applications.annotate(n=Count("evaluation")).values_list("n", flat=True)
    return {
        "applications": applications.count(),
        "evaluations": Evaluation.objects.filter(application__job=job).count(),
        "unscored": applications.filter(evaluation__isnull=True).count(),
        "more_than_one": sum(1 for n in per_application if n > 1),
        "needs_manual_review": applications.filter(needs_manual_review=True).count(),
        "max_scoring_attempts": applications.aggregate(m=Max("scoring_attempts"))["m"],
        "wrong": wrong[:5],
        "wrong_count": len(wrong),
    }


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "up":
        result = up(Path(args[0]))
    elif command == "prepare":
        result = prepare()
    elif command == "seed":
        result = seed(int(args[0]))
    elif command == "in-flight":
        result = in_flight(args[0])
    else:
        result = verify()
    print(json.dumps(result, ensure_ascii=False))
