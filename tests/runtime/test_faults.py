"""Faults while 1,000 applications are being scored by a real worker: afterwards every application has
exactly one current evaluation, equal to scoring its profile now, and none is left unscored or flagged.
Each fault is injected while a pool process is running a scoring task that has not written its evaluation
yet, as the worker reports it (Run.in_flight), never at a moment guessed from timing.

The tests run on a PostgreSQL and a Redis of their own (config.embedded under a temporary VAR_DIR), never
on the shared stack under var/, since they kill and restart them. Each prints how long recovery took.

What brings the work back:
- a pool process killed: its task is re-queued at once (acks_late + reject_on_worker_lost); no sweep runs;
- PostgreSQL restarted: the tasks that hit the outage retry with backoff (screening.tasks); no sweep runs;
- the whole worker killed, or Redis killed: the messages the worker held come back only after Redis'
  visibility timeout (an hour); beat's sweep re-queues those applications. Here beat sweeps every
  SWEEP_EVERY seconds what waited SWEEP_AFTER; in production every minute what waited 600 s.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import psycopg2
import pytest

from config.embedded import Embedded

ROOT = Path(__file__).resolve().parents[2]
N = 1000
FAULT_AT = 250  # evaluations written before the fault: scoring is well under way, most of it still queued
OUTAGE = 3.0  # seconds Redis or PostgreSQL stays down
SWEEP_EVERY = 2
# Longer than scoring 1,000 applications usually takes here, so the sweep re-queues what was lost, not what
# still waits in the queue (re-queuing that is harmless anyway: scored twice, still one evaluation).
SWEEP_AFTER = 25
TIMEOUT = 120

pytestmark = [pytest.mark.faults, pytest.mark.worker]
_SCORED_SINCE = "SELECT count(*) FROM screening_evaluation WHERE evaluated_at > to_timestamp(%s)"


def _helper(args: list[str], env) -> dict:
    """Run tests/runtime/faults/portal.py; its JSON answer."""
    command = [sys.executable, "-m", "tests.runtime.faults.portal", *args]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.splitlines()[-1])


class Stack:
    """The private PostgreSQL and Redis, and the processes of one test that use them."""

    def __init__(self, var: Path):
        self.var = var
        self.embedded = Embedded(var)
        urls = self.up()
        self.dsn = {"dbname": "portal", "user": "postgres", "host": urls["DATABASE_URL"].split("host=")[1]}
        self.env = {
            **os.environ,
            **urls,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "VAR_DIR": str(var),
            "PORTAL_EMBEDDED": "1",
            "SECRET_KEY": "faults-only-not-secret",
            "DEMO_MODE": "false",
            "REDIS_BROKER_DB": "0",
            "REDIS_CACHE_DB": "1",
            "SCORING_SWEEP_AFTER": str(SWEEP_AFTER),
            "SWEEP_EVERY": str(SWEEP_EVERY),
        }
        self.env.pop("CONN_MAX_AGE", None)  # the production default: persistent connections
        self.processes: list[subprocess.Popen] = []

    def up(self) -> dict:
        """Start whichever of the two servers is not running; their URLs."""
        return _helper(["up", str(self.var)], os.environ)

    def helper(self, *args: str) -> dict:
        return _helper(list(args), self.env)

    def scored(self, since: float = 0.0) -> int | None:
        """Evaluations made by a scoring run that started after `since` (a time.time()); None while
        PostgreSQL is down."""
        try:
            conn = psycopg2.connect(**self.dsn, connect_timeout=2)
            try:
                with conn.cursor() as cur:
                    cur.execute(_SCORED_SINCE, [since])
                    return cur.fetchone()[0]
            finally:
                conn.close()
        except psycopg2.OperationalError:
            return None

    def wait_scored(self, at_least: int, *, since: float = 0.0, timeout: float = TIMEOUT) -> float:
        """Poll until `at_least` evaluations (of runs started after `since`) exist; the time.monotonic() then."""
        deadline = time.monotonic() + timeout
        while (count := self.scored(since)) is None or count < at_least:
            if time.monotonic() > deadline:
                state = self.helper("verify") if self.scored() is not None else "PostgreSQL is down"
                pytest.fail(f"{at_least} evaluations not reached within {timeout}s: {state}\n{self.logs()}")
            time.sleep(0.1)
        return time.monotonic()

    def spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.var / "log" / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        # a session of its own, so that the worker is stopped with its pool processes
        proc = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        proc.log = log
        self.processes.append(proc)
        return proc

    def worker(self, name: str) -> subprocess.Popen:
        from config.celery_app import worker_command

        node = f"{name}@faults"
        proc = self.spawn(name, worker_command(name=node, extra=("--without-mingle", "--without-gossip")))
        proc.node = node
        return proc

    def beat(self) -> subprocess.Popen:
        schedule = str(self.var / "run" / "celerybeat-schedule")
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.runtime.faults.beat",
            "beat",
            "-l",
            "INFO",
            "-s",
            schedule,
        ]
        return self.spawn("beat", command)

    def log(self, proc: subprocess.Popen) -> str:
        proc.log.flush()
        return Path(proc.log.name).read_text(errors="replace")

    def logged(self, proc: subprocess.Popen, text: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while text not in self.log(proc):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def wait_logged(
        self, proc: subprocess.Popen, text: str, *, times: int = 1, after: str = "", timeout: float = TIMEOUT
    ) -> None:
        """Poll until `text` is in proc's log `times` times (after the last `after` in it, when given), or fail."""
        deadline = time.monotonic() + timeout
        while (self.log(proc).split(after)[-1] if after else self.log(proc)).count(text) < times:
            if time.monotonic() > deadline:
                pytest.fail(f"{text!r} not logged {times} times within {timeout}s\n{self.logs()}")
            time.sleep(0.05)

    def logs(self) -> str:
        return "\n".join(f"--- {p.log.name}\n{self.log(p)[-2000:]}" for p in self.processes)

    def swept(self) -> int:
        """Applications the sweep re-queued, from the workers' logs."""
        found = re.findall(r"sweep re-enqueued (\d+)", "".join(self.log(p) for p in self.processes))
        return sum(int(n) for n in found)

    def stop_processes(self) -> None:
        for proc in self.processes:  # nothing of theirs is kept: the next test starts from an empty broker
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            proc.log.close()
        self.processes = []


