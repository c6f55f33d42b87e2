"""Settings, all read from the environment (django-environ) with safe defaults for the embedded stack.

Reading them starts no server and creates no directory: with no DATABASE_URL / REDIS_URL they name where the
embedded PostgreSQL and Redis live under VAR_DIR; the commands that need those servers start them
(config/embedded.py: manage.py, the test session, the benchmarks)."""

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from config.embedded import Embedded, production_declared, read_secret_key, some_server_embedded

BASE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)  # optional, never committed

DEBUG = env.bool("DEBUG", default=False)
# Production (HTTPS-only defaults, SMTP mail, no demo accounts, every service named) follows from intent, never
# from which database happens to be reachable: DEBUG=0 said in the environment means production, and so does
# PRODUCTION=1. Said neither way, only the zero-configuration development stack (no DATABASE_URL / REDIS_URL, or a
# child process of it) is development: a deployment that names its services but forgot DEBUG stays production.
# PRODUCTION=0 runs production-like code on the embedded stack over plain HTTP (the load benchmark does).
# manage.py reads the same rule (config.embedded.production_declared) before it would start the embedded stack.
PRODUCTION = production_declared(os.environ)
if PRODUCTION:
    # refused here: the embedded stack never stands in for a missing service
    _missing = [
        name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL") if not os.environ.get(name)
    ]
    if _missing:
        raise ImproperlyConfigured(
            f"Production settings need {', '.join(_missing)} in the environment (production: DEBUG=0 or "
            "PRODUCTION=1, or DEBUG unset with DATABASE_URL or REDIS_URL given). To develop on the embedded "
            "PostgreSQL and Redis instead, set PRODUCTION=0, or none of DEBUG, DATABASE_URL and REDIS_URL."
        )

# A server not named is the private one under VAR_DIR: its address only, nothing is started here.
EMBEDDED = some_server_embedded(os.environ)
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
_EMBEDDED_URLS = Embedded(VAR_DIR).urls() if EMBEDDED else {}

