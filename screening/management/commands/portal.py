"""`make run`: set everything up, then run the web server, a Celery worker and beat in the foreground.

With no DATABASE_URL / REDIS_URL, manage.py has started the embedded PostgreSQL and Redis before this runs
(config/embedded.py); the three children inherit their URLs, and the servers stop after them."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from config.celery_app import worker_command
from screening.demo import demo_applicants_seed
from screening.roles import ensure_roles
from screening.waves.demo import demo_wave_create

DEMO_PASSWORD = "kefu-demo-2026"


class Command(BaseCommand):
    help = "Migrate, load seed data and run web + worker + beat until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args, port, host, **options):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_seed", verbosity=1)
        ensure_roles()
        if settings.DEMO_MODE and host in ("127.0.0.1", "localhost", "::1"):
            hr = self._demo_users()
            created = demo_applicants_seed(today=timezone.localdate())
            if created:
                self.stdout.write(f"demo mode: {created} synthetic applicants (示例) added to the open jobs, scored")
            if demo_wave_create(by=hr):
                self.stdout.write("demo mode: a hiring wave (示例) for the Double-11 job: plan, sessions, history")
        elif settings.DEMO_MODE:
            self.stderr.write("not creating the demo accounts: the server listens beyond this machine")
        Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent.mkdir(parents=True, exist_ok=True)  # not the settings'
        python = sys.executable
        bindir = os.path.dirname(python)
        procs = {
            "web": [
                os.path.join(bindir, "gunicorn"),
                "-c",
                str(settings.BASE_DIR / "config" / "gunicorn.py"),
                "--bind",
                f"{host}:{port}",
                "config.wsgi",
            ],
            "worker": worker_command(name="worker@%h"),
            "beat": [
                os.path.join(bindir, "celery"),
                "-A",
                "config",
                "beat",
                "-l",
                "INFO",
                "-s",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
        }
        children = {name: subprocess.Popen(cmd) for name, cmd in procs.items()}
        self.stdout.write(
            self.style.SUCCESS(
                f"Portal on http://{host}:{port}/  (HR: /hr/, admin: /{settings.ADMIN_URL}, health: /healthz)"
                f"  set-up took {time.monotonic() - started:.1f}s; Ctrl-C stops everything"
            )
        )

        stopping = False

        def _stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        exit_code = 0
        while not stopping:
            for name, proc in children.items():
                if proc.poll() is not None:
                    self.stderr.write(f"{name} exited with {proc.returncode}; stopping the others")
                    stopping, exit_code = True, 1
            time.sleep(0.3)
        self._shutdown(children)
        sys.exit(exit_code)

    def _shutdown(self, children):
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.stdout.write("stopped web, worker and beat")

    def _demo_users(self):
        User = get_user_model()
        hr, created = User.objects.get_or_create(username="hr", defaults={"is_staff": True})
        if created:
            hr.set_password(DEMO_PASSWORD)
            hr.save()
            hr.groups.add(ensure_roles())
        admin, created = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        self.stdout.write(
            self.style.WARNING(
                f"DEMO accounts (demo mode only): HR reviewer 'hr' / '{DEMO_PASSWORD}', "
                f"admin 'admin' / '{DEMO_PASSWORD}'"
            )
        )
        return hr
