import json
import logging
import re
from datetime import UTC, datetime

_SECRET_PATH = re.compile(r"/status/[^/\s?]+")


def redact(path: str) -> str:
    """A candidate's private status token out of a path or a log line."""
    return _SECRET_PATH.sub("/status/[redacted]", path or "")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the exception when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RedactStatusTokens(logging.Filter):
    """No log line carries a candidate's private status token (Django logs the path of a 404, for one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/status/" in message:
            record.msg, record.args = redact(message), ()
        return True
