"""Writes: everything that changes the database in more than one step."""

import hashlib
import logging
import secrets
from datetime import date, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from psycopg2.extras import Json, execute_values

from . import progress, rules
from .models import Applicant, Application, Checklist, Consent, Evaluation, Job, StageChange, StatusLink
from .selectors import job_requirements, job_stale_applications

logger = logging.getLogger(__name__)


def checklist_bump_revision(*, checklist_id: int) -> None:
    """A change to the checklist or its items: new revision, and its jobs' applications rescored after commit."""
    Checklist.objects.filter(pk=checklist_id).update(revision=F("revision") + 1, updated_at=timezone.now())
    checklist_request_rescore(checklist_id=checklist_id)


def _enqueue_once(key: str, task, *args) -> None:
    """After commit, queue `task` unless the same one was queued in the last minute: one admin save edits
    several inlines (or job checklists) at once and each would ask for the same rescore."""

    def enqueue():
        if cache.add(f"rescore-pending:{key}", 1, timeout=60):
            task.delay(*args)

    transaction.on_commit(enqueue)


def checklist_request_rescore(*, checklist_id: int) -> None:
    from .tasks import rescore_checklist

    _enqueue_once(f"checklist:{checklist_id}", rescore_checklist, checklist_id)


def job_request_rescore(*, job_id: int, everything: bool = False) -> None:
    from .tasks import rescore_job

    _enqueue_once(f"job:{job_id}:{everything}", rescore_job, job_id, everything)


def checklist_rescore(*, checklist_id: int, everything: bool = False) -> int:
    """Queue the stale (or all) applications of every job using the checklist, in chunks, with progress."""
    cache.delete(f"rescore-pending:checklist:{checklist_id}")
    jobs = Job.objects.filter(job_checklists__checklist_id=checklist_id).distinct()
    chunks = [chunk for job in jobs for chunk in _chunks(_job_application_ids(job=job, everything=everything))]
    run = progress.start(progress.checklist_key(checklist_id), sum(len(c) for c in chunks))
    _enqueue_chunks(chunks, run)
    return sum(len(c) for c in chunks)


def job_rescore(*, job_id: int, everything: bool = False) -> int:
    cache.delete(f"rescore-pending:job:{job_id}:{everything}")  # a change from now on queues a new run
    job = Job.objects.filter(pk=job_id).first()
    if job is None:  # deleted meanwhile (its checklists went with it)
        return 0
    ids = _job_application_ids(job=job, everything=everything)
    _enqueue_chunks(list(_chunks(ids)), None)
    return len(ids)


def _job_application_ids(*, job: Job, everything: bool) -> list[int]:
    if everything:
        return list(Application.objects.filter(job=job).order_by("pk").values_list("pk", flat=True))
    return job_stale_application_ids(job=job)


def enqueue_bulk_scoring(*, application_ids: list[int]) -> None:
    """Score many applications on the bulk queue, in chunks, after the current transaction commits."""
    chunks = list(_chunks(application_ids))
    Application.objects.filter(pk__in=application_ids).update(scoring_enqueued_at=timezone.now())
    transaction.on_commit(lambda: _enqueue_chunks(chunks, None))


def _chunks(ids: list[int]):
    size = settings.RESCORE_CHUNK_SIZE
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _enqueue_chunks(chunks: list[list[int]], progress_key: str | None) -> None:
    from .tasks import score_chunk

    for chunk in chunks:
        score_chunk.delay(chunk, progress_key)


