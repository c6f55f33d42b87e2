"""Retention: personal data leaves when its time is up (PIPL art. 19 and 47, GDPR art. 5(1)(e)).

A closed application (rejected, hired, withdrawn) is erased RETENTION_DAYS after the decision that closed
it (decided_at, set by HR's decisions and the candidate's withdrawal); any other application
RETENTION_UNDECIDED_DAYS after its last change. One that became an employment is erased EMPLOYEE_RETENTION_DAYS
after the employment's last change, whatever its stage.
Erasing an application removes its evaluation, consents, stage history, notes, review requests and résumé file
(see signals), and the person too when no other application is left. An application whose candidate asked for a
human review not yet answered is kept until it is answered. The application a person joined the talent pool through
(their own consent, models/pool.py) is kept while the entry lasts, until TALENT_POOL_RETENTION_DAYS after joining,
whatever the clocks above say; once it expires or the person leaves, the ordinary clocks apply again (so data whose
ordinary time is already up goes at the next run). The audit log keeps one line per purge
with counts only.
"""

import logging
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .. import events
from ..models import Applicant, Application, AuditEvent, ReviewRequest, StatusLink, TalentPoolEntry
from ..worksamples import buyer_chat as chat

logger = logging.getLogger(__name__)

CLOSED = (Application.Stage.REJECTED, Application.Stage.HIRED, Application.Stage.WITHDRAWN)


@dataclass(frozen=True)
class PurgeReport:
    applications: int = 0
    applicants: int = 0
    files: int = 0


def expired_applications(*, now: datetime | None = None):
    now = now or timezone.now()
    closed_before = now - timedelta(days=settings.RETENTION_DAYS)
    open_before = now - timedelta(days=settings.RETENTION_UNDECIDED_DAYS)
    employed_before = now - timedelta(days=settings.EMPLOYEE_RETENTION_DAYS)
    under_review = ReviewRequest.objects.filter(status=ReviewRequest.Status.OPEN).values("application_id")
    # the talent pool's own clock: what a person joined through stays while their entry lasts
    pooled = TalentPoolEntry.objects.filter(TalentPoolEntry.active_q(now)).values("application_id")
    candidates = Q(stage__in=CLOSED, closed_at__lt=closed_before) | (
        ~Q(stage__in=CLOSED) & Q(updated_at__lt=open_before)
    )
    # an application that became an employment (screening.onboarding) is employee data: its own, longer clock
    return (
        Application.objects.annotate(closed_at=Coalesce("decided_at", "updated_at"))
        .filter((Q(employment__isnull=True) & candidates) | Q(employment__updated_at__lt=employed_before))
        .exclude(pk__in=under_review)
        .exclude(pk__in=pooled)
    )


def purge_expired(*, now: datetime | None = None, batch_size: int = 500, max_batches: int = 100) -> PurgeReport:
    """Erase what has expired, in batches of `batch_size` (each with its own line in the access log, written in
    the same transaction: an erasure is never unlogged, even if the run stops halfway); the rest waits for
    the next run."""
    chat.purge_stale()  # chat-test runs: a day is enough (the transcript lives on in the application)
    StatusLink.objects.filter(expires_at__lt=now or timezone.now()).delete()  # dead links open nothing
    total = PurgeReport()
    for _batch in range(max_batches):
        with transaction.atomic():
            ids = list(
                expired_applications(now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            batch = _erase(ids)
            AuditEvent.objects.create(
                actor=None,
                action=AuditEvent.Action.PURGE,
                detail={
                    "applications": batch.applications,
                    "applicants": batch.applicants,
                    "files": batch.files,
                    "retention_days": settings.RETENTION_DAYS,
                    "undecided_days": settings.RETENTION_UNDECIDED_DAYS,
                },
            )
        total = PurgeReport(*(a + b for a, b in zip(astuple(total), astuple(batch), strict=True)))
    if total.applications:
        logger.info(
            "retention purge: %d applications, %d applicants, %d files",
            total.applications,
            total.applicants,
            total.files,
        )
    return total


def _erase(ids: list[int]) -> PurgeReport:
    applications = Application.objects.filter(pk__in=ids)
    applicant_ids = set(applications.values_list("applicant_id", flat=True))
    files = applications.exclude(resume="").count()
    events.emit(
        events.ERASED, ({"application_id": pk, "job_id": job} for pk, job in applications.values_list("pk", "job_id"))
    )
    applications.delete()  # résumé files go after commit (signals._application_deleted)
    orphans = Applicant.objects.filter(pk__in=applicant_ids, applications__isnull=True)
    _count, by_model = orphans.delete()
    return PurgeReport(applications=len(ids), applicants=by_model.get("screening.Applicant", 0), files=files)
