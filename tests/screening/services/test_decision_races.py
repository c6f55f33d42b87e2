"""Stage changes racing each other, in two real transactions on PostgreSQL.

Each race runs `first` in one thread's transaction and keeps it open, with its row locks, until `second`,
started in another thread on its own connection, is observably waiting for one of those locks (PostgreSQL's
pg_blocking_pids) or has finished without waiting; only then does `first` commit. Whatever `second` read
before it waited is what a person's page showed before the other change was committed.
"""

import re
import threading
from dataclasses import dataclass, field

import pytest
from django.db import connection, connections, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from screening import services
from screening.models import Application, Checklist, Evaluation, StageChange
from screening.services.decisions import (
    DecisionError,
    application_decide,
    application_undo_rejection,
    applications_decide_ids,
)
from tests.conftest import wait_for
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Racer:
    """A function run in its own thread on its own database connection; its result or its exception."""

    fn: object
    pid: int | None = None
    result: object = None
    error: BaseException | None = None
    started: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def start(self) -> "Racer":
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self):
        try:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                self.pid = cur.fetchone()[0]
            self.started.set()
            self.result = self.fn()
        except BaseException as exc:  # handed to the test
            self.error = exc
        finally:
            self.started.set()
            connections.close_all()  # this thread's connections only

    def done(self) -> bool:
        return not self.thread.is_alive()

    def join(self):
        self.thread.join(timeout=30)
        assert self.done(), "thread did not finish"


def _waits_for(waiter: Racer, holder: Racer) -> bool:
    with connection.cursor() as cur:  # autocommit: each query sees the current activity, not a snapshot
        cur.execute("SELECT %s = ANY(pg_blocking_pids(%s))", [holder.pid, waiter.pid])
        return cur.fetchone()[0]


def race(first, second) -> tuple[Racer, Racer, bool]:
    """Run `first` in a transaction left open until `second` waits for its locks (or is done without waiting);
    then commit it. Returns both racers and whether `second` did wait."""
    holding, go = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            result = first()
            holding.set()
            assert go.wait(timeout=30), "never released"
        return result

    a = Racer(hold).start()
    wait_for(lambda: holding.is_set() or a.done())
    if a.error:
        raise a.error
    b = Racer(second).start()
    b.started.wait(timeout=30)
    wait_for(lambda: (b.pid is not None and _waits_for(b, a)) or b.done())
    waited = not b.done()  # still there: waiting for `first`'s locks
    go.set()
    a.join()
    b.join()
    if a.error:
        raise a.error
    return a, b, waited


def history(application) -> list[tuple[str, str]]:
    return list(
        StageChange.objects.filter(application_id=application.pk)
        .order_by("created_at", "id")
        .values_list("from_stage", "to_stage")
    )


def stage(application) -> str:
    return Application.objects.values_list("stage", flat=True).get(pk=application.pk)


def loaded(pk: int):
    """What a page shows: the application as read before the change."""
    return Application.objects.get(pk=pk)


# -- withdrawal against a decision ----------------------------------------------------------------------


def test_a_withdrawal_waiting_for_a_decision_withdraws_from_the_decided_stage(hr_user):
    application = ApplicationFactory()

    def withdraw():
        mine = loaded(application.pk)
        services.application_withdraw(application=mine)
        return mine.stage

    _a, b, waited = race(
        lambda: application_decide(application=loaded(application.pk), to_stage="interview", by=hr_user),
        withdraw,
    )
    assert waited and b.error is None and b.result == "withdrawn"
    assert stage(application) == "withdrawn"
    # old code: [("applied", "interview"), ("applied", "withdrawn")]
    assert history(application) == [("applied", "interview"), ("interview", "withdrawn")]


def test_a_decision_waiting_for_a_withdrawal_is_refused(hr_user):
    application = ApplicationFactory()

    def advance():
        page = loaded(application.pk)  # still "applied" on the HR page
        application_decide(application=page, to_stage="interview", by=hr_user)

    _a, b, waited = race(lambda: services.application_withdraw(application=loaded(application.pk)), advance)
    assert waited and isinstance(b.error, DecisionError)  # old code: no error, the row ended at "interview"
    assert stage(application) == "withdrawn"
    assert history(application) == [("applied", "withdrawn")]


