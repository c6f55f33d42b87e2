"""The candidate portal: uploads, consent, duplicates, the private status link, rate limits."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from screening import services
from screening.models import Applicant, Application, Consent, Job, StatusLink
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _job(*conditions, resume_required=False):
    checklist = ChecklistFactory()
    for condition in conditions or ({"kind": "education_at_least", "level": "senior_high"},):
        RequirementFactory(checklist=checklist, condition=condition)
    job = JobFactory(checklists=[checklist])
    if resume_required:
        Job.objects.filter(pk=job.pk).update(resume_required=True)
    return job


def _data(**extra):
    return {"name": "陈静", "email": "chenjing@example.com", "phone": "13912345678", "education": "bachelor",
            "consent_privacy": "on", **extra}  # fmt: skip


def _post(client, job, data, **files):
    return client.post(reverse("job_apply", args=[job.slug]), {**data, **files}, REMOTE_ADDR="10.1.1.1")


@pytest.fixture
def quiet_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        yield callbacks


# -- resume uploads ---------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "content"), [("cv.pdf", PDF), ("cv.png", PNG), ("cv.docx", _docx())])
def test_real_files_are_accepted_and_stored_under_a_random_name(client, quiet_commit, settings, name, content):
    job = _job()
    response = _post(client, job, _data(), resume=SimpleUploadedFile(name, content))
    assert response.status_code == 302
    stored = Application.objects.get().resume
    assert stored.name.startswith("resumes/") and "cv" not in stored.name
    assert str(settings.MEDIA_ROOT) in stored.path and str(settings.STATIC_ROOT) not in stored.path


def test_polyglot_png_with_html_named_pdf_is_refused(client, quiet_commit):
    job = _job()
    polyglot = PNG + b"<html><script>alert(1)</script></html>"
    response = _post(client, job, _data(), resume=SimpleUploadedFile("cv.pdf", polyglot, "application/pdf"))
    assert response.status_code == 200
    assert "文件内容不是真正的 PDF 文件" in response.content.decode()
    assert not Application.objects.exists()


def test_html_renamed_to_png_and_unknown_types_are_refused(client, quiet_commit):
    job = _job()
    html = _post(client, job, _data(), resume=SimpleUploadedFile("cv.png", b"<html></html>", "image/png"))
    assert "文件内容不是真正的 PNG 文件" in html.content.decode()
    exe = _post(client, job, _data(), resume=SimpleUploadedFile("cv.exe", b"MZ\x90\x00", "application/x-msdownload"))
    assert "简历只接受 PDF、DOCX、JPG 或 PNG 文件" in exe.content.decode()
    assert not Application.objects.exists()


def test_oversized_file_is_refused(client, quiet_commit):
    job = _job()
    big = SimpleUploadedFile("cv.pdf", PDF + b"0" * (5 * 1024 * 1024))
    response = _post(client, job, _data(), resume=big)
    assert "简历文件不能超过 5 MB" in response.content.decode()
    assert not Application.objects.exists()


def test_a_valid_resume_is_kept_when_another_field_is_wrong(client, quiet_commit):
    job = _job()
    first = _post(client, job, _data(phone="123"), resume=SimpleUploadedFile("我的简历.pdf", PDF))
    html = first.content.decode()
    assert "已保留您上传的简历：我的简历.pdf" in html
    pending = first.context["form"].data["resume_pending"]
    second = _post(client, job, _data(resume_pending=pending))
    assert second.status_code == 302
    assert Application.objects.get().resume.read() == PDF


def test_required_resume_is_asked_for(client, quiet_commit):
    job = _job(resume_required=True)
    response = _post(client, job, _data())
    assert "这个职位需要上传简历" in response.content.decode()


# -- consent and data minimisation ----------------------------------------------------------
HEALTH = {"kind": "declared", "declaration": "good_health"}
CRIMINAL = {"kind": "declared", "declaration": "no_criminal_record"}


def test_job_not_reading_health_or_criminal_record_never_asks(client):
    job = _job(
        {"kind": "education_at_least", "level": "senior_high"}, {"kind": "declared", "declaration": "accepts_shifts"}
    )
    html = client.get(reverse("job_apply", args=[job.slug])).content.decode()
    fields = set(client.get(reverse("job_apply", args=[job.slug])).context["form"].fields)
    assert not {f for f in fields if "health" in f or "criminal" in f}
    assert "身体健康" not in html and "犯罪" not in html


def test_sensitive_answer_without_consent_is_refused(client, quiet_commit):
    job = _job(HEALTH)
    response = _post(client, job, _data(declare_good_health="yes"))
    assert response.status_code == 200
    assert "回答这个问题前，请先勾选上面的同意" in response.content.decode()
    assert not Application.objects.exists()


def test_sensitive_answer_with_consent_is_recorded_with_the_notice_version(client, quiet_commit, settings):
    job = _job(HEALTH, CRIMINAL)
    response = _post(client, job, _data(declare_good_health="yes", consent_health="on"))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.profile["declarations"] == {"good_health": True}
    consents = {c.category: c for c in Consent.objects.filter(application=application)}
    assert set(consents) == {"privacy", "health"}
    assert consents["health"].notice_version == settings.PRIVACY_NOTICE_VERSION


def test_privacy_consent_is_required(client, quiet_commit):
    job = _job()
    data = _data()
    del data["consent_privacy"]
    response = _post(client, job, data)
    assert "请阅读并同意隐私说明后再提交" in response.content.decode()


# -- duplicates ----------------------------------------------------------------------------------
def test_applying_again_changes_nothing_and_mails_the_owner_a_link(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    job = _job()
    with django_capture_on_commit_callbacks(execute=False):
        assert _post(client, job, _data(education="senior_high")).status_code == 302
    from django.test import Client

    stranger = Client()  # knows the e-mail, not the link
    with django_capture_on_commit_callbacks(execute=True):
        again = stranger.post(
            reverse("job_apply", args=[job.slug]),
            _data(name="冒名者", education="bachelor", email="chenjing@example.com", phone="13700000000"),
            REMOTE_ADDR="10.3.3.3",
        )
    # the same page as any submission: nothing tells the stranger that this person applied
    assert again.status_code == 302 and again.url.split("?")[0] == reverse("job_applied", args=[job.slug])
    application = Application.objects.get()
    assert (application.applicant.name, application.profile["education"]) == ("陈静", "senior_high")
    assert Applicant.objects.count() == 1
    assert [m.to for m in mailoutbox] == [["chenjing@example.com"]]
    assert "没有修改您原来的申请" in mailoutbox[0].body and "/status/" in mailoutbox[0].body


def test_the_owner_updates_after_opening_the_link(client, quiet_commit):
    job = _job()
    assert _post(client, job, _data(education="senior_high")).status_code == 302
    application = Application.objects.get()
    token = services.application_issue_status_token(application=application)
    _open_link(client, token)
    again = _post(client, job, _data(education="bachelor", phone="+86 139-1234-5678"))
    assert again.status_code == 200
    assert "再次提交会用这次填写的内容更新原来的申请" in again.content.decode()
    assert Application.objects.get().profile["education"] == "senior_high"
    confirmed = _post(client, job, _data(education="bachelor", confirm_update="1"))
    assert confirmed.status_code == 302
    assert Application.objects.count() == 1 and Applicant.objects.count() == 1
    assert Application.objects.get().profile["education"] == "bachelor"
    assert services.application_by_status_token(token) is not None  # the owner's link still works


def test_only_a_full_match_joins_a_person_and_nothing_on_file_changes():
    from screening.services import applicant_find_or_create

    first = applicant_find_or_create(name="甲", email="a@example.com", phone="13800000001")
    again = applicant_find_or_create(name="甲", email="A@example.com ", phone="")  # a list without the mobile
    other = applicant_find_or_create(name="乙", email="b@example.com", phone="13800000002")
    # e-mail of one person, mobile of another: a third person, flagged, and nothing moved
    mixed = applicant_find_or_create(name="甲", email="a@example.com", phone="13800000002")
    assert first == again and len({first.pk, other.pk, mixed.pk}) == 3
    assert (mixed.possible_duplicate, first.possible_duplicate, other.possible_duplicate) == (True, False, False)
    assert Applicant.objects.get(pk=first.pk).phone == "13800000001"
    assert Applicant.objects.get(pk=other.pk).phone == "13800000002"


# -- the private status link ---------------------------------------------------------------------
def _apply_and_get_token(client, job):
    response = _post(client, job, _data())
    assert response.status_code == 302
    page = client.get(response.url)
    return page, services.application_issue_status_token(application=Application.objects.get())


def test_confirmation_tells_to_check_email_and_only_the_token_hash_is_stored(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    job = _job()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, job, _data())
    page = client.get(response.url).content.decode()
    assert "我们已把私人进度链接发到您的邮箱" in page and "/status/" not in page
    token = mailoutbox[0].body.split("/status/")[1].split("/")[0]
    assert len(token) >= 40
    application = Application.objects.get()
    assert token not in str(list(application.status_links.values_list("token_hash", flat=True)))
    assert services.application_by_status_token(token) == application


def test_confirmation_email_carries_the_status_link(client, mailoutbox, django_capture_on_commit_callbacks):
    job = _job()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("job_apply", args=[job.slug]), _data(), REMOTE_ADDR="10.1.1.2")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["chenjing@example.com"]
    token = mailoutbox[0].body.split("/status/")[1].split("/")[0]
    assert services.application_by_status_token(token) == Application.objects.get()


def _open_link(client, token):
    """Follow the e-mailed link: it binds the application to this browser and leaves no secret in the URL."""
    response = client.get(reverse("application_status", args=[token]))
    assert response.status_code == 302 and response.headers["Referrer-Policy"] == "no-referrer"
    assert token not in response.url
    return response.url


def test_status_page_shows_the_stage_and_lets_the_candidate_withdraw(client, quiet_commit):
    _page, token = _apply_and_get_token(client, _job())
    url = _open_link(client, token)
    assert "我们已收到您的申请" in client.get(url).content.decode()
    pk = Application.objects.get().pk
    client.post(reverse("application_status_withdraw", args=[pk]))
    assert Application.objects.get().stage == Application.Stage.WITHDRAWN
    assert "您已撤回这份申请" in client.get(url).content.decode()


def test_status_pages_need_the_link_in_this_browser(client, quiet_commit):
    from django.test import Client

    _page, token = _apply_and_get_token(client, _job())
    _open_link(client, token)
    pk = Application.objects.get().pk
    stranger = Client()
    for name in ("application_status_page", "application_status_data", "application_status_delete"):
        assert stranger.get(reverse(name, args=[pk])).status_code == 404
    assert stranger.post(reverse("application_status_withdraw", args=[pk])).status_code == 404
    assert Application.objects.get().stage == Application.Stage.APPLIED


def test_candidate_downloads_their_data_as_json(client, quiet_commit):
    _page, token = _apply_and_get_token(client, _job())
    _open_link(client, token)
    response = client.get(reverse("application_status_data", args=[Application.objects.get().pk]))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["applicant"] == {"name": "陈静", "email": "chenjing@example.com", "phone": "13912345678"}
    assert data["profile"]["education"] == "bachelor"
    assert [c["category"] for c in data["consents"]] == ["privacy"]


def test_candidate_deletes_their_data_and_the_file(client, quiet_commit, django_capture_on_commit_callbacks):
    job = _job()
    _post(client, job, _data(), resume=SimpleUploadedFile("cv.pdf", PDF))
    application = Application.objects.get()
    token = services.application_issue_status_token(application=application)
    path = application.resume.path
    _open_link(client, token)
    delete = reverse("application_status_delete", args=[application.pk])
    assert client.post(delete).status_code == 200  # not confirmed: nothing deleted
    assert Application.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete, {"confirm": "yes"})
    assert not Application.objects.exists() and not Applicant.objects.exists()
    import os

    assert not os.path.exists(path)
    assert client.get(reverse("application_status", args=[token])).status_code == 404


def test_tampered_or_expired_token_gets_404(client, quiet_commit):
    _page, token = _apply_and_get_token(client, _job())
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("application_status", args=[tampered])).status_code == 404
    page = _open_link(client, token)
    StatusLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("application_status", args=[token])).status_code == 404
    assert client.get(page).status_code == 404  # an expired link also closes the page it opened


# -- abuse -----------------------------------------------------------------------------------------
def test_sixth_rapid_submission_from_one_client_is_refused(client, quiet_commit, settings):
    settings.APPLY_RATE = "5/h"  # same limit, a window the six requests cannot straddle (5/m windows can)
    job = _job()

    def submit(i, ip="10.9.9.9"):
        data = _data(email=f"p{i}@example.com", phone=f"1370000000{i}")
        return client.post(reverse("job_apply", args=[job.slug]), data, REMOTE_ADDR=ip).status_code

    assert [submit(i) for i in range(6)] == [302] * 5 + [429]
    assert Application.objects.count() == 5
    assert submit(7, ip="10.9.9.10") == 302  # another client is not affected


def test_correcting_mistakes_does_not_count_against_the_limit(client, quiet_commit, settings):
    settings.APPLY_RATE = "2/h"
    job = _job()
    for _ in range(5):  # a candidate fighting with the phone field
        assert (
            client.post(reverse("job_apply", args=[job.slug]), _data(phone="123"), REMOTE_ADDR="10.8.8.8").status_code
            == 200
        )
    assert client.post(reverse("job_apply", args=[job.slug]), _data(), REMOTE_ADDR="10.8.8.8").status_code == 302


def test_forms_are_csrf_protected(quiet_commit):
    from django.test import Client

    job = _job()
    response = Client(enforce_csrf_checks=True).post(reverse("job_apply", args=[job.slug]), _data())
    assert response.status_code == 403
    assert not Application.objects.exists()


# -- careers site --------------------------------------------------------------------------------
def test_careers_search_and_filters(client):
    JobFactory(title="售后客服", location="广州", employment_type=Job.EmploymentType.FULL_TIME)
    JobFactory(title="双11 临时客服", location="杭州", employment_type=Job.EmploymentType.SEASONAL)

    def titles(**params):
        return [j.title for j in client.get(reverse("careers"), params).context["jobs"]]

    assert titles(q="售后") == ["售后客服"]
    assert titles(location="杭州") == ["双11 临时客服"]
    assert titles(employment_type="seasonal", location="广州") == []
    assert len(titles()) == 2


def test_pending_resumes_are_purged_after_a_day(settings, tmp_path):
    import os
    import time

    from screening.uploads import keep_pending, load_pending, purge_pending

    settings.MEDIA_ROOT = tmp_path
    fresh = keep_pending(SimpleUploadedFile("a.pdf", PDF), ".pdf")
    old = keep_pending(SimpleUploadedFile("b.pdf", PDF), ".pdf")
    _file, old_name = load_pending(old)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(tmp_path / old_name, (two_days_ago, two_days_ago))
    assert purge_pending() == 1
    assert load_pending(old) is None and load_pending(fresh) is not None


def test_a_missing_typing_test_is_said_inside_the_widget(client):
    job = _job({"kind": "typing_at_least", "cpm": 50})
    html = _post(client, job, _data()).content.decode()
    widget = html[html.index("data-typing-test") :]
    assert "请完成打字测试" in widget[: widget.index("</section>")]


def test_the_confirmation_page_opens_only_right_after_applying(client, quiet_commit):
    job = _job()
    url = reverse("job_applied", args=[job.slug])
    assert client.get(url).url == reverse("job_detail", args=[job.slug])  # typed in by hand
    assert client.get(url, {"done": "forged"}).url == reverse("job_detail", args=[job.slug])
    response = _post(client, job, _data())
    assert response.status_code == 302 and response.url.startswith(url + "?done=")
    page = client.get(response.url)
    assert page.status_code == 200
    assert "申请已收到" in page.content.decode() and f"感谢您申请“{job.title}”" in page.content.decode()
    other = _job()  # the mark of one job does not open another's page
    assert client.get(reverse("job_applied", args=[other.slug]) + response.url[len(url) :]).status_code == 302