def _lock_contacts(email: str, phone: str) -> None:
    """Two submissions with the same e-mail or mobile take turns here (until their transactions end), so the
    second finds the person the first created instead of creating another."""
    keys = sorted(k for k in (f"e:{email}" if email else "", f"p:{phone}" if phone else "") if k)
    with connection.cursor() as cur:
        for key in keys:  # sorted: two transactions never wait on each other's second key
            cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def applicant_find_or_create(*, name: str, email: str = "", phone: str = "") -> Applicant:
    """The person an unverified source (the public form, an import) describes.

    It joins a person on file only when everything it gives matches what is on file (name, and each of
    e-mail and mobile it gives; a detail it leaves blank, as job-board lists do, is unknown, not different).
    Anything else — the e-mail of one person with the mobile of another, a known mobile with a new e-mail or
    name — is a new person marked as a possible duplicate: nobody changes someone else's name or contact
    details, or where their status links go, by typing their e-mail or number.
    """
    email = email.strip().lower()
    with transaction.atomic():
        _lock_contacts(email, phone)
        contact = (Q(email=email) if email else Q(pk__in=[])) | (Q(phone=phone) if phone else Q(pk__in=[]))
        found = list(Applicant.objects.filter(contact).order_by("pk")) if email or phone else []
        for applicant in found:
            if (
                _same_name(applicant.name, name)
                and (not email or applicant.email == email)
                and (not phone or applicant.phone == phone)
            ):
                return applicant
        return Applicant.objects.create(name=name, email=email, phone=phone, possible_duplicate=bool(found))


def application_find_existing(*, job: Job, email: str, phone: str) -> list[Application]:
    """The applications to the job of the people on file with this e-mail or mobile (usually one)."""
    same = Q(applicant__email=email) if email else Q(pk__in=[])
    if phone:
        same |= Q(applicant__phone=phone)
    return list(Application.objects.filter(same, job=job).select_related("applicant", "job").order_by("pk"))


def _owner_changes(application: Application, *, name: str, email: str, phone: str) -> None:
    """The owner of an application (they opened its status link) may correct their own name and contact
    details; a blank never erases what is on file."""
    applicant = application.applicant
    changes = {"name": name, "email": email.strip().lower(), "phone": phone}
    changed = [k for k, v in changes.items() if v and getattr(applicant, k) != v]
    if changed:
        for k in changed:
            setattr(applicant, k, changes[k])
        applicant.save(update_fields=[*changed, "updated_at"])


# What a candidate's own update of an application writes: never its stage, decider or any HR field,
# which a decision taken meanwhile may have changed.
_UPDATE_FIELDS = [
    "profile", "answers", "source", "submitted_at", "scoring_attempts", "needs_manual_review",
    "scoring_enqueued_at", "resume", "updated_at",
]  # fmt: skip


def application_submit(
    *,
    job: Job,
    name: str,
    email: str,
    phone: str,
    profile: dict,
    answers: dict,
    consents: list[str] = (),
    resume: File | None = None,
    source: str = Application.Source.WEB,
    language: str = "zh-hans",
    application: Application | None = None,
) -> tuple[Application, str | None]:
    """A new application, or (`application` given) its owner's update of it.

    A new one gets a private status link, e-mailed after commit (the token is returned too); an update keeps
    the links its owner has. Scoring is queued after commit; an update's old score is dropped so nobody reads
    it as current.
    """
    from .tasks import score_application

    replaced_resume = None
    with transaction.atomic():
        new = application is None
        if new:
            applicant = applicant_find_or_create(name=name, email=email, phone=phone)
            application = Application(applicant=applicant, job=job)
        else:
            # the row lock, then the stage as it is now: an HR decision taken meanwhile stands
            application = (
                Application.objects.select_for_update(of=("self",)).select_related("applicant").get(pk=application.pk)
            )
            _owner_changes(application, name=name, email=email, phone=phone)
            Evaluation.objects.filter(application=application).delete()
        application.profile, application.answers, application.source = profile, answers, source
        update_fields = list(_UPDATE_FIELDS)
        reopened = not new and application.stage == Application.Stage.WITHDRAWN
        if new or reopened:
            application.stage = Application.Stage.APPLIED  # an update never undoes a person's decision
            update_fields.append("stage")
        application.submitted_at = timezone.now()
        application.scoring_attempts, application.needs_manual_review = 0, False
        application.scoring_enqueued_at = timezone.now()
        if resume is not None:  # stored first, so the row is written once
            replaced_resume = application.resume.name or None
            application.resume.save(resume.name, resume, save=False)
        if new:
            application.save()
        else:
            application.save(update_fields=update_fields)
            application.consents.all().delete()
        token = _new_status_link(application) if new else None
        if reopened:  # the candidate's own move back, in the history like their withdrawal
            StageChange.objects.create(
                application=application, from_stage=Application.Stage.WITHDRAWN, to_stage=Application.Stage.APPLIED
            )
        Consent.objects.bulk_create(
            Consent(application=application, category=c, notice_version=settings.PRIVACY_NOTICE_VERSION)
            for c in consents
        )
        if token:
            transaction.on_commit(lambda: _send_link(application, token, language, "careers/email_confirmation.txt"))
        transaction.on_commit(lambda: score_application.delay(application.pk))
        if replaced_resume:  # only once the new one is committed
            storage = application.resume.storage
            transaction.on_commit(lambda: storage.delete(replaced_resume))
    return application, token


