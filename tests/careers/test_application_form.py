"""The application form itself: which fields a job's requirements ask for, where, and the profile they make."""

from datetime import timedelta

import pytest
from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import HTML
from django.utils import timezone, translation

from screening import rules
from screening.careers.forms import ApplicationForm

EVERY_KEY = [
    {"kind": "age_between", "min": 18, "max": 40},
    {"kind": "education_at_least", "level": "senior_high"},
    {"kind": "major_matches", "keywords": ["电子商务"]},
    *({"kind": "experience_at_least", "field": f, "years": 1} for f in ("total", "sales", "customer_service")),
    {"kind": "certificate_at_least", "level": "representative", "years_since": 1},
    {"kind": "platforms_any", "platforms": ["taobao"]},
    {"kind": "typing_at_least", "cpm": 50},
    {"kind": "language_at_least", "language": "ja", "level": "a2"},
    {"kind": "language_at_least", "language": "en", "level": "b1"},
    {"kind": "skill_has", "skill": "excel"},
    {"kind": "trait_at_least", "trait": "service_mindset", "rating": 3},
    {"kind": "trait_at_least", "trait": "patience", "rating": 3},
    *({"kind": "declared", "declaration": d} for d in ("accepts_shifts", "good_health", "no_criminal_record")),
]


def _form(conditions, data=None) -> ApplicationForm:
    requirements = [
        rules.Requirement(checklist="c", code=f"r{i}", title="t", condition=c) for i, c in enumerate(conditions)
    ]
    return ApplicationForm(data, requirements=requirements, questions=[])


def _layout(form) -> list[tuple[str, list[str]]]:
    """(section title, its items): a field's name, "inline:<name>" for inline radios, "html" for a widget."""

    def item(i):
        if isinstance(i, InlineRadios):
            return f"inline:{i.fields[0]}"
        return "html" if isinstance(i, HTML) else i

    return [(str(f.legend), [item(i) for i in f.fields]) for f in form.helper.layout.fields if hasattr(f, "legend")]


def test_every_key_a_job_reads_is_asked_in_its_section_in_a_fixed_order():
    with translation.override("zh-hans"):
        form = _form(EVERY_KEY)
        layout = _layout(form)
    assert layout == [
        ("基本信息", ["name", "email", "phone"]),
        (
            "教育与经历",
            [
                "date_of_birth",
                "education",
                "major",
                "work_history",  # instead of a year total per field: the engine derives them
                "certificates",  # every one held, dated, instead of the highest level and its years
                "platforms",
            ],
        ),
        (
            "技能与素质",
            [
                "html",
                "typing_result",
                "language_en",
                "language_ja",
                "skills",
                "inline:trait_patience",
                "inline:trait_service_mindset",
            ],
        ),
        (
            "声明",
            [
                "consent_criminal_record",
                "inline:declare_no_criminal_record",
                "consent_health",
                "inline:declare_good_health",
                "inline:declare_accepts_shifts",
            ],
        ),
        ("简历", ["resume"]),
        ("隐私", ["html", "consent_privacy"]),
    ]


def test_field_labels_and_choices_in_chinese():
    with translation.override("zh-hans"):
        fields = _form(EVERY_KEY).fields
        labels = {name: str(field.label) for name, field in fields.items() if field.label}
    assert labels == {
        "name": "姓名",
        "email": "邮箱",
        "phone": "手机号",
        "date_of_birth": "出生日期",
        "education": "最高学历",
        "major": "所学专业",
        "work_history": "工作经历",
        "certificates": "客户服务职业资格证书",
        "platforms": "做过哪些电商平台",
        "language_en": "英语水平",
        "language_ja": "日语水平",
        "skills": "掌握的技能",
        "trait_patience": "耐心（自评 1–5）",
        "trait_service_mindset": "服务意识（自评 1–5）",
        "consent_criminal_record": "我同意为本次招聘处理我的犯罪记录信息（仅用于本次背景核查）",
        "declare_no_criminal_record": "无犯罪记录",
        "consent_health": "我同意为本次招聘处理我的健康信息（仅用于判断能否胜任岗位）",
        "declare_good_health": "身体健康",
        "declare_accepts_shifts": "接受轮班",
        "resume": "上传简历",
        "consent_privacy": "我已阅读并同意《应聘者隐私说明》",
    }
    assert [str(label) for _code, label in fields["education"].choices][:3] == ["---------", "无", "初中"]
    history, certificates = fields["work_history"].widget.inputs, fields["certificates"].widget.inputs
    assert [(i.name, i.kind) for i in history] == [("field", "select"), ("start", "month"), ("end", "month"),
                                                   ("now", "until")]  # fmt: skip
    assert [code for code, _label in history[0].choices] == [
        "", "customer_service", "ecommerce", "after_sales", "clerical", "sales", "technical",
    ]  # fmt: skip
    assert [(i.name, i.kind) for i in certificates] == [("level", "select"), ("obtained_on", "date")]
    assert [code for code, _label in certificates[0].choices] == [
        "", "representative", "senior_representative", "assistant_manager", "manager", "senior_manager",
    ]  # fmt: skip
    assert list(dict(fields["language_ja"].choices)) == ["none", "a1", "a2", "b1", "b2", "c1", "c2"]
    assert list(dict(fields["trait_patience"].choices)) == [1, 2, 3, 4, 5]
    assert not fields["work_history"].required and not fields["certificates"].required  # none: leave the rows
    assert not fields["major"].required
    # a sensitive question may be left unanswered; the others may not
    assert not fields["declare_good_health"].required and not fields["consent_health"].required
    assert fields["declare_accepts_shifts"].required


