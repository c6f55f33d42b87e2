"""People's decisions on applications (service: writes). The engine only recommends; these record who
moved an application, when and why, and are the only code that changes its stage."""

from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..models import Application, PoolOffer, RejectionReason, ReviewRequest, StageChange, tr
from ..onboarding.services import employments_start
from . import pool

Stage = Application.Stage
HR_STAGES = (Stage.REVIEWING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED, Stage.REJECTED)


class DecisionError(ValueError):
    pass


def _check(to_stage: str, by, reason: str) -> None:
    if by is None or not by.is_authenticated:
        raise DecisionError(_("只有招聘人员可以做出决定"))
    if to_stage not in HR_STAGES:
        raise DecisionError(_("不能把申请移到这个阶段"))
    if to_stage == Stage.REJECTED and reason not in RejectionReason.values:
        raise DecisionError(_("请选择未通过的原因"))


def application_decide(
    *,
    application: Application,
    to_stage: str,
    by,
    reason: str = "",
    note: str = "",
    expected_stage: str = "",
    offer_pool: bool = False,
) -> None:
    """A person moves the application to `to_stage`; a rejection needs a structured reason.

    The stage is read again under the row lock: a decision on a withdrawn application, one already at
    `to_stage`, or (`expected_stage` given: the stage the person saw) one that someone else moved meanwhile is
    refused, so a concurrent withdrawal or decision is never overwritten and the history matches the row.
    `offer_pool` (a rejection only): the candidate is asked whether they want to join the talent pool."""
    _check(to_stage, by, reason)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.stage == Stage.WITHDRAWN:
            raise DecisionError(_("候选人已撤回申请"))
        if expected_stage and locked.stage != expected_stage:
            raise DecisionError(_("这份申请的阶段刚被其他人更改，请查看最新状态后再决定"))
        if locked.stage == to_stage:
            raise DecisionError(_("这份申请已经处于这个阶段"))
        StageChange.objects.create(
            application=locked, from_stage=locked.stage, to_stage=to_stage, by=by,
            reason=reason if to_stage == Stage.REJECTED else "", note=note,
        )  # fmt: skip
        events.emit(
            events.STAGE_CHANGED,
            [{"application_id": locked.pk, "job_id": locked.job_id, "from": locked.stage, "to": to_stage}],
        )
        locked.stage = to_stage
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.rejection_reason = reason if to_stage == Stage.REJECTED else ""
        locked.save(update_fields=["stage", "decided_by", "decided_at", "rejection_reason", "updated_at"])
        employments_start(application_ids=[locked.pk], to_stage=to_stage, by=by)  # hired: onboarding begins
        if offer_pool and to_stage == Stage.REJECTED:
            pool.pool_offer(application_ids=[locked.pk], by=by)
    application.refresh_from_db()