def application_send_existing_link(*, application: Application, language: str) -> None:
    """Someone applied again with this application's e-mail or mobile: nothing is changed; its owner gets a
    new link at the address already on file (the links they hold keep working). At most one such e-mail per
    application in RESEND_LINK_SECONDS, so nobody can flood a person's inbox through the form."""
    if not cache.add(f"existing-link:{application.pk}", 1, timeout=settings.RESEND_LINK_SECONDS):
        return
    with transaction.atomic():
        token = application_issue_status_token(application=application)
        transaction.on_commit(lambda: _send_link(application, token, language, "careers/email_existing.txt"))


def status_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_status_link(application: Application) -> str:
    token = secrets.token_urlsafe(32)
    StatusLink.objects.create(
        application=application,
        token_hash=status_token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.STATUS_LINK_DAYS),
    )
    return token


def application_issue_status_token(*, application: Application) -> str:
    """One more private status link (a long random token; only its hash is stored). The links already sent
    keep working, and the application itself is not changed (a new link must not postpone its erasure)."""
    return _new_status_link(application)


def _valid_link(token_hash: str):
    return Application.objects.select_related("job", "applicant").filter(
        status_links__token_hash=token_hash, status_links__expires_at__gt=timezone.now()
    )


def application_by_status_token(token: str) -> Application | None:
    if not token or len(token) > 100:
        return None
    return _valid_link(status_token_hash(token)).first()


def application_by_token_hash(*, pk: int, token_hash: str | None) -> Application | None:
    """The application a browser was given access to by one of its status links, while that link is valid."""
    return _valid_link(token_hash).filter(pk=pk).first() if token_hash else None


def _send_link(application: Application, token: str, language: str, template: str) -> None:
    if not application.applicant.email:
        return
    with translation.override(language):
        link = settings.SITE_URL.rstrip("/") + reverse("application_status", args=[token])
        context = {"application": application, "link": link, "days": settings.STATUS_LINK_DAYS}
        subject = _("已收到您的申请：%(title)s") % {"title": application.job.title}
        body = render_to_string(template, context)
    try:
        send_mail(subject, body, None, [application.applicant.email])
    except Exception:  # the application is saved; the link is also on the confirmation page
        logger.exception("confirmation e-mail for application %s failed", application.pk)


def application_withdraw(*, application: Application) -> None:
    from .decisions import application_record_withdrawal

    application_record_withdrawal(application=application)


def application_export(*, application: Application) -> dict:
    """Everything we hold about the candidate for this application (PIPL art. 45: a copy on request)."""
    return {
        "job": application.job.title,
        "submitted_at": application.submitted_at.isoformat(),
        "stage": application.stage,
        "applicant": {
            "name": application.applicant.name,
            "email": application.applicant.email,
            "phone": application.applicant.phone,
        },
        "profile": application.profile,
        "answers": application.answers,
        "resume": PurePath(application.resume.name).name if application.resume else None,
        "consents": [
            {"category": c.category, "notice_version": c.notice_version, "given_at": c.given_at.isoformat()}
            for c in application.consents.all()
        ],
    }


def application_delete(*, application: Application) -> None:
    """The candidate's own deletion: the application, its files (signals), and the person if nothing else is left."""
    applicant = application.applicant
    with transaction.atomic():
        application.delete()
        if not applicant.applications.exists():
            applicant.delete()


