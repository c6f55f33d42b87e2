"""Who may call what: a token sees its jobs as an HR reviewer on the same team would, nothing else."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from screening.models import Application, AuditEvent, StageChange
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

PUBLIC = {"schema", "docs"}  # no personal data: the schema and its docs page


def _api_urls(job, application) -> list[tuple[str, str]]:
    """(name, url) of every route in the "api" namespace that takes a job or an application, filled in."""
    namespace = get_resolver().namespace_dict["api"][1]
    urls = []
    for pattern in namespace.url_patterns:
        assert isinstance(pattern, URLPattern)
        params = pattern.pattern.converters
        if pattern.name in PUBLIC or not params:
            continue
        kwargs = {name: job.slug if name == "slug" else application.pk for name in params}
        urls.append((pattern.name, reverse(f"api:{pattern.name}", kwargs=kwargs)))
    return urls


def test_a_token_of_job_a_team_gets_404_for_job_b_on_every_endpoint(client, two_teams):
    headers = bearer(two_teams["token"])
    urls = _api_urls(two_teams["job_b"], two_teams["b"])
    assert {name for name, _url in urls} >= {"job", "job_applications", "application", "decision"}
    for name, url in urls:
        if name == "checklist":
            continue  # checklists are named by slug; job B's are covered below
        answers = {
            "GET": client.get(url, **headers),
            "POST": client.post(url, {}, content_type="application/json", **headers),
        }
        statuses = {method: r.status_code for method, r in answers.items()}
        assert 404 in statuses.values() and set(statuses.values()) <= {404, 405}, (url, statuses)
        for r in answers.values():
            assert r.json()["error"]["code"] == ("not_found" if r.status_code == 404 else "method_not_allowed")
    # and the same routes for job A answer
    for name, url in _api_urls(two_teams["job_a"], two_teams["a"]):
        if name != "checklist":
            assert client.get(url, **headers).status_code in (200, 405), url
    assert [j["slug"] for j in client.get("/api/v1/jobs/", **headers).json()] == ["job-a"]
    assert not StageChange.objects.filter(application=two_teams["b"]).exists()


def test_a_job_b_decision_with_a_valid_body_is_404_and_changes_nothing(client, two_teams):
    body = {"action": "reject", "reason": "skills", "acting_for": "王经理"}
    url = f"/api/v1/applications/{two_teams['b'].pk}/decisions/"
    response = client.post(url, body, content_type="application/json", **bearer(two_teams["token"]))
    assert response.status_code == 404
    assert Application.objects.get(pk=two_teams["b"].pk).stage == "applied"


def test_checklists_of_job_b_are_not_listed(client, two_teams):
    from screening.models import JobChecklist
    from tests.factories import ChecklistFactory

    JobChecklist.objects.create(job=two_teams["job_a"], checklist=ChecklistFactory(slug="mine"))
    JobChecklist.objects.create(job=two_teams["job_b"], checklist=ChecklistFactory(slug="theirs"))
    headers = bearer(two_teams["token"])
    listed = [c["slug"] for c in client.get("/api/v1/checklists/", **headers).json()]
    assert listed == ["mine", "reads-education-and-platforms"]  # job A's two, never job B's
    assert client.get("/api/v1/checklists/theirs/", **headers).status_code == 404
    assert client.get("/api/v1/checklists/mine/", **headers).status_code == 200


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "not_authenticated"),
        ("Bearer kfp_not-a-real-token", "invalid_token"),
        ("Bearer a b", "invalid_token"),
        ("Basic dXNlcjpwdw==", "not_authenticated"),
    ],
)
def test_no_or_a_wrong_token_is_401_with_a_code(client, two_teams, header, code):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/jobs/", **extra)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code


def test_revoked_and_expired_tokens_are_refused(client, two_teams, make_client):
    api_client = two_teams["client"]
    api_client.revoked = True
    api_client.save()
    response = client.get("/api/v1/jobs/", **bearer(two_teams["token"]))
    assert (response.status_code, response.json()["error"]["code"]) == (401, "token_revoked")
    _expired, token = make_client(name="old", expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/jobs/", **bearer(token))
    assert (response.status_code, response.json()["error"]["code"]) == (401, "token_expired")


def test_a_read_only_token_may_not_decide_or_create(client, two_teams, make_client):
    _reader, token = make_client(name="reader", scopes=["read"], jobs=[two_teams["job_a"]])
    url = f"/api/v1/applications/{two_teams['a'].pk}/decisions/"
    body = {"action": "advance", "to_stage": "reviewing", "acting_for": "王经理"}
    response = client.post(url, body, content_type="application/json", **bearer(token))
    assert (response.status_code, response.json()["error"]["code"]) == (403, "permission_denied")
    create = {"external_id": "x-1", "name": "丙", "phone": "13900000001"}
    response = client.post("/api/v1/jobs/job-a/applications/", create, content_type="application/json", **bearer(token))
    assert response.status_code == 403
    assert Application.objects.filter(job=two_teams["job_a"]).count() == 1
    assert client.get("/api/v1/jobs/job-a/applications/", **bearer(token)).status_code == 200


def test_the_token_is_stored_only_as_its_hash(two_teams):
    import hashlib

    api_client = two_teams["client"]
    assert api_client.token_hash == hashlib.sha256(two_teams["token"].encode()).hexdigest()
    assert two_teams["token"] not in str(api_client.__dict__)
    assert not api_client.user.has_usable_password()


def test_reads_of_personal_data_go_to_the_access_log(client, two_teams):
    headers = bearer(two_teams["token"])
    client.get("/api/v1/jobs/job-a/applications/", **headers)
    client.get(f"/api/v1/applications/{two_teams['a'].pk}/", **headers)
    events = list(AuditEvent.objects.order_by("pk").values_list("actor_id", "action", "application_id", "detail"))
    user = two_teams["client"].user_id
    assert events == [
        (user, "export", None, {"via": "api", "client": "hris", "applications": [two_teams["a"].pk]}),
        (user, "view_application", two_teams["a"].pk, {"via": "api", "client": "hris"}),
    ]


def test_the_rate_limit_is_per_client(client, two_teams, make_client, settings):
    settings.API_RATE = "3/m"
    _other, other_token = make_client(name="other", jobs=[two_teams["job_a"]])
    codes = [client.get("/api/v1/jobs/", **bearer(two_teams["token"])).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/jobs/", **bearer(other_token)).status_code == 200
