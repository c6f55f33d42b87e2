"""People's decisions on applications (service: writes). The engine only recommends; these record who
moved an application, when and why, and are the only code that changes its stage."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Application, RejectionReason, StageChange

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


def application_decide(*, application: Application, to_stage: str, by, reason: str = "", note: str = "") -> None:
    """A person moves the application to `to_stage`; a rejection needs a structured reason."""
    _check(to_stage, by, reason)
    if application.stage == Stage.WITHDRAWN:
        raise DecisionError(_("候选人已撤回申请"))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        StageChange.objects.create(
            application=locked, from_stage=locked.stage, to_stage=to_stage, by=by,
            reason=reason if to_stage == Stage.REJECTED else "", note=note,
        )  # fmt: skip
        locked.stage = to_stage
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.rejection_reason = reason if to_stage == Stage.REJECTED else ""
        locked.save(update_fields=["stage", "decided_by", "decided_at", "rejection_reason", "updated_at"])
    application.refresh_from_db()


def application_undo_rejection(*, application: Application, by, note: str = "") -> None:
    """Back to the stage the application had before it was rejected, recorded like any decision."""
    last = application.stage_changes.filter(to_stage=Stage.REJECTED).first()
    if application.stage != Stage.REJECTED or last is None:
        raise DecisionError(_("这份申请当前不是未通过状态"))
    with transaction.atomic():
        StageChange.objects.create(
            application=application, from_stage=Stage.REJECTED, to_stage=last.from_stage, by=by,
            note=note or _("撤销未通过"),
        )  # fmt: skip
        application.stage = last.from_stage
        application.decided_by, application.decided_at, application.rejection_reason = by, timezone.now(), ""
        application.save(update_fields=["stage", "decided_by", "decided_at", "rejection_reason", "updated_at"])


def applications_decide(*, applications, to_stage: str, by, reason: str = "", note: str = "") -> int:
    """The same decision for several applications, by one person, in one transaction: how many moved."""
    return len(applications_decide_ids(applications=applications, to_stage=to_stage, by=by, reason=reason, note=note))


def applications_decide_ids(*, applications, to_stage: str, by, reason: str = "", note: str = "") -> list[int]:
    """As applications_decide, returning the ids that moved (withdrawn ones and those already at `to_stage`
    are skipped). Set-based: one locking read, one insert of the history, one update, however many."""
    _check(to_stage, by, reason)
    if not isinstance(applications, QuerySet):
        applications = Application.objects.filter(pk__in=[a.pk for a in applications])
    reason = reason if to_stage == Stage.REJECTED else ""
    with transaction.atomic():
        rows = list(
            applications.select_for_update(of=("self",))
            .exclude(stage__in=[Stage.WITHDRAWN, to_stage])
            .values_list("pk", "stage")
        )
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
    return ids


def application_record_withdrawal(*, application: Application) -> None:
    """The candidate's own withdrawal (the one stage change without a staff member)."""
    with transaction.atomic():
        StageChange.objects.create(application=application, from_stage=application.stage, to_stage=Stage.WITHDRAWN)
        application.stage = Stage.WITHDRAWN
        application.decided_at = timezone.now()  # the candidate's own decision: the retention clock starts
        application.save(update_fields=["stage", "decided_at", "updated_at"])


def notify_rejection(*, application_ids: list[int], language: str) -> None:
    """After commit: a polite, templated e-mail to each rejected candidate (those with an address)."""
    from django.core.mail import send_mass_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    def send():
        messages = []
        with translation.override(language):
            for a in Application.objects.filter(pk__in=application_ids, stage=Stage.REJECTED).select_related(
                "applicant", "job"
            ):
                if a.applicant.email:
                    subject = _("关于您申请的“%(title)s”") % {"title": a.job.title}
                    body = render_to_string("careers/email_rejection.txt", {"application": a})
                    messages.append((subject, body, None, [a.applicant.email]))
        send_mass_mail(messages, fail_silently=False)

    transaction.on_commit(send)