# On the embedded stack a random key is made once and kept in var/ (never committed) by whatever starts the stack
# (config.embedded.setup_environment), and read here; anywhere else it must be set. A public key would let anyone
# forge signed values (typing results, kept uploads).
SECRET_KEY = env("SECRET_KEY", default=read_secret_key(VAR_DIR) if EMBEDDED else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DEMO_MODE = env.bool("DEMO_MODE", default=EMBEDDED and not PRODUCTION)
ADMIN_URL = env("ADMIN_URL", default="admin/")

INSTALLED_APPS = [
    "screening.admin_site.PortalAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "csp",
    "screening",
    "screening.careers",
    "screening.hr",
    "screening.waves",
    "screening.onboarding",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here (no CDN)
    "screening.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "screening.middleware.LanguageMiddleware",
    "screening.api.middleware.ApiBodyLimitMiddleware",  # the API's own, smaller limit, answered in JSON
    "screening.middleware.RequestSizeMiddleware",  # 413 before an oversized body is read; parses uploads
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers locked-out logins
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins from a locked-out client address
    "screening.auth.UsernameThrottleBackend",  # slows guessing one account's password from many addresses
    "django.contrib.auth.backends.ModelBackend",
]
# 10, not 5: an office behind one NAT address shares the count, and a few typos must not lock all of HR out
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
# Locked out: the client address, after AXES_FAILURE_LIMIT failures on any usernames (per username+address, 24
# failures spread over 6 usernames locked nothing). Never the username alone: whoever knows a username could then
# shut its owner out from everywhere, at will. Adding the username+address pair would change nothing (axes has one
# limit, and the address reaches it first). Guessing one account from many addresses is slowed instead by
# LOGIN_USERNAME_RATE (screening/auth.py), which never shuts an account for more than a minute.
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "screening.clients.login_client_address"  # the address behind the proxy, as the rate limits
# A success must not wipe the address's failures: anyone with an account could log into it between guesses.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_USERNAME_RATE = env("LOGIN_USERNAME_RATE", default="10/m")  # attempts per account, from all addresses

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=_EMBEDDED_URLS.get("DATABASE_URL", environ.Env.NOTSET))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_url(url: str, db: int, *, for_celery: bool = False) -> str:
    """The same Redis server, database `db`; unix sockets in the spelling each client expects."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        if for_celery:
            return f"redis+socket://{parts.path}?virtual_host={db}"
        return f"unix://{parts.path}?db={db}"
    query = parse_qs(parts.query)
    query.pop("db", None)
    rest = "&".join(f"{k}={v[0]}" for k, v in query.items())
    return f"{parts.scheme}://{parts.netloc}/{db}" + (f"?{rest}" if rest else "")


REDIS_URL = env("REDIS_URL", default=_EMBEDDED_URLS.get("REDIS_URL", environ.Env.NOTSET))
REDIS_BROKER_DB = env.int("REDIS_BROKER_DB", default=0)
REDIS_CACHE_DB = env.int("REDIS_CACHE_DB", default=1)
CACHES = {
    "default": {
        "BACKEND": "config.cache.Cache",  # Django's, one client per pool (see config/cache.py)
        "LOCATION": redis_url(REDIS_URL, REDIS_CACHE_DB),
        "KEY_PREFIX": "portal",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "hr:job_list"
LOGOUT_REDIRECT_URL = "careers"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploaded resumes: outside the static root and never served directly (HR downloads go through a view).
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # unused publicly; kept for FileField URLs in admin
WHITENOISE_USE_FINDERS = DEBUG  # no collectstatic needed while developing
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The console backend only in development: production must choose how mail leaves, or status links would be
# printed to its logs instead of reaching candidates.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# seconds before a silent relay is given up: a reminder is sent inside a transaction holding its booking's lock
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="招聘 <jobs@example.com>")
# How session reminders go out by SMS (screening/waves/sms.py): the console backend prints them;
# "screening.waves.sms.AliyunBackend" sends through Alibaba Cloud SMS with the signed template below.
SMS_BACKEND = env("SMS_BACKEND", default="screening.waves.sms.ConsoleBackend")
SMS_ALIYUN_ACCESS_KEY_ID = env("SMS_ALIYUN_ACCESS_KEY_ID", default="")
SMS_ALIYUN_ACCESS_KEY_SECRET = env("SMS_ALIYUN_ACCESS_KEY_SECRET", default="")
SMS_ALIYUN_SIGN_NAME = env("SMS_ALIYUN_SIGN_NAME", default="")
SMS_ALIYUN_TEMPLATE_CODE = env("SMS_ALIYUN_TEMPLATE_CODE", default="")
SMS_ALIYUN_ENDPOINT = env("SMS_ALIYUN_ENDPOINT", default="dysmsapi.aliyuncs.com")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: reliable delivery first (DESIGN.md "Runtime").
CELERY_BROKER_URL = redis_url(REDIS_URL, REDIS_BROKER_DB, for_celery=True)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits for Redis however long it is away, never exits
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TASK_ACKS_LATE = True  # ack after the task ran: a lost worker's task is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery closes the database connection after every task (a new connection costs 5–8 ms per application):
# keep it for up to 1000 tasks; config/celery_app.py still closes it when broken or older than CONN_MAX_AGE.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_DEFAULT_QUEUE = "scoring"
# each queue bound to its own routing key (a bare Queue("bulk") would be bound to the default "scoring" key)
CELERY_TASK_QUEUES = (
    Queue("scoring", routing_key="scoring"),
    Queue("bulk", routing_key="bulk"),
    Queue("webhooks", routing_key="webhooks"),  # a slow or dead receiver never holds up scoring
)
CELERY_TASK_ROUTES = {
    "screening.api.tasks.*": {"queue": "webhooks"},
    "screening.tasks.rescore_*": {"queue": "bulk"},
    "screening.tasks.score_chunk": {"queue": "bulk"},
    "screening.tasks.preview_checklist_change": {"queue": "bulk"},  # thousands of profiles, an admin waits
    "screening.tasks.purge_expired_applications": {"queue": "bulk"},
    "screening.tasks.clear_expired_sessions": {"queue": "bulk"},  # one DELETE, long after a flood of sessions
}
CELERY_BEAT_SCHEDULE = {
    "sweep-unscored": {"task": "screening.tasks.sweep_unscored", "schedule": 60.0},
    "purge-pending-uploads": {"task": "screening.tasks.purge_pending_uploads", "schedule": 3600.0},
    "purge-expired-applications": {"task": "screening.tasks.purge_expired_applications", "schedule": 3600.0},
    "clear-expired-sessions": {"task": "screening.tasks.clear_expired_sessions", "schedule": 3600.0},
    # each reminder is claimed before it is sent (screening/waves/services.py): a late or doubled run sends none twice
    "send-wave-reminders": {"task": "screening.waves.tasks.send_due_reminders", "schedule": 60.0},
    "send-pool-invitations": {"task": "screening.tasks.send_pool_invitations", "schedule": 60.0},
    "remind-assessors": {"task": "screening.onboarding.tasks.remind_assessors", "schedule": 3600.0},
    "sweep-webhooks": {"task": "screening.api.tasks.sweep_webhooks", "schedule": 60.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "run" / "celerybeat-schedule")  # its directory: made by `portal`
# Applications per bulk rescoring task (one scoring pass and one bulk upsert each).
RESCORE_CHUNK_SIZE = env.int("RESCORE_CHUNK_SIZE", default=500)
# A what-if preview of a checklist change scores the current applications of its jobs in the admin's request up
# to this many (a few thousand take well under a second); more are scored by the worker while the page polls.
WHATIF_INLINE_LIMIT = env.int("WHATIF_INLINE_LIMIT", default=2000)
# After this many deliveries that never finished (worker lost), an application goes to manual review.
SCORING_MAX_ATTEMPTS = env.int("SCORING_MAX_ATTEMPTS", default=3)
# The sweep re-enqueues applications still unscored this many seconds after their scoring was queued.
SCORING_SWEEP_AFTER = env.int("SCORING_SWEEP_AFTER", default=600)  # > CELERY_TASK_TIME_LIMIT

# Logs: plain text while developing, one JSON object per line in production (LOG_FORMAT=json) for the
# log collector. Errors can also be e-mailed: ERROR_EMAILS=ops@example.com,… (Django's AdminEmailHandler).
ADMINS = [(address, address) for address in env.list("ERROR_EMAILS", default=[])]
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "filters": {"redact": {"()": "config.logging.RedactStatusTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", default="plain"),
            "filters": ["redact"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "include_html": False,
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        "django.request": {
            "handlers": ["console", *(["mail_admins"] if ADMINS else [])],
            "level": "WARNING",
            "propagate": False,
        },
    },
}

# Candidate-facing privacy notice: bump the version whenever its text changes (consents record it).
PRIVACY_NOTICE_VERSION = env("PRIVACY_NOTICE_VERSION", default="2026-12-07")
# The notice on the application form that answers are scored automatically and a person decides (PIPL art. 24,
# EU AI Act art. 86): bump it whenever templates/careers/_screening_notice.html changes (applications record it).
SCREENING_NOTICE_VERSION = env("SCREENING_NOTICE_VERSION", default="2026-12-07")
# A candidate's request for a human review is due this many days after it was made; at most
# REVIEW_REQUEST_RATE requests (django-ratelimit syntax) per client address.
REVIEW_DUE_DAYS = env.int("REVIEW_DUE_DAYS", default=15)
REVIEW_REQUEST_RATE = env("REVIEW_REQUEST_RATE", default="5/h")
# Retention (screening/retention.py): a closed application (rejected, hired, withdrawn) is erased this many
# days after the decision that closed it; any other application this many days after its last change.
RETENTION_DAYS = env.int("RETENTION_DAYS", default=180)
RETENTION_UNDECIDED_DAYS = env.int("RETENTION_UNDECIDED_DAYS", default=365)
# An application that became an employment (screening/onboarding) is employee data: erased this many days after the
# employment's last change instead (labour-law record keeping runs for years, not months).
EMPLOYEE_RETENTION_DAYS = env.int("EMPLOYEE_RETENTION_DAYS", default=3 * 365)
# The talent pool (screening/models/pool.py): a person who joined it (their own consent) is kept this many days after
# joining, whatever the clocks above say of the application they joined through; leaving puts it back on those.
TALENT_POOL_RETENTION_DAYS = env.int("TALENT_POOL_RETENTION_DAYS", default=365)
# bump whenever the pool's explanation (templates/careers/_pool.html) changes: entries record it
TALENT_POOL_NOTICE_VERSION = env("TALENT_POOL_NOTICE_VERSION", default="2026-12-07")
# an invitation of the pool to a job: its private link opens the job's form this many days
POOL_INVITATION_DAYS = env.int("POOL_INVITATION_DAYS", default=30)
# re-applying pre-fills the form from the person's latest application only if it was submitted within this many days
PREFILL_VALID_DAYS = env.int("PREFILL_VALID_DAYS", default=365)
# Assessors are e-mailed this many days before an assessment is due, once.
ASSESSMENT_REMINDER_DAYS = env.int("ASSESSMENT_REMINDER_DAYS", default=7)
# Private status links e-mailed to candidates stay valid this many days.
STATUS_LINK_DAYS = env.int("STATUS_LINK_DAYS", default=180)
# someone applying again with a person's e-mail or mobile mails that person a new link at most this often
RESEND_LINK_SECONDS = env.int("RESEND_LINK_SECONDS", default=600)
# Application submissions allowed per client IP (django-ratelimit syntax).
APPLY_RATE = env("APPLY_RATE", default="5/m")
# Chat-test runs and typing tests a client may start (each start may create a run or a session row).
TEST_START_RATE = env("TEST_START_RATE", default="20/m")
RATELIMIT_USE_CACHE = "default"
# Behind a reverse proxy every client has the proxy's address: name the header your proxy sets to the one client
# address (e.g. HTTP_X_REAL_IP) or all candidates share one limit and one login lockout. Every per-client limit
# reads it through screening.clients.client_address (the variable keeps the name it had when only django-ratelimit
# read it).
CLIENT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
RATELIMIT_IP_META_KEY = "screening.clients.client_address"
RESUME_MAX_BYTES = 5 * 1024 * 1024
# The largest request body: a résumé or an import file (5 MB each) and the rest of its form. A larger one is answered
# 413 before it is read (screening.middleware.RequestSizeMiddleware), and LimitedUploadHandler stops an upload that
# runs past it before the handlers after it write anything.
REQUEST_MAX_BYTES = RESUME_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "screening.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Résumés kept for a corrected submission, per client address and day (screening/uploads.py, keep_pending).
PENDING_RESUMES_PER_CLIENT = env.int("PENDING_RESUMES_PER_CLIENT", default=10)
# The address e-mailed status links start with. In production the configured site (by default https:// and the
# first of ALLOWED_HOSTS); in development, left empty, the address the candidate's request came to (its host was
# checked against ALLOWED_HOSTS), so links work on whatever port `make run` serves (screening/links.py).
SITE_URL = env("SITE_URL", default="")
if PRODUCTION and not SITE_URL:
    _first_host = ALLOWED_HOSTS[0] if ALLOWED_HOSTS else ""
    if not _first_host or "*" in _first_host or _first_host.startswith("."):
        raise ImproperlyConfigured(
            "Production settings need SITE_URL (e.g. https://jobs.example.com): the first of ALLOWED_HOSTS "
            f"({_first_host or 'none'}) does not name one site for the links e-mailed to candidates."
        )
    SITE_URL = f"https://{_first_host}"
# /healthz pings the Celery workers (a second's wait) at most once in this many seconds, however many poll it.
HEALTH_WORKERS_TTL = env.int("HEALTH_WORKERS_TTL", default=5)


# -- The open API (screening/api): Django REST framework, its OpenAPI schema by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["screening.api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["screening.api.auth.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["screening.api.auth.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["screening.api.parsers.StrictJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "screening.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Customer-service screening portal API",
    "DESCRIPTION": "Jobs, ranked applications, evidence, decisions and applications from other channels.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "screening.models.Application.Stage",
        "JobStatusEnum": "screening.models.Job.Status",
        "RequirementStatusEnum": ["met", "partial", "not_met", "unknown"],
        "AdvanceStageEnum": ["reviewing", "interview", "offer", "hired"],
    },
}
API_RATE = env("API_RATE", default="600/m")  # requests per API client (django-ratelimit, keyed by the client)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=256 * 1024)
# Webhooks: a failed delivery is tried again after base × 2^(n-1) seconds (at most 30 minutes) until this long after
# its event, then given up; the sweep re-sends deliveries due for longer than WEBHOOK_SWEEP_AFTER.
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30)
WEBHOOK_RETRY_FOR_SECONDS = env.int("WEBHOOK_RETRY_FOR_SECONDS", default=24 * 3600)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_SWEEP_AFTER = env.int("WEBHOOK_SWEEP_AFTER", default=120)


# -- Security headers. Production (PRODUCTION above) gets HTTPS-only defaults;
# `manage.py check --deploy --fail-level WARNING` passes with them (tests/test_deploy.py).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
if env("SECURE_PROXY_SSL_HEADER", default=""):  # e.g. "HTTP_X_FORWARDED_PROTO,https" behind a TLS proxy
    SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # an HR working day

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],  # no inline script: every script is a static file
        "style-src": [SELF, "'unsafe-inline'"],  # Django admin and crispy templates carry style attributes
        "img-src": [SELF, "data:"],  # Bootstrap's form icons are data: URIs
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],  # the résumé preview
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
