"""Applications and the people behind them: submitting, status links, the candidate's own data."""

import logging
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import background, events, links, selectors
from ..models import (
    Applicant,
    Application,
    ChatSession,
    Consent,
    Evaluation,
    Job,
    StageChange,
    VoluntarySelfId,
    contact_keys,
    same_contact,
    tr,
)
from ..uploads import discard_pending
from ..worksamples import buyer_chat, typing_test
from .status_links import (
    application_issue_status_token,
    status_token_hash,
)

logger = logging.getLogger(__name__)


def _lock_contacts(email: str, phone: str) -> None:
    """Two submissions with the same e-mail or mobile take turns here (until their transactions end), so the
    second finds the person the first created instead of creating another."""
    with connection.cursor() as cur:
        for key in sorted(contact_keys(email, phone)):  # sorted: two transactions never wait on each other's second key
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
    with transaction.atomic(savepoint=False):  # the caller's transaction, or its own
        _lock_contacts(email, phone)
        found = list(Applicant.objects.filter(same_contact(email, phone)).order_by("pk"))
        for applicant in found:
            if (
                _same_name(applicant.name, name)
                and (not email or applicant.email == email)
                and (not phone or applicant.phone == phone)
            ):
                return applicant
        return Applicant.objects.create(name=name, email=email, phone=phone, possible_duplicate=bool(found))


def application_find_existing(*, job: Job, email: str, phone: str) -> list[Application]:
    """The applications to the job of the people on file with this e-mail or mobile (usually none: then one
    small indexed query)."""
    people = list(Applicant.objects.filter(same_contact(email, phone)).values_list("pk", flat=True))
    if not people:
        return []
    return list(Application.objects.filter(job=job, applicant_id__in=people).select_related("applicant").order_by("pk"))


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


@dataclass(frozen=True)
class ApplicationDraft:
    """Everything one submission of the application form carries, validated and normalised by the form."""

    name: str
    email: str
    phone: str
    profile: dict
    answers: dict
    consents: tuple[str, ...] = ()
    resume: File | None = None
    kept_resume: str | None = None  # a résumé kept from an earlier attempt (storage name): discarded once stored
    typing_result: str | None = None  # the signed typing-test result, claimed with the application
    chat_runs: dict[str, ChatSession] = field(default_factory=dict)  # verified runs by scenario, claimed likewise
    source: str = Application.Source.WEB
    referral_id: int | None = None  # the referral link (内推) this browser came through: attribution only
    language: str = "zh-hans"
    site: str = ""  # the address the status link starts with (links.site_url); "": the configured one


class ResultsRefused(Exception):  # noqa: N818 (a refusal the candidate can mend, not a programming error)
    """A typing or chat result was already used by another submission: nothing was written."""

    def __init__(self, problems: list[tuple[str | None, str]], *, typing_used: bool):
        super().__init__(problems)
        self.problems, self.typing_used = problems, typing_used


def application_create(
    *,
    job: Job,
    name: str,
    email: str,
    phone: str,
    profile: dict,
    answers: dict,
    source: str,
    resume=None,
    screening_notice_version: str = "",
    referral_id: int | None = None,
) -> Application:
    """The one way an application comes to exist (form and import): the person by the identity rule, the row
    written once (a résumé is stored first). `screening_notice_version`: the notice the form showed (an import
    showed none)."""
    now = timezone.now()
    with transaction.atomic(savepoint=False):  # the person and the application, or neither
        application = Application(
            applicant=applicant_find_or_create(name=name, email=email, phone=phone),
            job=job, profile=profile, answers=answers, source=source, stage=Application.Stage.APPLIED,
            submitted_at=now, scoring_enqueued_at=now, screening_notice_version=screening_notice_version,
            referral_id=referral_id,
        )  # fmt: skip
        if resume is not None:
            application.resume.save(resume.name, resume, save=False)
        application.save()
        events.emit(events.CREATED, [{"application_id": application.pk, "job_id": job.pk, "source": source}])
    return application


def application_submit(
    *, job: Job, draft: ApplicationDraft, application: Application | None = None
) -> tuple[Application, str | None]:
    """A new application, or (`application` given) its owner's update of it, in one transaction with the test
    results it claims (ResultsRefused when one was used already: then nothing is written).

    A new one gets a private status link, e-mailed after commit (the token is returned too); an update keeps
    the links its owner has. Scoring is queued after commit. Either records the version of the screening notice
    the form showed (careers/_screening_notice.html), as consents record the privacy notice's.
    """
    notice = settings.SCREENING_NOTICE_VERSION
    with transaction.atomic():
        _claim_results(draft)
        if application is None:
            application = application_create(
                job=job, name=draft.name, email=draft.email, phone=draft.phone, profile=draft.profile,
                answers=draft.answers, source=draft.source, resume=draft.resume, screening_notice_version=notice,
                referral_id=draft.referral_id,
            )  # fmt: skip
            token = application_issue_status_token(application=application)
            transaction.on_commit(
                lambda: _send_link(application, token, draft.language, "careers/email_confirmation.txt", draft.site)
            )
        else:
            application, token = _application_update(application=application, draft=draft, notice=notice), None
        Consent.objects.bulk_create(
            Consent(application=application, category=c, notice_version=settings.PRIVACY_NOTICE_VERSION)
            for c in draft.consents
        )
        background.enqueue(background.SCORE_APPLICATION, application.pk)
        if draft.kept_resume:  # stored with the application now: the kept copy goes
            transaction.on_commit(lambda: discard_pending(draft.kept_resume))
    return application, token


