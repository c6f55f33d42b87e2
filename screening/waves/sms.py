"""Text messages through a pluggable backend, chosen by settings.SMS_BACKEND (a dotted class path).

A backend is a class with `send(phone, text)`; it raises on failure. The console backend (the default) prints;
the memory backend keeps the messages for tests. A real provider goes behind the same interface: a backend
wrapping Alibaba Cloud's SMS SDK (`alibabacloud_dysmsapi20170525`, SendSms with a signed template) or Tencent
Cloud's (`tencentcloud-sdk-python`'s sms client), with its keys read from the environment in its __init__.
"""

import logging
import sys
import threading
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    phone: str
    text: str


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"SMS to {phone}: {text}\n")
        sys.stdout.flush()


outbox: list[Message] = []  # what the memory backend sent (tests empty it)
_lock = threading.Lock()


class MemoryBackend:
    def send(self, phone: str, text: str) -> None:
        with _lock:
            outbox.append(Message(phone, text))


def send_sms(phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, text)
