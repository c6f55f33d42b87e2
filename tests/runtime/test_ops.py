"""Operations: the access log never carries a status token; logs can be JSON lines."""

import json
import logging

from config.gunicorn import RedactingLogger, redact
from config.logging import JsonFormatter


def test_status_tokens_are_redacted_from_paths():
    assert redact("/status/AbC-123_xyz/") == "/status/[redacted]/"
    assert redact("/status/AbC?x=1") == "/status/[redacted]?x=1"
    assert redact("/jobs/a/apply/") == "/jobs/a/apply/"


def test_gunicorn_access_log_gets_no_token(monkeypatch):
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    seen = []
    monkeypatch.setattr(Logger, "access", lambda self, resp, req, environ, rt: seen.append((req, environ)))
    token = "s3cr3t-TOKEN-value"
    environ = {"PATH_INFO": f"/status/{token}/", "RAW_URI": f"/status/{token}/?a=1"}
    req = SimpleNamespace(path=f"/status/{token}/", uri=f"/status/{token}/?a=1")
    RedactingLogger(Config()).access(SimpleNamespace(), req, environ, None)
    logged_req, logged_environ = seen[0]
    assert token not in repr(vars(logged_req)) and token not in repr(logged_environ)
    assert logged_environ["RAW_URI"] == "/status/[redacted]/?a=1"


def test_json_log_lines():
    record = logging.LogRecord("screening", logging.ERROR, __file__, 1, "评分失败 %s", ("42",), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "ERROR" and entry["logger"] == "screening" and entry["message"] == "评分失败 42"


def test_django_log_lines_are_redacted_too():
    from config.logging import RedactStatusTokens

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/status/TOKEN1/",), None
    )
    assert RedactStatusTokens().filter(record)
    assert record.getMessage() == "Not Found: /status/[redacted]/"
