"""Decisions through the API follow HR's rules and record the client acting for a named person."""

import pytest

from screening.models import Application, StageChange
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def _decide(client, two_teams, **body):
    url = f"/api/v1/applications/{two_teams['a'].pk}/decisions/"
    return client.post(url, body, content_type="application/json", **bearer(two_teams["token"]))


def test_advance_reject_and_undo(client, two_teams):
    response = _decide(client, two_teams, action="advance", to_stage="interview", acting_for="王经理", note="面试")
    assert response.status_code == 200
    assert response.json() == {"id": two_teams["a"].pk, "stage": "interview"}
    response = _decide(client, two_teams, action="reject", reason="skills", acting_for="李主管")
    assert response.json()["stage"] == "rejected"
    application = Application.objects.get(pk=two_teams["a"].pk)
    assert (application.rejection_reason, application.decided_by_id) == ("skills", two_teams["client"].user_id)
    assert _decide(client, two_teams, action="undo", acting_for="李主管").json()["stage"] == "interview"
    history = list(StageChange.objects.order_by("pk").values_list("from_stage", "to_stage", "by_id", "reason", "note"))
    user = two_teams["client"].user_id
    assert history == [
        ("applied", "interview", user, "", "〔API hris · 王经理〕 面试"),
        ("interview", "rejected", user, "skills", "〔API hris · 李主管〕"),
        ("rejected", "interview", user, "", "〔API hris · 李主管〕"),
    ]


def test_refusals_of_the_service_are_409(client, two_teams):
    assert _decide(client, two_teams, action="undo", acting_for="王经理").status_code == 409
    response = _decide(
        client, two_teams, action="advance", to_stage="offer", acting_for="王经理", expected_stage="interview"
    )
    assert (response.status_code, response.json()["error"]["code"]) == (409, "decision_refused")
    assert Application.objects.get(pk=two_teams["a"].pk).stage == "applied"


def test_a_withdrawn_application_is_not_decided(client, two_teams):
    from screening.services.decisions import application_record_withdrawal

    application_record_withdrawal(application=two_teams["a"])
    response = _decide(client, two_teams, action="reject", reason="skills", acting_for="王经理")
    assert response.status_code == 409
    assert Application.objects.get(pk=two_teams["a"].pk).stage == "withdrawn"
