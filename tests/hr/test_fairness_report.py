"""HR's adverse-impact page (issue 16 item 4) on a synthetic population with a planted age effect: applicants of 45
and over fail the education requirement far more often than the others; nothing else depends on age or sex. The
page must flag exactly that requirement, and its figures must be those computed here by hand from the same rows."""

import random
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from screening.models import Application, VoluntarySelfId
from screening.services import applications_score
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUBMITTED = date(2026, 3, 10)
BANDS = {"under_25": (19, 24), "25_34": (25, 34), "35_44": (35, 44), "45_plus": (45, 58)}


def _birth(age: int, rng: random.Random) -> date:
    """A date of birth that makes the person `age` on SUBMITTED."""
    return date(SUBMITTED.year - age - 1, 1, 1).replace(month=rng.randint(4, 12), day=rng.randint(1, 28))


@pytest.fixture
def population(hr_user):
    return build_population(hr_user)


def build_population(hr_user):
    """200 scored applications to one job, 50 per age band, some decided by HR, most with a self-identification;
    the education requirement fails 45 and over far more often (also used by the browser test's screenshots)."""
    rng = random.Random(16)
    checklist = ChecklistFactory(slug="cs")
    RequirementFactory(checklist=checklist, code="education", title="学历：高中及以上", weight=3, knockout=True,
                       condition={"kind": "education_at_least", "level": "senior_high"})  # fmt: skip
    RequirementFactory(checklist=checklist, code="typing", title="打字 40 字/分钟", weight=2,
                       condition={"kind": "typing_at_least", "cpm": 40})  # fmt: skip
    RequirementFactory(checklist=checklist, code="office", title="会用办公软件", weight=1,
                       condition={"kind": "skill_has", "skill": "office_software"})  # fmt: skip
    job = JobFactory(checklists=[checklist], advance_threshold=60)
    submitted = datetime.combine(SUBMITTED, time(12), tzinfo=SHANGHAI)
    for i in range(200):
        band = list(BANDS)[i % 4]
        age = rng.randint(*BANDS[band])
        # the planted effect: 45 and over hold senior high school far less often
        schooled = rng.random() < (0.5 if band == "45_plus" else 0.96)
        profile = {
            "education": rng.choice(["senior_high", "junior_college", "bachelor"]) if schooled else "junior_middle",
            "typing": {"cpm": 60 if rng.random() < 0.96 else 30, "accuracy": 0.98, "measured": True},
            "skills": ["office_software"] if rng.random() < 0.96 else [],
            # "applied_on" is not when they applied here: the report takes the age on the day of submission
            "applied_on": "2019-01-01",
        }
        if i % 5 == 0:
            profile["age"] = age  # a job board's list gives an age, not a date of birth
        else:
            profile["date_of_birth"] = _birth(age, rng).isoformat()
        if i % 50 == 7:
            del profile["education"]  # unknown: not counted for that requirement
        ApplicationFactory(job=job, applicant=ApplicantFactory(), profile=profile, submitted_at=submitted)
    applications_score(application_ids=list(Application.objects.values_list("pk", flat=True)))
    for a in Application.objects.select_related("evaluation").order_by("pk"):
        sex = rng.choices(["female", "male", "prefer_not", None], weights=[45, 40, 8, 7])[0]
        if a.pk % 67 == 0:
            sex = "other"  # two or three people: too few to show
        if sex:
            VoluntarySelfId.objects.create(application=a, sex=sex, notice_version="test")
        roll = rng.random()
        if roll < 0.25:
            continue  # not decided yet
        if roll < 0.3:
            Application.objects.filter(pk=a.pk).update(stage="withdrawn")
        elif a.evaluation.recommendation == "advance" and roll < 0.9:
            Application.objects.filter(pk=a.pk).update(stage=rng.choice(["reviewing", "interview", "offer"]))
        else:
            Application.objects.filter(pk=a.pk).update(stage="rejected", decided_by=hr_user, rejection_reason="skills")
    return job


def _age(profile: dict) -> int:
    if "age" in profile:
        return profile["age"]
    born = date.fromisoformat(profile["date_of_birth"])
    return SUBMITTED.year - born.year - ((SUBMITTED.month, SUBMITTED.day) < (born.month, born.day))


def _band(age: int) -> str:
    return "under_25" if age < 25 else "25_34" if age < 35 else "35_44" if age < 45 else "45_plus"


