"""What the talent-pool and referral tests share: a rejected application with a full profile, HR's offer."""

from datetime import timedelta

from django.utils import timezone

from screening.models import Application
from screening.services import application_issue_status_token
from screening.services.pool import pool_offer
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

PROFILE = {
    "applied_on": "2026-10-01",
    "education": "bachelor",
    "major": "市场营销",
    "work_history": [{"field": "customer_service", "start": "2021-03", "end": None}],
    "certificates": [{"level": "representative", "obtained_on": "2022-05-01"}],
    "declarations": {"good_health": True, "no_criminal_record": True, "accepts_shifts": True},
    "typing": {"cpm": 88, "accuracy": 0.97, "measured": True},
    "platforms": ["taobao", "jd"],
}
CONDITIONS = [
    {"kind": "education_at_least", "level": "senior_high"},
    {"kind": "declared", "declaration": "good_health"},
    {"kind": "declared", "declaration": "no_criminal_record"},
    {"kind": "declared", "declaration": "accepts_shifts"},
    {"kind": "typing_at_least", "cpm": 40},
    {"kind": "experience_at_least", "field": "customer_service", "years": 1},
    {"kind": "certificate_at_least", "level": "representative"},
    {"kind": "platforms_any", "platforms": ["taobao"]},
    {"kind": "major_matches", "keywords": ["营销"]},
]


def job_asking_everything(**kwargs):
    checklist = ChecklistFactory()
    for condition in CONDITIONS:
        RequirementFactory(checklist=checklist, condition=condition)
    return JobFactory(checklists=[checklist], **kwargs)


def rejected(hr_user, *, job=None, offered=True, applicant=None, days_ago=1):
    application = ApplicationFactory(
        job=job or JobFactory(),
        applicant=applicant or ApplicantFactory(name="王芳", email="wangfang@example.com", phone="13900000001"),
        stage=Application.Stage.REJECTED,
        decided_by=hr_user,
        decided_at=timezone.now() - timedelta(days=days_ago),
        rejection_reason="position_filled",
        profile=dict(PROFILE),
    )
    if offered:
        pool_offer(application_ids=[application.pk], by=hr_user)
    return application


def status_token(application) -> str:
    return application_issue_status_token(application=application)
