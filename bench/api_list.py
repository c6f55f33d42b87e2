"""API list benchmark (issue 14): the open API's ranked, filtered application list of a job with N scored
applicants, side by side with HR's list page (bench/hr_list.py) on the same job, filter and page size.

Prints, for each: server time over repeated requests (median and p95) and queries per page at 25 and 100 rows;
for the API also a page deep in the ranking (reached by following cursors), which keyset pagination reads as
cheaply as the first. Target: the API's p95 within 1.5× the HR page's. Uses the job that bench/rescore.py seeded
(run `make bench` or rescore.py first).
"""

import argparse
import statistics
import tempfile
import time

from common import setup_django


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--deep-pages", type=int, default=40, help="cursor pages followed to reach the deep page")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.test.utils import override_settings

    # HR's page is rendered as production serves it (manifest static files), as in hr_list.py; the API limit is
    # lifted so the benchmark measures the list, not the rate limiter's refusals
    with (
        tempfile.TemporaryDirectory(prefix="bench-static-") as static_root,
        override_settings(STATIC_ROOT=static_root, API_RATE="1000000/m"),
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        measure(args)


def _p95(samples: list[float]) -> float:
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]


def measure(args):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from screening.api.models import ApiClient
    from screening.api.services import api_client_create
    from screening.models import Application, Job

    job = Job.objects.filter(slug="bench-job").first()
    if job is None:
        raise SystemExit("no bench-job: run bench/rescore.py (or make bench) first")
    n = Application.objects.filter(job=job).count()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-hr", defaults={"is_superuser": True, "is_staff": True}
    )
    hr = Client(SERVER_NAME="localhost")
    hr.force_login(user)
    ApiClient.objects.filter(name="bench").delete()
    get_user_model().objects.filter(username="api:bench").delete()
    _client, token = api_client_create(name="bench", scopes=["read"], jobs=[job])
    api = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")

    hr_url, api_url = f"/hr/jobs/{job.slug}/", f"/api/v1/jobs/{job.slug}/applications/"
    hr_params = {"recommendation": "review", "score_min": "20", "per_page": "25"}
    api_params = {"recommendation": "review", "score_min": "20", "page_size": "25"}

    def timed(client, url, params):
        started = time.perf_counter()
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code, response.content[:200])
        return (time.perf_counter() - started) * 1000, response

    def series(client, url, params):
        for _ in range(3):  # warm caches and connections
            timed(client, url, params)
        return [timed(client, url, params)[0] for _ in range(args.requests)]

    def queries(client, url, params, size_key):
        counts = {}
        for size in ("25", "100"):
            with CaptureQueriesContext(connection) as captured:
                client.get(url, {**params, size_key: size})
            counts[size] = len(captured)
        return counts

    cursor = None
    for _ in range(args.deep_pages):
        _ms, response = timed(api, api_url, {**api_params, **({"cursor": cursor} if cursor else {})})
        cursor = response.json()["next"]
        if cursor is None:
            break
    deep_params = {**api_params, **({"cursor": cursor} if cursor else {})}

    hr_samples = series(hr, hr_url, hr_params)
    api_samples = series(api, api_url, api_params)
    deep_samples = series(api, api_url, deep_params)
    hr_counts = queries(hr, hr_url, hr_params, "per_page")
    api_counts = queries(api, api_url, api_params, "page_size")

    print(f"job with {n} scored applicants; filter recommendation=review, score_min=20; 25 rows a page")
    for label, samples, counts in (
        ("HR list page     ", hr_samples, hr_counts),
        ("API list, page 1 ", api_samples, api_counts),
        (f"API list, page {args.deep_pages + 1}", deep_samples, None),
    ):
        line = f"{label}: median {statistics.median(samples):.1f} ms, p95 {_p95(samples):.1f} ms"
        if counts:
            line += f"; queries per page {counts['25']} at 25 rows, {counts['100']} at 100 rows"
        print(line)
    ratio = _p95(api_samples) / _p95(hr_samples)
    print(
        f"summary: API p95 {ratio:.2f}× the HR page's (target ≤ 1.5×: {'met' if ratio <= 1.5 else 'NOT met'}); "
        f"deep page p95 {_p95(deep_samples) / _p95(api_samples):.2f}× the first page's; API query count "
        f"{'independent' if api_counts['25'] == api_counts['100'] else 'DEPENDS'} of page size"
    )


if __name__ == "__main__":
    main()
