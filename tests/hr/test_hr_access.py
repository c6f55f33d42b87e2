"""No HR page or file is reachable anonymously or by staff outside the job's hiring team."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver, reverse

from screening.roles import ensure_roles
from tests.factories import ApplicationFactory, JobFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _hr_urls(job, application) -> list[str]:
    """Every route in the "hr" namespace, filled in with this job and application."""
    namespace = get_resolver().namespace_dict["hr"][1]
    urls = []
    for pattern in namespace.url_patterns:
        assert isinstance(pattern, URLPattern)
        params = pattern.pattern.converters
        kwargs = {name: job.slug if name == "slug" else application.pk for name in params}
        urls.append(reverse(f"hr:{pattern.name}", kwargs=kwargs))
    return urls


@pytest.fixture
def secret_job(django_user_model):
    insider = django_user_model.objects.create_user("insider", password="x", is_staff=True)
    insider.groups.add(ensure_roles())
    job = JobFactory(title="保密职位")
    job.hiring_team.add(insider)
    application = ApplicationFactory(job=job, applicant__name="保密的人")
    application.resume.save("cv.pdf", SimpleUploadedFile("cv.pdf", PDF))
    return job, application, insider


def test_every_hr_url_redirects_anonymous_visitors_to_login(client, secret_job):
    job, application, _insider = secret_job
    urls = _hr_urls(job, application)
    assert len(urls) >= 6  # the list, a job, import, detail, rescore, résumé …
    for url in urls:
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("login")), url


def test_every_hr_url_is_404_outside_the_hiring_team(client, secret_job, django_user_model):
    job, application, _insider = secret_job
    outsider = django_user_model.objects.create_user("outsider", password="x", is_staff=True)
    outsider.groups.add(ensure_roles())
    client.force_login(outsider)
    for url in _hr_urls(job, application):
        lists = (
            reverse("hr:job_list"), reverse("hr:review_queue"), reverse("hr:onboarding_list"), reverse("hr:pool"),
            reverse("hr:referrals"),  # the person's own links
        )  # fmt: skip
        if url in lists:  # lists: shown, of what this person may see only
            assert "保密" not in client.get(url).content.decode()
            continue
        for response in (client.get(url), client.post(url)):
            assert response.status_code in (404, 405), url  # 405: a POST-only action asked with GET
            assert "保密的人" not in response.content.decode()
        assert client.post(url).status_code == 404, url


def test_the_hiring_team_and_admins_see_the_job(client, secret_job, django_user_model):
    job, application, insider = secret_job
    for user in (insider, django_user_model.objects.create_superuser("root", "r@example.com", "x")):
        client.force_login(user)
        assert "保密职位" in client.get(reverse("hr:job_list")).content.decode()
        assert "保密的人" in client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
        resume = client.get(reverse("hr:application_resume", args=[application.pk]))
        assert resume.status_code == 200 and b"".join(resume.streaming_content) == PDF
        assert resume.headers["X-Content-Type-Options"] == "nosniff"


def test_staff_without_the_hr_role_see_nothing(client, secret_job, django_user_model):
    job, application, _insider = secret_job
    client.force_login(django_user_model.objects.create_user("clerk", password="x", is_staff=True))
    for url in _hr_urls(job, application):
        if url == reverse("hr:onboarding_list"):  # open to mentors and assessors, who need no HR role: their hires only
            assert "保密" not in client.get(url).content.decode()
            continue
        assert client.get(url).status_code in (302, 403, 404), url


def test_login_is_throttled_after_repeated_failures(client, django_user_model, settings):
    django_user_model.objects.create_user("hr-x", password="right-password")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "hr-x", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "hr-x", "password": "right-password"})
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