def application_undo_rejection(*, application: Application, by, note: str = "") -> None:
    """Back to the stage the application had before it was rejected, recorded like any decision; refused
    unless it is still rejected once its row is locked (someone else may have undone or moved it)."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        last = locked.stage_changes.filter(to_stage=Stage.REJECTED).first()
        if locked.stage != Stage.REJECTED or last is None:
            raise DecisionError(_("这份申请当前不是未通过状态"))
        StageChange.objects.create(
            application=locked, from_stage=Stage.REJECTED, to_stage=last.from_stage, by=by,
            note=note or _("撤销未通过"),
        )  # fmt: skip
        events.emit(
            events.STAGE_CHANGED,
            [{"application_id": locked.pk, "job_id": locked.job_id, "from": Stage.REJECTED, "to": last.from_stage}],
        )
        locked.stage = last.from_stage
        locked.decided_by, locked.decided_at, locked.rejection_reason = by, timezone.now(), ""
        locked.save(update_fields=["stage", "decided_by", "decided_at", "rejection_reason", "updated_at"])
        # the pool was offered because it ended: back in the running, the offer is withdrawn unless already taken
        # (an entry the person joined stays theirs; HR's pool page leaves it out while the application is open)
        PoolOffer.objects.filter(application=locked).exclude(application__pool_entries__isnull=False).delete()
    application.refresh_from_db()


def applications_decide_ids(
    *,
    applications,
    to_stage: str,
    by,
    reason: str = "",
    note: str = "",
    expected_stages: Mapping[int, str] | None = None,
    offer_pool: bool = False,
) -> list[int]:
    """The same decision for several applications, by one person, in one transaction: the ids that moved.
    Set-based: one locking read, one insert of the history, one update, however many.

    Skipped, as the rows read under their locks: withdrawn ones, those already at `to_stage`, those
    whose stage is no longer the one their decider saw (`expected_stages`, {id: stage}; an id not in it is
    not checked), and, for a rejection, those whose candidate asked for a human review not yet answered (a
    person decides those one by one, on the application's page). The history records each row's locked stage,
    so it agrees with the row."""
    _check(to_stage, by, reason)
    if not isinstance(applications, QuerySet):
        applications = Application.objects.filter(pk__in=[a.pk for a in applications])
    reason = reason if to_stage == Stage.REJECTED else ""
    expected_stages = expected_stages or {}
    with transaction.atomic():
        rows = [
            (pk, stage)
            # in id order, so two bulk decisions over overlapping applications lock them in the same order
            for pk, stage in applications.select_for_update(of=("self",))
            .exclude(stage__in=[Stage.WITHDRAWN, to_stage])
            .order_by("pk")
            .values_list("pk", "stage")
            if expected_stages.get(pk, stage) == stage
        ]
        if to_stage == Stage.REJECTED and rows:
            # read after the rows are locked, in a statement of its own: a request is made under the application's
            # row lock, so one committed while this waited for the locks is seen here (not by the locking read)
            under_review = set(
                ReviewRequest.objects.filter(
                    application_id__in=[pk for pk, _stage in rows], status=ReviewRequest.Status.OPEN
                ).values_list("application_id", flat=True)
            )
            rows = [(pk, stage) for pk, stage in rows if pk not in under_review]
        now = timezone.now()
        StageChange.objects.bulk_create(
            StageChange(application_id=pk, from_stage=stage, to_stage=to_stage, by=by, reason=reason, note=note,
                        created_at=now)
            for pk, stage in rows
        )  # fmt: skip
        ids = [pk for pk, _stage in rows]
        Application.objects.filter(pk__in=ids).update(
            stage=to_stage, decided_by=by, decided_at=now, rejection_reason=reason, updated_at=now
        )
        employments_start(application_ids=ids, to_stage=to_stage, by=by)  # hired: onboarding begins
        events.emit(events.STAGE_CHANGED, ({"application_id": pk, "from": stage, "to": to_stage} for pk, stage in rows))
        if offer_pool and to_stage == Stage.REJECTED:  # asked of those rejected now
            pool.pool_offer(application_ids=ids, by=by)
    return ids


WITHDRAWAL_CLOSED = (Stage.WITHDRAWN, Stage.HIRED)


def application_record_withdrawal(*, application: Application) -> bool:
    """The candidate's own withdrawal (the one stage change without a staff member): whether it was recorded.

    The stage is read under the row lock, so a decision that committed first is the `from_stage` of the
    history and a decision waiting for the lock sees the withdrawal; already withdrawn or hired (maybe just
    now, by someone else) is left as it is."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        recorded = locked.stage not in WITHDRAWAL_CLOSED
        if recorded:
            StageChange.objects.create(application=locked, from_stage=locked.stage, to_stage=Stage.WITHDRAWN)
            events.emit(
                events.WITHDRAWN, [{"application_id": locked.pk, "job_id": locked.job_id, "from": locked.stage}]
            )
            locked.stage = Stage.WITHDRAWN
            locked.decided_at = timezone.now()  # the candidate's own decision: the retention clock starts
            locked.save(update_fields=["stage", "decided_at", "updated_at"])
    application.stage, application.decided_at, application.updated_at = (
        locked.stage, locked.decided_at, locked.updated_at
    )  # fmt: skip
    return recorded


def notify_rejection(*, application_ids: list[int], language: str, site: str = "") -> None:
    """After commit: a polite, templated e-mail to each rejected candidate (those with an address). Those HR asked
    to join the talent pool get a new status link with it, where they can say yes (or ignore it)."""
    from django.core.mail import send_mass_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from .. import links

    tokens = pool.pool_offer_status_tokens(application_ids=application_ids)

    def send():
        messages = []
        with translation.override(language):
            for a in Application.objects.filter(pk__in=application_ids, stage=Stage.REJECTED).select_related(
                "applicant", "job"
            ):
                if a.applicant.email:
                    subject = _("关于您申请的“%(title)s”") % {"title": tr(a.job, "title")}
                    link = links.status_url(tokens[a.pk], site) if a.pk in tokens else ""
                    context = {"application": a, "pool_link": link, "pool_days": settings.TALENT_POOL_RETENTION_DAYS}
                    body = render_to_string("careers/email_rejection.txt", context)
                    messages.append((subject, body, None, [a.applicant.email]))
        send_mass_mail(messages, fail_silently=False)

    transaction.on_commit(send)
