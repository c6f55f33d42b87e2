"""A voluntary self-identification, asked after an application is in, for fairness statistics only.

Kept apart from the application on purpose: not in its profile (the rule engine reads the profile only), and no
accessor from the application (related_name "+"), so no HR page, export or admin form can reach it for a person.
Only aggregate reads (selectors.job_fairness_rows and the what-if preview) join it, by SQL, to count groups.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .base import TimeStamped


class VoluntarySelfId(TimeStamped):
    class Sex(models.TextChoices):
        FEMALE = "female", _("女")
        MALE = "male", _("男")
        OTHER = "other", _("其他")
        PREFER_NOT = "prefer_not", _("不愿透露")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="+")
    sex = models.CharField(_("性别"), max_length=12, choices=Sex.choices)
    # the separate consent this answer was given under (unticked by default on the form), and which notice it read
    consent_given_at = models.DateTimeField(_("同意时间"), default=timezone.now)
    notice_version = models.CharField(_("隐私说明版本"), max_length=20)

    class Meta:
        verbose_name = _("自愿填写的统计信息")
        verbose_name_plural = _("自愿填写的统计信息")

    def __str__(self):
        return f"self-id {self.pk}"