def test_a_withdrawal_waiting_for_a_hire_leaves_the_hire(hr_user):
    application = ApplicationFactory(stage="offer")

    def withdraw():
        return services.application_withdraw(application=loaded(application.pk))

    _a, b, waited = race(
        lambda: application_decide(application=loaded(application.pk), to_stage="hired", by=hr_user), withdraw
    )
    assert waited and b.error is None
    assert stage(application) == "hired"  # old code: "withdrawn", after the hire
    assert history(application) == [("offer", "hired")]


# -- rejection, undo and bulk decisions -----------------------------------------------------------------


def test_a_second_rejection_waiting_for_the_first_is_refused_and_the_first_can_be_undone(hr_user):
    application = ApplicationFactory(stage="interview")

    def reject_too():
        application_decide(application=loaded(application.pk), to_stage="rejected", by=hr_user, reason="experience")

    _a, b, waited = race(
        lambda: application_decide(application=loaded(application.pk), to_stage="rejected", by=hr_user,
                                   reason="skills"),
        reject_too,
    )  # fmt: skip
    assert waited and isinstance(b.error, DecisionError)  # old code: recorded "rejected" → "rejected"
    row = Application.objects.get(pk=application.pk)
    assert (row.stage, row.rejection_reason) == ("rejected", "skills")
    assert history(application) == [("interview", "rejected")]
    application_undo_rejection(application=row, by=hr_user)  # old code: IntegrityError (back to "rejected")
    assert stage(application) == "interview"


def test_an_undo_waiting_for_a_bulk_decision_is_refused(hr_user):
    application = ApplicationFactory(stage="interview")
    application_decide(application=application, to_stage="rejected", by=hr_user, reason="skills")

    def undo():
        application_undo_rejection(application=loaded(application.pk), by=hr_user)

    _a, b, waited = race(
        lambda: applications_decide_ids(
            applications=Application.objects.filter(pk=application.pk), to_stage="offer", by=hr_user
        ),
        undo,
    )
    assert waited and isinstance(b.error, DecisionError)  # old code: the undo moved it back to "interview"
    assert stage(application) == "offer"
    assert history(application) == [("interview", "rejected"), ("rejected", "offer")]


def test_a_second_undo_waiting_for_the_first_is_refused(hr_user):
    application = ApplicationFactory(stage="reviewing")
    application_decide(application=application, to_stage="rejected", by=hr_user, reason="skills")

    def undo():
        application_undo_rejection(application=loaded(application.pk), by=hr_user)

    _a, b, waited = race(undo, undo)
    assert waited and isinstance(b.error, DecisionError)  # old code: a second "rejected" → "reviewing"
    assert stage(application) == "reviewing"
    assert history(application) == [("reviewing", "rejected"), ("rejected", "reviewing")]


# -- the HR pages: a decision on the stage the person saw ------------------------------------------------


def _hr_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_bulk_move_waiting_for_a_rejection_skips_the_rejected_application(hr_user):
    job = JobFactory()
    rejected, other = ApplicationFactory(job=job), ApplicationFactory(job=job)
    client = _hr_client(hr_user)

    def bulk():  # the list showed both as "applied"
        seen = {f"seen_{pk}": "applied" for pk in (rejected.pk, other.pk)}
        return client.post(
            reverse("hr:job_bulk", args=[job.slug]), {"action": "interview", "ids": [rejected.pk, other.pk], **seen}
        )

    _a, b, waited = race(
        lambda: application_decide(application=loaded(rejected.pk), to_stage="rejected", by=hr_user, reason="skills"),
        bulk,
    )
    assert waited and b.error is None and b.result.status_code == 302
    assert stage(rejected) == "rejected"  # old code: "interview", the rejection lost
    assert history(rejected) == [("applied", "rejected")]
    assert stage(other) == "interview" and history(other) == [("applied", "interview")]


def test_a_decision_waiting_for_a_bulk_move_is_refused_when_the_stage_it_saw_changed(hr_user):
    job = JobFactory()
    application, other = ApplicationFactory(job=job), ApplicationFactory(job=job)
    client = _hr_client(hr_user)

    def reject():  # the detail page showed "applied"
        return client.post(
            reverse("hr:application_decide", args=[application.pk]),
            {"to_stage": "rejected", "reason": "skills", "from_stage": "applied"},
        )

    _a, b, waited = race(
        lambda: applications_decide_ids(
            applications=Application.objects.filter(pk__in=[application.pk, other.pk]), to_stage="interview", by=hr_user
        ),
        reject,
    )
    assert waited and b.error is None and b.result.status_code == 302
    assert stage(application) == "interview"  # old code: "rejected", over a decision the person never saw
    assert history(application) == [("applied", "interview")]


