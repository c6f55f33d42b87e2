"""Operational hardening (issue 11): upload size, health polling, login throttling, production settings, sessions."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from screening.models import Application
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BOUNDARY = "hardening-boundary"
MB = 1024 * 1024


def _job():
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    return JobFactory(checklists=[checklist])


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def _bytes_in(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class StreamingUpload:
    """A multipart body with one résumé of `size` bytes, made while it is read (never held in memory). Records
    how many bytes were read and the most bytes found in `watch` (the upload temp dir) while reading."""

    def __init__(self, size: int, watch: Path):
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="resume"; filename="cv.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.size = size
        self.filler = size - len(self.head) - len(self.tail)
        self.position = 0
        self.watch = watch
        self.peak_on_disk = 0

    def read(self, size: int = -1) -> bytes:
        self.peak_on_disk = max(self.peak_on_disk, _bytes_in(self.watch))
        if size is None or size < 0:
            size = self.size - self.position
        size = min(size, self.size - self.position)
        start = self.position
        end = start + size
        head_end, tail_start = len(self.head), self.size - len(self.tail)
        chunk = bytearray()
        if start < head_end:
            chunk += self.head[start : min(end, head_end)]
        filler = max(0, min(end, tail_start) - max(start, head_end))
        chunk += b"0" * filler
        if end > tail_start:
            chunk += self.tail[max(start, tail_start) - tail_start : end - tail_start]
        self.position = end
        return bytes(chunk)

    readline = read  # the multipart parser reads in chunks; the WSGI stream wrapper only needs it to exist

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={BOUNDARY}"


# -- 5. uploads: refused before they are written, kept résumés capped per client ---------------------------
@pytest.mark.django_db
def test_an_oversized_upload_is_refused_with_413_before_anything_is_written(client, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    job = _job()
    media = Path(settings.MEDIA_ROOT)
    media_before = _files(media)
    body = StreamingUpload(64 * MB, watch=tmp_path)
    response = client.generic(
        "POST",
        reverse("job_apply", args=[job.slug]),
        CONTENT_TYPE=body.content_type,
        CONTENT_LENGTH=str(body.size),
        REMOTE_ADDR="10.5.5.1",
        **{"wsgi.input": body},
    )
    assert body.peak_on_disk == 0  # not one byte of the résumé reached the temp upload dir
    assert body.position == 0  # the body was not even read
    assert response.status_code == 413
    assert _files(media) == media_before and _files(tmp_path) == set()
    assert not Application.objects.exists()


def test_an_upload_stream_longer_than_announced_stops_at_the_limit(rf, settings, tmp_path):
    """The second guard: whatever stream the parser is handed, no more than REQUEST_MAX_BYTES reach the handler
    that writes the temp file (Django's WSGI request never reads past Content-Length; this holds without it)."""
    from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
    from django.http.multipartparser import MultiPartParser

    from screening.uploads import LimitedUploadHandler

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.REQUEST_MAX_BYTES = 1 * MB
    request = rf.post("/")
    body = StreamingUpload(64 * MB, watch=tmp_path)
    handlers = [LimitedUploadHandler(request), MemoryFileUploadHandler(request), TemporaryFileUploadHandler(request)]
    meta = {"CONTENT_TYPE": body.content_type, "CONTENT_LENGTH": "1000"}  # a length that does not tell the truth
    _post, files = MultiPartParser(meta, body, handlers).parse()
    assert request.upload_too_large is True
    assert not files
    assert body.position < 2 * MB and body.peak_on_disk <= 1 * MB
    assert _files(tmp_path) == set()  # the partial temp file is gone


def _apply(client, job, address: str, **extra):
    data = {"name": "陈静", "email": "chenjing@example.com", "phone": "123", "education": "bachelor",
            "consent_privacy": "on", **extra}  # fmt: skip  # the phone is wrong: the form is refused
    return client.post(reverse("job_apply", args=[job.slug]), data, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_resumes_kept_for_invalid_submissions_stop_growing_per_client(client, settings):
    settings.PENDING_RESUMES_PER_CLIENT = 2
    job = _job()
    pending = Path(settings.MEDIA_ROOT) / "pending"
    before = _files(pending)
    for _ in range(5):
        response = _apply(client, job, "10.5.5.2", resume=SimpleUploadedFile("cv.pdf", PDF))
        assert response.status_code == 200
    assert len(_files(pending) - before) == 2  # not 5
    other = _apply(client, job, "10.5.5.3", resume=SimpleUploadedFile("cv.pdf", PDF))  # another client
    assert "已保留您上传的简历" in other.content.decode()
    assert len(_files(pending) - before) == 3


@pytest.mark.django_db
def test_a_new_upload_replaces_the_resume_kept_for_the_same_form(client, settings):
    job = _job()
    pending = Path(settings.MEDIA_ROOT) / "pending"
    before = _files(pending)
    first = _apply(client, job, "10.5.5.4", resume=SimpleUploadedFile("first.pdf", PDF))
    reference = first.context["form"].data["resume_pending"]
    second = _apply(client, job, "10.5.5.4", resume=SimpleUploadedFile("second.pdf", PDF), resume_pending=reference)
    assert "已保留您上传的简历：second.pdf" in second.content.decode()
    assert len(_files(pending) - before) == 1  # the first one is gone: this form offers only the second


# -- 6. /healthz: one worker ping per few seconds, however many pollers ------------------------------------
@pytest.mark.django_db
def test_health_polling_pings_the_workers_once_per_interval(client, settings):
    from config.celery_app import app

    settings.HEALTH_WORKERS_TTL = 60
    started = time.monotonic()
    app.control.ping(timeout=1.0)  # what one check of the workers costs (it waits for replies)
    one_ping = time.monotonic() - started
    started = time.monotonic()
    answers = [client.get("/healthz") for _ in range(6)]
    elapsed = time.monotonic() - started
    assert elapsed < 2 * one_ping, f"6 health requests took {elapsed:.2f}s, one ping {one_ping:.2f}s"
    assert len({a.json()["celery_workers"] for a in answers}) == 1


@pytest.mark.django_db
def test_while_one_request_pings_the_others_answer_with_the_last_count(client, settings):
    from django.core.cache import cache

    from screening import health

    settings.HEALTH_WORKERS_TTL = 60
    client.get("/healthz")  # the first check: a count is known
    cache.delete(health.FRESH)  # the interval is over ...
    assert cache.add(health.PINGING, 1, timeout=30)  # ... and another request is pinging right now
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 0.5  # no second ping (one takes a second)
    assert response.json()["celery_workers"] == cache.get(health.LAST)


# -- 7. login throttling -----------------------------------------------------------------------------------
BEHIND_PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # every client's request comes from the proxy's address


@pytest.mark.django_db
def test_failures_spread_over_usernames_lock_the_client_address_not_the_accounts(client, django_user_model, settings):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"  # the proxy sets it to the one client address
    django_user_model.objects.create_user("hr-real", password="right-password")
    login = reverse("login")
    attacker = {**BEHIND_PROXY, "HTTP_X_REAL_IP": "203.0.113.7"}
    for attempt in range(24):  # 4 each on 6 usernames
        client.post(login, {"username": f"guess-{attempt % 6}", "password": "wrong"}, **attacker)
    locked = client.post(login, {"username": "hr-real", "password": "right-password"}, **attacker)
    assert locked.status_code == 429
    colleague = Client().post(  # the same proxy, another client: the account is not locked for everyone
        login, {"username": "hr-real", "password": "right-password"}, **BEHIND_PROXY, HTTP_X_REAL_IP="198.51.100.4"
    )
    assert colleague.status_code == 302


@pytest.mark.django_db
def test_guessing_one_password_from_many_addresses_is_slowed_for_a_minute(client, django_user_model, settings):
    # the rate limit's clock stands still in tests (tests/conftest.py): a minute window's end is not crossed here
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    settings.LOGIN_USERNAME_RATE = "3/m"
    django_user_model.objects.create_user("hr-real", password="right-password")
    django_user_model.objects.create_user("hr-other", password="right-password")
    login = reverse("login")
    for n in range(3):  # each address stays far below its own lockout
        Client().post(
            login, {"username": "hr-real", "password": "wrong"}, **BEHIND_PROXY, HTTP_X_REAL_IP=f"203.0.113.{n}"
        )
    fresh = {**BEHIND_PROXY, "HTTP_X_REAL_IP": "198.51.100.9"}
    slowed = client.post(login, {"username": "hr-real", "password": "right-password"}, **fresh)
    assert slowed.status_code == 429
    assert "一分钟" in slowed.content.decode()
    from screening.auth import username_attempts

    assert (
        0 < username_attempts(slowed.wsgi_request, "hr-real", increment=False)["time_left"] <= 60
    )  # only for a minute
    other = Client().post(login, {"username": "hr-other", "password": "right-password"}, **fresh)
    assert other.status_code == 302  # neither the address nor other accounts are locked


# -- 8. production settings follow DEBUG=0, not the database --------------------------------------------
def test_debug_off_without_database_and_redis_refuses_to_start_instead_of_dropping_https():
    env = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "REDIS_URL")}
    for leftover in ("PORTAL_EMBEDDED", "DJANGO_ALLOW_ASYNC_UNSAFE", "PRODUCTION", "DEBUG"):
        env.pop(leftover, None)
    env.update(
        DEBUG="0",
        SECRET_KEY="x8$Jq1-" + "k" * 60,
        ALLOWED_HOSTS="jobs.example.com",
        DJANGO_SETTINGS_MODULE="config.settings.base",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "no issues" not in result.stdout
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr, result.stdout[-2000:] + result.stderr[-2000:]
    assert "DATABASE_URL, REDIS_URL" in result.stderr


# -- 9a. sessions: cookie-less typing starts are rate-limited, expired sessions are cleared --------------
@pytest.mark.django_db
def test_cookieless_typing_starts_stop_creating_sessions(client, settings):
    settings.TEST_START_RATE = "3/m"
    before = Session.objects.count()
    statuses = []
    for _ in range(6):
        client.cookies.clear()  # a script that never sends the session cookie back
        statuses.append(client.post(reverse("typing_start"), REMOTE_ADDR="10.6.6.6").status_code)
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert Session.objects.count() == before + 3


@pytest.mark.django_db
def test_beat_clears_expired_sessions(settings):
    from screening import tasks

    expired = Session.objects.create(session_key="e" * 32, session_data="", expire_date=timezone.now())
    live = Session.objects.create(
        session_key="l" * 32, session_data="", expire_date=timezone.now() + timedelta(hours=1)
    )
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "screening.tasks.clear_expired_sessions" in scheduled
    tasks.clear_expired_sessions()
    assert not Session.objects.filter(pk=expired.pk).exists()
    assert Session.objects.filter(pk=live.pk).exists()
