"""Where the apply POST's web CPU goes (issue 13), against its floor (bench/floor.py): the same POSTs load.py sends,
through Django's whole request handling (every middleware, CSRF enforced) with the test client, in this process,
on the load bench's job and database. gunicorn's own HTTP handling is not in it, nor PostgreSQL's or Redis's CPU.

For each view it prints the CPU time (time.process_time) per POST spent inside a few named steps, each timed
around its calls only (inclusive: a step contains the steps indented under it), so the figures carry almost no
profiler overhead; with --cprofile also cProfile's listing (deterministic: it inflates code that makes many small
calls, such as the multipart parser, several times over). The Celery tasks the apply POSTs send go to the bench's
Redis and are purged at the end (no worker runs); the confirmation e-mails go to the console backend, discarded.

    .venv/bin/python bench/profile_apply.py --n 300 [--cprofile --top 40]
"""

import argparse
import contextlib
import cProfile
import functools
import importlib
import io
import itertools
import os
import pstats
import tempfile
import time
from dataclasses import dataclass, field

from common import setup_django
from load import APPLY_RATE, application_form, prepare_floor, prepare_job
from load_client import Payloads, file_part, multipart

# (depth, label, "module:attribute.path"): the steps timed; a step's time includes the steps under it
# fmt: off
STEPS = [
    (0, "Django handler, whole request (WSGI request → response)", "django.test.client:ClientHandler.__call__"),
    (1, "multipart parse (RequestSizeMiddleware reads request.FILES)", "screening.uploads:mark_sender"),
    (1, "URL resolved, view middleware, the view (BaseHandler._get_response)",
     "django.core.handlers.base:BaseHandler._get_response"),
    (2, "CSRF check (CsrfViewMiddleware.process_view)", "django.middleware.csrf:CsrfViewMiddleware.process_view"),
    (2, "job_apply: the job's form parts (selectors.job_form_parts)", "screening.selectors:job_form_parts"),
    (2, "job_apply: ApplicationForm(...) built", "screening.careers.forms:ApplicationForm.__init__"),
    (2, "job_apply: form validation (full_clean)", "screening.careers.forms:ApplicationForm.full_clean"),
    (2, "job_apply: rate limit checks (views._over_limit)", "screening.careers.views:_over_limit"),
    (2, "job_apply: duplicate lookup (application_find_existing)", "screening.services:application_find_existing"),
    (2, "job_apply: form.draft()", "screening.careers.forms:ApplicationForm.draft"),
    (2, "services.application_submit (transaction, after-commit hooks)", "screening.services:application_submit"),
    (3, "application_create (applicant, application rows)", "screening.services.applications:application_create"),
    (4, "applicant_find_or_create", "screening.services.applications:applicant_find_or_create"),
    (3, "status link row (_new_status_link)", "screening.services.applications:_new_status_link"),
    (3, "confirmation e-mail, after commit (_send_link)", "screening.services.applications:_send_link"),
    (3, "scoring task sent after commit (Celery send_task)", "celery.app.base:Celery.send_task"),
    (2, "job_apply: redirect with signed mark (_applied_redirect)", "screening.careers.views:_applied_redirect"),
    (0, "in all steps: SQL through Django's cursor", "django.db.backends.utils:CursorWrapper.execute"),
    (0, "in all steps: Redis clients made by the cache",
     "django.core.cache.backends.redis:RedisCacheClient.get_client"),
    (0, "in all steps: Redis commands", "redis.client:Redis.execute_command"),
]
# fmt: on


@dataclass
class Step:
    depth: int
    label: str
    calls: int = 0
    seconds: float = 0.0
    active: list = field(default_factory=list)  # re-entrant calls are counted once, from the outermost


