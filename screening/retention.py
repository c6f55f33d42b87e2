"""Retention: personal data leaves when its time is up (PIPL art. 19 and 47, GDPR art. 5(1)(e)).

A closed application (rejected, hired, withdrawn) is erased RETENTION_DAYS after its last change, which
is the decision that closed it; any other application RETENTION_UNDECIDED_DAYS after its last change.
Erasing an application removes its evaluation, consents, stage history, notes and résumé file (see
signals), and the person too when no other application is left. The audit log keeps one line per purge
with counts only.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import chat
from .models import Applicant, Application, AuditEvent

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
    return Application.objects.filter(
        Q(stage__in=CLOSED, updated_at__lt=closed_before) | (~Q(stage__in=CLOSED) & Q(updated_at__lt=open_before))
    )


def purge_expired(*, now: datetime | None = None, batch_size: int = 500) -> PurgeReport:
    chat.purge_stale()  # chat-test runs: a day is enough (the transcript lives on in the application)
    total = PurgeReport()
    while True:
        with transaction.atomic():
            ids = list(
                expired_applications(now=now)
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            total = _erase(ids, total)
    if total.applications:
        AuditEvent.objects.create(
            actor=None,
            action=AuditEvent.Action.PURGE,
            detail={
                "applications": total.applications,
                "applicants": total.applicants,
                "files": total.files,
                "retention_days": settings.RETENTION_DAYS,
                "undecided_days": settings.RETENTION_UNDECIDED_DAYS,
            },
        )
        logger.info(
            "retention purge: %d applications, %d applicants, %d files",
            total.applications,
            total.applicants,
            total.files,
        )
    return total


def _erase(ids: list[int], so_far: PurgeReport) -> PurgeReport:
    applications = Application.objects.filter(pk__in=ids)
    applicant_ids = set(applications.values_list("applicant_id", flat=True))
    files = applications.exclude(resume="").count()
    applications.delete()  # résumé files go after commit (signals._application_deleted)
    orphans = Applicant.objects.filter(pk__in=applicant_ids, applications__isnull=True)
    _count, by_model = orphans.delete()
    return PurgeReport(
        applications=so_far.applications + len(ids),
        applicants=so_far.applicants + by_model.get("screening.Applicant", 0),
        files=so_far.files + files,
    )
