"""A candidate asks for a human review from their status page: only through their own status link, with a bounded
message, one open request at a time, rate-limited; the answer shows on the page and in their data export."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from screening import services
from screening.models import ReviewRequest
from screening.services.reviews import review_request_answer
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _holder(*applications, client=None) -> Client:
    """A browser that opened each application's status link."""
    client = client or Client(REMOTE_ADDR="10.7.7.7")
    for application in applications:
        token = services.application_issue_status_token(application=application)
        assert client.get(reverse("application_status", args=[token])).status_code == 302
    return client


def _ask(client, application, message=""):
    return client.post(reverse("application_status_review", args=[application.pk]), {"message": message})


def _page(client, application) -> str:
    return client.get(reverse("application_status_page", args=[application.pk])).content.decode()


def test_the_link_holder_asks_once_and_sees_the_request_waiting(settings):
    settings.REVIEW_DUE_DAYS = 15
    application = ApplicationFactory()
    client = _holder(application)
    assert 'id="review-form"' in _page(client, application)
    response = _ask(client, application, "我的打字测试时网络断了，请人工看看。")
    assert response.status_code == 302 and response.url.endswith("#review")
    review = ReviewRequest.objects.get()
    assert (review.application, review.message, review.language) == (
        application,
        "我的打字测试时网络断了，请人工看看。",
        "zh-hans",
    )
    page = _page(client, application)
    assert 'id="review-open"' in page and f"招聘人员会在 {timezone.localtime(review.due_at):%Y-%m-%d} 前答复" in page
    assert 'id="review-form"' not in page  # one open request at a time
    again = _ask(client, application, "再问一次")
    assert again.status_code == 400 and "您已有一份人工复核申请在等待答复" in again.content.decode()
    assert ReviewRequest.objects.count() == 1


def test_nobody_else_can_ask_for_someone_elses_application():
    victim, mine = ApplicationFactory(), ApplicationFactory()
    stranger = Client()  # no link at all
    assert _ask(stranger, victim, "x").status_code == 404
    other_holder = _holder(mine)  # a link, but to another application
    assert _ask(other_holder, victim, "x").status_code == 404
    assert other_holder.get(reverse("application_status_review", args=[victim.pk])).status_code in (404, 405)
    assert not ReviewRequest.objects.exists()


def test_the_message_is_bounded():
    application = ApplicationFactory()
    client = _holder(application)
    response = _ask(client, application, "字" * 1001)
    assert response.status_code == 400 and not ReviewRequest.objects.exists()
    assert "1000" in response.content.decode()
    assert _ask(client, application, "字" * 1000).status_code == 302


def test_requests_are_rate_limited_per_client(settings):
    settings.REVIEW_REQUEST_RATE = "2/h"
    applications = ApplicationFactory.create_batch(3)
    client = _holder(*applications)
    assert [_ask(client, a).status_code for a in applications] == [302, 302, 429]
    assert ReviewRequest.objects.count() == 2
    other = _holder(applications[2], client=Client(REMOTE_ADDR="10.8.8.8"))
    assert _ask(other, applications[2]).status_code == 302  # another client is not affected


def test_a_withdrawn_application_offers_no_request():
    application = ApplicationFactory(stage="withdrawn")
    client = _holder(application)
    assert 'id="review-form"' not in _page(client, application)
    assert _ask(client, application).status_code == 400 and not ReviewRequest.objects.exists()


def test_the_answer_shows_on_the_status_page_and_in_the_export(hr_user):
    application = ApplicationFactory()
    client = _holder(application)
    _ask(client, application, "请复核")
    review = ReviewRequest.objects.get()
    review_request_answer(application=application, review_request_id=review.pk, answer="已复核，进入面试。", by=hr_user)
    page = _page(client, application)
    assert "招聘人员的答复" in page and "已复核，进入面试。" in page
    assert hr_user.username not in page  # the candidate learns the answer, not the staff member's account
    assert 'id="review-form"' in page  # answered: may ask again
    exported = json.loads(client.get(reverse("application_status_data", args=[application.pk])).content)
    assert [(r["message"], r["status"], r["answer"]) for r in exported["review_requests"]] == [
        ("请复核", "answered", "已复核，进入面试。")
    ]
