"""The ranked list and one application, as HR sees them, in the caller's language, without sensitive answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from screening import selectors, services
from screening.models import Application
from tests.api.conftest import bearer
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db

EDUCATIONS = ["bachelor", "junior_college", "senior_high", "junior_middle", None]


@pytest.fixture
def scored_job(make_client):
    checklist = ChecklistFactory(slug="basics")
    RequirementFactory(checklist=checklist, code="edu", title="学历", weight=3,
                       condition={"kind": "education_at_least", "level": "junior_college"})  # fmt: skip
    RequirementFactory(checklist=checklist, code="health", title="身体健康", weight=1,
                       condition={"kind": "declared", "declaration": "good_health"})  # fmt: skip
    job = JobFactory(slug="scored", checklists=[checklist])
    ids = []
    for i in range(23):
        education = EDUCATIONS[i % len(EDUCATIONS)]
        profile = {"declarations": {"good_health": True, "accepts_shifts": True}}
        if education:
            profile["education"] = education
        ids.append(ApplicationFactory(job=job, profile=profile, applicant__name=f"人{i:02d}").pk)
    services.applications_score(application_ids=ids[:20])  # three left unscored: they rank last
    _client, token = make_client(jobs=[job])
    return job, token


def _walk(client, token, query="", size=5):
    url, seen, pages = f"/api/v1/jobs/scored/applications/?page_size={size}&{query}", [], 0
    while True:
        body = client.get(url, **bearer(token)).json()
        seen += [r["id"] for r in body["results"]]
        pages += 1
        if body["next"] is None:
            return seen, pages
        url = f"/api/v1/jobs/scored/applications/?page_size={size}&{query}&cursor={body['next']}"


def test_cursor_pages_walk_the_hr_ranking_once(client, scored_job):
    job, token = scored_job
    seen, pages = _walk(client, token)
    assert seen == list(selectors.job_ranked_applications(job=job).values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 23 and pages == 5
    first = client.get("/api/v1/jobs/scored/applications/?page_size=3", **bearer(token)).json()["results"]
    assert [r["score"] for r in first] == [100.0, 100.0, 100.0]
    assert first[0]["recommendation"] == "advance" and first[0]["stale"] is False


def test_the_hr_filters_apply(client, scored_job):
    _job, token = scored_job
    seen, _pages = _walk(client, token, "education=bachelor")
    assert seen == sorted(seen) and len(seen) == 5
    assert set(Application.objects.filter(pk__in=seen).values_list("profile__education", flat=True)) == {"bachelor"}
    low, _ = _walk(client, token, "score_max=50")
    scores = Application.objects.filter(pk__in=low).values_list("evaluation__score", flat=True)
    assert {float(s) for s in scores} == {25.0} and len(low) == 12  # senior high, junior middle, unknown: 4 each
    named, _ = _walk(client, token, "q=人07")
    assert Application.objects.get(pk=named[0]).applicant.name == "人07" and len(named) == 1


def test_a_page_costs_the_same_few_queries_however_many_rows(client, scored_job):
    _job, token = scored_job
    client.get("/api/v1/jobs/scored/applications/?page_size=2", **bearer(token))  # last_used_at written once
    counts = []
    for size in (2, 20):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/jobs/scored/applications/?page_size={size}", **bearer(token)).status_code == 200
        counts.append([q["sql"][:60] for q in queries])
    # the client, its user's permissions (user and group), the job, the page, the current revisions, the access log
    assert len(counts[0]) == len(counts[1]) == 7, counts


def test_detail_renders_evidence_in_the_callers_language_and_leaves_out_health(client, scored_job):
    job, token = scored_job
    pk = selectors.job_ranked_applications(job=job).values_list("pk", flat=True)[0]
    english = client.get(f"/api/v1/applications/{pk}/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8", **bearer(token))
    chinese = client.get(f"/api/v1/applications/{pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN", **bearer(token))
    assert english.headers["Content-Language"] == "en"
    requirements = english.json()["evaluation"]["requirements"]
    assert [r["code"] for r in requirements] == ["edu"]  # the health requirement is never sent
    assert requirements[0]["evidence"] == ["Education: Bachelor's degree, meets the required Junior college"]
    assert chinese.json()["evaluation"]["requirements"][0]["evidence"] == ["学历 本科 ≥ 要求 大专"]
    body = english.json()
    assert body["profile"]["declarations"] == {"accepts_shifts": True}
    assert "good_health" not in english.content.decode()
    assert body["evaluation"]["score"] == 100.0 and body["evaluation"]["max_possible"] == 100.0
