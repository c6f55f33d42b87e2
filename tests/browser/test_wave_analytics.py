"""The wave analytics in the browser: on a desktop and on a phone the charts are drawn (canvas painted) and the
tables beside them carry the same figures; on the phone nothing is wider than the screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.models import Application, StageChange
from screening.waves.models import Booking, Invitation, WavePlan
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import ApplicationFactory, JobFactory
from tests.waves.factories import SessionFactory

from .helpers import log_in_to_hr

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CHARTS = ("burndown", "funnel", "durations", "no_show_hour", "no_show_weekday", "sources")
# a canvas with painted pixels: Chart.js drew on it
PAINTED = """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) return true; } return false; }"""


def _wave(hr_user):
    job = JobFactory(title="电商客服专员（双11）")
    today = timezone.localdate()
    WavePlan.objects.create(
        job=job, headcount_target=5, start_date=today - timedelta(days=6), deadline=today + timedelta(days=8)
    )
    session = SessionFactory(job=job, capacity=8)
    for i, attendance in enumerate(("attended", "late", "no_show", "attended", "no_show")):
        application = ApplicationFactory(
            job=job, stage=Application.Stage.HIRED if i < 2 else Application.Stage.INTERVIEW,
            source="referral" if i % 2 else "web", submitted_at=timezone.now() - timedelta(days=5),
        )  # fmt: skip
        StageChange.objects.create(
            application=application, from_stage="applied", to_stage="interview",
            created_at=timezone.now() - timedelta(days=4),
        )  # fmt: skip
        if i < 2:
            StageChange.objects.create(
                application=application, from_stage="interview", to_stage="hired",
                created_at=timezone.now() - timedelta(days=2 - i),
            )  # fmt: skip
        Invitation.objects.create(application=application, invited_by=hr_user)
        Booking.objects.create(session=session, application=application, attendance=attendance)
    type(session).objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(days=3))
    return job


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_wave_analytics_draw_their_charts_beside_their_tables(browser, live_server, hr_user, screenshot, device):
    job = _wave(hr_user)
    page = browser.new_context(**(DESKTOP if device == "desktop" else PHONE)).new_page()
    log_in_to_hr(page, f"{live_server.url}{reverse('hr:job_wave_analytics', args=[job.slug])}", hr_user.username)
    for chart in CHARTS:
        canvas = page.locator(f"canvas[data-chart={chart}]")
        page.wait_for_function("c => c.dataset.drawn === '1'", arg=canvas.element_handle())
        assert canvas.evaluate(PAINTED), chart
        assert canvas.bounding_box()["height"] > 50, chart
    assert "2 / 5 · 40 %" in page.locator("#kpi-hires").inner_text().replace("\xa0", " ")
    assert "3 / 5 · 60 %" in page.locator("#kpi-show").inner_text().replace("\xa0", " ")
    assert "5 / 5 · 100 %" in page.locator("#kpi-booking").inner_text().replace("\xa0", " ")
    assert page.locator("#wave-funnel tr[data-step=hired] .count").inner_text().replace("\xa0", " ") == "2"
    assert page.locator("#wave-burndown tbody tr").count() == 15
    assert page.locator("#wave-sources tbody tr").count() == 2
    if device == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width  # the tables scroll in their own boxes, the page does not
        # stacked: the table comes below its chart, not beside it
        chart_box = page.locator("canvas[data-chart=funnel]").bounding_box()
        table_box = page.locator("#wave-funnel").bounding_box()
        assert table_box["y"] >= chart_box["y"] + chart_box["height"] - 1
    else:
        chart_box = page.locator("canvas[data-chart=funnel]").bounding_box()
        table_box = page.locator("#wave-funnel").bounding_box()
        assert table_box["x"] > chart_box["x"] + chart_box["width"] - 1  # beside it
    screenshot(page, f"{device}-wave-analytics")
