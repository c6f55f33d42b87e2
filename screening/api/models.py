"""The open API's own tables: its clients, the ids they gave applications, webhook endpoints and deliveries."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screening.events import TYPES as EVENT_TYPES
from screening.models import Application, Job, TimeStamped

TOKEN_PREFIX = "kfp_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(TimeStamped):
    """A system that calls the API (Feishu, Moka, Beisen, an HRIS). Its token is shown once, at creation; only
    a sha256 of it is kept. It acts through a user of its own (`user`), which holds the HR reviewer role and is
    scoped to jobs exactly as an HR reviewer is (selectors.jobs_visible_to: the jobs without a hiring team and
    those whose team it is on); that user has no usable password, so nobody can log in as it."""

    class Scope(models.TextChoices):
        READ = "read", _("读取")
        DECIDE = "decide", _("决定")
        CREATE = "create", _("创建申请")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("令牌开头"), max_length=12, editable=False, blank=True)
    scopes = models.JSONField(_("权限范围"), default=list, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client", editable=False,
        verbose_name=_("接口用户"),
    )  # fmt: skip
    revoked = models.BooleanField(_("已吊销"), default=False)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("接口客户端")
        verbose_name_plural = _("接口客户端")

    def __str__(self):
        return self.name

    @staticmethod
    def new_token() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    def set_token(self, token: str) -> None:
        self.token_hash, self.token_hint = token_hash(token), token[: len(TOKEN_PREFIX) + 4]

    def usable(self, now=None) -> bool:
        return not self.revoked and (self.expires_at is None or self.expires_at > (now or timezone.now()))

    def allows(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class ExternalApplication(models.Model):
    """The id a client gave an application it created: the same id again is the same application."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="external_ids")
    external_id = models.CharField(max_length=100)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    request_hash = models.CharField(max_length=64)  # the body that created it: a different one is refused
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "external_id"], name="api_one_application_per_external_id")
        ]
        verbose_name = _("外部编号")
        verbose_name_plural = _("外部编号")

    def __str__(self):
        return f"{self.client_id}:{self.external_id}"


def _event_choices():
    return [(t, t) for t in EVENT_TYPES]


class WebhookEndpoint(TimeStamped):
    """Where events are posted, signed with the Standard Webhooks scheme (whsec_… secret)."""

    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=100, help_text=_("whsec_ 开头，创建时自动生成"))
    events = models.JSONField(_("事件"), default=list, blank=True, help_text=_("为空表示全部事件"))
    # Empty: every job. Otherwise only events of these jobs are sent.
    jobs = models.ManyToManyField(Job, blank=True, related_name="+", verbose_name=_("职位范围"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Webhook 地址")
        verbose_name_plural = _("Webhook 地址")

    def __str__(self):
        return self.name

    @staticmethod
    def new_secret() -> str:
        import base64

        return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("已放弃")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(_("事件编号"), max_length=40)
    event_type = models.CharField(_("事件"), max_length=40)
    payload = models.JSONField(_("内容"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_response_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # one delivery of an event per endpoint, however often the event is handed over
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="api_one_delivery_per_event_and_endpoint"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="api_delivery_due"),
        ]
        verbose_name = _("Webhook 投递")
        verbose_name_plural = _("Webhook 投递")

    def __str__(self):
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"
