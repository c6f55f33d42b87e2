"""Tests run on the same real PostgreSQL and Redis, on Redis databases of their own."""

import os

os.environ.setdefault("REDIS_BROKER_DB", "2")
os.environ.setdefault("REDIS_CACHE_DB", "3")
os.environ.setdefault("DEMO_MODE", "false")

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed: tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Serve static files from the finders, no collectstatic needed for the browser tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Live-server threads must not keep connections open past a test: the test database is dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
