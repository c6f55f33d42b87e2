"""Versioned checklists: a change bumps the revision and the affected applications are rescored."""

import json

import pytest
from django.urls import reverse

from screening import progress, selectors, services
from screening.models import Application, Checklist, Evaluation
from screening.tasks import sweep_unscored
from tests.conftest import wait_for
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

EDU = {"kind": "education_at_least", "level": "senior_high"}


def _scored_job(n=3, profile=None):
    checklist = ChecklistFactory()
    requirement = RequirementFactory(checklist=checklist, condition=EDU, code="edu")
    job = JobFactory(checklists=[checklist])
    apps = [ApplicationFactory(job=job, profile=profile or {"education": "senior_high"}) for _ in range(n)]
    services.applications_score(application_ids=[a.pk for a in apps])
    return checklist, requirement, job, apps


@pytest.fixture
def published():
    """(task name, args) of every message sent to the real broker during the test, seen through Celery's own
    before_task_publish signal."""
    from celery.signals import before_task_publish

    sent = []

    def record(sender=None, body=None, **kwargs):
        sent.append((sender, list(body[0])))

    before_task_publish.connect(record)
    yield sent
    before_task_publish.disconnect(record)


@pytest.mark.django_db
def test_editing_a_requirement_bumps_the_revision_and_marks_scores_stale(hr_client, django_capture_on_commit_callbacks):
    checklist, requirement, job, apps = _scored_job()
    before = Checklist.objects.get(pk=checklist.pk).revision
    with django_capture_on_commit_callbacks(execute=False):
        requirement.condition = {"kind": "education_at_least", "level": "bachelor"}
        requirement.save()
    assert Checklist.objects.get(pk=checklist.pk).revision == before + 1
    assert sorted(selectors.job_stale_application_ids(job=job)) == sorted(a.pk for a in apps)
    html = hr_client.get(reverse("hr:job_applications", args=[job.slug])).content.decode()
    assert html.count("待更新") == len(apps)


@pytest.mark.django_db
def test_one_admin_save_queues_one_rescore(django_capture_on_commit_callbacks, published):
    checklist, requirement, _job, _apps = _scored_job(n=1)
    with django_capture_on_commit_callbacks(execute=True):
        requirement.weight = 3
        requirement.save()
        RequirementFactory(checklist=checklist)
    assert published == [("screening.tasks.rescore_checklist", [checklist.pk, False])]


