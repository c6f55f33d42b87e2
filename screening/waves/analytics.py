"""Reads of a job's hiring-wave analytics: the funnel with the time spent in each stage, booking and show rates (per
hour of the day and per weekday), sources and referrers, and the burndown of hires against the wave's plan.

Everything is counted in the database: a fixed number of queries whatever the number of applications. Every rate
is a `Ratio` that carries its denominator, and a ratio of nobody has no rate (shown as "—", never 0 %)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Application, Job, StageChange
from .models import Booking, Invitation, WavePlan

# sessions are held, and days counted, where the teams work (a session's hour is its hour in China)
WAVE_TZ = ZoneInfo("Asia/Shanghai")
Stage = Application.Stage
PIPELINE = (Stage.APPLIED, Stage.REVIEWING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED)
SHOWED = (Booking.Attendance.ATTENDED, Booking.Attendance.LATE)
# a long wave's burndown is drawn (and tabled) a week at a time, plus today and the deadline
DAILY_UP_TO = 31


@dataclass(frozen=True)
class Ratio:
    """n of `of`, e.g. 34 of 50 · 68 %; no rate when `of` is 0."""

    n: int
    of: int

    @property
    def rate(self) -> float | None:
        return self.n / self.of if self.of else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)

    def __str__(self):
        # no-break spaces: a narrow column or card never puts "%" or "/ 50" on a line of its own
        rate = "—" if self.percent is None else f"{self.percent}\u00a0%"
        return f"{self.n}\u00a0/\u00a0{self.of} · {rate}"


def _later(stage: str) -> list[str]:
    return list(PIPELINE[PIPELINE.index(stage) :])


def _reached(stage: str) -> Q:
    """The application is, or once was, at `stage` or a later one (a rejection from the interview reached it)."""
    later = _later(stage)
    passed = StageChange.objects.filter(application=OuterRef("pk")).filter(
        Q(to_stage__in=later) | Q(from_stage__in=later)
    )
    return Q(stage__in=later) | Q(Exists(passed))


def _invited() -> Q:
    return Q(Exists(Invitation.objects.filter(application=OuterRef("pk"))))


def _booked() -> Q:
    return Q(Exists(Booking.objects.filter(application=OuterRef("pk"))))


def _marked(now: datetime) -> Q:
    """Held a seat (not cancelled) in a session that has started, and HR marked whether they came."""
    return Q(
        Exists(
            Booking.objects.filter(
                application=OuterRef("pk"), cancelled_at__isnull=True, session__starts_at__lt=now
            ).exclude(attendance=Booking.Attendance.PENDING)
        )
    )


def _showed(now: datetime | None = None) -> Q:
    """Came (on time or late) to a session that has started, on a booking not cancelled."""
    return Q(
        Exists(
            Booking.objects.filter(
                application=OuterRef("pk"), cancelled_at__isnull=True, attendance__in=SHOWED,
                session__starts_at__lt=now or timezone.now(),
            )
        )
    )  # fmt: skip


def _counts() -> dict:
    return {
        "applications": Count("pk"),
        "interview": Count("pk", filter=_reached(Stage.INTERVIEW)),
        "booked": Count("pk", filter=_booked()),
        "showed": Count("pk", filter=_showed()),
        "hired": Count("pk", filter=_reached(Stage.HIRED)),
    }


# -- the funnel -------------------------------------------------------------------------------------------
FUNNEL_STEPS = (
    # (code, label, the step it converts from)
    ("applied", Stage.APPLIED.label, None),
    ("reviewing", Stage.REVIEWING.label, "applied"),
    ("interview", Stage.INTERVIEW.label, "reviewing"),
    ("invited", _("已邀请预约"), "interview"),
    ("booked", _("已预约场次"), "invited"),
    ("attended", _("已到场"), "booked"),
    ("offer", Stage.OFFER.label, "interview"),
    ("hired", Stage.HIRED.label, "offer"),
)


ATTENDED_FROM = _("已开始场次中已记录到场情况的人")


def job_funnel(*, job: Job, now: datetime | None = None) -> dict:
    """Counts of the steps (each application counted at every step it reached), each with its conversion from the
    step before it, and how many wait in each stage now. Two conversions are of a narrower group than the step
    before: booked of those invited (HR may book someone it never invited), and came of those whose session has
    started and whose attendance is marked (a booking still ahead cannot have been attended). One query."""
    now = now or timezone.now()
    figures = Application.objects.filter(job=job).aggregate(
        marked=Count("pk", filter=_marked(now)),
        applied=Count("pk"),
        reviewing=Count("pk", filter=_reached(Stage.REVIEWING)),
        interview=Count("pk", filter=_reached(Stage.INTERVIEW)),
        invited=Count("pk", filter=_invited()),
        booked=Count("pk", filter=_booked()),
        booked_of_invited=Count("pk", filter=_invited() & _booked()),
        attended=Count("pk", filter=_showed(now)),
        offer=Count("pk", filter=_reached(Stage.OFFER)),
        hired=Count("pk", filter=_reached(Stage.HIRED)),
        **{f"now_{s}": Count("pk", filter=Q(stage=s)) for s in PIPELINE},
    )
    labels = {code: label for code, label, _previous in FUNNEL_STEPS}
    steps = []
    for code, label, previous in FUNNEL_STEPS:
        conversion = Ratio(figures[code], figures[previous]) if previous else None
        from_label = labels[previous] if previous else None
        if code == "booked":
            conversion = Ratio(figures["booked_of_invited"], figures["invited"])
        elif code == "attended":
            conversion, from_label = Ratio(figures["attended"], figures["marked"]), ATTENDED_FROM
        steps.append(
            {"code": code, "label": label, "count": figures[code], "from_label": from_label, "conversion": conversion}
        )
    return {
        "steps": steps,
        "waiting": {s: figures[f"now_{s}"] for s in PIPELINE},
        "booking": Ratio(figures["booked_of_invited"], figures["invited"]),
    }


_DURATIONS_SQL = """
WITH stays AS (
    SELECT c.from_stage AS stage,
           GREATEST(0, EXTRACT(EPOCH FROM c.created_at - COALESCE(
               LAG(c.created_at) OVER (PARTITION BY c.application_id ORDER BY c.created_at, c.id),
               a.submitted_at))) AS seconds
      FROM {changes} c JOIN {applications} a ON a.id = c.application_id
     WHERE a.job_id = %s
)
SELECT stage, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds),
       percentile_cont(0.8) WITHIN GROUP (ORDER BY seconds)
  FROM stays GROUP BY stage
