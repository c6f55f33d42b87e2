"""Writes after the hire: the employment and its checklist on hire, ticks, assessments and their rules
(seed 002, 1.2.1.3 上岗考核制度), permissions, the CSV import of results, reminders to assessors."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from screening.links import site_url
from screening.models import Application, Job

from .models import Assessment, AssessmentPoint, Employment, OnboardingPlan, OnboardingTask, Outcome

# seed 002: 两次不合格的，将要求调离相关岗位
FAILS_BEFORE_TRANSFER = 2
RETAKE_DAYS = 30  # a retake after a fail, or the end of an extension


class OnboardingError(ValueError):
    pass


def plan_for_job(*, job: Job) -> OnboardingPlan | None:
    return job.onboarding_plans.order_by("slug").first() or OnboardingPlan.objects.filter(is_default=True).first()


def employments_start(*, application_ids: list[int], to_stage: str, by) -> list[Employment]:
    """Called by the decisions service inside its transaction: applications just moved to "hired" get their
    employment, checklist and assessments from their job's plan (once: hired again after a move back keeps
    what was there)."""
    if to_stage != Application.Stage.HIRED or not application_ids:
        return []
    today = timezone.localdate()
    started = []
    for application in (
        Application.objects.filter(pk__in=application_ids, employment__isnull=True).select_related("job").order_by("pk")
    ):
        plan = plan_for_job(job=application.job)
        employment = Employment.objects.create(application=application, plan=plan, started_on=today)
        if plan is not None:
            OnboardingTask.objects.bulk_create(
                OnboardingTask(
                    employment=employment,
                    title=item.title,
                    description=item.description,
                    owner=item.owner,
                    due_on=today + timedelta(days=item.day_offset),
                    order=i,
                )  # fmt: skip
                for i, item in enumerate(plan.items.all())
            )
            Assessment.objects.bulk_create(
                _assessment_from(employment, point, today) for point in plan.assessment_points.all()
            )
        started.append(employment)
    return started


def _assessment_from(employment: Employment, point: AssessmentPoint, started_on: date) -> Assessment:
    return Assessment(
        employment=employment, code=point.code, title=point.title,
        due_on=started_on + timedelta(days=point.day_offset), unlocks_permissions=point.unlocks_permissions,
    )  # fmt: skip


def employment_assign(*, employment: Employment, mentor, assessor) -> None:
    employment.mentor, employment.assessor = mentor, assessor
    employment.save(update_fields=["mentor", "assessor", "updated_at"])


def task_tick(*, task: OnboardingTask, by, done: bool) -> None:
    """Who ticked an item and when; unticking clears both (the item is open again)."""
    with transaction.atomic():
        locked = OnboardingTask.objects.select_for_update().get(pk=task.pk)
        if done and locked.done_at is None:
            locked.done_at, locked.done_by = timezone.now(), by
        elif not done:
            locked.done_at, locked.done_by = None, None
        locked.save(update_fields=["done_at", "done_by", "updated_at"])
    task.refresh_from_db()


@dataclass
class AssessmentResult:
    """What a form or an import row hands the service, already validated and normalised."""

    outcome: str
    ratings: dict[str, int] = field(default_factory=dict)
    satisfaction: Decimal | None = None
    first_response_seconds: Decimal | None = None
    reply_rate: Decimal | None = None
    note: str = ""


def assessment_record(*, assessment: Assessment, result: AssessmentResult, by) -> Assessment | None:
    """Record the result; the seed's rules follow in the same transaction. A fail or an extension gets a retake
    RETAKE_DAYS later, unless this was the FAILS_BEFORE_TRANSFER-th fail: then the hire is flagged for a
    transfer. Returns the retake, if one was made. A result already recorded is not overwritten."""
    if result.outcome not in Outcome.values:
        raise OnboardingError(_("请选择考核结果"))
    with transaction.atomic():
        employment = Employment.objects.select_for_update().get(pk=assessment.employment_id)
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.outcome:
            raise OnboardingError(_("这次考核已经录入结果"))
        locked.outcome = result.outcome
        locked.ratings = result.ratings
        locked.satisfaction, locked.first_response_seconds = result.satisfaction, result.first_response_seconds
        locked.reply_rate, locked.note = result.reply_rate, result.note
        locked.assessed_at, locked.assessed_by = timezone.now(), by
        locked.save()
        retake = None
        fails = employment.assessments.filter(outcome=Outcome.FAIL).count()
        if result.outcome == Outcome.FAIL and fails >= FAILS_BEFORE_TRANSFER:
            if employment.transfer_flagged_at is None:
                employment.transfer_flagged_at = timezone.now()
                employment.save(update_fields=["transfer_flagged_at", "updated_at"])
        elif result.outcome in (Outcome.FAIL, Outcome.EXTENDED):
            retake = Assessment.objects.create(
                employment=employment, code=locked.code, title=locked.title, attempt=locked.attempt + 1,
                due_on=max(locked.due_on, timezone.localdate()) + timedelta(days=RETAKE_DAYS),
                unlocks_permissions=locked.unlocks_permissions,
            )  # fmt: skip
    assessment.refresh_from_db()
    return retake


def employment_may_get_permissions(employment: Employment) -> bool:
    return employment.assessments.filter(unlocks_permissions=True, outcome=Outcome.PASS).exists()


def employment_grant_permissions(*, employment: Employment, by) -> None:
    """seed 002: 考核合格者经培训负责人同意方可申请用户权限 — refused before a pass of an assessment that
    unlocks them, and for a hire flagged for a transfer."""
    with transaction.atomic():
        locked = Employment.objects.select_for_update().get(pk=employment.pk)
        if locked.permissions_granted_at is not None:
            raise OnboardingError(_("用户权限已经开通"))
        if locked.transfer_flagged_at is not None:
            raise OnboardingError(_("已要求调岗，不能开通用户权限"))
        if not employment_may_get_permissions(locked):
            raise OnboardingError(_("考核合格之前不能开通用户权限"))
        locked.permissions_granted_at, locked.permissions_granted_by = timezone.now(), by
        locked.save(update_fields=["permissions_granted_at", "permissions_granted_by", "updated_at"])
    employment.refresh_from_db()


# -- import ------------------------------------------------------------------------------------------------------

IMPORT_COLUMNS = ("application", "assessment", "outcome", "satisfaction", "first_response_seconds", "reply_rate")
RATING_PREFIX = "rating_"


@dataclass
class ImportReport:
    recorded: list[int] = field(default_factory=list)  # assessment ids
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def parse_decimal(value: str, *, low: float, high: float | None, label: str) -> Decimal | None:
    value = (value or "").strip().rstrip("%").replace("，", ".").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise OnboardingError(_("%(label)s不是数字：%(value)s") % {"label": label, "value": value}) from exc
    if not number.is_finite() or number < low or (high is not None and number > high):
        limits = f"{low}–{high}" if high is not None else f"≥ {low}"
        text = _("%(label)s应在 %(limits)s 之间：%(value)s")
        raise OnboardingError(text % {"label": label, "limits": limits, "value": value})
    return number.quantize(Decimal("0.1"))


def parse_rating(value: str, *, label: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if value not in {"1", "2", "3", "4", "5"}:
        raise OnboardingError(_("%(label)s应为 1–5 的整数：%(value)s") % {"label": label, "value": value})
    return int(value)


def assessments_import(*, job: Job, text: str, by, qualities: dict[str, str]) -> ImportReport:
    """A CSV of results (columns IMPORT_COLUMNS and rating_<quality code>): each row recorded on its own, the
    next open assessment of that code for that hire of this job; a row that cannot be is reported with its line
    and why, and the others are recorded all the same."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("application", "assessment", "outcome") if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, _("缺少列：%(columns)s") % {"columns": ", ".join(missing)}))
        return report
    outcomes = {**{v: v for v in Outcome.values}, **{str(label): v for v, label in Outcome.choices}}
    for row in reader:
        line = reader.line_num
        try:
            pk = (row.get("application") or "").strip()
            if not pk.isdigit():
                raise OnboardingError(_("申请编号无效：%(value)s") % {"value": pk})
            assessment = (
                Assessment.objects.filter(
                    employment__application_id=int(pk),
                    employment__application__job=job,
                    code=(row.get("assessment") or "").strip(),
                    outcome="",
                )  # fmt: skip
                .order_by("attempt")
                .first()
            )
            if assessment is None:
                raise OnboardingError(_("本职位没有这位员工待录入的这项考核"))
            outcome = outcomes.get((row.get("outcome") or "").strip().lower()) or outcomes.get(
                (row.get("outcome") or "").strip()
            )
            if outcome is None:
                text = _("考核结果应为 合格、不合格 或 延长考察：%(value)s")
                raise OnboardingError(text % {"value": row.get("outcome")})
            ratings = {}
            for code, title in qualities.items():
                rating = parse_rating(row.get(RATING_PREFIX + code, ""), label=title)
                if rating is not None:
                    ratings[code] = rating
            result = AssessmentResult(
                outcome=outcome,
                ratings=ratings,
                satisfaction=parse_decimal(row.get("satisfaction", ""), low=0, high=100, label=_("客户满意度")),
                first_response_seconds=parse_decimal(
                    row.get("first_response_seconds", ""), low=0, high=None, label=_("首次响应时间")
                ),
                reply_rate=parse_decimal(row.get("reply_rate", ""), low=0, high=100, label=_("回复率")),
            )
            assessment_record(assessment=assessment, result=result, by=by)
        except OnboardingError as exc:
            report.errors.append((line, str(exc)))
        else:
            report.recorded.append(assessment.pk)
    return report


