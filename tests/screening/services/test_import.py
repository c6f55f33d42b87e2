"""Import applicants into a job from a job board export."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from screening.evidence import render_all
from screening.models import Applicant, Application, Evaluation
from screening.services import applications_score
from screening.services.importing import job_import_applicants
from tests.conftest import wait_for
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

HEADER = "姓名,手机,邮箱,性别,民族,年龄,学历,工作年限,打字速度\n"
ROWS = [
    "张伟,+86 138-0000-0001,zw@example.com,男,汉,25岁,大专,1-3年,60字/分\n",  # row 2: valid
    "李娜,13800000002,,女,汉,31,本科,10年以上,80\n",  # row 3: valid, no e-mail
    "王芳,12345,wf@example.com,女,汉,22,研究生院,应届生,50\n",  # row 4: bad phone and education
    "张伟,13800000001,zw@example.com,男,汉,25,大专,3年,60\n",  # row 5: same person as row 2
    ",13800000005,,女,汉,30,高中,2年,40\n",  # row 6: no name
]


def _job():
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    RequirementFactory(checklist=checklist, condition={"kind": "age_between", "min": 18, "max": 35})
    return JobFactory(checklists=[checklist])


def _csv(tmp_path, rows=ROWS):
    path = tmp_path / "boss-export.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8-sig")
    return path


@pytest.mark.django_db
def test_valid_rows_become_applications_and_invalid_rows_are_reported(tmp_path, django_capture_on_commit_callbacks):
    job = _job()
    with django_capture_on_commit_callbacks(execute=False):
        report = job_import_applicants(job=job, path=_csv(tmp_path))
    assert len(report.created) == 2
    assert report.duplicates == [(5, "张伟")]
    rows_with_errors = {(number, column) for number, column, _message in report.errors}
    assert {(4, "手机"), (4, "学历"), (6, "姓名")} <= rows_with_errors
    assert all(number in (4, 6) for number, _c, _m in report.errors)
    zhang = Application.objects.get(applicant__phone="13800000001")
    assert zhang.source == Application.Source.IMPORT
    # only what the job reads (education, age); age counted at the import date, not at every rescoring
    assert zhang.profile == {"age": 25, "education": "junior_college", "applied_on": str(timezone.localdate())}
    assert {"experience.total", "typing.cpm", "typing.measured"} <= set(report.dropped)


@pytest.mark.django_db
def test_unscored_columns_are_dropped_never_stored(tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = job_import_applicants(job=_job(), path=_csv(tmp_path))
    assert {"性别", "民族"} <= set(report.dropped)
    for application in Application.objects.all():
        stored = str(application.profile) + str(application.answers)
        assert "男" not in stored and "女" not in stored and "汉" not in stored


@pytest.mark.django_db
def test_person_who_already_applied_is_not_duplicated(tmp_path, django_capture_on_commit_callbacks):
    job = _job()
    ApplicationFactory(job=job, applicant=ApplicantFactory(email="other@example.com", phone="13800000002"))
    with django_capture_on_commit_callbacks(execute=False):
        report = job_import_applicants(job=job, path=_csv(tmp_path))
    assert (3, "李娜") in report.duplicates
    assert Application.objects.filter(job=job).count() == 2  # the earlier one and 张伟
    assert Applicant.objects.filter(phone="13800000002").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_imported_rows_are_scored_by_the_worker(celery_worker, tmp_path):
    job = _job()
    report = job_import_applicants(job=job, path=_csv(tmp_path))
    wait_for(lambda: Evaluation.objects.filter(application_id__in=report.created).count() == 2, timeout=20)
    zhang = Evaluation.objects.get(application__applicant__phone="13800000001")
    assert (zhang.score, zhang.recommendation) == (100, "advance")


@pytest.mark.django_db
def test_hr_imports_through_the_page_and_sees_the_report(hr_client, tmp_path, django_capture_on_commit_callbacks):
    job = _job()
    url = reverse("hr:job_import", args=[job.slug])
    assert hr_client.get(url).status_code == 200
    with _csv(tmp_path).open("rb") as f, django_capture_on_commit_callbacks(execute=False):
        html = hr_client.post(url, {"file": f}).content.decode()
    assert "已导入 2 人" in html
    assert "研究生院" in html  # the rejected value is shown next to its row
    assert Application.objects.filter(job=job).count() == 2


@pytest.mark.django_db
def test_import_refuses_other_file_types_with_a_message(hr_client, tmp_path):
    job = _job()
    bad = tmp_path / "list.pdf"
    bad.write_bytes(b"%PDF-1.4")
    with bad.open("rb") as f:
        html = hr_client.post(reverse("hr:job_import", args=[job.slug]), {"file": f}).content.decode()
    assert "只能导入 .csv 或 .xlsx 文件" in html
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_import_needs_permission(client, django_user_model):
    job = _job()
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    response = client.get(reverse("hr:job_import", args=[job.slug]))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_sensitive_columns_are_never_imported_even_when_the_job_reads_them(
    tmp_path, django_capture_on_commit_callbacks
):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "declared", "declaration": "good_health"})
    RequirementFactory(checklist=checklist, condition={"kind": "declared", "declaration": "accepts_shifts"})
    job = JobFactory(checklists=[checklist])
    path = tmp_path / "list.csv"
    path.write_text("姓名,手机,身体健康,无犯罪记录,接受轮班\n刘洋,13800000009,是,是,是\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=False):
        report = job_import_applicants(job=job, path=path)
    application = Application.objects.get(pk=report.created[0])
    # a list from a job board carries no consent of the person's own (PIPL art. 29)
    assert application.profile["declarations"] == {"accepts_shifts": True}
    assert {"declarations.good_health", "declarations.no_criminal_record"} <= set(report.dropped)


@pytest.mark.django_db
def test_only_the_keys_the_job_reads_are_stored_from_a_profile_file(tmp_path, django_capture_on_commit_callbacks):
    checklist = ChecklistFactory()
    for condition in (
        {"kind": "age_between", "min": 18},  # the age column stands in for a date of birth
        {"kind": "typing_at_least", "cpm": 40},  # the typing test reads every typing figure
        {"kind": "experience_at_least", "field": "customer_service", "years": 1},
        {"kind": "language_at_least", "language": "en", "level": "b1"},
        {"kind": "certificate_at_least", "level": "representative"},
        {"kind": "declared", "declaration": "good_health"},
        {"kind": "trait_at_least", "trait": "patience", "rating": 3},
        {"kind": "choice_answer", "question": "q1", "points": {"a": 1}},
    ):
        RequirementFactory(checklist=checklist, condition=condition)
    job = JobFactory(checklists=[checklist])
    path = tmp_path / "people.json"
    path.write_text(
        json.dumps(
            {
                "name": "刘洋",
                "phone": "13800000009",
                "applied_on": "2020-01-01",
                "age": 30,
                "education": "bachelor",
                "major": "英语",
                "typing": {"cpm": 70, "accuracy": 0.9, "measured": True},
                "experience": {"customer_service": 2, "total": 5},
                "languages": {"en": "b2", "ja": "a1"},
                "certificate": {"level": "manager", "years_since": 3},
                "platforms": ["jd"],
                "skills": ["excel"],
                "declarations": {"good_health": True, "accepts_shifts": True},
                "traits": {"patience": 4, "teamwork": 5},
                "answers": {"q1": "a", "q2": "b"},
            }
        ),
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=False):
        report = job_import_applicants(job=job, path=path)
    assert report.errors == []
    application = Application.objects.get(pk=report.created[0])
    assert application.profile == {
        "applied_on": str(timezone.localdate()),
        "age": 30,
        "typing": {"cpm": 70, "accuracy": 0.9, "measured": True},
        "experience": {"customer_service": 2},
        "languages": {"en": "b2"},
        "certificate": {"level": "manager"},
        "traits": {"patience": 4},
    }
    assert application.answers == {"q1": "a"}
    assert report.dropped == [
        "applied_on",
        "certificate.years_since",
        "declarations.accepts_shifts",
        "declarations.good_health",
        "education",
        "experience.total",
        "languages.ja",
        "major",
        "platforms",
        "skills",
        "traits.teamwork",
    ]


@pytest.mark.django_db
def test_technical_experience_is_imported_and_scored(tmp_path, django_capture_on_commit_callbacks):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "experience_at_least", "field": "technical", "years": 2})
    job = JobFactory(checklists=[checklist])
    path = tmp_path / "after-sales.csv"
    path.write_text("姓名,手机,技术经验,客服经验\n赵磊,13800000011,3年,1年\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=False):
        report = job_import_applicants(job=job, path=path)
    application = Application.objects.get(pk=report.created[0])
    assert application.profile == {"experience": {"technical": 3}, "applied_on": str(timezone.localdate())}
    assert "experience.customer_service" in report.dropped  # the job does not read it
    applications_score(application_ids=report.created)
    evaluation = Evaluation.objects.get(application=application)
    assert (evaluation.score, evaluation.recommendation) == (100, "advance")
    with translation.override("zh-hans"):
        assert render_all(evaluation.results[0]["evidence"]) == ["技术经验 3 年 ≥ 要求 2 年"]


@pytest.mark.django_db
def test_dated_history_and_certificates_are_imported_and_scored_and_bad_cells_reported(
    tmp_path, django_capture_on_commit_callbacks
):
    # seed 002: 高级客户服务代表 needs "获得客户服务代表证书后从事相关工作2年以上", which only dated lists can tell
    checklist = ChecklistFactory()
    after_certificate = {"kind": "experience_at_least", "fields": ["customer_service", "after_sales"], "years": 2,
                         "after": {"certificate": "representative"}}  # fmt: skip
    RequirementFactory(checklist=checklist, condition=after_certificate)
    RequirementFactory(checklist=checklist, condition={"kind": "certificate_at_least", "level": "representative"})
    job = JobFactory(checklists=[checklist])
    path = tmp_path / "zhilian.csv"
    path.write_text(
        "姓名,手机,工作经历,证书记录,学历\n"
        "周敏,13800000021,2017-03~2019-12 电商；2020-01~2023-12 售后,客户服务代表 2019-11-15,大专\n"
        "吴刚,13800000022,2020-01~2018-06 售后,客户服务代表 2018-05,高中\n"  # row 3: end before start
        "郑爽,13800000023,无,客户服务代表 2099-01-01,高中\n",  # row 4: obtained in the future
        encoding="utf-8",
    )
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=False):
        report = job_import_applicants(job=job, path=path)
    assert report.errors == [
        (3, "工作经历", "第 1 段经历：结束月份 2018-06 早于开始月份 2020-01"),
        (4, "证书记录", "第 1 本证书：取得日期 2099-01-01 在将来"),
    ]
    (application,) = Application.objects.filter(pk__in=report.created)
    assert application.profile == {
        "work_history": [
            {"field": "ecommerce", "start": "2017-03", "end": "2019-12"},
            {"field": "after_sales", "start": "2020-01", "end": "2023-12"},
        ],
        "certificates": [{"level": "representative", "obtained_on": "2019-11-15"}],
        "applied_on": str(timezone.localdate()),
    }
    assert "education" in report.dropped  # the job does not read it
    applications_score(application_ids=report.created)
    evaluation = Evaluation.objects.get(application=application)
    assert (evaluation.score, evaluation.recommendation) == (100, "advance")
    with translation.override("zh-hans"):
        # after-sales from 2020-01 to 2023-12 is 4 years after the certificate; e-commerce before it is not counted
        assert render_all(evaluation.results[0]["evidence"]) == [
            "取得客户服务代表证书（2019-11-15）后客服、售后经验 4 年 ≥ 要求 2 年"
        ]
