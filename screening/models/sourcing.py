"""Where applications come from beyond the public form: an employee's referral link (内推)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped
from .jobs import Job


def _referral_code() -> str:
    # short enough to read out or paste into a WeChat message, long enough not to be guessed (~60 bits)
    return secrets.token_urlsafe(8)


class ReferralLink(TimeStamped):
    """An employee's own link to the job pages: an application that came through it records the referrer. The
    code only attributes; it grants nothing (anyone may apply without it)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referral_links", verbose_name=_("推荐人")
    )
    # empty: every open job; else the link opens this job's page
    job = models.ForeignKey(
        Job, on_delete=models.CASCADE, null=True, blank=True, related_name="referral_links", verbose_name=_("职位")
    )
    code = models.CharField(_("推荐码"), max_length=16, unique=True, default=_referral_code, editable=False)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("内推链接")
        verbose_name_plural = _("内推链接")

    def __str__(self):
        return f"{self.owner} · {self.code}"
