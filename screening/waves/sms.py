"""Text messages through a pluggable backend, chosen by settings.SMS_BACKEND (a dotted class path).

A backend is a class with `send(phone, text, *, params, ref)`; it raises on failure. `text` is the job's own wording
filled in; `params` are its placeholders (name, job, start, place) for providers that send only approved templates;
`ref` names the message (the reminder): the provider echoes it in its delivery receipts (it does not de-duplicate by
it). A backend raises SmsError when the provider refused the message (nothing sent: it may be tried again); any
other exception means the outcome is unknown. The console backend (the default) prints; the memory backend keeps
the messages for tests; `AliyunBackend` sends through Alibaba Cloud's SMS service with its SDK.
"""

import json
import logging
import sys
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused the message (its code and message are in the text)."""


@dataclass(frozen=True)
class Message:
    phone: str
    text: str
    params: dict = field(default_factory=dict)
    ref: str = ""


class ConsoleBackend:
    def send(self, phone: str, text: str, *, params: dict | None = None, ref: str = "") -> None:
        sys.stdout.write(f"SMS to {phone}: {text}\n")
        sys.stdout.flush()


outbox: list[Message] = []  # what the memory backend sent (tests empty it)
_lock = threading.Lock()


class MemoryBackend:
    def send(self, phone: str, text: str, *, params: dict | None = None, ref: str = "") -> None:
        with _lock:
            outbox.append(Message(phone, text, dict(params or {}), ref))


class AliyunBackend:
    """Alibaba Cloud SMS (dysmsapi 2017-05-25, SendSms). Mainland carriers deliver only a signed, approved template:
    the template (SMS_ALIYUN_TEMPLATE_CODE) must use the variables ${name} ${job} ${start} ${place}, which get the
    reminder's values; the job's own wording is then what e-mail carries. Settings: SMS_ALIYUN_ACCESS_KEY_ID,
    SMS_ALIYUN_ACCESS_KEY_SECRET, SMS_ALIYUN_SIGN_NAME, SMS_ALIYUN_TEMPLATE_CODE, SMS_ALIYUN_ENDPOINT (default
    dysmsapi.aliyuncs.com)."""

    def __init__(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.models import Config

        missing = [
            name
            for name in ("ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "SIGN_NAME", "TEMPLATE_CODE")
            if not getattr(settings, f"SMS_ALIYUN_{name}", "")
        ]
        if missing:
            raise ImproperlyConfigured("AliyunBackend needs " + ", ".join(f"SMS_ALIYUN_{m}" for m in missing))
        endpoint = settings.SMS_ALIYUN_ENDPOINT
        config = Config(
            access_key_id=settings.SMS_ALIYUN_ACCESS_KEY_ID,
            access_key_secret=settings.SMS_ALIYUN_ACCESS_KEY_SECRET,
            endpoint=endpoint.removeprefix("http://").removeprefix("https://"),
            protocol="HTTP" if endpoint.startswith("http://") else "HTTPS",
            connect_timeout=5000,
            read_timeout=10000,
        )
        self.client = Client(config)

    def send(self, phone: str, text: str, *, params: dict | None = None, ref: str = "") -> None:
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest

        request = SendSmsRequest(
            phone_numbers=phone,
            sign_name=settings.SMS_ALIYUN_SIGN_NAME,
            template_code=settings.SMS_ALIYUN_TEMPLATE_CODE,
            template_param=json.dumps(params or {}, ensure_ascii=False),
            out_id=ref or None,
        )
        body = self.client.send_sms(request).body
        if body.code != "OK":  # the API answers 200 with a code for refusals (limits, template, number)
            raise SmsError(f"{body.code}: {body.message}")
        logger.info("SMS %s accepted by Alibaba Cloud as %s", ref, body.biz_id)


def get_backend():
    """An instance of the configured backend (a provider's client is made once per instance)."""
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, text: str, *, params: dict | None = None, ref: str = "") -> None:
    get_backend().send(phone, text, params=params, ref=ref)
