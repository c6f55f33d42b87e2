"""The talent pool (人才库): candidates who ended a wave as "good, no seat" and agreed to be kept for the next one.

HR may ask (PoolOffer); only the candidate puts themself in (TalentPoolEntry, through their own status link), under
a notice version, with the pool's own retention clock (TALENT_POOL_RETENTION_DAYS), and may leave at any time. HR
invites the pool to a new job (PoolInvitation: a private link, only its hash kept, expiring)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .applications import Applicant, Application
from .jobs import Job


class PoolOffer(models.Model):
    """HR asked this (rejected or withdrawn) application's candidate whether they want to join the pool. Asking
    puts nobody in the pool."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="pool_offer", verbose_name=_("申请")
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("邀请人")
    )
    offered_at = models.DateTimeField(_("邀请时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人才库邀请")
        verbose_name_plural = _("人才库邀请")

    def __str__(self):
        return f"{self.application_id}"


class TalentPoolEntry(models.Model):
    """A person in the pool, by their own consent, given through the status link of `application`."""

    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="pool_entries", verbose_name=_("应聘者")
    )
    # the application whose status link the consent was given through; its erasure ends the entry with it
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="pool_entries", verbose_name=_("申请")
    )
    notice_version = models.CharField(_("人才库说明版本"), max_length=20)
    consented_at = models.DateTimeField(_("同意时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("保留至"))
    left_at = models.DateTimeField(_("退出时间"), null=True, blank=True)

    class Meta:
        ordering = ["-consented_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"], condition=Q(left_at__isnull=True), name="one_open_pool_entry_per_person"
            ),
        ]
        verbose_name = _("人才库成员")
        verbose_name_plural = _("人才库成员")

    def __str__(self):
        return f"{self.applicant_id} → {self.expires_at:%Y-%m-%d}"

    def is_active(self, now=None) -> bool:
        return self.left_at is None and self.expires_at > (now or timezone.now())

    @classmethod
    def active_q(cls, now=None, via: str = "") -> Q:
        return Q(**{f"{via}left_at__isnull": True, f"{via}expires_at__gt": now or timezone.now()})


class PoolInvitation(models.Model):
    """HR invited a pool entry to a job: the e-mailed private link opens the job's form, pre-filled, until the
    person applies through it (then it is used up: a forwarded e-mail or the next user of a shared phone gets
    nothing)."""

    entry = models.ForeignKey(
        TalentPoolEntry, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("人才库成员")
    )
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="pool_invitations", verbose_name=_("职位"))
    # made when the e-mail goes out (a worker sends it: services.pool.pool_invitations_send); null until then
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("链接有效期至"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("邀请人")
    )
    created_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    site = models.CharField(max_length=200, blank=True, editable=False)  # where HR invited from: the link's site

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "job"], name="one_pool_invitation_per_entry_and_job")]
        verbose_name = _("人才库职位邀请")
        verbose_name_plural = _("人才库职位邀请")

    def __str__(self):
        return f"{self.entry_id} → {self.job_id}"