# -- reminders ---------------------------------------------------------------------------------------------------


def assessments_remind(*, now: datetime | None = None) -> int:
    """E-mail each assessor about assessments due within ASSESSMENT_REMINDER_DAYS, once per assessment: the row
    is marked in the transaction that sends, under its lock (skip_locked), so two beat runs never both send."""
    now = now or timezone.now()
    horizon = timezone.localdate(now) + timedelta(days=settings.ASSESSMENT_REMINDER_DAYS)
    sent = 0
    with transaction.atomic():
        due = list(
            Assessment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(outcome="", reminder_sent_at__isnull=True, due_on__lte=horizon)
            .filter(Q(employment__assessor__isnull=False) | Q(employment__mentor__isnull=False))
            .select_related("employment__assessor", "employment__mentor", "employment__application__job",
                            "employment__application__applicant")
            .order_by("due_on", "pk")[:500]
        )  # fmt: skip
        for assessment in due:
            person = assessment.employment.assessor or assessment.employment.mentor
            if person.email:
                with translation.override(settings.LANGUAGE_CODE):
                    subject = _("考核提醒：%(name)s 的%(title)s") % {
                        "name": assessment.employment.application.applicant.name, "title": assessment.title,
                    }  # fmt: skip
                    path = reverse("hr:assessment", args=[assessment.employment_id, assessment.pk])
                    context = {"assessment": assessment, "url": site_url() + path}
                    body = render_to_string("hr/onboarding/email_reminder.txt", context)
                send_mail(subject, body, None, [person.email])
                sent += 1
            assessment.reminder_sent_at = now
        Assessment.objects.bulk_update(due, ["reminder_sent_at"])
    return sent
