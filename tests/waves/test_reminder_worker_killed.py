"""A worker killed while it sends reminders: each reminder still reaches the candidate once, none twice, none lost.

A real worker of its own (on a queue of its own, so the session's worker never takes the task) sends through a real
SMTP server (aiosmtpd in a thread). The server holds the third message in the middle of its DATA, without a reply;
the test kills the worker's whole process group there, as a power cut or the OOM killer would. The third message was
never accepted (the server answered nothing before the connection died). A new worker then runs the task: the
first two reminders are not sent again, the third and the rest are sent once."""

import asyncio
import email
import os
import signal
import socket
import subprocess
import threading
import uuid
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from screening.models import Applicant
from screening.waves import services
from screening.waves.models import Reminder
from tests.conftest import ROOT, _database_url, free_port, wait_for
from tests.factories import JobFactory
from tests.waves.factories import SessionFactory, invited

QUEUE = "reminders-killed-worker-test"
PEOPLE = 5
HOLD_AT = 3  # the server holds the third message it is given


class HoldingInbox:
    """Accepts messages (250) except the HOLD_AT-th, which it holds without a reply until released."""

    def __init__(self):
        self.accepted: list[tuple[str, str]] = []  # (To, Message-ID) in the order the server said 250
        self.given = 0
        self.held: tuple[str, str] = ("", "")
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.given += 1
        if self.given == HOLD_AT:
            self.held = (message["To"], message["Message-ID"])
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 not accepted"  # the sender is dead by now: nothing was accepted
        self.accepted.append((message["To"], message["Message-ID"]))
        return "250 OK"


@pytest.fixture
def inbox():
    port = free_port()
    handler = HoldingInbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    handler.release.set()
    controller.stop()


def _worker(inbox, log_path):
    from config.celery_app import worker_command

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CONN_MAX_AGE": "0",
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(inbox.port),
        "SMS_BACKEND": "screening.waves.sms.MemoryBackend",
    }
    name = f"killed-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
    command = worker_command(name=name, concurrency=1, queues=QUEUE, extra=("--without-mingle", "--without-gossip"))
    log = open(log_path, "ab")  # noqa: SIM115 - closed by the test
    # a session of its own: the kill takes the pool process that is sending with it
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    proc.log = log
    return proc


def _unsent_and_unlocked() -> int:
    """Unsent reminders no transaction holds: the ones the next run can take."""
    return Reminder.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True).count()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_reminders_sends_each_once(hr_user, inbox, tmp_path):
    from config.celery_app import app

    job = JobFactory(title="电商客服专员")
    for i in range(PEOPLE):
        session = SessionFactory(job=job, starts_at=timezone.now() + timedelta(hours=20, minutes=i), capacity=2)
        application = invited(job, by=hr_user, name=f"候选人{i}")
        Applicant.objects.filter(pk=application.applicant_id).update(phone="")  # e-mail only: one reminder each
        services.booking_book(application=application, session=session, by=hr_user)
    log_path = tmp_path / "workers.log"

    first = _worker(inbox, log_path)
    try:
        app.send_task("screening.waves.tasks.send_due_reminders", queue=QUEUE)
        assert inbox.holding.wait(timeout=60), "the worker never reached the third reminder:\n" + log_path.read_text()
        os.killpg(first.pid, signal.SIGKILL)  # mid-DATA: the worker dies without an answer from the server
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        first.log.close()
    inbox.release.set()

    before = list(inbox.accepted)
    assert len(before) == HOLD_AT - 1
    held = Reminder.objects.get(booking__application__applicant__email=inbox.held[0])
    assert held.sent_at is None
    assert Reminder.objects.filter(sent_at__isnull=False).count() == HOLD_AT - 1
    # the dead worker's transaction is rolled back once PostgreSQL sees its connection gone: wait for that state
    wait_for(lambda: _unsent_and_unlocked() == PEOPLE - (HOLD_AT - 1), timeout=30)

    second = _worker(inbox, log_path)
    try:
        app.send_task("screening.waves.tasks.send_due_reminders", queue=QUEUE)
        wait_for(lambda: Reminder.objects.filter(sent_at__isnull=False).count() == PEOPLE, timeout=60)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
        second.log.close()

    reminders = Reminder.objects.select_related("booking__application__applicant")
    # each once: nothing twice, nothing lost; and each message names its reminder
    assert sorted(inbox.accepted) == sorted(
        (r.booking.application.applicant.email, f"<reminder-{r.pk}-24h@{_domain()}>") for r in reminders
    )
    assert inbox.accepted[: HOLD_AT - 1] == before  # the two sent before the kill were not sent again
    assert inbox.held in inbox.accepted[HOLD_AT - 1 :]  # the one cut off went out with the next run
    held.refresh_from_db()
    assert held.sent_at is not None and held.attempts == 2  # the dead attempt counted: a row that kills every
    # worker that sends it would use up its attempts instead of holding up every reminder after it


def _domain() -> str:
    from urllib.parse import urlsplit

    from screening import links

    return urlsplit(links.site_url()).hostname