# -- rejecting every "reject" recommendation --------------------------------------------------------------


@pytest.fixture
def job():
    checklist = ChecklistFactory()
    RequirementFactory(
        checklist=checklist, knockout=True, weight=3, condition={"kind": "education_at_least", "level": "senior_high"}
    )
    job = JobFactory(checklists=[checklist])
    for name, education in [("王强", "bachelor"), ("李娟", "junior_middle"), ("张伟", "none")]:
        ApplicationFactory(job=job, applicant=ApplicantFactory(name=name), profile={"education": education})
    services.applications_score(application_ids=list(Application.objects.values_list("pk", flat=True)))
    return job


def _confirmation(client, job) -> dict:
    """The confirmation page's form, as it posts it (confirmed, with a reason and the e-mail)."""
    html = client.get(reverse("hr:job_reject_recommended", args=[job.slug])).content.decode()
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return {**form, "confirm": "yes", "reason": "knockout", "notify": "yes"}


def _stage_of(name: str) -> str:
    return Application.objects.get(applicant__name=name).stage


def test_reject_all_recommended_leaves_applications_that_arrived_after_the_page(job, hr_user, mailoutbox):
    client = _hr_client(hr_user)
    form = _confirmation(client, job)  # 李娟 and 张伟
    late = ApplicationFactory(job=job, applicant=ApplicantFactory(name="晚到"), profile={"education": "none"})
    services.applications_score(application_ids=[late.pk])
    assert Evaluation.objects.get(application=late).recommendation == "reject"
    client.post(reverse("hr:job_bulk", args=[job.slug]), form)
    assert (_stage_of("李娟"), _stage_of("张伟"), _stage_of("王强")) == ("rejected", "rejected", "applied")
    assert _stage_of("晚到") == "applied"  # old code: rejected and e-mailed without anyone seeing it
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        Application.objects.filter(applicant__name__in=["李娟", "张伟"]).values_list("applicant__email", flat=True)
    )


def test_reject_all_recommended_leaves_scores_that_went_stale_or_were_dropped(job, hr_user, mailoutbox):
    client = _hr_client(hr_user)
    form = _confirmation(client, job)  # 李娟 and 张伟
    Checklist.objects.update(revision=F("revision") + 1)  # every score is now stale …
    client.post(reverse("hr:job_bulk", args=[job.slug]), form)
    assert (_stage_of("李娟"), _stage_of("张伟")) == ("applied", "applied")  # old code: both rejected
    page = client.get(reverse("hr:job_reject_recommended", args=[job.slug])).content.decode()
    assert 'id="reject-recommended"' not in page and "2 份建议淘汰的申请评分已过期" in page
    services.applications_score(application_ids=list(Application.objects.values_list("pk", flat=True)))
    form = _confirmation(client, job)  # … rescored, shown again; then 张伟 updates the application
    Evaluation.objects.filter(application__applicant__name="张伟").delete()
    client.post(reverse("hr:job_bulk", args=[job.slug]), form)
    assert (_stage_of("李娟"), _stage_of("张伟")) == ("rejected", "applied")
    assert [m.to[0] for m in mailoutbox] == [Application.objects.get(applicant__name="李娟").applicant.email]


def test_reject_all_recommended_waiting_for_a_decision_skips_the_application_it_moved(job, hr_user, mailoutbox):
    client = _hr_client(hr_user)
    form = _confirmation(client, job)
    li = Application.objects.get(applicant__name="李娟")

    _a, b, waited = race(
        lambda: application_decide(application=loaded(li.pk), to_stage="interview", by=hr_user),
        lambda: client.post(reverse("hr:job_bulk", args=[job.slug]), form),
    )
    assert waited and b.error is None
    assert _stage_of("李娟") == "interview"  # old code: "rejected" and e-mailed, over the other decision
    assert history(li) == [("applied", "interview")]
    assert _stage_of("张伟") == "rejected"
    assert [m.to[0] for m in mailoutbox] == [Application.objects.get(applicant__name="张伟").applicant.email]