def _by_hand(counted: list[tuple[str, bool]]) -> dict[str, tuple[int, int, str, str]]:
    """{band: (n, selected, rate as shown, ratio as shown)}; every band here has at least 30 people."""
    n = {b: sum(1 for band, _ok in counted if band == b) for b in BANDS}
    chosen = {b: sum(1 for band, ok in counted if band == b and ok) for b in BANDS}
    assert min(n.values()) >= 30
    best = max(chosen[b] / n[b] for b in BANDS)
    return {b: (n[b], chosen[b], f"{100 * chosen[b] / n[b]:.1f}%", f"{chosen[b] / n[b] / best:.2f}") for b in BANDS}


def test_the_report_flags_exactly_the_requirement_with_the_planted_age_effect(hr_client, population):
    response = hr_client.get(reverse("hr:job_fairness", args=[population.slug]))
    assert response.status_code == 200
    assert response.context["flagged_requirements"] == ["学历：高中及以上"]
    html = response.content.decode()
    flagged_rows = re.findall(r'<tr data-requirement="([^"]+)" class="table-warning">', html)
    assert flagged_rows == ["cs/education"]  # in the age table; the sex table flags nothing

    applications = list(Application.objects.select_related("evaluation"))
    assert len(applications) == 200
    education = [
        (_band(_age(a.profile)), status == "met")
        for a in applications
        for status in [next(r["status"] for r in a.evaluation.results if r["code"] == "education")]
        if status != "unknown"
    ]
    expected = _by_hand(education)
    assert float(expected["45_plus"][3]) < 0.8  # the planted effect is there to find
    age_table = response.context["requirement_tables"][0]
    assert age_table["dimension"] == "age"
    [row] = [r for r in age_table["rows"] if r["key"] == "cs/education"]
    shown = {cell["code"]: (cell["n"], cell["selected"], cell["rate"], cell["ratio"]) for cell in row["cells"]}
    assert shown == expected
    assert [c["code"] for c in row["cells"] if c["flagged"]] == ["45_plus"]
    for other in (r for r in age_table["rows"] if r["key"] != "cs/education"):
        assert not other["flagged"]

    # the system's advance recommendation, among scored applications
    recommended = _by_hand([(_band(_age(a.profile)), a.evaluation.recommendation == "advance") for a in applications])
    [age] = [c for c in response.context["selections"][0]["comparisons"] if c["dimension"] == "age"]
    assert {g["code"]: (g["n"], g["selected"], g["rate"], g["ratio"]) for g in age["groups"]} == recommended
    # HR's decisions: past "applied", not rejected, among those neither still applied nor withdrawn
    decided = [a for a in applications if a.stage not in ("applied", "withdrawn")]
    by_hr = _by_hand([(_band(_age(a.profile)), a.stage != "rejected") for a in decided])
    [age] = [c for c in response.context["selections"][1]["comparisons"] if c["dimension"] == "age"]
    assert {g["code"]: (g["n"], g["selected"], g["rate"], g["ratio"]) for g in age["groups"]} == by_hr


def test_sex_is_compared_only_from_answers_given_and_only_in_groups_large_enough(hr_client, population):
    response = hr_client.get(reverse("hr:job_fairness", args=[population.slug]))
    [sex] = [c for c in response.context["selections"][0]["comparisons"] if c["dimension"] == "sex"]
    answers = dict(VoluntarySelfId.objects.values_list("application_id", "sex"))
    assert 0 < sum(1 for s in answers.values() if s == "other") < 5
    assert [g["code"] for g in sex["groups"]] == ["female", "male"]  # "other": too few people to show
    counted = {s: sum(1 for v in answers.values() if v == s) for s in ("female", "male")}
    assert {g["code"]: g["n"] for g in sex["groups"]} == counted
    assert sex["not_compared"] == 200 - counted["female"] - counted["male"]
    html = response.content.decode()
    assert "样本少" in html and "五分之四规则" in html


def test_only_people_who_may_see_the_job_see_its_report(client, django_user_model, population):
    from screening.roles import ensure_roles

    outsider = django_user_model.objects.create_user("outsider", password="pw", is_staff=True)
    outsider.groups.add(ensure_roles())
    population.hiring_team.add(django_user_model.objects.create_user("team", password="pw", is_staff=True))
    client.force_login(outsider)
    assert client.get(reverse("hr:job_fairness", args=[population.slug])).status_code == 404