def install(steps: list[Step]) -> None:
    """Wrap each step's function where its callers look it up (a module or class attribute)."""
    for step, (_depth, _label, target) in zip(steps, STEPS, strict=True):
        module_name, path = target.split(":")
        owner = importlib.import_module(module_name)
        *parents, attribute = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        original = getattr(owner, attribute)  # a plain function on a class too (inherited ones included)

        def timed(*args, _original=original, _step=step, **kwargs):
            if _step.active:
                return _original(*args, **kwargs)
            _step.active.append(1)
            started = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                _step.seconds += time.process_time() - started
                _step.calls += 1
                _step.active.pop()

        setattr(owner, attribute, functools.wraps(original)(timed))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="POSTs measured per view (default 300)")
    parser.add_argument("--pdf", action="store_true", help="send the PDF résumé (default: the file input empty)")
    parser.add_argument("--cprofile", action="store_true", help="also cProfile another --n POSTs of each view")
    parser.add_argument("--top", type=int, default=40, help="functions cProfile lists per view and order (40)")
    parser.add_argument("--only", nargs="*", default=[], help="regular expressions the listed functions match")
    args = parser.parse_args()

    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")  # as in load.py
    setup_django()
    from django.core.management import call_command
    from django.test.utils import override_settings

    from config.celery_app import app

    with (
        tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp,
        # as bench.floor_settings: the product's routes and the floor's; static files (the form page's manifest)
        # and résumés of this run in a temporary directory
        override_settings(
            ROOT_URLCONF="bench.floor", STATIC_ROOT=f"{tmp}/static", MEDIA_ROOT=f"{tmp}/media", APPLY_RATE=APPLY_RATE
        ),  # fmt: skip
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        try:
            measure(args)
        finally:
            with app.connection_for_write() as conn:
                for q in app.conf.task_queues:
                    conn.default_channel.queue_purge(q.name)


def measure(args) -> None:
    from django.test import Client
    from django.urls import reverse

    job = prepare_job()
    prepare_floor()
    payloads = Payloads(application_form(job), run="prof" + time.strftime("%H%M%S"))
    numbers = itertools.count()
    applied = reverse("job_applied", args=[job.slug])
    targets = {"apply": reverse("job_apply", args=[job.slug]), "floor": reverse("bench_floor_apply", args=[job.slug])}
    steps = [Step(depth, label) for depth, label, _target in STEPS]
    install(steps)  # before the client's first request: Django binds middleware methods when it loads them
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    client.get(targets["apply"])  # the csrftoken cookie, as the browsers get it
    token = client.cookies["csrftoken"].value
    origin = "http://127.0.0.1"

    def post(path: str) -> None:  # the confirmation e-mails (console backend) go to /dev/null
        i = next(numbers)
        files = [file_part(payloads.file_fields[0], i if args.pdf else None)]
        body, content_type = multipart([("csrfmiddlewaretoken", token), *payloads.make(i)], files)
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
            response = client.generic("POST", path, body, content_type=content_type,
                                      headers={"Origin": origin, "Referer": origin + path})  # fmt: skip
        if response.status_code != 302 or response["Location"].split("?", 1)[0] != applied:
            raise SystemExit(f"POST {path}: {response.status_code} {response.get('Location', '')}")

    body_bytes = len(multipart(payloads.make(0), [file_part(payloads.file_fields[0], 0 if args.pdf else None)])[0])
    print(f"{args.n} POSTs per view, {body_bytes}-byte multipart body ({'with' if args.pdf else 'without'} the PDF "
          "résumé); CPU ms per POST in this process, each step timed around its own calls")  # fmt: skip
    for name, path in targets.items():
        for _ in range(20):  # warm: imports, caches, connections
            post(path)
        for step in steps:
            step.calls, step.seconds = 0, 0.0
        for _ in range(args.n):
            post(path)
        print(f"\n== {name} ({path})")
        for step in steps:
            if step.calls:
                print(f"  {'  ' * step.depth}{step.label}: {1000 * step.seconds / args.n:.2f} ms"
                      f"  ({step.calls / args.n:g} calls)")  # fmt: skip
        if args.cprofile:
            cprofile(args, name, lambda path=path: post(path))


def cprofile(args, name: str, post) -> None:
    profiler = cProfile.Profile(time.process_time)  # CPU time, not waits on PostgreSQL/Redis
    profiler.enable()
    for _ in range(args.n):
        post()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(*args.only, args.top)
        print(f"-- {name}, cProfile by {order}\n" + out.getvalue().split("\n\n", 2)[-1].rstrip())


if __name__ == "__main__":
    main()
