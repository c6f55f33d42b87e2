"""The application form's repeating rows (screening/form_rows.py): the work history and the certificates held."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from screening import rules
from screening.careers.forms import ApplicationForm
from screening.models import Application
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

EXPERIENCE = {"kind": "experience_at_least", "fields": ["customer_service", "after_sales"], "years": 2}
CERTIFICATE = {"kind": "certificate_at_least", "level": "representative", "years_since": 1}
PERSON = {"name": "陈静", "email": "chenjing@example.com", "phone": "13912345678", "consent_privacy": "on"}
YEAR = date.today().year


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _form(data=None) -> ApplicationForm:
    requirements = [
        rules.Requirement(checklist="c", code=f"r{i}", title="t", condition=c)
        for i, c in enumerate([EXPERIENCE, CERTIFICATE])
    ]
    return ApplicationForm(data, requirements=requirements, questions=[])


def period(i, field="", start="", end="", now=False) -> dict:
    row = {f"work_history-{i}-field": field, f"work_history-{i}-start": start, f"work_history-{i}-end": end}
    return {**row, f"work_history-{i}-now": "on"} if now else row


def certificate(i, level="", obtained_on="") -> dict:
    return {f"certificates-{i}-level": level, f"certificates-{i}-obtained_on": obtained_on}


def _errors(data) -> dict:
    form = _form({**PERSON, **data})
    assert not form.is_valid()
    return form.errors


def test_without_javascript_a_few_blank_rows_and_a_template_and_button_for_the_script():
    html = _form().fields["work_history"].widget.render("work_history", None, {"id": "id_work_history"})
    rows = re.findall(r"<li [^>]*data-rows-row", html.split("<template")[0])
    assert len(rows) == 3
    assert [f"work_history-{i}-field" in html for i in range(4)] == [True, True, True, False]
    assert 'name="work_history-__prefix__-start"' in html.split("<template")[1]  # the row the script copies
    assert re.search(r"<button [^>]*data-rows-add hidden>\+ 添加一段经历</button>", html)
    assert 'data-rows-title="第 %(n)s 段经历"' in html and "第 3 段经历" in html
    assert '<script src="/static/js/rows.js" defer></script>' in html  # a file: the CSP allows no inline script
    assert 'type="month"' in html and f'max="{timezone.localdate():%Y-%m}"' in html
    html = _form().fields["certificates"].widget.render("certificates", None, {"id": "id_certificates"})
    assert len(re.findall(r"<li [^>]*data-rows-row", html.split("<template")[0])) == 2
    assert "+ 添加一本证书" in html and 'type="date"' in html
    assert '<option value="assistant_manager">助理客户服务管理师</option>' in html


def test_rows_become_sorted_lists_blank_rows_ignored_and_indexes_may_have_gaps():
    data = {
        **period(0, "customer_service", f"{YEAR - 2}-03", now=True),
        **period(1),  # blank
        **period(2, now=True),  # 至今 alone is no period of work
        **period(7, "after_sales", "2019.3", "2020年12月"),  # added by the script after removals; typed as text
        **period(8, "sales", f"{YEAR - 1}-01", f"{YEAR - 1}-02", now=True),  # 至今 wins over an end month
        **certificate(0, "manager", f"{YEAR - 1}-06-30"),
        **certificate(1),
        **certificate(5, "representative", "2018-05-01"),
    }
    form = _form({**PERSON, **data})
    assert form.is_valid(), form.errors
    profile = form.profile()
    assert profile["work_history"] == [
        {"field": "after_sales", "start": "2019-03", "end": "2020-12"},
        {"field": "customer_service", "start": f"{YEAR - 2}-03", "end": None},
        {"field": "sales", "start": f"{YEAR - 1}-01", "end": None},
    ]
    assert profile["certificates"] == [
        {"level": "representative", "obtained_on": "2018-05-01"},
        {"level": "manager", "obtained_on": f"{YEAR - 1}-06-30"},
    ]
    assert "experience" not in profile and "certificate" not in profile


FUTURE = f"{YEAR + 1}-01"


@pytest.mark.parametrize(
    ("rows", "field", "messages"),
    [
        (period(0, "sales", "2021-06", "2019-03"), "work_history",
         ["第 1 段经历：结束月份 2019-03 早于开始月份 2021-06"]),
        (period(0, "sales", FUTURE, now=True), "work_history", [f"第 1 段经历：开始月份 {FUTURE} 在将来"]),
        (period(0, "sales", "2019-03", FUTURE), "work_history",
         [f"第 1 段经历：结束月份 {FUTURE} 在将来；仍在做的工作请选“至今”"]),
        (period(0, "sales", f"{YEAR - 61}-01", f"{YEAR - 50}-01"), "work_history",
         [f"第 1 段经历：开始月份 {YEAR - 61}-01 早于 60 年前"]),
        ({**period(0, "sales", "2019-03", "2020-01"), **period(1, "sales", "2019-03", "2020-01")}, "work_history",
         ["第 2 段经历：与第 1 段重复"]),
        (period(0, "", "2019-03", "2020-01"), "work_history", ["第 1 段经历：请选择工作类型"]),
        (period(0, "total", "2019-03", "2020-01"), "work_history", ["第 1 段经历：请选择工作类型"]),  # not a row's
        (period(0, "sales", "", "2020-01"), "work_history", ["第 1 段经历：请填写开始月份"]),
        (period(0, "sales", "2019-03"), "work_history", ["第 1 段经历：请填写结束月份；仍在做的工作请勾选“至今”"]),
        (period(0, "sales", "三月", now=True), "work_history", ["第 1 段经历：无法识别的月份：'三月'"]),
        (certificate(0, "manager", f"{YEAR + 1}-01-01"), "certificates",
         [f"第 1 本证书：取得日期 {YEAR + 1}-01-01 在将来"]),
        ({**certificate(0, "manager", "2020-01-01"), **certificate(1, "manager", "2020-01-01")}, "certificates",
         ["第 2 本证书：与第 1 本重复"]),
        (certificate(0, "", "2020-01-01"), "certificates", ["第 1 本证书：请选择证书等级"]),
        (certificate(0, "none", "2020-01-01"), "certificates", ["第 1 本证书：请选择证书等级"]),
        (certificate(0, "manager"), "certificates", ["第 1 本证书：请填写取得日期"]),
        # every wrong row, in order, counting only the rows filled in
        ({**period(0, "sales", "2021-06", "2019-03"), **period(1), **period(2, "", "2019-03", now=True)},
         "work_history", ["第 1 段经历：结束月份 2019-03 早于开始月份 2021-06", "第 2 段经历：请选择工作类型"]),
    ],
)  # fmt: skip
def test_a_wrong_row_is_named_in_a_clear_message(rows, field, messages):
    assert _errors(rows) == {field: messages}


def test_more_than_30_rows_are_refused():
    rows = {k: v for i in range(31) for k, v in period(i, "sales", f"{1990 + i}-01", f"{1990 + i}-06").items()}
    assert _errors(rows) == {"work_history": ["最多 30 条，实际 31 条"]}


def test_shown_again_the_rows_hold_what_was_typed_and_the_wrong_row_is_marked():
    form = _form({**PERSON, **period(0, "after_sales", "2021-06", "2019-03"), **period(4, "ecommerce", "2022-01",
                                                                                         now=True)})  # fmt: skip
    assert not form.is_valid()
    html = form["work_history"].as_widget(attrs={"class": "form-control is-invalid"})
    assert 'class="form-rows is-invalid"' in html
    first, second, third = html.split("<template")[0].split("<li ")[1:]
    assert "form-rows-row border rounded p-2 mb-2 is-invalid" in first  # only the wrong row is marked
    assert "is-invalid" not in second and "is-invalid" not in third
    assert '<option value="after_sales" selected>售后</option>' in first
    assert 'value="2021-06"' in first and 'value="2019-03"' in first
    assert '<option value="ecommerce" selected>电商</option>' in second and "checked" in second
    assert 'value=""' in third and "第 3 段经历" in third  # one blank row to go on with


# --- through the view ----------------------------------------------------------------------------------------


def _job():
    checklist = ChecklistFactory()
    for condition in (EXPERIENCE, CERTIFICATE):
        RequirementFactory(checklist=checklist, condition=condition)
    return JobFactory(checklists=[checklist])


@pytest.mark.django_db
def test_the_apply_page_shows_the_rows_and_the_stored_profile_gets_the_lists(client):
    job = _job()
    page = client.get(reverse("job_apply", args=[job.slug])).content.decode()
    assert "工作经历" in page and "添加一段经历" in page and "客户服务职业资格证书" in page
    assert "工作经验（年）" not in page  # no year totals to type: they come from the history
    data = {**PERSON, **period(0, "after_sales", "2019-03", "2021-06"), **period(1, "ecommerce", "2021-07", now=True),
            **certificate(0, "representative", "2018-05-01")}  # fmt: skip
    response = client.post(reverse("job_apply", args=[job.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    profile = Application.objects.get(job=job).profile
    assert profile["work_history"] == [
        {"field": "after_sales", "start": "2019-03", "end": "2021-06"},
        {"field": "ecommerce", "start": "2021-07", "end": None},
    ]
    assert profile["certificates"] == [{"level": "representative", "obtained_on": "2018-05-01"}]


@pytest.mark.django_db
def test_a_wrong_row_is_explained_on_the_page_with_everything_typed_kept(client):
    job = _job()
    data = {**PERSON, **period(0, "after_sales", "2021-06", "2019-03"), **certificate(0, "manager", "2018-05-01")}
    response = client.post(reverse("job_apply", args=[job.slug]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "第 1 段经历：结束月份 2019-03 早于开始月份 2021-06" in html
    assert 'value="2021-06"' in html and 'value="2018-05-01"' in html and 'value="陈静"' in html
    assert not Application.objects.exists()
