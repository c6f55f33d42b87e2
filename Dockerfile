# One image for every role: web (the default command), Celery worker, beat and Flower (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.base \
    GUNICORN_BIND=0.0.0.0:8000 \
    MEDIA_ROOT=/srv/media

WORKDIR /app

# The runtime part of requirements.txt: everything above its "# Embedded PostgreSQL and Redis" section.
# The embedded servers and the test tools are for development; a container talks to real PostgreSQL and
# Redis (DATABASE_URL, REDIS_URL). All of these install from wheels: no compiler in the image.
COPY requirements.txt ./
RUN sed '/^# Embedded/,$d' requirements.txt > /tmp/runtime-requirements.txt \
    && pip install -r /tmp/runtime-requirements.txt \
    && rm /tmp/runtime-requirements.txt

COPY . .

# Translations and static files are built into the image. collectstatic only reads settings, which refuse
# to load without these variables; the values are placeholders that nothing connects to or signs with.
RUN pybabel compile --domain django --directory locale \
    && SECRET_KEY=build-only-never-used \
       ALLOWED_HOSTS=build.invalid \
       DATABASE_URL=postgres://build@build.invalid/build \
       REDIS_URL=redis://build.invalid:6379 \
       python manage.py collectstatic --noinput --verbosity 0

# The code stays owned by root (read-only for the portal); it writes only the beat schedule (var/run) and
# the uploaded résumés (MEDIA_ROOT, a volume: its ownership comes from this directory on first use).
RUN useradd --system --uid 10001 --no-create-home --home-dir /app portal \
    && mkdir -p /app/var/run /srv/media \
    && chown portal:portal /app/var/run /srv/media
USER portal

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "deploy/healthcheck.py"]
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
