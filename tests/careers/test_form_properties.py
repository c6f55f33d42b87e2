"""Bad input to the application form (hypothesis): it never answers 500 and never stores a half-written
application. Each example runs in a savepoint rolled back after it (tests.strategies.rolled_back); row counts and
MEDIA_ROOT are compared before/after inside each example.
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from screening.models import Applicant, Application, Consent, Job, Question
from screening.uploads import load_pending, validate_resume
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory
from tests.strategies import (
    DB_SETTINGS,
    JPEG,
    OWNER_EMAIL,
    OWNER_PHONE,
    PDF,
    PNG,
    SCALAR,
    TEXT,
    VALUE,
    docx,
    rolled_back,
)

pytestmark = pytest.mark.django_db


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


SUFFIXES = [".pdf", ".docx", ".png", ".jpg", ".jpeg", ".PDF", ".exe", ".html", ""]
FILE_CONTENT = st.one_of(
    st.binary(max_size=2000),
    st.builds(bytes.__add__, st.sampled_from([PDF, PNG, JPEG, docx(), b"PK\x03\x04"]), st.binary(max_size=200)),
    st.builds(docx, st.binary(max_size=100)),
    st.just(PDF + b"0" * (5 * 1024 * 1024)),  # over the 5 MB limit
)
CONTENT_TYPES = st.one_of(st.sampled_from(["application/pdf", "image/png", "text/html", ""]), TEXT)
# Any name a client can send: the test client itself refuses one whose last path part is empty, "." or "..".
FILE_NAMES = st.builds(str.__add__, TEXT.filter(lambda s: "\x00" not in s), st.sampled_from(SUFFIXES)).filter(
    lambda name: os.path.basename(name) not in ("", ".", "..")
)
UPLOADS = st.one_of(
    st.builds(SimpleUploadedFile, FILE_NAMES, FILE_CONTENT, CONTENT_TYPES),
    st.sampled_from([("cv.pdf", PDF), ("简历.docx", docx()), ("a.png", PNG), ("b.JPG", JPEG)]).map(
        lambda named: SimpleUploadedFile(*named)  # real files: the accepted path with a résumé
    ),
)


@pytest.fixture
def apply_setup(settings, tmp_path):
    """Two jobs: one whose form asks nearly everything, one needing a résumé and a typing test."""
    settings.MEDIA_ROOT = tmp_path
    # Rate limiting (APPLY_RATE, django-ratelimit on the real Redis cache) would answer most examples with a
    # 429; the limit is raised, not switched off, so its bookkeeping still runs on every request.
    settings.APPLY_RATE = "1000000/m"
    checklist = ChecklistFactory()
    choice = Question.objects.create(
        checklist=checklist,
        code=f"reply_{checklist.pk}",
        prompt="顾客催发货，你先做什么？",
        options=[{"code": "a", "label": "查物流"}, {"code": "b", "label": "道歉"}],
    )
    text = Question.objects.create(
        checklist=checklist, code=f"why_{checklist.pk}", prompt="为什么做客服？", kind=Question.Kind.TEXT
    )
    for condition in (
        {"kind": "education_at_least", "level": "senior_high"},
        {"kind": "age_between", "min": 18, "max": 45},
        {"kind": "experience_at_least", "field": "customer_service", "years": 1},
        {"kind": "certificate_at_least", "level": "representative", "years_since": 1},
        {"kind": "platforms_any", "platforms": ["taobao", "jd"]},
        {"kind": "language_at_least", "language": "en", "level": "b1"},
        {"kind": "trait_at_least", "trait": "patience", "rating": 4},
        {"kind": "skill_has", "skill": "excel"},
        {"kind": "major_matches", "keywords": ["电子商务"]},
        {"kind": "declared", "declaration": "accepts_shifts"},
        {"kind": "declared", "declaration": "good_health"},
        {"kind": "declared", "declaration": "no_criminal_record"},
        {"kind": "choice_answer", "question": choice.code, "points": {"a": 1, "b": 0.5}},
        {"kind": "text_answer", "question": text.code, "groups": [["耐心"]]},
    ):
        RequirementFactory(checklist=checklist, condition=condition)
    wide = JobFactory(checklists=[checklist])
    strict_checklist = ChecklistFactory()
    RequirementFactory(checklist=strict_checklist, condition={"kind": "typing_at_least", "cpm": 50})
    strict = JobFactory(checklists=[strict_checklist])
    Job.objects.filter(pk=strict.pk).update(resume_required=True)
    strict.refresh_from_db()
    owner = ApplicantFactory(email=OWNER_EMAIL, phone=OWNER_PHONE)
    for job in (wide, strict):  # someone who already applied: the duplicate path must change nothing
        ApplicationFactory(job=job, applicant=owner)
    person = {"name": "陈静", "email": "chenjing@example.com", "phone": "13912345678", "consent_privacy": "on"}
    wide_data = {
        **person,
        "date_of_birth": "1995-05-01",
        "education": "bachelor",
        "major": "电子商务",
        "work_history-0-field": "customer_service",
        "work_history-0-start": "2021-03",
        "work_history-0-now": "on",
        "certificates-0-level": "representative",
        "certificates-0-obtained_on": "2022-05-01",
        "platforms": ["taobao", "jd"],
        "language_en": "b2",
        "trait_patience": "4",
        "skills": ["excel"],
        "declare_accepts_shifts": "yes",
        "consent_health": "on",
        "declare_good_health": "yes",
        "consent_criminal_record": "on",
        "declare_no_criminal_record": "yes",
        f"q_{choice.code}": "a",
        f"q_{text.code}": "我有耐心",
    }
    strict_data = {**person, "typing_result": "forged"}
    return {"wide": (wide, wide_data), "strict": (strict, strict_data)}


@st.composite
def mutated_form(draw, base: dict) -> dict:
    """A valid submission with a few keys dropped, replaced or repeated, plus stray keys and files."""
    data = dict(base)
    if draw(st.integers(0, 4)) == 0:  # the e-mail or mobile of someone who already applied
        data[draw(st.sampled_from(["email", "phone"]))] = draw(st.sampled_from([OWNER_EMAIL, "+86 139-0000-0001"]))
    changed = draw(st.lists(st.sampled_from(sorted(base)), unique=True, max_size=4)) if draw(st.booleans()) else []
    for key in changed:
        action = draw(st.sampled_from(["drop", "replace", "repeat"]))
        if action == "drop":
            del data[key]
        elif action == "replace":
            data[key] = draw(VALUE)
        else:
            data[key] = [*(base[key] if isinstance(base[key], list) else [base[key]]), draw(SCALAR)]
    for key, value in draw(st.dictionaries(TEXT.filter(bool), VALUE, max_size=2)).items():
        data.setdefault(key, value)  # stray keys; the form's own are mutated above
    if draw(st.integers(0, 2)) == 0:
        data[draw(st.sampled_from(["resume", "resume", "typing_result", "x"]))] = draw(UPLOADS)
    if draw(st.integers(0, 9)) == 0:
        data["resume_pending"] = draw(TEXT)
    return data


def _snapshot(job) -> dict:
    owner = Application.objects.select_related("applicant").get(job=job, applicant__email=OWNER_EMAIL)
    consents = sorted(owner.consents.values_list("category", flat=True))
    person = (owner.applicant.name, owner.applicant.email, owner.applicant.phone)
    return {"profile": owner.profile, "answers": owner.answers, "stage": owner.stage, "consents": consents,
            "person": person}  # fmt: skip


def _counts():
    return Applicant.objects.count(), Application.objects.count(), Consent.objects.count()


def _assert_complete_web_application(application, job, settings):
    assert application.source == Application.Source.WEB and application.stage == Application.Stage.APPLIED
    person = application.applicant
    assert person.name.strip() and person.email and person.phone  # the form asks all three
    assert "applied_on" in application.profile
    assert [len(h) for h in application.status_links.values_list("token_hash", flat=True)] == [64]
    consents = {c.category: c.notice_version for c in application.consents.all()}
    assert "privacy" in consents and set(consents) <= {"privacy", "health", "criminal_record"}
    assert set(consents.values()) == {settings.PRIVACY_NOTICE_VERSION}
    declarations = application.profile.get("declarations", {})
    assert "good_health" not in declarations or "health" in consents  # never a sensitive answer without consent
    assert "no_criminal_record" not in declarations or "criminal_record" in consents
    if job.resume_required:
        assert application.resume
    if application.resume:
        with application.resume.open("rb") as f:
            validate_resume(SimpleUploadedFile(application.resume.name, f.read()))


@contextmanager
def _whole_or_nothing(job):
    """Around one POST to the form (yields a list to put the response in): never a 500; accepted, exactly one
    complete new application (or, for someone who already applied, nothing changed); refused, no row written and
    no file left in MEDIA_ROOT except the one pending copy of a valid résumé the form offers back for the retry."""
    from django.conf import settings as django_settings

    media = Path(django_settings.MEDIA_ROOT)
    with rolled_back():
        before, files_before, owner_before = _counts(), _files(media), _snapshot(job)
        ids_before = set(Application.objects.values_list("pk", flat=True))
        responses = []
        yield responses
        (response,) = responses
        assert response.status_code < 500
        new_files = _files(media) - files_before
        new = list(Application.objects.exclude(pk__in=ids_before))
        accepted = response.status_code == 302 and response.url.split("?")[0] == reverse("job_applied", args=[job.slug])
        assert _snapshot(job) == owner_before  # whoever typed the owner's e-mail or mobile changed nothing
        event("accepted: new application" if accepted and new else "accepted: duplicate" if accepted else "refused")
        if accepted and new:
            (application,) = new
            _assert_complete_web_application(application, job, django_settings)
            applicants, applications, consents = _counts()
            assert applicants - before[0] in (0, 1) and applications == before[1] + 1
            assert consents == before[2] + application.consents.count()
            assert {f for f in new_files if not f.startswith("pending/")} <= {application.resume.name}
        else:
            assert _counts() == before  # refused, or the duplicate path: nothing written
            assert not {f for f in new_files if not f.startswith("pending/")}
            kept = [f for f in new_files if f.startswith("pending/")]
            if kept:
                assert len(kept) == 1 and not accepted
                assert load_pending(response.context["form"].data["resume_pending"])[1] == kept[0]


@settings(max_examples=100, **DB_SETTINGS)
@given(data=st.data())
def test_the_application_form_never_fails_and_never_stores_half_an_application(client, apply_setup, data):
    job, base = apply_setup[data.draw(st.sampled_from(["wide", "wide", "strict"]), label="job")]
    payload = data.draw(mutated_form(base), label="payload")
    with _whole_or_nothing(job) as responses:
        responses.append(client.post(reverse("job_apply", args=[job.slug]), payload, REMOTE_ADDR="10.7.7.7"))


@pytest.mark.parametrize(("typed", "normal"), [("138００１３８０００", "13800138000"), ("13800138٠٠٠", None)])
def test_a_mobile_typed_with_other_digits_is_normalised_to_ascii_or_refused(typed, normal):
    from screening.phone import normalise_mobile

    assert normalise_mobile(typed) == normal  # full-width digits come from Chinese input methods: accepted


RAW_CONTENT_TYPES = st.one_of(
    st.sampled_from(["application/x-www-form-urlencoded", MULTIPART_CONTENT, "multipart/form-data", "text/plain"]),
    st.builds("multipart/form-data; boundary={}".format, TEXT),
    TEXT,
)


@st.composite
def raw_bodies(draw, base: dict) -> bytes:
    """Random bytes, or a real multipart body (with a file) truncated or with bytes flipped."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=3000))
    body = bytearray(encode_multipart(BOUNDARY, {**base, "resume": SimpleUploadedFile("cv.pdf", PDF)}))
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(body) - 1))
        body[at] = draw(st.integers(0, 255))
    return bytes(body[: draw(st.integers(0, len(body)))])


@settings(max_examples=60, **DB_SETTINGS)
@given(data=st.data())
def test_raw_garbage_bodies_never_fail_the_application_form(client, apply_setup, data):
    job, base = apply_setup["wide"]
    body = data.draw(raw_bodies(base), label="body")
    content_type = data.draw(st.one_of(st.just(MULTIPART_CONTENT), RAW_CONTENT_TYPES), label="content_type")
    url = reverse("job_apply", args=[job.slug])
    with _whole_or_nothing(job) as responses:  # generic(): the body is sent as it is, never re-encoded
        responses.append(client.generic("POST", url, body, content_type=content_type, REMOTE_ADDR="10.7.7.8"))


def test_an_email_that_grows_when_lowercased_is_refused_not_a_500(client, apply_setup):
    job, base = apply_setup["wide"]
    email = "İ" * 200 + "@example.com"  # 212 characters, 412 once lowercased
    with rolled_back():
        before = _counts()
        response = client.post(reverse("job_apply", args=[job.slug]), {**base, "email": email}, REMOTE_ADDR="10.7.7.9")
        assert response.status_code == 200 and _counts() == before