@pytest.fixture(scope="module")
def private_stack():
    var = Path(tempfile.mkdtemp(prefix="faults-", dir="/tmp"))  # short: unix socket paths are limited
    stack = None
    try:
        stack = Stack(var)
        stack.helper("prepare")
        yield stack
    finally:
        if stack is not None:
            stack.stop_processes()
        embedded = Embedded(var)
        embedded.stop_redis()
        embedded.stop_postgres()
        shutil.rmtree(var, ignore_errors=True)


@pytest.fixture
def stack(private_stack):
    """N applications of one job queued for scoring, on an otherwise empty database and broker."""
    assert private_stack.helper("seed", str(N))["applications"] == N
    yield private_stack
    private_stack.stop_processes()


class Run:
    """One run: scoring under way, the fault, the recovery, the figures."""

    def __init__(self, stack: Stack, *, sweep: bool):
        self.stack = stack
        self.worker = stack.worker("worker")
        self.beat = stack.beat() if sweep else None
        started = stack.wait_scored(1, timeout=60)
        stack.wait_scored(FAULT_AT, timeout=60)
        self.before = stack.scored()
        self.looks = 0  # how often in_flight() asked the worker before a scoring task was in flight
        self.rate = self.before / (time.monotonic() - started)

    @contextlib.contextmanager
    def in_flight(self):
        """The fault is injected in this block, at a moment when something is at stake: a pool process is
        running a scoring task whose evaluation is not written yet. Asked of the worker itself
        (inspect().active() names the pool process running each task) while all pool processes are stopped
        (SIGSTOP), so the task is still running, unwritten, when the fault hits; yields it ({"pid", "id",
        "application"}). The pool processes left are continued (SIGCONT) afterwards. Timing under load
        decides nothing: when no task is in flight, the pool goes on until one more evaluation is written
        and it asks again."""
        deadline = time.monotonic() + TIMEOUT
        self.looks = 0
        while True:
            self.looks += 1
            pool = psutil.Process(self.worker.pid).children()
            for process in pool:
                process.suspend()
            try:
                answer = self.stack.helper("in-flight", self.worker.node)
                tasks = [task for task in answer["tasks"] if task["pid"] in {p.pid for p in pool}]
                if tasks:
                    yield tasks[0]
                    return
            finally:
                for process in pool:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        process.resume()
            if time.monotonic() > deadline:
                pytest.fail(f"no scoring task in flight within {TIMEOUT}s: {answer}\n{self.stack.logs()}")
            self.stack.wait_scored(self.stack.scored() + 1)

    def fault(self) -> None:
        """Call right after injecting the fault."""
        self.fault_time, self.faulted_at = time.time(), time.monotonic()

    def recover(self, what: str, capsys) -> None:
        """Wait until all N are scored, check each was scored once and correctly, print the recovery times."""
        resumed = self.stack.wait_scored(1, since=self.fault_time)
        done = self.stack.wait_scored(N)
        result = self.stack.helper("verify")
        assert (result["applications"], result["evaluations"], result["unscored"]) == (N, N, 0), result
        assert result["more_than_one"] == 0, result
        assert result["needs_manual_review"] == 0, result
        assert result["wrong_count"] == 0, result
        with capsys.disabled():  # the figures belong in every run's output, CI logs included
            print(
                f"\n[faults] {what}, at {self.before}/{N} scored ({self.rate:.0f}/s before): scoring resumed "
                f"{resumed - self.faulted_at:.1f} s and all {N} were scored {done - self.faulted_at:.1f} s after "
                f"the fault; the sweep re-queued {self.stack.swept()}; a task in flight was found at look "
                f"{self.looks}"
            )


