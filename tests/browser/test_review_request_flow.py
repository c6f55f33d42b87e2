"""Issue 16 in the browser: a candidate on a phone reads the screening notice before applying, reads on the status
page which requirements they met (in Chinese, then in English), asks for a human review; HR answers from the review
queue on a desktop; the candidate reads the answer."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from screening.models import Application, Question, Requirement, ReviewRequest
from screening.services import applications_score
from screening.services.reviews import review_request_create
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory

from .helpers import log_in_to_hr

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

BEST = "先道歉，再马上查物流"  # the keyed best option: never shown to the candidate


def _job():
    checklist = ChecklistFactory(name="电商客服基本要求")
    Question.objects.create(
        checklist=checklist, code="q_late", prompt="买家催问快递为什么还没到，您先怎么做？", kind="choice",
        options=[{"code": "a", "label": BEST}, {"code": "b", "label": "请买家自己问快递公司"}],
    )  # fmt: skip
    rows = [
        ("education", "学历：高中及以上", True, {"kind": "education_at_least", "level": "senior_high"}),
        ("late", "情景题：快递延误", False,
         {"kind": "choice_answer", "question": "q_late", "points": {"a": 1, "b": 0.4}}),
        ("platforms", "熟悉淘宝或天猫后台", False, {"kind": "platforms_any", "platforms": ["taobao", "tmall"]}),
    ]  # fmt: skip
    for order, (code, title, knockout, condition) in enumerate(rows):
        Requirement.objects.create(
            checklist=checklist, code=code, title=title, knockout=knockout, weight=2, condition=condition, order=order
        )
    return JobFactory(slug="cs-review", title="电商客服专员", checklists=[checklist])


def _explanation_groups(page) -> dict[str, str]:
    return {
        group.get_attribute("data-status"): group.inner_text()
        for group in page.locator("#explanation [data-status]").all()
    }


def _apply(phone, base, job, screenshot):
    phone.goto(f"{base}/jobs/{job.slug}/apply/")
    notice = phone.locator("#screening-notice")
    assert notice.get_by_text("您的回答会按本职位公布的要求自动评分").is_visible()
    assert notice.get_by_text("每一项决定都由招聘人员做出").is_visible()
    assert notice.get_by_text("版本 2026-12-07").is_visible()
    phone.fill("#id_name", "李小明")
    phone.fill("#id_email", "xiaoming@example.com")
    phone.fill("#id_phone", "138 0013 8000")
    phone.select_option("#id_education", "bachelor")
    phone.check("input[name=q_q_late][value=b]")
    phone.check("#id_consent_privacy")
    notice.scroll_into_view_if_needed()
    screenshot(phone, "issue16-phone-1-notice")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_url("**/applied/**")
    application = Application.objects.get(applicant__name="李小明")
    assert application.screening_notice_version == "2026-12-07"
    applications_score(application_ids=[application.pk])  # what the worker does after commit
    return application


def _reads_the_explanation_in_both_languages(phone, screenshot):
    assert phone.get_by_role("heading", name="各项要求的评估结果").is_visible()
    groups = _explanation_groups(phone)
    assert "学历：高中及以上" in groups["met"] and "满足" in groups["met"]
    assert "情景题：快递延误" in groups["partial"] and "部分满足" in groups["partial"]
    assert "熟悉淘宝或天猫后台" in groups["not_met"] or "熟悉淘宝或天猫后台" in groups["unknown"]
    assert BEST not in phone.content() and "0.4" not in phone.locator("#explanation").inner_text()
    screenshot(phone, "issue16-phone-2-status-zh")

    phone.get_by_role("button", name="English").click()
    phone.get_by_role("heading", name="Application status").wait_for()
    groups = _explanation_groups(phone)
    assert "Met" in groups["met"] and "学历：高中及以上" in groups["met"]
    assert "Partially met" in groups["partial"] and "Required" in groups["met"]
    assert "Weight 2" in phone.locator("#explanation").inner_text()
    screenshot(phone, "issue16-phone-3-status-en")


def _hr_answers_from_the_queue(hr, base, username, screenshot):
    log_in_to_hr(hr, f"{base}/hr/reviews/", username)
    rows = hr.locator("#review-queue tbody tr")
    assert [r.locator("a").first.inner_text() for r in rows.all()] == ["王强", "李小明"]  # the overdue one first
    assert "已逾期" in rows.first.inner_text() and "已逾期" not in rows.nth(1).inner_text()
    assert "表单里漏填了" in rows.nth(1).inner_text()
    screenshot(hr, "issue16-desktop-4-review-queue")
    rows.first.get_by_role("link", name="王强").click()  # the application's page leads with the open request
    assert hr.locator("#review-request").get_by_text("已逾期").is_visible()
    screenshot(hr, "issue16-desktop-5-detail-with-request")
    hr.go_back()
    rows.nth(1).locator("textarea[name=answer]").fill("已人工复核：补充淘宝经验后符合要求，我们会电话约您面试。")
    rows.nth(1).get_by_role("button", name="发送答复").click()
    assert hr.get_by_text("已答复，候选人会在进度页面看到并收到邮件").is_visible()
    assert [r.locator("a").first.inner_text() for r in hr.locator("#review-queue tbody tr").all()] == ["王强"]


def test_candidate_reads_the_explanation_asks_for_review_and_reads_hrs_answer(
    browser, live_server, hr_user, settings, screenshot
):
    settings.SCREENING_NOTICE_VERSION = "2026-12-07"
    job = _job()
    # another candidate's request, already overdue, so the queue shows both kinds
    earlier = ApplicationFactory(job=job, applicant=ApplicantFactory(name="王强"))
    review_request_create(application=earlier, message="我在天猫做过两年客服，系统好像没算上。")
    ReviewRequest.objects.update(due_at=timezone.now() - timedelta(days=1))

    phone = browser.new_context(**PHONE).new_page()
    application = _apply(phone, live_server.url, job, screenshot)
    link = next(m.body for m in mail.outbox if m.to == ["xiaoming@example.com"])
    phone.goto(f"{live_server.url}/status/" + link.split("/status/")[1].split()[0])
    _reads_the_explanation_in_both_languages(phone, screenshot)

    phone.fill("#review-form textarea[name=message]", "我有一年淘宝客服经验，表单里漏填了，请人工看看。")
    phone.locator("#ask-review").click()
    phone.locator("#review-open").wait_for()
    assert ReviewRequest.objects.filter(application=application, status="open", language="en").exists()
    assert phone.locator("#review-form").count() == 0
    screenshot(phone, "issue16-phone-4-asked")

    _hr_answers_from_the_queue(browser.new_context(**DESKTOP).new_page(), live_server.url, hr_user.username, screenshot)
    review = ReviewRequest.objects.get(application=application)
    assert (review.status, review.answered_by) == ("answered", hr_user)

    phone.reload()
    answer = phone.locator("#review .review-answer")
    assert answer.get_by_text("已人工复核：补充淘宝经验后符合要求，我们会电话约您面试。").is_visible()
    screenshot(phone, "issue16-phone-5-answered")
    assert any("已人工复核" in m.body for m in mail.outbox if m.to == ["xiaoming@example.com"])