VALID = {
    "name": "陈静",
    "email": "chenjing@example.com",
    "phone": "13912345678",
    "consent_privacy": "on",
    "date_of_birth": "1998-05-01",
    "education": "junior_college",
    "major": " 电子商务 ",
    # the rows as posted: the second period before the first, a blank third row, an index gap (a row removed)
    "work_history-0-field": "customer_service",
    "work_history-0-start": "2022-03",
    "work_history-0-end": "",
    "work_history-0-now": "on",
    "work_history-1-field": "sales",
    "work_history-1-start": "2019-07",
    "work_history-1-end": "2021-12",
    "work_history-2-field": "",
    "work_history-2-start": "",
    "work_history-2-end": "",
    "certificates-0-level": "manager",
    "certificates-0-obtained_on": "2023-06-30",
    "certificates-3-level": "representative",
    "certificates-3-obtained_on": "2018-05-01",
    "platforms": ["taobao", "jd"],
    "language_en": "b1",
    "language_ja": "none",
    "trait_patience": "4",
    "trait_service_mindset": "5",
    "declare_accepts_shifts": "no",
    "declare_no_criminal_record": "yes",
    "consent_criminal_record": "on",
}
WITHOUT_TYPING = [c for c in EVERY_KEY if c["kind"] != "typing_at_least"]


def test_the_profile_holds_every_answer_as_vocabulary_codes():
    form = _form(WITHOUT_TYPING, VALID)
    assert form.is_valid(), form.errors
    assert form.profile() == {
        "applied_on": timezone.localdate().isoformat(),
        "date_of_birth": "1998-05-01",
        "education": "junior_college",
        "major": "电子商务",
        "work_history": [  # oldest first
            {"field": "sales", "start": "2019-07", "end": "2021-12"},
            {"field": "customer_service", "start": "2022-03", "end": None},
        ],
        "certificates": [
            {"level": "representative", "obtained_on": "2018-05-01"},
            {"level": "manager", "obtained_on": "2023-06-30"},
        ],
        "platforms": ["taobao", "jd"],
        "languages": {"en": "b1", "ja": "none"},
        "skills": [],  # asked and none ticked: known to be none
        "traits": {"patience": 4, "service_mindset": 5},
        "declarations": {"accepts_shifts": False, "no_criminal_record": True},  # health left unanswered: unknown
    }
    assert form.consents() == ["privacy", "criminal_record"]


def test_optional_answers_left_blank_are_unknown_not_stored_and_rows_left_blank_are_none():
    blank_rows = {k: "" for k in VALID if k.startswith(("work_history-", "certificates-"))}
    form = _form(WITHOUT_TYPING, {**VALID, "major": "", **blank_rows})
    assert form.is_valid(), form.errors
    profile = form.profile()
    assert "major" not in profile
    # asked and no row filled in: no work and no certificate, as the year totals' 0 and 无证书 said before
    assert profile["work_history"] == [] and profile["certificates"] == []


def test_a_future_or_implausible_date_of_birth_is_refused():
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    for born in (tomorrow, "1920-01-01"):
        with translation.override("zh-hans"):
            form = _form(WITHOUT_TYPING, {**VALID, "date_of_birth": born})
            assert not form.is_valid()
            assert form.errors["date_of_birth"] == ["请填写真实的出生日期"]


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_a_sensitive_answer_needs_its_own_consent(answer):
    with translation.override("zh-hans"):
        form = _form(WITHOUT_TYPING, {**VALID, "declare_good_health": answer})
        assert not form.is_valid()
        assert form.errors["declare_good_health"] == ["回答这个问题前，请先勾选上面的同意；也可以不回答"]
    form = _form(WITHOUT_TYPING, {**VALID, "declare_good_health": answer, "consent_health": "on"})
    assert form.is_valid(), form.errors
    assert form.profile()["declarations"]["good_health"] is (answer == "yes")
    assert form.consents() == ["privacy", "health", "criminal_record"]


def test_experience_in_any_field_is_asked_as_the_dated_history_and_scored_from_it():
    technical = {"kind": "experience_at_least", "field": "technical", "years": 1}
    with translation.override("zh-hans"):
        form = _form([technical])
        background = dict(_layout(form))["教育与经历"]
    assert background == ["work_history"]
    assert not any(name.startswith("experience_") for name in form.fields)
    assert "work_history" not in _form([{"kind": "education_at_least", "level": "senior_high"}]).fields
    rows = {"work_history-0-field": "technical", "work_history-0-start": "2024-01", "work_history-0-end": "2025-06"}
    person = {k: v for k, v in VALID.items() if not k.startswith(("work_history-", "certificates-"))}
    form = _form([technical], {**person, **rows})
    assert form.is_valid(), form.errors
    profile = form.profile()
    assert profile["work_history"] == [{"field": "technical", "start": "2024-01", "end": "2025-06"}]
    assert "experience" not in profile
    requirement = rules.Requirement(checklist="c", code="r", title="t", condition=technical)
    (result,) = rules.score_profile([requirement], profile, threshold=60, today=timezone.localdate()).results
    assert (result["status"], result["evidence"][0]["params"]["years"]) == ("met", 1.5)
