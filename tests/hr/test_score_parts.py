"""HR sees how much of a score is measured, claimed or self-rated, and a self-rating counted for less."""

import re

import pytest
from django.urls import reverse

from screening.services import applications_score
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def test_the_detail_page_splits_the_score_by_evidence_kind(hr_client):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, weight=3, condition={"kind": "typing_at_least", "cpm": 50})
    RequirementFactory(checklist=checklist, weight=1, condition={"kind": "education_at_least", "level": "senior_high"})
    RequirementFactory(
        checklist=checklist, weight=4, condition={"kind": "trait_at_least", "trait": "patience", "rating": 4}
    )
    job = JobFactory(checklists=[checklist])
    profile = {"typing": {"cpm": 60, "accuracy": 0.99, "measured": True}, "education": "bachelor",
               "traits": {"patience": 5}}  # fmt: skip
    application = ApplicationFactory(job=job, profile=profile)
    applications_score(application_ids=[application.pk])
    page = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    # worked out here: the self-rating is capped at 15 % of the weight, so 3 + 1 measured and claimed are 85 %:
    # self-rated weight = 0.15 * 4 / 0.85; all three met, so points are the weight shares of 100
    self_rated = 0.15 * 4 / 0.85
    total = 3 + 1 + self_rated
    expected = {"measured": 100 * 3 / total, "claimed": 100 * 1 / total, "self_rated": 100 * self_rated / total}
    shown = dict(re.findall(r'data-kind="(\w+)">[^<]*? ([\d.]+)</span>', page))
    assert set(shown) == set(expected)
    for kind, points in expected.items():
        assert abs(float(shown[kind]) - points) <= 0.1, (kind, shown[kind], points)
    assert "（按 0.7 计）" in page  # 4 configured, 0.15 * 4 / 0.85 = 0.71 counted
