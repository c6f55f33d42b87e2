"""The what-if preview shows the adverse impact of the proposed checklist next to the current one (issue 16 item 4):
raising education from senior high to bachelor, where older applicants mostly hold senior high, is flagged by age
in the proposal and not now."""

import json
import random
from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse

from screening import services
from screening.models import Application, Requirement, VoluntarySelfId
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

from .test_whatif import BACHELOR, EDU, _form

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


@pytest.fixture
def checklist():
    rng = random.Random(4)
    checklist = ChecklistFactory(slug="basic")
    RequirementFactory(checklist=checklist, code="edu", title="学历", condition=EDU, knockout=True, weight=2)
    RequirementFactory(checklist=checklist, code="office", title="办公软件", order=1,
                       condition={"kind": "skill_has", "skill": "office_software"})  # fmt: skip
    job = JobFactory(title="售前客服", checklists=[checklist])
    today = date.today()
    for i in range(160):
        older = i % 2 == 0  # 80 aged 45–55, 80 aged 22–30
        age = rng.randint(45, 55) if older else rng.randint(22, 30)
        # everyone holds senior high or more; a bachelor's degree: 20 % of the older, 90 % of the younger
        bachelor = rng.random() < (0.2 if older else 0.9)
        application = ApplicationFactory(job=job, profile={
            "date_of_birth": date(today.year - age - 1, 12, 31).isoformat(),
            "education": "bachelor" if bachelor else "senior_high", "skills": ["office_software"],
        })  # fmt: skip
        VoluntarySelfId.objects.create(application=application, sex=("female", "male")[i % 4 // 2], notice_version="t")
    services.applications_score(application_ids=list(Application.objects.values_list("pk", flat=True)))
    return checklist


def test_the_proposal_is_flagged_by_age_where_the_current_checklist_is_not(admin_client, checklist):
    requirements = list(Requirement.objects.filter(checklist=checklist).order_by("order"))
    form = _form(checklist, requirements, edu={"condition": json.dumps(BACHELOR)})
    url = reverse("admin:screening_checklist_preview", args=[checklist.pk])
    response = admin_client.post(url, {**form, "_preview": "1"}, follow=True)
    assert response.status_code == 200
    [job] = response.context["jobs"]
    rows = {row["title"]: row["cells"] for row in job["impact"]}
    # cells: age now, age proposed, sex now, sex proposed
    age_now, age_then, sex_now, sex_then = rows["学历"]
    assert age_now["ratio"] == "1.00" and not age_now["flagged"]  # everyone holds senior high
    assert age_then["flagged"] and float(age_then["ratio"]) < 0.8 and age_then["group"] == "45 岁及以上"
    assert not sex_now["flagged"] and not sex_then["flagged"]  # sex plays no part here
    assert rows["建议进入下一轮"][1]["flagged"]  # a knockout: the recommendation follows
    assert not any(cell and cell["flagged"] for cell in rows["办公软件"])
    html = response.content.decode()
    assert "不利影响：按年龄段和性别的最低影响比" in html and "data-flag" in html
    assert "female" not in html  # groups by label only, and nobody named by their answer


def test_the_cached_result_holds_groups_only(checklist):
    from django.core.cache import cache

    from screening.services import preview

    requirements = [r.as_rule() for r in Requirement.objects.filter(checklist=checklist).select_related("checklist")]
    job_id = checklist.jobs.get().pk
    proposed = [replace(r, condition=BACHELOR) if r.code == "edu" else r for r in requirements]
    preview_id = preview.preview_start(checklist_id=checklist.pk, user_id=1, proposed={job_id: proposed})
    result = cache.get(f"whatif:{preview_id}:result")
    impact = json.dumps(result["jobs"][0]["impact"])
    ids = set(Application.objects.values_list("pk", flat=True))
    assert '"group": "45_plus"' in impact
    assert not any(f'"application": {pk}' in impact for pk in ids)
