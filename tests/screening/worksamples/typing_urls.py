"""The project's URLs plus the typing-test endpoints (until config/urls.py wires them).

Also a test-only page with the widget in two forms, for the browser test of static/js/typing-test.js.
"""

from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from screening.careers import typing_views
from screening.worksamples.typing_test import verify_result

DEMO = """{% extends "base.html" %}{% block content %}
{% for n in "12" %}
<form method="post" id="form-{{ n }}">{% csrf_token %}
  <input type="hidden" name="typing_result" value="">
  {% include "careers/_typing_test.html" %}
  <button type="submit" class="btn btn-secondary">提交 {{ n }}</button>
</form>
{% endfor %}
{% endblock %}"""


def typing_demo(request):
    if request.method == "POST":
        return JsonResponse({"typing": verify_result(request.POST.get("typing_result", ""))})
    return HttpResponse(engines["django"].from_string(DEMO).render({}, request))


urlpatterns = [
    *project_urlpatterns,
    path("typing/start/", typing_views.typing_start, name="typing_start"),
    path("typing/finish/", typing_views.typing_finish, name="typing_finish"),
    path("typing/demo/", typing_demo, name="typing_demo"),
]