@pytest.mark.django_db
def test_changing_the_jobs_checklists_makes_its_scores_stale(django_capture_on_commit_callbacks):
    _checklist, _requirement, job, apps = _scored_job(n=2)
    with django_capture_on_commit_callbacks(execute=False):
        job.job_checklists.create(checklist=ChecklistFactory(), order=1)
    assert len(selectors.job_stale_application_ids(job=job)) == len(apps)


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_editing_a_requirement_in_admin_rescores_through_the_worker_and_hr_sees_the_new_score(
    celery_worker, client, django_user_model, hr_user
):
    checklist, requirement, job, apps = _scored_job(n=3, profile={"education": "senior_high"})
    assert Evaluation.objects.get(application=apps[0]).score == 100
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    form = {
        "slug": checklist.slug, "name": checklist.name, "description": "", "source": "",
        "requirements-TOTAL_FORMS": "1", "requirements-INITIAL_FORMS": "1",
        "requirements-MIN_NUM_FORMS": "0", "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-id": str(requirement.pk), "requirements-0-checklist": str(checklist.pk),
        "requirements-0-code": "edu", "requirements-0-title": "学历", "requirements-0-category": "basic",
        "requirements-0-description": "", "requirements-0-weight": "1", "requirements-0-order": "0",
        "requirements-0-condition": json.dumps({"kind": "education_at_least", "level": "bachelor"}),
        "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
        "chat_scenarios-TOTAL_FORMS": "0", "chat_scenarios-INITIAL_FORMS": "0",
        "chat_scenarios-MIN_NUM_FORMS": "0", "chat_scenarios-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = client.post(reverse("admin:screening_checklist_change", args=[checklist.pk]), form)
    assert response.status_code == 302
    wait_for(lambda: not selectors.job_stale_application_ids(job=job), timeout=20)
    assert {e.score for e in Evaluation.objects.filter(application__job=job)} == {0}
    client.force_login(hr_user)
    html = client.get(reverse("hr:job_applications", args=[job.slug])).content.decode()
    assert "待更新" not in html
    assert html.count('<td class="text-end score">0.0') == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_admin_action_rescores_on_demand_and_shows_progress(celery_worker, client, django_user_model):
    checklist, _requirement, job, apps = _scored_job(n=4)
    Evaluation.objects.filter(application__job=job).delete()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    response = client.post(
        reverse("admin:screening_checklist_changelist"), {"action": "rescore", "_selected_action": [checklist.pk]}
    )
    assert response.status_code == 302 and "rescore-progress" in response.url
    key = progress.checklist_key(checklist.pk)
    wait_for(lambda: progress.read(key) == (len(apps), len(apps)), timeout=20)
    assert Evaluation.objects.filter(application__job=job).count() == len(apps)
    page = client.get(response.url).content.decode()
    assert "100%" in page and "4 / 4" in page


@pytest.mark.django_db
def test_scoring_attempts_flag_manual_review_after_repeated_worker_loss(settings):
    settings.SCORING_MAX_ATTEMPTS = 2
    application = ApplicationFactory()
    # each delivery counts before scoring; a worker lost mid-task never resets the counter
    assert services.application_start_scoring_attempt(application_id=application.pk)
    assert services.application_start_scoring_attempt(application_id=application.pk)
    assert not services.application_start_scoring_attempt(application_id=application.pk)
    application.refresh_from_db()
    assert application.needs_manual_review and application.scoring_attempts == 3


@pytest.mark.django_db
def test_successful_scoring_resets_the_attempt_counter():
    application = ApplicationFactory(scoring_attempts=2)
    assert services.application_score(application_id=application.pk)
    assert Application.objects.get(pk=application.pk).scoring_attempts == 0


@pytest.mark.django_db
def test_sweep_requeues_only_old_unscored_applications(settings, published, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    settings.SCORING_SWEEP_AFTER = 60
    five_ago = timezone.now() - timedelta(minutes=5)
    lost = ApplicationFactory(submitted_at=five_ago, scoring_enqueued_at=five_ago)
    ApplicationFactory(submitted_at=five_ago, scoring_enqueued_at=timezone.now())  # re-queued just now: waiting
    ApplicationFactory()  # just submitted: its own task is still on the way
    ApplicationFactory(submitted_at=five_ago, needs_manual_review=True)  # left to a person
    scored = ApplicationFactory(submitted_at=five_ago)
    services.applications_score(application_ids=[scored.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_unscored() == 1
    assert published == [("screening.tasks.score_application", [lost.pk])]
    assert sweep_unscored() == 0  # queued again just now: not piled up a second time


def test_worker_refuses_time_limit_not_below_visibility_timeout():
    from config.celery_app import _check_time_limits, app

    original = app.conf.task_time_limit
    app.conf.task_time_limit = app.conf.broker_transport_options["visibility_timeout"]
    try:
        with pytest.raises(RuntimeError, match="visibility timeout"):
            _check_time_limits()
    finally:
        app.conf.task_time_limit = original


@pytest.mark.django_db
def test_saving_a_checklist_never_writes_back_a_stale_revision(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        checklist = ChecklistFactory()
        loaded = Checklist.objects.get(pk=checklist.pk)  # an admin opened the form
        RequirementFactory(checklist=checklist)  # meanwhile an item changed: bump
        bumped = Checklist.objects.get(pk=checklist.pk).revision
        loaded.name = "改名"
        loaded.save()  # saving the old form must keep the bump and add its own
    assert Checklist.objects.get(pk=checklist.pk).revision == bumped + 1


@pytest.mark.django_db
def test_progress_of_an_earlier_run_never_moves_the_latest():
    first = progress.start("checklist:99", 10)
    latest = progress.start("checklist:99", 4)
    progress.advance(first, 10)  # the earlier run's chunks still finishing
    assert progress.read("checklist:99") == (0, 4)
    progress.advance(latest, 4)
    assert progress.read("checklist:99") == (4, 4)


@pytest.mark.django_db
def test_a_new_threshold_rescores_the_job_however_it_is_changed(django_capture_on_commit_callbacks):
    job = JobFactory()
    with django_capture_on_commit_callbacks() as unchanged:
        job.title = "改个标题"
        job.save()
    with django_capture_on_commit_callbacks() as changed:
        job.advance_threshold = 75
        job.save()  # not through admin: a fixture update or the shell
    assert (len(unchanged), len(changed)) == (0, 1)
