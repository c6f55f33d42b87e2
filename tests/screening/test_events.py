"""The domain tells what happened to applications through screening.events, after commit and only then; an
erasure carries ids only."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from screening import events, services
from screening.models import Application
from screening.services import decisions, retention
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    got = []

    def listen(sender, *, event_type, rows, **kwargs):
        got.extend((event_type, row) for row in rows)

    events.application_event.connect(listen, dispatch_uid="test-listener")
    yield got
    events.application_event.disconnect(dispatch_uid="test-listener")


def test_each_service_emits_its_event_after_commit(heard, django_capture_on_commit_callbacks, django_user_model):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    job = JobFactory(checklists=[checklist])
    hr = django_user_model.objects.create_user("decider", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        a = services.application_create(job=job, name="甲", email="", phone="13900000001",
                                         profile={"education": "bachelor"}, answers={}, source="web")  # fmt: skip
    assert heard == [(events.CREATED, {"application_id": a.pk, "job_id": job.pk, "source": "web"})]
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.applications_score(application_ids=[a.pk])
    assert heard == [(events.SCORED, {"application_id": a.pk, "job_id": job.pk, "score": 100.0,
                                      "max_possible": 100.0, "recommendation": "advance"})]  # fmt: skip
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decisions.application_decide(application=a, to_stage="interview", by=hr)
        decisions.applications_decide_ids(applications=[a], to_stage="rejected", by=hr, reason="skills")
        decisions.application_undo_rejection(application=a, by=hr)
        decisions.application_record_withdrawal(application=a)
    assert heard == [
        (events.STAGE_CHANGED, {"application_id": a.pk, "job_id": job.pk, "from": "applied", "to": "interview"}),
        (events.STAGE_CHANGED, {"application_id": a.pk, "from": "interview", "to": "rejected"}),
        (events.STAGE_CHANGED, {"application_id": a.pk, "job_id": job.pk, "from": "rejected", "to": "interview"}),
        (events.WITHDRAWN, {"application_id": a.pk, "job_id": job.pk, "from": "interview"}),
    ]


def test_a_rolled_back_change_tells_nobody(heard, django_capture_on_commit_callbacks):
    job = JobFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.application_create(job=job, name="乙", email="", phone="13900000002", profile={}, answers={},
                                        source="web")  # fmt: skip
            raise RuntimeError
    assert callbacks == [] and heard == []


def test_the_retention_purge_emits_erasures_with_ids_only(heard, django_capture_on_commit_callbacks, settings):
    old = ApplicationFactory(applicant__name="丙")
    Application.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        retention.purge_expired()
    assert heard == [(events.ERASED, {"application_id": old.pk, "job_id": old.job_id})]


def test_an_unknown_event_type_fails_at_once():
    with pytest.raises(KeyError):
        events.emit("application.typo", [{"application_id": 1}])


def test_a_failing_listener_never_fails_the_change(django_capture_on_commit_callbacks, caplog):
    def broken(sender, **kwargs):
        raise RuntimeError("listener down")

    events.application_event.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            application = services.application_create(job=JobFactory(), name="丁", email="", phone="13900000004",
                                                       profile={}, answers={}, source="web")  # fmt: skip
    finally:
        events.application_event.disconnect(dispatch_uid="test-broken")
    assert Application.objects.filter(pk=application.pk).exists()
    assert "application.created listener" in caplog.text and "listener down" in caplog.text
