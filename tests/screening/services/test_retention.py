"""Retention: after the retention period nothing personal remains (rows, files, logs); the audit log shows it."""

import logging
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from screening.models import (
    Applicant,
    Application,
    AuditEvent,
    Consent,
    Evaluation,
    Note,
    StageChange,
)
from screening.services import applications_score
from screening.services.retention import purge_expired
from screening.tasks import purge_expired_applications
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db(transaction=True)  # file deletions run on commit

Stage = Application.Stage


def _age(application, days):
    """Move an application's last change `days` into the past (update(): auto_now would undo it)."""
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def job():
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "declared", "declaration": "no_criminal_record"})
    return JobFactory(checklists=[checklist])


def _application(job, hr_user, *, name, stage, days, resume=True, applicant=None):
    applicant = applicant or ApplicantFactory(name=name, email=f"{name}@example.com")
    application = ApplicationFactory(
        job=job,
        applicant=applicant,
        stage=stage,
        profile={"declarations": {"no_criminal_record": True}, "education": "bachelor"},
        decided_by=hr_user if stage in (Stage.REJECTED, Stage.HIRED) else None,
        decided_at=timezone.now() - timedelta(days=days) if stage in (Stage.REJECTED, Stage.HIRED) else None,
        rejection_reason="skills" if stage == Stage.REJECTED else "",
    )
    if resume:
        application.resume.save("cv.pdf", ContentFile(b"%PDF-1.4 " + name.encode()), save=True)
    Consent.objects.create(application=application, category="privacy", notice_version="v1")
    Note.objects.create(application=application, author=hr_user, text=f"{name} 面试表现")
    StageChange.objects.create(application=application, from_stage=Stage.APPLIED, to_stage=stage, by=hr_user)
    applications_score(application_ids=[application.pk])
    _age(application, days)
    return application


def test_purge_leaves_nothing_personal_of_expired_applications_and_keeps_the_rest(job, hr_user, settings, caplog):
    settings.RETENTION_DAYS, settings.RETENTION_UNDECIDED_DAYS = 180, 365
    expired = [
        _application(job, hr_user, name="过期未通过", stage=Stage.REJECTED, days=181),
        _application(job, hr_user, name="过期已入职", stage=Stage.HIRED, days=200),
        _application(job, hr_user, name="过期已撤回", stage=Stage.WITHDRAWN, days=181),
        _application(job, hr_user, name="一年未处理", stage=Stage.INTERVIEW, days=366),
    ]
    kept = [
        _application(job, hr_user, name="新近未通过", stage=Stage.REJECTED, days=179),
        _application(job, hr_user, name="仍在面试", stage=Stage.INTERVIEW, days=200),
    ]
    # a person with an expired and a current application: the expired one goes, the person stays
    both = ApplicantFactory(name="两份申请", email="both@example.com")
    other_job = JobFactory(checklists=list(job.checklists.all()))
    expired.append(_application(job, hr_user, name="x", stage=Stage.REJECTED, days=190, applicant=both))
    kept.append(_application(other_job, hr_user, name="y", stage=Stage.APPLIED, days=1, applicant=both))
    expired_files = [a.resume.name for a in expired]
    kept_files = [a.resume.name for a in kept]
    assert all(default_storage.exists(name) for name in expired_files + kept_files)
    expired_ids = [a.pk for a in expired]

    with caplog.at_level(logging.DEBUG):
        report = purge_expired()

    assert (report.applications, report.applicants, report.files) == (5, 4, 5)
    # database rows: the applications and everything hanging off them, and the people with nothing left
    assert not Application.objects.filter(pk__in=expired_ids).exists()
    for model in (Evaluation, Consent, Note, StageChange):
        assert not model.objects.filter(application_id__in=expired_ids).exists(), model.__name__
    assert set(Applicant.objects.values_list("name", flat=True)) == {"新近未通过", "仍在面试", "两份申请"}
    assert Application.objects.count() == 3
    # files, after commit
    assert not any(default_storage.exists(name) for name in expired_files)
    assert all(default_storage.exists(name) for name in kept_files)
    # the log says how many, never who
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "retention purge: 5 applications" in logged
    for a in expired:
        assert a.applicant.name not in logged and a.applicant.email not in logged
    # the audit log shows the purge, by the system, with counts only
    event = AuditEvent.objects.get(action=AuditEvent.Action.PURGE)
    assert event.actor is None
    assert event.detail == {
        "applications": 5,
        "applicants": 4,
        "files": 5,
        "retention_days": 180,
        "undecided_days": 365,
    }
    # a second run finds nothing and writes no audit line
    assert purge_expired().applications == 0
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PURGE).count() == 1


def test_the_retention_period_is_configurable(job, hr_user, settings):
    application = _application(job, hr_user, name="三十一天", stage=Stage.REJECTED, days=31, resume=False)
    settings.RETENTION_DAYS = 60
    assert purge_expired().applications == 0
    settings.RETENTION_DAYS = 30
    assert purge_expired().applications == 1
    assert not Application.objects.filter(pk=application.pk).exists()


def test_the_periodic_task_purges_and_is_scheduled(job, hr_user, settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert any(e["task"] == "screening.tasks.purge_expired_applications" for e in schedule.values())
    _application(job, hr_user, name="到期", stage=Stage.WITHDRAWN, days=400, resume=False)
    assert purge_expired_applications() == 1
    assert not Applicant.objects.filter(name="到期").exists()


def test_any_deletion_of_an_application_removes_its_resume_file(job, hr_user):
    """Admin deletes and cascades too, not only the candidate's own deletion and the purge."""
    application = _application(job, hr_user, name="管理员删除", stage=Stage.APPLIED, days=0)
    name = application.resume.name
    application.applicant.delete()  # cascades to the application
    assert not default_storage.exists(name)


def test_a_new_status_link_does_not_postpone_the_erasure(job, hr_user):
    """Someone re-applying with the person's e-mail sends the owner a new link; the clock keeps running."""
    from screening.services import application_send_existing_link

    application = _application(job, hr_user, name="老申请", stage=Stage.REJECTED, days=200, resume=False)
    application.refresh_from_db()
    application_send_existing_link(application=application, language="zh-hans")
    assert purge_expired().applications == 1


def test_a_withdrawal_starts_the_clock_and_large_purges_log_every_batch(job, hr_user, settings):
    from screening.services.decisions import application_record_withdrawal

    settings.RETENTION_DAYS = 30
    fresh = _application(job, hr_user, name="刚撤回", stage=Stage.INTERVIEW, days=400, resume=False)
    application_record_withdrawal(application=fresh)  # a long-open application, withdrawn today
    for i in range(5):
        _application(job, hr_user, name=f"旧撤回{i}", stage=Stage.WITHDRAWN, days=40, resume=False)
    report = purge_expired(batch_size=2)
    assert report.applications == 5 and Application.objects.filter(pk=fresh.pk).exists()
    events = AuditEvent.objects.filter(action=AuditEvent.Action.PURGE)
    assert sorted(e.detail["applications"] for e in events) == [1, 2, 2]  # one line per batch


def test_expired_status_links_are_removed_and_valid_ones_kept():
    from screening.models import StatusLink
    from screening.services import application_by_status_token, application_issue_status_token

    application = ApplicationFactory()
    old, current = (application_issue_status_token(application=application) for _ in range(2))
    StatusLink.objects.filter(pk=StatusLink.objects.order_by("pk").first().pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    purge_expired()
    assert StatusLink.objects.count() == 1
    assert application_by_status_token(old) is None and application_by_status_token(current) == application
