"""Human review on request (PIPL art. 24, EU AI Act art. 86): the candidate asks from their private status page,
HR staff who may see the job answer, and the answer reaches the candidate on that page and by e-mail.

While a request is open, nothing done in bulk or by the system decides the application: "reject all recommended"
and bulk rejections skip it (services.decisions, selectors.job_recommended_rejections) and the retention purge
keeps it (services.retention)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Application, ReviewRequest, tr

logger = logging.getLogger(__name__)


class ReviewError(ValueError):
    """A request or an answer refused, with the reason to show."""


def review_request_create(*, application: Application, message: str = "", language: str = "") -> ReviewRequest:
    """The candidate's request for a person to review the application: one open at a time, due
    REVIEW_DUE_DAYS from now. The application's row lock orders it with decisions and withdrawals."""
    message = message.strip()
    if len(message) > ReviewRequest.MESSAGE_MAX_LENGTH:
        raise ReviewError(_("留言最多 %(n)s 个字") % {"n": ReviewRequest.MESSAGE_MAX_LENGTH})
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().filter(pk=application.pk).first()
            if locked is None:  # erased meanwhile (the candidate's deletion, the retention purge)
                raise ReviewError(_("这份申请已经删除"))
            if locked.stage == Application.Stage.WITHDRAWN:
                raise ReviewError(_("您已撤回这份申请，不能再申请人工复核"))
            if ReviewRequest.objects.filter(application=locked, status=ReviewRequest.Status.OPEN).exists():
                raise ReviewError(_("您已有一份人工复核申请在等待答复"))
            return ReviewRequest.objects.create(
                application=locked,
                message=message,
                language=language,
                due_at=timezone.now() + timedelta(days=settings.REVIEW_DUE_DAYS),
            )
    except IntegrityError as exc:  # the database's one-open rule, should anything bypass the lock
        raise ReviewError(_("您已有一份人工复核申请在等待答复")) from exc


def review_request_answer(*, application: Application, review_request_id: int, answer: str, by) -> ReviewRequest:
    """A staff member answers an open request of `application` (which the caller scoped to the jobs they may see):
    who and when are recorded, and the candidate is e-mailed after commit in the language they asked in. Refused
    when someone answered it meanwhile (the row is read under its lock)."""
    if by is None or not by.is_authenticated:
        raise ReviewError(_("只有招聘人员可以答复"))
    answer = answer.strip()
    if not answer:
        raise ReviewError(_("请填写答复"))
    if len(answer) > ReviewRequest.ANSWER_MAX_LENGTH:
        raise ReviewError(_("答复最多 %(n)s 个字") % {"n": ReviewRequest.ANSWER_MAX_LENGTH})
    with transaction.atomic():
        locked = (
            ReviewRequest.objects.select_for_update(of=("self",))
            .select_related("application__applicant", "application__job")
            .filter(pk=review_request_id, application=application)
            .first()
        )
        if locked is None:
            raise ReviewError(_("找不到这份人工复核申请"))
        if locked.status != ReviewRequest.Status.OPEN:
            raise ReviewError(_("这份人工复核申请已经有人答复了"))
        locked.status, locked.answer = ReviewRequest.Status.ANSWERED, answer
        locked.answered_by, locked.answered_at = by, timezone.now()
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
        transaction.on_commit(lambda: _send_answer(locked))
    return locked


def _send_answer(review: ReviewRequest) -> None:
    applicant = review.application.applicant
    if not applicant.email:
        return
    with translation.override(review.language):
        subject = _("人工复核的答复：%(title)s") % {"title": tr(review.application.job, "title")}
        context = {"review": review, "application": review.application}
        body = render_to_string("careers/email_review_answer.txt", context)
    try:
        send_mail(subject, body, None, [applicant.email])
    except Exception:  # the answer is saved and shown on the status page
        logger.exception("review answer e-mail for application %s failed", review.application_id)