def test_killed_pool_process_loses_no_application(stack, capsys):
    run = Run(stack, sweep=False)
    with run.in_flight() as task:
        os.kill(task["pid"], signal.SIGKILL)  # the pool process running it, not any pool process
        run.fault()
    run.recover("kill -9 of the worker pool process running a scoring task", capsys)
    stack.wait_logged(run.worker, "WorkerLostError")
    # its message was re-queued and delivered again (behind the queue), not left to a sweep (none runs here)
    stack.wait_logged(run.worker, f"[{task['id']}] received", times=2)
    assert run.worker.poll() is None


def test_killed_worker_replaced_by_a_new_one_loses_no_application(stack, capsys):
    run = Run(stack, sweep=True)
    with run.in_flight():
        os.killpg(run.worker.pid, signal.SIGKILL)  # the worker with its pool processes, as when its machine dies
        run.fault()
    run.worker.wait()
    stack.worker("restarted")  # as its supervisor (systemd, Docker) would
    run.recover("kill -9 of the whole worker, then a new worker", capsys)
    # the task in flight was held unacked by the dead worker: only the sweep brings it back within the hour
    assert stack.swept() >= 1


def test_redis_killed_and_restarted_loses_no_application(stack, capsys):
    run = Run(stack, sweep=True)
    with run.in_flight():
        os.kill(int(stack.embedded.redis_pidfile.read_text()), signal.SIGKILL)
        run.fault()
    time.sleep(OUTAGE)  # the length of the outage, not a wait for anything
    stack.up()
    run.recover(f"Redis killed (-9) and started again {OUTAGE:.0f} s later", capsys)
    assert "Connection to broker lost" in stack.log(run.worker)
    assert run.worker.poll() is None and run.beat.poll() is None, "the worker and beat reconnect, they do not exit"
    # beat's sweeps reach the worker again (scoring may be done before beat has reconnected)
    stack.wait_logged(run.worker, "screening.tasks.sweep_unscored[", after="Connection to broker lost")


def test_postgres_restarted_loses_no_application(stack, capsys):
    run = Run(stack, sweep=False)
    with run.in_flight():  # a task that has yet to write its evaluation meets the outage
        stack.embedded.stop_postgres()  # fast shutdown: the open connections are cut
        run.fault()
    time.sleep(OUTAGE)  # the length of the outage, not a wait for anything
    stack.up()
    run.recover(f"PostgreSQL stopped and started again {OUTAGE:.0f} s later", capsys)
    stack.wait_logged(run.worker, "Retry in")  # the task in flight met the outage and was retried
    assert run.worker.poll() is None
