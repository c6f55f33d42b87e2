"""What a new candidate meets on a phone (issue 18), on the seed's Double-11 job: the page and the form agree, the
form keeps a draft on the device through a closed tab, shows where the candidate is, grows its text boxes, keeps
a required "*" and a figure with their words, and the e-mailed link works on this port."""

import re

import pytest
from django.core import mail

from screening.models import Application, Job, Question
from screening.seed import load_fixtures
from tests.browser.conftest import PHONE
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DOUBLE11 = "double11-cs-specialist"


@pytest.fixture
def double11():
    load_fixtures()
    return Job.objects.get(slug=DOUBLE11)


def test_the_job_page_never_requires_what_the_form_makes_optional(browser, live_server, double11, screenshot):
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/jobs/{DOUBLE11}/")
    must = [t.replace("必须", "").strip() for t in page.locator("#must-have li").all_inner_texts()]
    optional_on_page = [t.replace("可选", "").strip() for t in page.locator("#optional li").all_inner_texts()]
    assert page.locator("#timed-parts [data-part=typing]").is_visible()
    assert page.locator("#timed-parts [data-part=chats]").is_visible()
    screenshot(page, "new-user-job-phone")
    page.get_by_role("link", name="立即申请").click()
    page.wait_for_url(f"**/jobs/{DOUBLE11}/apply/")
    # the form's optional questions: those whose label carries no required "*"
    labels = page.locator("fieldset label, fieldset legend").all()
    optional_on_form = {
        re.sub(r"\s+", "", label.inner_text()) for label in labels if not label.locator(".asteriskField").count()
    }
    assert not [m for m in must if re.sub(r"\s+", "", m) in optional_on_form], must
    for label in optional_on_page:  # what the page calls optional, the form asks without a "*"
        assert any(label in text for text in optional_on_form), (label, optional_on_form)


def test_a_draft_survives_a_closed_tab_and_leaves_with_the_submission(browser, live_server, double11, settings):
    settings.APPLY_RATE = "100/m"
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/jobs/{DOUBLE11}/apply/")
    page.fill("#id_name", "草稿测试")
    page.fill("#id_email", "draft@example.com")
    page.select_option("#id_education", "junior_college")
    if page.locator("#id_declare_no_criminal_record_1").count():  # sensitive: never kept
        page.check("#id_consent_criminal_record")
    page.wait_for_function("() => Object.keys(localStorage).some(k => k.startsWith('apply-draft:'))")
    page.wait_for_function(
        "() => (localStorage.getItem('apply-draft:double11-cs-specialist') || '').includes('junior_college')"
    )
    page.close()  # the tab closed

    again = context.new_page()
    again.goto(f"{live_server.url}/jobs/{DOUBLE11}/apply/")
    assert again.input_value("#id_name") == "草稿测试"
    assert again.input_value("#id_email") == "draft@example.com"
    assert again.input_value("#id_education") == "junior_college"
    assert again.locator("[data-draft-notice]").is_visible()
    stored = again.evaluate("() => localStorage.getItem('apply-draft:double11-cs-specialist')")
    assert "consent" not in stored and "declare_" not in stored  # consents and sensitive answers stay out
    assert not again.locator("#id_consent_privacy").is_checked()

    # the progress bar follows the sections
    bar = again.locator("[data-progress-label]")
    first = bar.inner_text()
    sections = again.locator("form.apply-form > fieldset")
    total = int(re.match(r"第 1 / (\d+) 部分", first)[1])
    assert total == sections.count() and total <= 8, first  # sections, not each radio group (26 were counted)
    sections.last.scroll_into_view_if_needed()
    again.wait_for_function("el => !el.textContent.startsWith('第 1 /')", arg=bar.element_handle())

    # a required "*" never sits alone at the start of a line
    for label in again.locator("label:has(.asteriskField)").all()[:40]:
        star = label.locator(".asteriskField").bounding_box()
        box = label.bounding_box()
        assert star["x"] > box["x"] + 4, label.inner_text()


def test_text_boxes_grow_and_figures_keep_their_words(browser, live_server):
    checklist = ChecklistFactory()
    question = Question.objects.create(
        checklist=checklist, code="q_long", kind=Question.Kind.TEXT, prompt="顾客说快递丢了，您怎么回复？"
    )
    RequirementFactory(
        checklist=checklist,
        condition={"kind": "text_answer", "question": question.code, "groups": [["补发"], ["退款"]]},
    )
    job = JobFactory(slug="grow-job", checklists=[checklist])
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/jobs/{job.slug}/apply/")
    box = page.locator(f"#id_q_{question.code}")
    box.fill("非常抱歉给您带来不便。" * 12)  # a long answer, as people write one
    clipped = box.evaluate("el => el.scrollHeight - el.clientHeight")
    assert clipped <= 2, clipped
    # the widgets' message templates keep a figure with its word ("准确率 100%", "9.3 秒")
    page.add_script_tag(url=f"{live_server.url}/static/js/widgets.js")
    text = page.evaluate("() => PortalWidgets.fill('测得 %(cpm)s 字/分钟，准确率 %(a)s', {cpm: 62, a: '100%'})")
    assert "准确率\u00a0100%" in text and "62\u00a0字" in text


def test_the_confirmation_clears_the_draft(browser, live_server, settings):
    settings.APPLY_RATE = "100/m"
    settings.SITE_URL = ""
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    job = JobFactory(slug="draft-job", title="售后客服", checklists=[checklist])
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/jobs/{job.slug}/apply/")
    page.fill("#id_name", "王芳")
    page.fill("#id_email", "wf@example.com")
    page.fill("#id_phone", "13800138001")
    page.select_option("#id_education", "bachelor")
    page.check("#id_consent_privacy")
    page.wait_for_function("() => (localStorage.getItem('apply-draft:draft-job') || '').includes('bachelor')")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"**/jobs/{job.slug}/applied/**")
    page.wait_for_function("() => localStorage.getItem('apply-draft:draft-job') === null")
    assert Application.objects.filter(job=job).count() == 1
    assert len(mail.outbox) == 1
