"""Referral links (内推) (service: writes): an employee's own links, made and ended by that employee."""

from django.db import transaction
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Job, ReferralLink


class ReferralError(ValueError):
    pass


def referral_link_create(*, owner, job: Job | None = None) -> ReferralLink:
    """A new link of `owner` (a staff member) for every open job, or for one open job they may see."""
    if owner is None or not owner.is_authenticated or not owner.is_staff:
        raise ReferralError(_("只有员工可以创建内推链接"))
    if job is not None and not selectors.jobs_visible_to(owner).filter(pk=job.pk, status=Job.Status.OPEN).exists():
        raise ReferralError(_("只能为正在招聘的职位创建内推链接"))
    return ReferralLink.objects.create(owner=owner, job=job)


def referral_link_deactivate(*, pk: int, by) -> bool:
    """The owner ends one of their links (applications already made keep their referrer). Whether it was active."""
    with transaction.atomic():
        return bool(ReferralLink.objects.filter(pk=pk, owner=by, active=True).update(active=False))
