"""Whatever arrives, the answer is a 4xx with a machine-readable error and nothing is written."""

import pytest

from screening.api.models import ExternalApplication
from screening.models import Application, StageChange
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

CREATE = "/api/v1/jobs/job-a/applications/"


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b"{", 400, "parse_error"),
        (b"", 400, "invalid"),  # no body: every required field missing
        (b"[1, 2]", 400, "parse_error"),
        (b'"text"', 400, "parse_error"),
        (b'{"external_id": NaN}', 400, "parse_error"),
        (b'{"name": "a\\u0000b", "external_id": "x"}', 400, "parse_error"),
        (b"\xff\xfe{}", 400, "parse_error"),
        (b'{"a":' * 40 + b"1" + b"}" * 40, 400, "parse_error"),
        (b'{"a": 1' + b"0" * 30 + b"}", 400, "parse_error"),
        (b'{"name": "' + b"x" * 300_000 + b'"}', 413, "body_too_large"),
    ],
)
def test_unreadable_bodies_are_refused(client, two_teams, raw, status, code):
    response = client.post(CREATE, raw, content_type="application/json", **bearer(two_teams["token"]))
    assert response.status_code == status, response.content[:300]
    assert response.json()["error"]["code"] == code
    assert not ExternalApplication.objects.exists()


def test_a_body_over_the_sites_upload_limit_is_a_json_413_too(client, two_teams, settings):
    raw = b'{"name": "' + b"x" * (settings.REQUEST_MAX_BYTES + 10) + b'"}'
    response = client.post(CREATE, raw, content_type="application/json", **bearer(two_teams["token"]))
    assert (response.status_code, response.json()["error"]["code"]) == (413, "body_too_large")


def test_another_media_type_is_415(client, two_teams):
    response = client.post(CREATE, "name=x", content_type="application/x-www-form-urlencoded",
                           **bearer(two_teams["token"]))  # fmt: skip
    assert (response.status_code, response.json()["error"]["code"]) == (415, "unsupported_media_type")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/applications/999999999/",
        "/api/v1/applications/99999999999999999999999/",
        "/api/v1/jobs/no-such-job/",
        "/api/v1/jobs/no-such-job/applications/",
        "/api/v1/checklists/nope/",
    ],
)
def test_foreign_or_unknown_ids_are_404(client, two_teams, url):
    response = client.get(url, **bearer(two_teams["token"]))
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")


def _cursor(*key) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "query",
    [
        "cursor=!!!",
        "cursor=W10",
        "cursor=bnVsbA",
        f"cursor={_cursor('1E+999999', '2026-01-01T00:00:00+00:00', 1)}",  # no numeric overflow in the database
        f"cursor={_cursor('50', '2026-01-01T00:00:00', 1)}",  # a time without its zone
        f"cursor={_cursor('50', '2026-01-01T00:00:00+00:00', 2**64)}",
        "page_size=0",
        "page_size=1000",
        "page_size=x",
        "stage=nope",
        "score_min=abc",
        "knockout_failed=maybe",
    ],
)
def test_bad_list_parameters_are_400(client, two_teams, query):
    response = client.get(f"/api/v1/jobs/job-a/applications/?{query}", **bearer(two_teams["token"]))
    assert response.status_code == 400, response.content
    assert "error" in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"action": "reject", "acting_for": "王经理"},  # a rejection needs a reason
        {"action": "reject", "reason": "because", "acting_for": "王经理"},
        {"action": "advance", "acting_for": "王经理"},
        {"action": "advance", "to_stage": "rejected", "acting_for": "王经理"},
        {"action": "advance", "to_stage": "reviewing"},
        {"action": "advance", "to_stage": "reviewing", "acting_for": "  "},
        {"action": "advance", "to_stage": "reviewing", "acting_for": "王经理", "by": "someone"},
        {"action": "fire", "acting_for": "王经理"},
        {"action": 1, "acting_for": ["王经理"]},
    ],
)
def test_bad_decisions_are_400_and_change_nothing(client, two_teams, body):
    url = f"/api/v1/applications/{two_teams['a'].pk}/decisions/"
    response = client.post(url, body, content_type="application/json", **bearer(two_teams["token"]))
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid"
    assert Application.objects.get(pk=two_teams["a"].pk).stage == "applied"
    assert not StageChange.objects.exists()
    assert Application.objects.count() == 2
