"""HR list page benchmark (issue 5): the ranked, filtered applicant list of a job with N scored applicants.

Prints the page's server time (median and p95 over repeated requests), its query count at page sizes
25 and 100, and the raw SQL time of the same page query, measured in the same run. Uses the job that
bench/rescore.py seeded (run `make bench` or rescore.py first).

The page is rendered as production serves it (DEBUG off, the manifest static files storage), from static
files collected by this run into a temporary STATIC_ROOT: it needs no earlier `make run` or collectstatic.
"""

import argparse
import statistics
import tempfile
import time

from common import setup_django


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.test.utils import override_settings

    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root, override_settings(STATIC_ROOT=static_root):
        call_command("collectstatic", interactive=False, verbosity=0)
        measure(args)


def measure(args):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from screening.models import Application, Job

    job = Job.objects.get(slug="bench-job")
    n = Application.objects.filter(job=job).count()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-hr", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client(SERVER_NAME="localhost")  # an allowed host of the default settings
    client.force_login(user)
    url = f"/hr/jobs/{job.slug}/"
    # a realistic HR filter: reviewable people with a bachelor's degree or any, ranked by score
    params = {"recommendation": "review", "score_min": "20", "per_page": "25"}

    def timed(p):
        started = time.perf_counter()
        response = client.get(url, p)
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - started) * 1000

    for _ in range(3):  # warm caches and connections
        timed(params)
    samples = sorted(timed(params) for _ in range(args.requests))
    p95 = samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]
    counts = {}
    for per_page in ("25", "100"):
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {**params, "per_page": per_page})
        counts[per_page] = queries.captured_queries
    page_query = max(counts["25"], key=lambda q: "ORDER BY" in q["sql"] and "LIMIT" in q["sql"])["sql"]
    raw = []
    with connection.cursor() as cur:
        for _ in range(args.requests):
            started = time.perf_counter()
            cur.execute(page_query)
            cur.fetchall()
            raw.append((time.perf_counter() - started) * 1000)
    raw_median = statistics.median(raw)
    print(f"job with {n} scored applicants; filter {params}")
    print(
        f"list page server time over {args.requests} requests: median {statistics.median(samples):.1f} ms, "
        f"p95 {p95:.1f} ms"
    )
    print(f"queries per page: {len(counts['25'])} at 25 rows, {len(counts['100'])} at 100 rows")
    print(f"raw SQL of the page query: median {raw_median:.1f} ms")
    print(
        f"summary: p95 {p95:.1f} ms (target ≤ 100: {'met' if p95 <= 100 else 'NOT met'}); query count "
        f"{'independent' if len(counts['25']) == len(counts['100']) else 'DEPENDS'} of page size; page median "
        f"{statistics.median(samples) / raw_median:.1f}× the raw query (target ≤ 3×: "
        f"{'met' if statistics.median(samples) <= 3 * raw_median else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
