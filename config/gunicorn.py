"""gunicorn settings (`gunicorn -c config/gunicorn.py config.wsgi`), every knob from the environment."""

import os

from gunicorn.glogging import Logger

from config.logging import redact  # the access log and the app's logs redact alike

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))  # 2 per core is the usual start
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "10"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Import the project once in the master and fork the workers from it: a worker replaced after max_requests is
# serving again at once instead of importing Django under load (code changes need a restart, not a HUP).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


class RedactingLogger(Logger):
    """The access log never carries a candidate's private status token."""

    def access(self, resp, req, environ, request_time):
        if "/status/" in environ.get("PATH_INFO", ""):
            environ = {
                **environ,
                "PATH_INFO": redact(environ["PATH_INFO"]),
                "RAW_URI": redact(environ.get("RAW_URI", "")),
            }
            req.path = redact(req.path)
            req.uri = redact(getattr(req, "uri", ""))
        super().access(resp, req, environ, request_time)


logger_class = RedactingLogger