def _claim_results(draft: ApplicationDraft) -> None:
    """Each test result counts for one application: taken here, with the application, or not at all."""
    refused: list[tuple[str | None, str]] = [
        (f"chat_{code}", _("模拟对话结果无效、已过期或已经用过，请重新完成对话"))
        for code, run in draft.chat_runs.items()
        if not buyer_chat.claim(run)
    ]
    typing_used = not refused and bool(draft.typing_result) and not typing_test.claim_result(draft.typing_result)
    if typing_used:
        refused.append((None, _("这次打字测试的结果已经用过，请重新测试")))
    if refused:
        raise ResultsRefused(refused, typing_used=typing_used)


# What a candidate's own update of an application writes: never its stage, decider or any HR field,
# which a decision taken meanwhile may have changed, nor where it came from (a referral stays a referral).
_UPDATE_FIELDS = [
    "profile", "answers", "submitted_at", "scoring_attempts", "needs_manual_review",
    "scoring_enqueued_at", "resume", "screening_notice_version", "updated_at",
]  # fmt: skip


def _application_update(*, application: Application, draft: ApplicationDraft, notice: str) -> Application:
    # the row lock, then the stage as it is now: an HR decision taken meanwhile stands
    application = Application.objects.select_for_update(of=("self",)).select_related("applicant").get(pk=application.pk)
    _owner_changes(application, name=draft.name, email=draft.email, phone=draft.phone)
    Evaluation.objects.filter(application=application).delete()  # nobody reads the old score as current
    application.profile, application.answers = draft.profile, draft.answers
    application.screening_notice_version = notice  # the form showed it again with this submission
    update_fields = list(_UPDATE_FIELDS)
    reopened = application.stage == Application.Stage.WITHDRAWN
    if reopened:  # an update never undoes a person's decision, only the candidate's own withdrawal
        application.stage = Application.Stage.APPLIED
        update_fields.append("stage")
        StageChange.objects.create(
            application=application, from_stage=Application.Stage.WITHDRAWN, to_stage=Application.Stage.APPLIED
        )
    application.submitted_at = application.scoring_enqueued_at = timezone.now()
    application.scoring_attempts, application.needs_manual_review = 0, False
    if draft.resume is not None:
        replaced = application.resume.name or None
        application.resume.save(draft.resume.name, draft.resume, save=False)
        if replaced:  # only once the new one is committed
            storage = application.resume.storage
            transaction.on_commit(lambda: storage.delete(replaced))
    application.save(update_fields=update_fields)
    application.consents.all().delete()
    return application


def application_send_existing_link(*, application: Application, language: str, site: str = "") -> None:
    """Someone applied again with this application's e-mail or mobile: nothing is changed; its owner gets a
    new link at the address already on file (the links they hold keep working). At most one such e-mail per
    application in RESEND_LINK_SECONDS, so nobody can flood a person's inbox through the form."""
    if not cache.add(f"existing-link:{application.pk}", 1, timeout=settings.RESEND_LINK_SECONDS):
        return
    with transaction.atomic():
        token = application_issue_status_token(application=application)
        transaction.on_commit(lambda: _send_link(application, token, language, "careers/email_existing.txt", site))


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


def _send_link(application: Application, token: str, language: str, template: str, site: str) -> None:
    if not application.applicant.email:
        return
    with translation.override(language):
        link = links.status_url(token, site)
        context = {"application": application, "link": link, "days": settings.STATUS_LINK_DAYS}
        subject = _("已收到您的申请：%(title)s") % {"title": tr(application.job, "title")}
        body = render_to_string(template, context)
    try:
        send_mail(subject, body, None, [application.applicant.email])
    except Exception:  # the application is saved; the link is also on the confirmation page
        logger.exception("confirmation e-mail for application %s failed", application.pk)


def application_withdraw(*, application: Application) -> None:
    from .decisions import application_record_withdrawal

    application_record_withdrawal(application=application)


def application_export(*, application: Application) -> dict:
    """Everything we hold about the candidate for this application (PIPL art. 45: a copy on request), with the
    explanation of its score as the status page shows it (none while unscored or stale; never the evidence, which
    would name keyed answers and key points)."""
    explanation = selectors.application_explanation(application=application)
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
        "screening_notice_version": application.screening_notice_version,
        "explanation": explanation.as_dict() if explanation else None,
        "review_requests": [
            {
                "message": r.message,
                "asked_at": r.created_at.isoformat(),
                "due_at": r.due_at.isoformat(),
                "status": r.status,
                "answer": r.answer,
                "answered_at": r.answered_at.isoformat() if r.answered_at else None,
            }
            for r in application.review_requests.order_by("created_at", "pk")
        ],
        "consents": [
            {"category": c.category, "notice_version": c.notice_version, "given_at": c.given_at.isoformat()}
            for c in application.consents.all()
        ],
        # the person's own copy holds their voluntary answer too (HR's pages and exports never do)
        "voluntary_self_id": next(
            (
                {"sex": s.sex, "notice_version": s.notice_version, "consent_given_at": s.consent_given_at.isoformat()}
                for s in VoluntarySelfId.objects.filter(application_id=application.pk)
            ),
            None,
        ),
    }


def application_delete(*, application: Application) -> None:
    """The candidate's own deletion: the application, its files (signals), and the person if nothing else is left."""
    applicant = application.applicant
    with transaction.atomic():
        events.emit(events.ERASED, [{"application_id": application.pk, "job_id": application.job_id}])
        application.delete()
        if not applicant.applications.exists():
            applicant.delete()
