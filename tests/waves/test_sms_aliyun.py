"""The Alibaba Cloud SMS backend through its real SDK, against a local HTTP server standing in for the provider's
endpoint (the one part outside the machine): what it sends, a refusal recorded on the reminder and tried again."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from screening.waves import services, sms
from screening.waves.models import Reminder
from tests.factories import JobFactory
from tests.waves.factories import SessionFactory, invited


class Provider:
    def __init__(self):
        self.requests: list[dict[str, str]] = []
        self.answer = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"}


@pytest.fixture
def provider(settings):
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's hook name)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            fields = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            fields.update({k: v[0] for k, v in parse_qs(body).items()})
            fields.update({k.lower(): v for k, v in self.headers.items()})
            state.requests.append(fields)
            payload = json.dumps(state.answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_BACKEND = "screening.waves.sms.AliyunBackend"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test-key"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "test-secret"
    settings.SMS_ALIYUN_SIGN_NAME = "客服招聘"
    settings.SMS_ALIYUN_TEMPLATE_CODE = "SMS_480000001"
    settings.SMS_ALIYUN_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()


def test_a_message_goes_out_as_a_signed_sendsms_call_with_the_template_values(provider):
    sms.send_sms("13800138000", "王芳您好…", params={"name": "王芳", "start": "2026-12-08 09:00"}, ref="reminder-7")

    (call,) = provider.requests
    assert call["x-acs-action"] == "SendSms" and call["x-acs-version"] == "2017-05-25"
    assert call["PhoneNumbers"] == "13800138000"
    assert call["SignName"] == "客服招聘" and call["TemplateCode"] == "SMS_480000001"
    assert json.loads(call["TemplateParam"]) == {"name": "王芳", "start": "2026-12-08 09:00"}
    assert call["OutId"] == "reminder-7"
    assert "LTAI-test-key" in call["authorization"]  # signed with the account's key (ACS3-HMAC-SHA256)


def test_a_refusal_raises_with_the_providers_code(provider):
    provider.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发小时级流控", "RequestId": "X"}
    with pytest.raises(sms.SmsError, match="isv.BUSINESS_LIMIT_CONTROL"):
        sms.send_sms("13800138000", "…")


def test_missing_settings_are_named(settings):
    settings.SMS_BACKEND = "screening.waves.sms.AliyunBackend"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = ""
    settings.SMS_ALIYUN_SIGN_NAME = ""
    with pytest.raises(ImproperlyConfigured, match="SMS_ALIYUN_ACCESS_KEY_ID, .*SMS_ALIYUN_SIGN_NAME"):
        sms.send_sms("13800138000", "…")


@pytest.mark.django_db
def test_a_refused_reminder_keeps_its_error_and_is_sent_by_a_later_run(provider, hr_user):
    job = JobFactory(title="电商客服专员")
    session = SessionFactory(job=job, starts_at=timezone.now() + timedelta(minutes=50), place="杭州市文三路 90 号")
    application = invited(job, by=hr_user, name="王芳")
    services.booking_book(application=application, session=session, by=hr_user)
    provider.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发小时级流控", "RequestId": "X"}

    assert services.reminders_send_due() == 1  # the e-mail
    failed = Reminder.objects.get(channel="sms")
    assert failed.sent_at is None and failed.attempts == 1 and "BUSINESS_LIMIT_CONTROL" in failed.error

    provider.answer = {"Code": "OK", "Message": "OK", "BizId": "1^0", "RequestId": "Y"}
    assert services.reminders_send_due() == 1  # the SMS, on the next run (beat: a minute later)
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.attempts == 2 and failed.error == ""
    assert json.loads(provider.requests[-1]["TemplateParam"])["name"] == "王芳"
    assert services.reminders_send_due() == 0
