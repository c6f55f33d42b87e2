"""A candidate's update racing an HR decision: the decision stands (two real transactions on PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from screening import services
from screening.models import Application, StageChange
from tests.conftest import wait_for
from tests.factories import ApplicationFactory


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        return cur.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_hr_rejection_during_the_candidates_update_stands(hr_user, django_capture_on_commit_callbacks):
    application = ApplicationFactory(profile={"education": "senior_high"})
    seen_by_candidate = Application.objects.get(pk=application.pk)  # the form loaded it before HR decided
    hr_holds, release = threading.Event(), threading.Event()
    errors = []

    def hr_rejects():
        try:
            with transaction.atomic():
                row = Application.objects.select_for_update().get(pk=application.pk)
                StageChange.objects.create(
                    application=row, from_stage=row.stage, to_stage="rejected", by=hr_user, reason="skills"
                )
                Application.objects.filter(pk=row.pk).update(
                    stage="rejected", decided_by=hr_user, decided_at=timezone.now(), rejection_reason="skills"
                )
                hr_holds.set()
                release.wait(10)
        except Exception as exc:  # reported below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    def candidate_updates():
        try:
            draft = services.ApplicationDraft(
                name=application.applicant.name, email="", phone="", profile={"education": "bachelor"}, answers={}
            )
            services.application_submit(application=seen_by_candidate, job=application.job, draft=draft)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    hr = threading.Thread(target=hr_rejects)
    hr.start()
    assert hr_holds.wait(10)
    candidate = threading.Thread(target=candidate_updates)
    candidate.start()
    wait_for(_waiting_on_a_lock, timeout=10)  # the update is blocked behind HR's row lock
    release.set()
    hr.join(10)
    candidate.join(10)
    assert errors == []
    row = Application.objects.get(pk=application.pk)
    # the decision and its history agree; the candidate's own fields are updated
    assert (row.stage, row.decided_by_id, row.rejection_reason) == ("rejected", hr_user.pk, "skills")
    assert list(row.stage_changes.values_list("to_stage", flat=True)) == ["rejected"]
    assert row.profile == {"education": "bachelor"}


@pytest.mark.django_db
def test_an_update_after_withdrawing_reopens_it_in_the_history(django_capture_on_commit_callbacks):
    application = ApplicationFactory(stage="withdrawn")
    with django_capture_on_commit_callbacks(execute=False):
        draft = services.ApplicationDraft(name=application.applicant.name, email="", phone="", profile={}, answers={})
        services.application_submit(application=application, job=application.job, draft=draft)
    assert Application.objects.get(pk=application.pk).stage == "applied"
    assert list(application.stage_changes.values_list("from_stage", "to_stage", "by")) == [
        ("withdrawn", "applied", None)
    ]
