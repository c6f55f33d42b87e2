"""Rescoring benchmark (issue 3): N applications rescored through the real worker, against the raw
SQL write bound and the naive one-task-per-application way, measured in the same run.

    make bench                      # N=100000
    .venv/bin/python bench/rescore.py --n 20000
"""

import argparse
import io
import json
import os
import random
import subprocess
import threading
import time
from datetime import date, timedelta

from common import ROOT, setup_django

KINDS_WANTED = 20


def build_job():
    """A job whose one checklist mixes 20 requirements of every kind, taken from the seed fixtures."""
    from screening.models import Checklist, Job, JobChecklist, Question, Requirement
    from screening.seed import FIXTURES

    data = json.loads((FIXTURES / "checklists.json").read_text(encoding="utf-8"))
    picked, kinds, questions = [], set(), {}
    everything = [(c, r) for c in data for r in c["requirements"]]
    for checklist, req in everything:  # first one requirement of each kind, then fill up in order
        if req["condition"]["kind"] not in kinds:
            kinds.add(req["condition"]["kind"])
            picked.append((checklist, req))
    for checklist, req in everything:
        if len(picked) >= KINDS_WANTED:
            break
        if (checklist, req) not in picked:
            picked.append((checklist, req))
    from django.db import connection

    with connection.cursor() as cur:  # the benchmark's own database: start from empty tables
        cur.execute("TRUNCATE screening_evaluation, screening_application, screening_applicant CASCADE")
    Job.objects.filter(slug="bench-job").delete()
    Checklist.objects.filter(slug="bench-mix").delete()
    mix = Checklist.objects.create(slug="bench-mix", name="Benchmark mix")
    for i, (source, req) in enumerate(picked[:KINDS_WANTED]):
        Requirement.objects.create(
            checklist=mix,
            code=f"r{i}_{req['code']}"[:64],
            title=req["title"],
            condition=req["condition"],
            weight=req.get("weight", 1),
            knockout=req.get("knockout", False),
            partial_credit=req.get("partial_credit", False),
            order=i,
        )
        for q in source.get("questions", []):
            questions[q["code"]] = q
    from screening.rules import questions_read

    used = set().union(*(questions_read(r["condition"]) for _c, r in picked[:KINDS_WANTED]))
    for code in used:
        q = questions[code]
        Question.objects.filter(code=code).delete()
        Question.objects.create(
            checklist=mix, code=code, prompt=q["prompt"], kind=q["kind"], options=q.get("options", [])
        )
    job = Job.objects.create(slug="bench-job", title="Benchmark job", status=Job.Status.OPEN)
    JobChecklist.objects.create(job=job, checklist=mix)
    return job, sorted(used), {c: questions[c] for c in used}


TEXTS = ["非常抱歉给您带来不便，我马上帮您核实查询物流，尽快补发或退款，谢谢您的耐心。", "不知道", "您好，请稍等"]


def _history(rng: random.Random) -> list[dict]:
    """One to four periods, back to back from up to twelve years ago, the last one until now or not."""
    from screening.rules import vocab

    fields = [f for f in vocab.EXPERIENCE_FIELDS if f != "total"]
    month = 2026 * 12 - rng.randrange(6, 144)
    periods = []
    for _ in range(rng.randrange(1, 5)):
        end = month + rng.randrange(3, 48)
        periods.append({"field": rng.choice(fields), "start": f"{month // 12}-{month % 12 + 1:02d}",
                        "end": f"{end // 12}-{end % 12 + 1:02d}" if end < 2026 * 12 else None})  # fmt: skip
        month = end + rng.randrange(0, 4)
        if month >= 2026 * 12:
            break
    return periods


def _certificates(rng: random.Random) -> list[dict]:
    from screening.rules import vocab

    levels = [level for level in vocab.CERTIFICATE_LEVELS if level != "none"]
    held = sorted(rng.sample(range(len(levels)), rng.randrange(0, 3)))
    return [{"level": levels[i], "obtained_on": (date(2014, 1, 1) + timedelta(days=rng.randrange(4000))).isoformat()}
            for i in held]  # fmt: skip


