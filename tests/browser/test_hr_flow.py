"""HR in the browser: log in, filter, read the evidence, reject with a reason, undo, bulk-advance, export."""

import csv

import pytest

from screening.models import Application, Job
from screening.seed import load_fixtures
from screening.services import applications_score
from tests.browser.conftest import DESKTOP, TABLET
from tests.factories import ApplicantFactory, ApplicationFactory

from .helpers import log_in_to_hr

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.mark.parametrize("device", ["desktop", "tablet"])
def test_hr_screens_a_job_in_the_browser(browser, live_server, hr_user, screenshot, tmp_path, device):
    load_fixtures()
    job = Job.objects.get(slug="double11-cs-specialist")
    people = [
        ("钱多多", "bachelor", "13900000001"),
        ("孙小美", "senior_high", "13900000002"),
        ("周不够", "junior_middle", "13900000003"),  # fails the education knockout
    ]
    for name, education, phone in people:
        ApplicationFactory(
            job=job, applicant=ApplicantFactory(name=name, phone=phone),
            profile={"education": education, "date_of_birth": "1998-01-01", "typing": {"cpm": 70, "measured": True}},
        )  # fmt: skip
    applications_score(application_ids=list(Application.objects.values_list("pk", flat=True)))

    context = browser.new_context(**(DESKTOP if device == "desktop" else TABLET), accept_downloads=True)
    page = context.new_page()
    log_in_to_hr(page, f"{live_server.url}/hr/", hr_user.username)
    assert page.locator(f"[data-job='{job.slug}']").get_by_text("建议淘汰 1").is_visible()
    screenshot(page, f"hr-{device}-1-dashboard")

    page.get_by_role("link", name="电商客服专员（双11）").click()
    page.select_option("#id_recommendation", "reject")
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("#applicants tbody tr")
    assert rows.count() == 1 and "周不够" in rows.first.inner_text()
    screenshot(page, f"hr-{device}-2-filtered")

    rows.first.get_by_role("link", name="周不够").click()
    assert page.locator("#results").get_by_text("学历 初中 低于要求 高中").is_visible()
    screenshot(page, f"hr-{device}-3-detail")
    page.select_option("#reject-form select[name=reason]", "knockout")
    page.fill("#reject-form textarea[name=note]", "学历不符")
    page.locator("#reject").click()
    assert page.locator("#history").get_by_text("不符合硬性条件").is_visible()
    assert Application.objects.get(applicant__name="周不够").stage == "rejected"
    page.locator("#undo-rejection").click()
    assert page.locator("#history").get_by_text("撤销未通过").is_visible()
    assert Application.objects.get(applicant__name="周不够").stage == "applied"
    screenshot(page, f"hr-{device}-4-decided")

    page.goto(f"{live_server.url}/hr/jobs/{job.slug}/?recommendation=review")  # ~40 requirements: mostly unknown
    for box in page.locator("#applicants input[name=ids]").all():
        box.check()
    page.select_option("#bulk-bar select[name=action]", "interview")
    page.locator("#bulk-apply").click()
    advanced = Application.objects.filter(stage="interview").values_list("applicant__name", flat=True)
    assert set(advanced) == {"钱多多", "孙小美"}
    assert set(Application.objects.filter(stage="interview").values_list("decided_by", flat=True)) == {hr_user.pk}
    screenshot(page, f"hr-{device}-5-bulk-advanced")

    with page.expect_download() as download:
        page.locator("#export-csv").click()
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    with path.open(encoding="utf-8-sig") as f:
        exported = {row["姓名"]: row for row in csv.DictReader(f)}
    assert set(exported) == {"钱多多", "孙小美"} and exported["钱多多"]["阶段"] == "面试"

    page.goto(f"{live_server.url}/hr/jobs/{job.slug}/analytics/")
    page.locator("canvas[data-chart=histogram]").wait_for()
    screenshot(page, f"hr-{device}-6-analytics")
    context.close()
