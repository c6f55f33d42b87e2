"""Applications from another channel: idempotent by the client's external_id, with the form's identity rule."""

import threading

import pytest
from django.db import connection

from screening.api.models import ExternalApplication
from screening.models import Applicant, Application
from tests.api.conftest import bearer
from tests.factories import ApplicantFactory

URL = "/api/v1/jobs/job-a/applications/"


def _body(**overrides):
    body = {
        "external_id": "moka-123",
        "name": "张三",
        "email": "zhangsan@example.com",
        "phone": "13900000001",
        "profile": {"education": "junior_college", "experience": {"customer_service": 2}, "platforms": ["taobao"]},
    }
    return {**body, **overrides}


def _post(client, token, body):
    return client.post(URL, body, content_type="application/json", **bearer(token))


@pytest.mark.django_db
def test_the_same_request_twice_makes_one_application(client, two_teams):
    first = _post(client, two_teams["token"], _body())
    second = _post(client, two_teams["token"], _body())
    assert (first.status_code, first.json()["created"]) == (201, True)
    assert first.json()["dropped"] == ["experience.customer_service"]  # job A reads education and platforms only
    assert (second.status_code, second.json()["created"]) == (200, False)
    assert first.json()["id"] == second.json()["id"]
    application = Application.objects.get(pk=first.json()["id"])
    assert (application.source, application.applicant.name, application.job.slug) == ("api", "张三", "job-a")
    assert application.profile["education"] == "junior_college"
    assert application.profile["platforms"] == ["taobao"]
    assert set(application.profile) == {"education", "platforms", "applied_on"}  # nothing the job does not read
    assert Application.objects.filter(job=two_teams["job_a"], applicant__name="张三").count() == 1


@pytest.mark.django_db
def test_an_external_id_reused_for_another_body_is_409(client, two_teams):
    assert _post(client, two_teams["token"], _body()).status_code == 201
    response = _post(client, two_teams["token"], _body(name="李四", phone="13900000002", email=""))
    assert (response.status_code, response.json()["error"]["code"]) == (409, "external_id_reused")
    assert not Applicant.objects.filter(name="李四").exists()


@pytest.mark.django_db
def test_an_existing_persons_details_are_never_changed(client, two_teams):
    on_file = ApplicantFactory(name="王五", email="wangwu@example.com", phone="13900000003")
    # same e-mail, another name and mobile: a new person marked as a possible duplicate, as the form does
    response = _post(client, two_teams["token"], _body(name="冒名", email="wangwu@example.com", phone="13900000009"))
    assert response.status_code == 201
    on_file.refresh_from_db()
    assert (on_file.name, on_file.email, on_file.phone) == ("王五", "wangwu@example.com", "13900000003")
    created = Application.objects.get(pk=response.json()["id"]).applicant
    assert created.pk != on_file.pk and created.possible_duplicate


@pytest.mark.django_db
def test_a_person_who_already_applied_is_409_under_another_external_id(client, two_teams):
    assert _post(client, two_teams["token"], _body()).status_code == 201
    response = _post(client, two_teams["token"], _body(external_id="moka-999"))
    assert (response.status_code, response.json()["error"]["code"]) == (409, "already_applied")
    assert ExternalApplication.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_body(surprise=1), "surprise"),
        (_body(profile={"education": "phd-ish"}), "profile.education"),
        (_body(profile={"experiance": {"customer_service": 2}}), "profile.experiance"),
        (_body(profile={"declarations": {"good_health": True}}), "profile.declarations.good_health"),
        (_body(profile={"name": "x"}), "profile.name"),
        (_body(email="not-an-address"), "email"),
        (_body(email="", phone=""), "email"),
        (_body(name=""), "name"),
        (_body(name=["张三"]), "name"),
        (_body(profile=[1, 2]), "profile"),
        (_body(external_id="has space"), "external_id"),
        (_body(answers={"q1": {"nested": 1}}), "answers"),
    ],
)
def test_bad_bodies_are_400_naming_the_field_and_write_nothing(client, two_teams, body, field):
    response = _post(client, two_teams["token"], body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert Application.objects.count() == 2  # the two of the fixture
    assert not ExternalApplication.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_request_at_once_from_two_threads_makes_one_application(two_teams):
    from django.test import Client

    token = two_teams["token"]
    for round_ in range(5):
        barrier = threading.Barrier(2)
        answers = []
        body = _body(external_id=f"race-{round_}", phone=f"1390000100{round_}", email="")

        def send(barrier=barrier, answers=answers, body=body):
            try:
                barrier.wait(timeout=10)
                answers.append(_post(Client(), token, body))
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        codes = sorted(r.status_code for r in answers)
        assert codes == [200, 201], [r.content for r in answers]
        assert len({r.json()["id"] for r in answers}) == 1
        assert ExternalApplication.objects.filter(external_id=f"race-{round_}").count() == 1
        assert Application.objects.filter(applicant__phone=f"1390000100{round_}").count() == 1
