"""The engine recommends; people decide, and every decision records who, when and why."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from screening.models import Application, StageChange
from screening.services.decisions import (
    DecisionError,
    application_decide,
    application_undo_rejection,
    applications_decide_ids,
)
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_no_code_path_can_set_a_rejected_stage_without_a_deciding_person():
    application = ApplicationFactory()
    # the ORM's bulk update, a save() and raw SQL all hit the same database constraint
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(stage="rejected")
    with pytest.raises(IntegrityError), transaction.atomic():
        application.stage = "rejected"
        application.save()
    from django.db import connection

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE screening_application SET stage = 'rejected' WHERE id = %s", [application.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        StageChange.objects.create(application=application, from_stage="applied", to_stage="rejected")
    assert Application.objects.get(pk=application.pk).stage == "applied"


def test_the_decision_services_refuse_without_a_person_or_a_reason(hr_user):
    from django.contrib.auth.models import AnonymousUser

    application = ApplicationFactory()
    with pytest.raises(DecisionError):
        application_decide(application=application, to_stage="rejected", by=None, reason="skills")
    with pytest.raises(DecisionError):
        application_decide(application=application, to_stage="rejected", by=AnonymousUser(), reason="skills")
    with pytest.raises(DecisionError):
        application_decide(application=application, to_stage="rejected", by=hr_user, reason="")
    assert Application.objects.get(pk=application.pk).stage == "applied"


def test_rejection_records_who_when_why_and_can_be_undone(hr_user):
    application = ApplicationFactory(stage="interview")
    application_decide(application=application, to_stage="rejected", by=hr_user, reason="experience", note="只做过一年")
    application.refresh_from_db()
    assert (application.stage, application.decided_by, application.rejection_reason) == (
        "rejected",
        hr_user,
        "experience",
    )
    change = application.stage_changes.first()
    assert (change.from_stage, change.to_stage, change.by, change.note) == (
        "interview",
        "rejected",
        hr_user,
        "只做过一年",
    )
    application_undo_rejection(application=application, by=hr_user)
    application.refresh_from_db()
    assert application.stage == "interview" and application.rejection_reason == ""
    assert [c.to_stage for c in application.stage_changes.all()] == ["interview", "rejected"]


def test_hr_rejects_with_a_reason_and_undoes_in_the_page(hr_client, hr_user):
    application = ApplicationFactory()
    url = reverse("hr:application_decide", args=[application.pk])
    refused = hr_client.post(url, {"to_stage": "rejected"})
    assert refused.status_code == 302 and Application.objects.get(pk=application.pk).stage == "applied"
    hr_client.post(url, {"to_stage": "rejected", "reason": "skills", "note": "打字太慢"})
    assert Application.objects.get(pk=application.pk).stage == "rejected"
    detail = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    assert "能力与岗位不匹配" in detail and "打字太慢" in detail and hr_user.username in detail
    hr_client.post(reverse("hr:application_undo_rejection", args=[application.pk]))
    assert Application.objects.get(pk=application.pk).stage == "applied"


def test_bulk_decisions_are_one_person_action(hr_user):
    apps = [ApplicationFactory() for _ in range(3)]
    withdrawn = ApplicationFactory(stage="withdrawn")
    moved = applications_decide_ids(applications=[*apps, withdrawn], to_stage="interview", by=hr_user)
    assert moved == sorted(a.pk for a in apps)  # the withdrawn one is skipped
    assert set(Application.objects.filter(stage="interview").values_list("decided_by", flat=True)) == {hr_user.pk}
    history = StageChange.objects.values_list("application_id", "from_stage", "to_stage", "by")
    assert sorted(history) == [(a.pk, "applied", "interview", hr_user.pk) for a in sorted(apps, key=lambda a: a.pk)]
    assert Application.objects.get(pk=withdrawn.pk).stage == "withdrawn"
