"""Writes of a job's wave plan: its headcount target, deadline and start (what the burndown measures against)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .. import selectors as domain
from ..models import Job
from .models import WavePlan

MAX_HEADCOUNT = 10_000  # the field's own ceiling is 32767; a wave of more is a typing mistake


class PlanInvalid(ValueError):
    """What is wrong with the plan, by field (headcount_target, deadline, start_date): messages to show beside it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def wave_plan_check(*, headcount_target, deadline, start_date) -> dict[str, str]:
    """The plan's problems by field; empty if it may be saved."""
    errors = {}
    if not isinstance(headcount_target, int) or isinstance(headcount_target, bool) or headcount_target < 1:
        errors["headcount_target"] = _("招聘目标人数至少为 1")
    elif headcount_target > MAX_HEADCOUNT:
        errors["headcount_target"] = _("招聘目标人数不能超过 %(n)s") % {"n": MAX_HEADCOUNT}
    if not isinstance(deadline, date):
        errors["deadline"] = _("请填写截止日期")
    if start_date is not None and not isinstance(start_date, date):
        errors["start_date"] = _("开始日期无效")
    elif start_date is not None and isinstance(deadline, date) and start_date > deadline:
        errors["start_date"] = _("开始日期不能晚于截止日期")
    return errors


def wave_plan_save(*, job: Job, by, headcount_target, deadline, start_date=None) -> WavePlan:
    """Set the job's plan. Only HR who may change applications and may see the job (its hiring team, or any HR
    reviewer for a job without one) sets it; raises PermissionDenied otherwise, PlanInvalid with what is wrong."""
    if not by.has_perm("screening.change_application"):
        raise PermissionDenied
    errors = wave_plan_check(headcount_target=headcount_target, deadline=deadline, start_date=start_date)
    if errors:
        raise PlanInvalid(errors)
    with transaction.atomic():
        # the job's row lock: two HR saving at once take turns; re-read who may act on it under the lock
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if not domain.jobs_visible_to(by).filter(pk=locked.pk).exists():
            raise PermissionDenied
        plan, _created = WavePlan.objects.update_or_create(
            job=locked,
            defaults={"headcount_target": headcount_target, "deadline": deadline, "start_date": start_date},
        )
    return plan
