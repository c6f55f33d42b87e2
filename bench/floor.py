"""The submission path's floor (bench only): the product's URLconf plus one minimal view that takes the same
multipart application body, with CSRF checked by the same middleware, and stores it with one INSERT.

Only the load benchmark's gunicorn serves it: bench/load.py starts that gunicorn with
DJANGO_SETTINGS_MODULE=bench.floor_settings, whose only change to config.settings.base is ROOT_URLCONF = this
module. The product's settings, URLconf and code never import anything under bench/.
"""

import json

from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path, reverse

from config.urls import urlpatterns as product_urlpatterns

TABLE = "bench_floor_submission"  # created and emptied by bench/load.py in the bench's own database
CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    answers jsonb NOT NULL,
    resume_bytes integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
)"""


def floor_apply(request, slug):
    """GET: a page holding the CSRF token, as the real form does. POST: the form's fields and the résumé part
    (already parsed by the middleware, CSRF checked by CsrfViewMiddleware) into one row, then the same 302 to
    the job's confirmation page as the real view (without its signed mark)."""
    if request.method == "GET":
        token = get_token(request)
        return HttpResponse(
            '<form method="post" enctype="multipart/form-data">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}"></form>'
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    answers = {name: values for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"}
    resume = request.FILES.get("resume")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (email, answers, resume_bytes) VALUES (%s, %s, %s)",  # TABLE is a constant
            [request.POST.get("email", ""), json.dumps(answers, ensure_ascii=False), resume.size if resume else 0],
        )
    return HttpResponseRedirect(reverse("job_applied", args=[slug]))


urlpatterns = [
    path("bench-floor/jobs/<slug:slug>/apply/", floor_apply, name="bench_floor_apply"),
    *product_urlpatterns,
]