"""


def job_stage_durations(*, job: Job) -> list[dict]:
    """Per stage of the pipeline (not hired, the end): the median and 80th percentile of the days an application
    spent in it, over the stays that ended (a change out of it; the first stay starts at submission), and how many
    applications are still in it (not counted: their stay has not ended). One query, plus the funnel's waiting."""
    sql = _DURATIONS_SQL.format(changes=StageChange._meta.db_table, applications=Application._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [job.pk])
        found = {stage: (n, p50, p80) for stage, n, p50, p80 in cursor.fetchall()}
    waiting = Application.objects.filter(job=job).aggregate(
        **{s: Count("pk", filter=Q(stage=s)) for s in PIPELINE[:-1]}
    )
    rows = []
    for stage in PIPELINE[:-1]:
        n, p50, p80 = found.get(stage, (0, None, None))
        rows.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "ended": n,
                "median_days": None if p50 is None else round(float(p50) / 86400, 1),
                "p80_days": None if p80 is None else round(float(p80) / 86400, 1),
                "waiting": waiting[stage],
            }
        )
    return rows


# -- sessions: bookings and attendance ----------------------------------------------------------------------
def _attendance_counts() -> dict:
    return {
        "bookings": Count("pk"),
        "attended": Count("pk", filter=Q(attendance=Booking.Attendance.ATTENDED)),
        "late": Count("pk", filter=Q(attendance=Booking.Attendance.LATE)),
        "no_show": Count("pk", filter=Q(attendance=Booking.Attendance.NO_SHOW)),
        "unmarked": Count("pk", filter=Q(attendance=Booking.Attendance.PENDING)),
    }


def _with_rates(row: dict) -> dict:
    """Rates of the bookings marked (not yet marked ones say nothing about who came); late of those who came."""
    came = row["attended"] + row["late"]
    marked = came + row["no_show"]
    return {
        **row,
        "show": Ratio(came, marked),
        "late_rate": Ratio(row["late"], came),
        "no_show_rate": Ratio(row["no_show"], marked),
    }


def job_attendance(*, job: Job, now: datetime | None = None) -> dict:
    """Of the bookings not cancelled of sessions already started: who came (on time or late), who was late, who did
    not come, and who is not marked yet; overall, per hour of the day the session started (in China) and per
    weekday (1 Monday … 7 Sunday). Three queries."""
    now = now or timezone.now()
    past = Booking.objects.filter(session__job=job, cancelled_at__isnull=True, session__starts_at__lt=now)
    overall = _with_rates(past.aggregate(**_attendance_counts()))
    by_hour = (
        past.annotate(hour=ExtractHour("session__starts_at", tzinfo=WAVE_TZ))
        .values("hour")
        .annotate(**_attendance_counts())
        .order_by("hour")
    )
    by_weekday = (
        past.annotate(weekday=ExtractIsoWeekDay("session__starts_at", tzinfo=WAVE_TZ))
        .values("weekday")
        .annotate(**_attendance_counts())
        .order_by("weekday")
    )
    return {
        "overall": overall,
        "by_hour": [_with_rates(dict(r)) for r in by_hour],
        "by_weekday": [_with_rates(dict(r)) for r in by_weekday],
    }


