"""fixtures/onboarding_plans.json → onboarding plans (read by the seed loader, screening/seed.py)."""

import json
from pathlib import Path

from django.db import transaction

from .models import AssessmentPoint, OnboardingPlan, Owner, PlanItem


def onboarding_plans_load(*, directory: Path, update: bool) -> int:
    """Plans written (existing ones kept unless `update`); a missing file is no plans."""
    path = directory / "onboarding_plans.json"
    if not path.exists():
        return 0
    written = 0
    for data in json.loads(path.read_text(encoding="utf-8")):
        plan = OnboardingPlan.objects.filter(slug=data["slug"]).first()
        if plan is not None and not update:
            continue
        with transaction.atomic():
            plan, _created = OnboardingPlan.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"], "description": data.get("description", ""),
                    "source": data.get("source", ""), "is_default": data.get("is_default", False),
                },
            )  # fmt: skip
            plan.items.all().delete()
            PlanItem.objects.bulk_create(
                PlanItem(plan=plan, title=item["title"], description=item.get("description", ""),
                         owner=Owner(item.get("owner", Owner.HR)), day_offset=item.get("day", 0), order=i)
                for i, item in enumerate(data.get("items", []))
            )  # fmt: skip
            plan.assessment_points.all().delete()
            AssessmentPoint.objects.bulk_create(
                AssessmentPoint(plan=plan, code=point["code"], title=point["title"], day_offset=point["day"],
                                description=point.get("description", ""),
                                unlocks_permissions=point.get("unlocks_permissions", False))
                for point in data.get("assessments", [])
            )  # fmt: skip
        written += 1
    return written