def applications_score(*, application_ids: list[int], today: date | None = None) -> int:
    """Score applications against their jobs' current checklists and upsert one evaluation each.

    The one scoring path for a fresh application and for bulk rescoring: plain rows in, one
    INSERT … ON CONFLICT DO UPDATE out, so two deliveries racing still leave one evaluation. The
    evaluation's time is taken before the checklists are read, and an upsert never replaces a newer
    evaluation: a slow run that read an older revision cannot overwrite a faster run that read the new one.
    """
    today = today or timezone.localdate()
    started = timezone.now()
    rows = Application.objects.filter(pk__in=application_ids).values_list(
        "pk", "job_id", "job__advance_threshold", "profile", "answers"
    )
    by_job: dict[int, tuple[list[rules.Requirement], dict[str, int]]] = {}
    values = []
    for pk, job_id, threshold, profile, answers in rows:
        if job_id not in by_job:
            by_job[job_id] = job_requirements(job=Job(pk=job_id))
        requirements, revisions = by_job[job_id]
        outcome = rules.score_profile(requirements, {**profile, "answers": answers}, threshold=threshold, today=today)
        values.append(
            (pk, outcome.score, outcome.max_possible, outcome.recommendation, Json(outcome.results), Json(revisions),
             started, outcome.knockout_failed, outcome.unknown_count)
        )  # fmt: skip
    if values:
        with connection.cursor() as cur:
            execute_values(cur.cursor, _UPSERT, values, page_size=1000)
    return len(values)


_UPSERT = f"""
INSERT INTO {Evaluation._meta.db_table}
    (application_id, score, max_possible, recommendation, results, revisions, evaluated_at, knockout_failed,
     unknown_count)
VALUES %s
ON CONFLICT (application_id) DO UPDATE SET
    score = EXCLUDED.score, max_possible = EXCLUDED.max_possible, recommendation = EXCLUDED.recommendation,
    results = EXCLUDED.results, revisions = EXCLUDED.revisions, evaluated_at = EXCLUDED.evaluated_at,
    knockout_failed = EXCLUDED.knockout_failed, unknown_count = EXCLUDED.unknown_count
WHERE {Evaluation._meta.db_table}.evaluated_at <= EXCLUDED.evaluated_at
"""


def application_score(*, application_id: int, today: date | None = None) -> bool:
    """Score one application; False when it no longer exists."""
    with transaction.atomic():
        scored = applications_score(application_ids=[application_id], today=today)
        Application.objects.filter(pk=application_id).update(scoring_attempts=0)
    return bool(scored)


def job_stale_application_ids(*, job: Job) -> list[int]:
    """Applications of the job never scored, or scored against other checklist revisions than now."""
    unscored = Application.objects.filter(job=job, evaluation__isnull=True)
    stale = job_stale_applications(job=job)
    return sorted(unscored.values_list("pk", flat=True).union(stale.values_list("pk", flat=True)))


def application_start_scoring_attempt(*, application_id: int) -> bool:
    """Count a delivery of the scoring task; False (and flag for manual review) after too many."""
    updated = Application.objects.filter(pk=application_id).update(scoring_attempts=F("scoring_attempts") + 1)
    if not updated:
        return False
    attempts = Application.objects.values_list("scoring_attempts", flat=True).get(pk=application_id)
    if attempts > settings.SCORING_MAX_ATTEMPTS:
        Application.objects.filter(pk=application_id).update(needs_manual_review=True)
        logger.warning("application %s: %s scoring attempts, marked for manual review", application_id, attempts)
        return False
    return True


def unscored_application_ids(*, older_than_seconds: int) -> list[int]:
    """Unscored applications whose scoring was queued longer ago than a task can take (its message was lost),
    marked as queued again now. Waiting in a long queue is not lost: those are left alone."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    with transaction.atomic():
        ids = list(
            Application.objects.filter(evaluation__isnull=True, needs_manual_review=False)
            .filter(Q(scoring_enqueued_at__lt=cutoff) | Q(scoring_enqueued_at__isnull=True, submitted_at__lt=cutoff))
            .exclude(stage=Application.Stage.WITHDRAWN)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:1000]
        )
        Application.objects.filter(pk__in=ids).update(scoring_enqueued_at=now)
    return ids


def application_enqueue_scoring(*, application: Application) -> None:
    from .tasks import score_application  # noqa: PLC0415

    Application.objects.filter(pk=application.pk).update(
        scoring_attempts=0, needs_manual_review=False, scoring_enqueued_at=timezone.now()
    )
    transaction.on_commit(lambda: score_application.delay(application.pk))