def random_profile(rng: random.Random, questions: dict) -> tuple[dict, dict]:
    from screening.rules import vocab

    profile = {
        "date_of_birth": (date(1980, 1, 1) + timedelta(days=rng.randrange(365 * 27))).isoformat(),
        "education": rng.choice(vocab.EDUCATION_LEVELS),
        "major": rng.choice(["电子商务", "市场营销", "会计", "机械"]),
        "experience": {f: rng.choice([0, 0.5, 1, 2, 3, 5]) for f in vocab.EXPERIENCE_FIELDS},
        "typing": {"cpm": rng.randrange(20, 120), "accuracy": rng.uniform(0.8, 1), "measured": rng.random() < 0.5},
        "languages": {"en": rng.choice(vocab.LANGUAGE_LEVELS)},
        "certificate": {"level": rng.choice(vocab.CERTIFICATE_LEVELS), "years_since": rng.randrange(0, 6)},
        "declarations": {d: rng.random() < 0.9 for d in vocab.DECLARATIONS},
        "platforms": rng.sample(vocab.PLATFORMS, rng.randrange(0, 4)),
        "traits": {t: rng.randrange(1, 6) for t in vocab.TRAITS},
        "skills": rng.sample(vocab.SKILLS, rng.randrange(0, 4)),
    }
    for key in rng.sample(list(profile), 2):  # some unknowns, as in real applications
        del profile[key]
    if rng.random() < 0.7:  # the form's dated profile (issue 12); the rest are job-board totals, as imports give
        profile.pop("experience", None)
        profile.pop("certificate", None)
        profile["work_history"] = _history(rng)
        profile["certificates"] = _certificates(rng)
    answers = {}
    for code, q in questions.items():
        if q["kind"] == "choice":
            answers[code] = rng.choice(q["options"])["code"]
        else:
            answers[code] = rng.choice(TEXTS)
    return profile, answers


def seed(job, questions, n: int) -> None:
    from screening.models import Applicant, Application

    rng = random.Random(42)
    batch = 5000
    for start in range(0, n, batch):
        size = min(batch, n - start)
        people = Applicant.objects.bulk_create(
            Applicant(name=f"应聘者{start + i}", email=f"b{start + i}@example.com", phone=f"139{start + i:08d}")
            for i in range(size)
        )
        rows = []
        for person in people:
            profile, answers = random_profile(rng, questions)
            rows.append(Application(applicant=person, job=job, profile=profile, answers=answers))
        Application.objects.bulk_create(rows)


