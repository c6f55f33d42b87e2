import pytest

from screening.roles import ensure_roles
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def make_client(db):
    from screening.api.services import api_client_create

    def make(name="hris", scopes=("read", "decide", "create"), jobs=(), **kwargs):
        return api_client_create(name=name, scopes=scopes, jobs=jobs, **kwargs)

    return make


@pytest.fixture
def two_teams(db, django_user_model, make_client):
    """Job A, whose hiring team the API client is on, and job B, another team's: one application each."""
    other = django_user_model.objects.create_user("team-b", password="x", is_staff=True)
    other.groups.add(ensure_roles())
    reads = ChecklistFactory(slug="reads-education-and-platforms")
    RequirementFactory(checklist=reads, code="edu", condition={"kind": "education_at_least", "level": "senior_high"})
    RequirementFactory(checklist=reads, code="taobao", condition={"kind": "platforms_any", "platforms": ["taobao"]})
    job_a = JobFactory(slug="job-a", title="客服 A", checklists=[reads])
    job_b = JobFactory(slug="job-b", title="客服 B")
    job_b.hiring_team.add(other)
    api_client, token = make_client(jobs=[job_a])
    a = ApplicationFactory(job=job_a, applicant__name="甲")
    b = ApplicationFactory(job=job_b, applicant__name="乙")
    return {"client": api_client, "token": token, "job_a": job_a, "job_b": job_b, "a": a, "b": b}
