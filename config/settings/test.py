"""Tests run on the same real PostgreSQL and Redis, on Redis databases of their own.

Inert like the base settings: the test session starts the embedded stack (tests/conftest.py), not these."""

import atexit
import os
import secrets
import shutil
import tempfile
from pathlib import Path

# A second run at the same time (TOX_PARALLEL_ENV, as pytest-django uses for its database name) gets Redis
# databases of its own, so neither purges the other's queue nor clears its cache.
_parallel = bool(os.environ.get("TOX_PARALLEL_ENV"))
os.environ.setdefault("REDIS_BROKER_DB", "10" if _parallel else "2")
os.environ.setdefault("REDIS_CACHE_DB", "11" if _parallel else "3")
os.environ.setdefault("DEMO_MODE", "false")
# a failed webhook is tried again within seconds, so a test sees the retry (the worker reads these too)
os.environ.setdefault("WEBHOOK_RETRY_BASE_SECONDS", "0.5")
os.environ.setdefault("WEBHOOK_SWEEP_AFTER", "5")

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed: tests only
# pytest-django reads the settings before the session starts the embedded stack and makes its key: the tests and
# the workers they start sign with this one, whatever var/ holds.
SECRET_KEY = "tests-only-" + "k" * 50
# in memory; a test that starts its own worker may send through a real SMTP server it runs (TEST_EMAIL_BACKEND)
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Uploads of one run in a directory of its own (made by the first upload), removed when the run ends.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"portal-test-media-{os.getpid()}-{secrets.token_hex(4)}"
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Serve static files from the finders, no collectstatic needed for the browser tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Live-server threads must not keep connections open past a test: the test database is dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
