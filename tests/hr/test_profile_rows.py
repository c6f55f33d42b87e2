"""A stored profile in words on HR's detail page (screening/hr/profile_view.py)."""

import pytest
from django.urls import reverse
from django.utils import translation

from screening.hr.profile_view import profile_rows
from tests.factories import ApplicationFactory, JobFactory

PROFILE = {
    "applied_on": "2025-03-01",
    "date_of_birth": "1998-05-01",
    "age": 26,
    "education": "junior_college",
    "major": "电子商务",
    "experience": {"customer_service": 1.5, "total": 3},
    "typing": {"cpm": 62, "accuracy": 0.97, "measured": True, "flags": ["pasted"]},
    "languages": {"en": "b1", "xx": "a2"},
    "certificate": {"level": "manager", "years_since": 2},
    "platforms": ["taobao", "jd"],
    "skills": [],
    "declarations": {"accepts_shifts": True, "good_health": True, "no_criminal_record": False},
    "traits": {"patience": 4},
    "answers": {"q1": "a"},
    "chat": {"refund": {"measured": True, "turns": []}},
}


def test_every_key_in_words_in_chinese_and_never_the_sensitive_answers():
    with translation.override("zh-hans"):
        rows = profile_rows(PROFILE)
    assert rows == [
        ("出生日期", "1998-05-01"),
        ("年龄", "26"),
        ("学历", "大专"),
        ("专业", "电子商务"),
        ("客服经验", "1.5 年"),
        ("全部工作经验", "3 年"),
        ("打字", "62 字/分钟，准确率 97% · 本站实测 · 尝试粘贴"),
        ("英语", "B1 中级（约四级）"),
        ("xx", "A2 基础"),  # a language without a label keeps its code
        ("证书", "客户服务管理师（已满 2 年）"),
        ("电商平台", "淘宝、京东"),
        ("技能", "无"),
        ("接受轮班", "是"),
        ("耐心", "4/5"),
    ]


def test_in_english_when_the_reader_asks():
    profile = {
        "experience": {"after_sales": 2},
        "typing": {"cpm": 40, "measured": False},
        "declarations": {"accepts_peak_overtime": False},
    }
    with translation.override("en"):
        rows = profile_rows(profile)
    assert rows == [
        ("After-sales experience", "2 years"),
        ("Typing", "40 chars/min · self-reported"),
        ("Accepts overtime during peak sales", "No"),
    ]


def test_unknown_keys_make_no_rows():
    assert profile_rows({}) == []
    assert profile_rows({"major": "", "typing": {}, "certificate": {}}) == []


def test_technical_experience_has_its_row():
    with translation.override("zh-hans"):
        assert profile_rows({"experience": {"technical": 2, "total": 4}}) == [
            ("技术经验", "2 年"),
            ("全部工作经验", "4 年"),
        ]


@pytest.mark.django_db
def test_technical_experience_is_on_the_detail_page(hr_client):
    application = ApplicationFactory(job=JobFactory(), profile={"experience": {"technical": 2.5}})
    html = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    profile_section = html[html.index('id="profile"') : html.index('id="answers"')]
    assert "技术经验" in profile_section and "2.5 年" in profile_section


DATED = {
    "applied_on": "2025-03-01",
    "work_history": [
        {"field": "after_sales", "start": "2019-03", "end": "2021-06"},
        {"field": "ecommerce", "start": "2021-07", "end": None},
    ],
    "certificates": [
        {"level": "representative", "obtained_on": "2018-05-01"},
        {"level": "assistant_manager", "obtained_on": "2021-09-30"},
    ],
}


def test_the_dated_history_and_every_certificate_have_a_row_each_entry_on_its_own_line():
    with translation.override("zh-hans"):
        rows = profile_rows(DATED)
    assert rows == [
        # 28 months; 至今: until the day of the application (2025-03-01), 3 years and 8 months, in completed tenths
        ("工作经历", "售后：2019-03 – 2021-06（2.3 年）\n电商：2021-07 – 至今（3.6 年）"),
        ("持有的证书", "客户服务代表（2018-05-01 取得）\n助理客户服务管理师（2021-09-30 取得）"),
    ]


def test_lists_given_empty_say_none_and_the_job_board_certificate_keeps_its_row():
    profile = {"work_history": [], "certificates": [], "certificate": {"level": "manager", "years_since": 2}}
    with translation.override("zh-hans"):
        assert profile_rows(profile) == [
            ("工作经历", "无"),
            ("证书", "客户服务管理师（已满 2 年）"),
            ("持有的证书", "无证书"),
        ]


@pytest.mark.django_db
def test_the_detail_page_shows_each_period_and_certificate_on_its_own_line(hr_client):
    application = ApplicationFactory(job=JobFactory(), profile=DATED)
    html = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    profile_section = html[html.index('id="profile"') : html.index('id="answers"')]
    assert "售后：2019-03 – 2021-06（2.3 年）<br>电商：2021-07 – 至今（3.6 年）" in profile_section
    assert "客户服务代表（2018-05-01 取得）<br>助理客户服务管理师（2021-09-30 取得）" in profile_section