# -- where the applications came from ------------------------------------------------------------------------
def _source_rates(row: dict) -> dict:
    return {
        **row,
        "interview_rate": Ratio(row["interview"], row["applications"]),
        "hire_rate": Ratio(row["hired"], row["applications"]),
    }


def job_sources(*, job: Job) -> list[dict]:
    """Per source (web, import, referral, …): applications, reached the interview, booked a seat, came, hired."""
    labels = dict(Application.Source.choices)
    rows = (
        Application.objects.filter(job=job).values("source").annotate(**_counts()).order_by("-applications", "source")
    )
    return [_source_rates({**r, "key": r["source"], "label": labels.get(r["source"], r["source"])}) for r in rows]


def job_referrers(*, job: Job) -> list[dict]:
    """Per referrer (the employee owning the referral link the application came through): the same counts."""
    rows = (
        Application.objects.filter(job=job, referral__isnull=False)
        .values(
            "referral__owner_id",
            "referral__owner__username",
            "referral__owner__last_name",
            "referral__owner__first_name",
        )  # fmt: skip
        .annotate(**_counts())
        .order_by("-applications", "referral__owner__username")
    )
    result = []
    for r in rows:
        name = f"{r['referral__owner__last_name']}{r['referral__owner__first_name']}".strip()
        result.append(
            _source_rates({**r, "key": r["referral__owner_id"], "label": name or r["referral__owner__username"]})
        )
    return result


# -- the burndown ---------------------------------------------------------------------------------------------
def _hires_by_day(job: Job) -> dict[date, int]:
    """Applications hired now, by the (China) day of their last move to hired."""
    moved = StageChange.objects.filter(application=OuterRef("pk"), to_stage=Stage.HIRED).order_by("-created_at", "-pk")
    rows = (
        Application.objects.filter(job=job, stage=Stage.HIRED)
        .annotate(at=Coalesce(Subquery(moved.values("created_at")[:1]), "decided_at", "submitted_at"))
        .annotate(day=TruncDate("at", tzinfo=WAVE_TZ))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return {r["day"]: r["n"] for r in rows}


def _points(start: date, end: date, today: date) -> list[date]:
    days = (end - start).days
    if days <= DAILY_UP_TO:
        return [start + timedelta(days=i) for i in range(days + 1)]
    points = {start + timedelta(days=i) for i in range(0, days + 1, 7)} | {end}
    if start <= today <= end:
        points.add(today)
    return sorted(points)


def job_burndown(*, job: Job, today: date | None = None) -> dict:
    """The hires still needed against the plan, from its start (or the day of the first application) to its
    deadline, each day (a week at a time for a long wave), with the ideal straight line from the target to nothing;
    the days left (today and the deadline included) and the hires needed per day left. State: "no_plan" (nothing
    to measure against), "open", or "passed" (the deadline is behind us). Three queries at most."""
    today = today or timezone.localdate(timezone=WAVE_TZ)
    by_day = _hires_by_day(job)
    plan = WavePlan.objects.filter(job=job).first()
    if plan is None:
        return {"state": "no_plan", "plan": None, "hires": sum(by_day.values())}
    start = plan.start_date
    if start is None:
        first = Application.objects.filter(job=job).aggregate(first=Min(TruncDate("submitted_at", tzinfo=WAVE_TZ)))
        start = first["first"] or today
    start = min(start, plan.deadline)
    # the wave's own hires: a job hired for before (an earlier wave) does not start this one part done
    by_day = {day: n for day, n in by_day.items() if day >= start}
    hires = sum(by_day.values())
    target, span = plan.headcount_target, max((plan.deadline - start).days, 1)
    series = []
    for day in _points(start, plan.deadline, today):
        done = sum(n for d, n in by_day.items() if d <= day)
        series.append(
            {
                "day": day,
                "hired": done if day <= today else None,
                "remaining": max(target - done, 0) if day <= today else None,
                "ideal": round(target * (1 - (day - start).days / span), 1),
            }
        )
    remaining = max(target - hires, 0)
    passed = today > plan.deadline
    days_left = 0 if passed else (plan.deadline - today).days + 1
    return {
        "state": "passed" if passed else "open",
        "plan": plan,
        "start": start,
        "hires": hires,
        "progress": Ratio(min(hires, target), target),
        "remaining": remaining,
        "days_left": days_left,
        "per_day": round(remaining / days_left, 1) if days_left else None,
        "series": series,
    }