class MemorySampler(threading.Thread):
    """Peak resident memory of the worker's main process and its pool children."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process(pid)
        self.peak_total = self.peak_child = self.peak_main = 0
        self.running = True

    def run(self):
        while self.running:
            try:
                main = self.proc.memory_info().rss
                children = [c.memory_info().rss for c in self.proc.children(recursive=True)]
            except Exception:
                break
            self.peak_main = max(self.peak_main, main)
            self.peak_child = max([self.peak_child, *children])
            self.peak_total = max(self.peak_total, main + sum(children))
            time.sleep(0.1)


def start_worker(concurrency: int) -> subprocess.Popen:
    from config.celery_app import app

    with app.connection_for_write() as conn:
        for queue in ("scoring", "bulk"):
            conn.default_channel.queue_purge(queue)
    from config.celery_app import worker_command

    cmd = worker_command(
        name=f"bench-{os.getpid()}@%h", concurrency=concurrency, loglevel="WARNING",
        extra=("-I", "tasks", "--without-mingle", "--without-gossip"),
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}"}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("worker did not start")
    return proc


def wait_scored_since(job, since, n: int, timeout: float) -> float:
    from screening.models import Evaluation

    deadline = time.monotonic() + timeout
    while True:
        done = Evaluation.objects.filter(application__job=job, evaluated_at__gte=since).count()
        if done >= n:
            return time.monotonic()
        if time.monotonic() > deadline:
            raise SystemExit(f"only {done}/{n} scored within {timeout}s")
        time.sleep(0.2)


def raw_write_bound(job) -> tuple[float, int]:
    """The fastest plain-SQL way to write the same evaluation rows: COPY into a temporary table, then
    one INSERT … SELECT … ON CONFLICT DO UPDATE into the evaluation table, one transaction."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute(
            "SELECT e.application_id, e.score, e.max_possible, e.recommendation, e.results::text, e.revisions::text,"
            " e.knockout_failed, e.unknown_count"
            " FROM screening_evaluation e JOIN screening_application a ON a.id = e.application_id"
            " WHERE a.job_id = %s",
            [job.pk],
        )
        rows = cur.fetchall()
    buf = io.StringIO()
    for row in rows:  # text format: escape backslashes, tabs and newlines in the JSON
        fields = [str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n") for v in row]
        buf.write("\t".join(fields) + "\n")
    payload = buf.getvalue()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_eval (application_id bigint, score numeric, max_possible numeric,"
            " recommendation text, results jsonb, revisions jsonb, knockout_failed boolean, unknown_count int)"
            " ON COMMIT DROP"
        )
        cur.cursor.copy_expert("COPY bench_eval FROM STDIN", io.StringIO(payload))
        cur.execute(
            "INSERT INTO screening_evaluation (application_id, score, max_possible, recommendation, results,"
            " revisions, evaluated_at, knockout_failed, unknown_count) SELECT application_id, score, max_possible,"
            " recommendation, results, revisions, now(), knockout_failed, unknown_count FROM bench_eval"
            " ON CONFLICT (application_id) DO UPDATE SET score = EXCLUDED.score,"
            " max_possible = EXCLUDED.max_possible, recommendation = EXCLUDED.recommendation,"
            " results = EXCLUDED.results, revisions = EXCLUDED.revisions, evaluated_at = EXCLUDED.evaluated_at,"
            " knockout_failed = EXCLUDED.knockout_failed, unknown_count = EXCLUDED.unknown_count"
        )
    return time.perf_counter() - started, len(rows)


def naive_rate(job, sample_size: int) -> float:
    """The naive way on a sample: one task and one ORM save per application, same worker."""
    from django.utils import timezone
    from tasks import score_one_naive

    from screening.models import Application

    sample = list(Application.objects.filter(job=job).order_by("pk").values_list("pk", flat=True)[:sample_size])
    since = timezone.now()
    t0 = time.monotonic()
    for pk in sample:
        score_one_naive.delay(pk)
    t1 = wait_scored_since(job, since, len(sample), timeout=1800)
    naive = len(sample) / (t1 - t0)
    print(
        f"naive (one task + ORM save per application, sample {len(sample)}): "
        f"{t1 - t0:.2f}s = {naive:,.0f} applications/s"
    )
    return naive


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=int(os.environ.get("N", "100000")))
    parser.add_argument("--naive-sample", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    setup_django()
    from django.conf import settings
    from django.utils import timezone

    from screening import tasks
    from screening.models import Application, Job

    job = Job.objects.filter(slug="bench-job").first()
    if job is None or Application.objects.filter(job=job).count() != args.n:
        t = time.monotonic()
        job, _codes, questions = build_job()
        seed(job, questions, args.n)
        print(f"seeded {args.n} applications in {time.monotonic() - t:.1f}s")
    requirements = job.checklists.first().requirements.count()
    kinds = set()
    stack = [r.condition for r in job.checklists.first().requirements.all()]
    while stack:  # count the kinds nested in any_of/all_of too
        condition = stack.pop()
        kinds.add(condition["kind"])
        stack.extend(condition.get("conditions", []))
    print(f"job: {args.n} applications, {requirements} requirements ({len(kinds)} of the 15 condition kinds)")

    worker = start_worker(args.concurrency)
    sampler = MemorySampler(worker.pid)
    sampler.start()
    try:
        since = timezone.now()
        t0 = time.monotonic()
        tasks.rescore_job(job.pk, True)  # the task's own fan-out, run here: every application in chunks
        enqueued = time.monotonic()
        t1 = wait_scored_since(job, since, args.n, timeout=1800)
        e2e = args.n / (t1 - t0)
        print(
            f"end to end through the worker ({args.concurrency} processes, chunks of "
            f"{settings.RESCORE_CHUNK_SIZE}): {args.n} in {t1 - t0:.2f}s = {e2e:,.0f} applications/s"
            f" (enqueueing took {enqueued - t0:.2f}s)"
        )
        sampler.running = False
        sampler.join()

        raw_seconds, raw_rows = raw_write_bound(job)
        raw = raw_rows / raw_seconds
        print(
            f"raw SQL write bound (COPY + one INSERT … ON CONFLICT): {raw_rows} rows in {raw_seconds:.2f}s "
            f"= {raw:,.0f} rows/s"
        )

        naive = naive_rate(job, args.naive_sample)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    mib = 1024 * 1024
    print(
        f"peak worker memory: main {sampler.peak_main / mib:.0f} MiB, largest pool process "
        f"{sampler.peak_child / mib:.0f} MiB, all together {sampler.peak_total / mib:.0f} MiB"
    )
    print(
        f"summary: {e2e:,.0f} applications/s (target ≥ 2,000: {'met' if e2e >= 2000 else 'NOT met'}); "
        f"{100 * e2e / raw:.0f}% of the raw write bound (target ≥ 50%: {'met' if e2e >= raw / 2 else 'NOT met'}); "
        f"{e2e / naive:.1f}× the naive way (target ≥ 10×: {'met' if e2e >= 10 * naive else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
