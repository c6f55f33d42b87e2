"""Sessions of a hiring wave, the invitations to book one, the bookings, the reminders sent for them and the
interviewers' scorecards."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Application, Job, TimeStamped


def _checkin_token() -> str:
    return secrets.token_urlsafe(16)


class Session(TimeStamped):
    """One sitting with a number of seats: a group interview, a one-to-one, a typing test on site, a training day."""

    class Kind(models.TextChoices):
        GROUP = "group", _("群面")
        ONE_TO_ONE = "one_to_one", _("单独面试")
        TYPING_TEST = "typing_test", _("现场打字测试")
        TRAINING = "training", _("培训日")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="wave_sessions", verbose_name=_("职位"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.GROUP)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    online_link = models.URLField(_("线上链接"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=60)
    capacity = models.PositiveSmallIntegerField(_("名额"))
    # Seats held, for display and the list of free sessions: set by the booking services under the session's row
    # lock (they decide by counting the bookings, never by this). The seats themselves are guarded by the database:
    # migration 0002's trigger refuses a booking past capacity, and the constraint below a counter past it.
    booked_count = models.PositiveSmallIntegerField(_("已预约"), default=0, editable=False)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="wave_sessions", verbose_name=_("面试官")
    )
    # HR called the session off: its bookings were cancelled and their candidates told (a session with bookings is
    # kept, not deleted, for the wave's figures; one nobody booked is deleted)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True, editable=False)
    # what the session's QR code opens: the candidate's own check-in page (it reveals nothing by itself)
    checkin_token = models.CharField(max_length=32, unique=True, default=_checkin_token, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_a_seat"),
            models.CheckConstraint(condition=Q(booked_count__lte=models.F("capacity")), name="session_not_overbooked"),
            models.CheckConstraint(condition=~Q(place="", online_link=""), name="session_has_a_place_or_link"),
        ]
        verbose_name = _("面试场次")
        verbose_name_plural = _("面试场次")

    def __str__(self):
        return f"{self.job} · {self.get_kind_display()} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def free_seats(self) -> int:
        return self.capacity - self.booked_count

    @property
    def where(self) -> str:
        return self.place or self.online_link


class Invitation(TimeStamped):
    """HR asked this candidate to book a session of the job (one invitation per application; inviting again
    only sends the e-mail again)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="wave_invitation", verbose_name=_("申请")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("邀请人")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Session.Kind.choices, default=Session.Kind.GROUP)
    sms_opt_out = models.BooleanField(_("不接收短信提醒"), default=False)
    sent_count = models.PositiveSmallIntegerField(_("发送次数"), default=0)

    class Meta:
        verbose_name = _("面试邀请")
        verbose_name_plural = _("面试邀请")

    def __str__(self):
        return str(self.application)


class Booking(TimeStamped):
    """A seat a candidate holds (or held: a cancelled booking keeps its row for the wave's figures)."""

    class Attendance(models.TextChoices):
        PENDING = "pending", _("未签到")
        ATTENDED = "attended", _("已到场")
        LATE = "late", _("迟到")
        NO_SHOW = "no_show", _("未到场")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("场次"))
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="wave_bookings", verbose_name=_("申请")
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    attendance = models.CharField(_("到场情况"), max_length=10, choices=Attendance.choices, default=Attendance.PENDING)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    # the calendar entry's SEQUENCE: one more with every move or cancellation, so calendars update the event
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # who marked the attendance; null: the candidate's own check-in through the QR code
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["session__starts_at", "pk"]
        constraints = [
            # one seat at a time per application, whatever session: moving changes the seat, it never adds one
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(cancelled_at__isnull=True),
                name="one_active_booking_per_application",
            ),
        ]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")

    def __str__(self):
        return f"{self.application} @ {self.session}"


class Reminder(models.Model):
    """One reminder of one booking's session, by one channel. Its row is made when it falls due (one per reminder:
    the unique constraint), then it is sent under the row's lock and marked sent in the same transaction, so two
    workers never send it twice and a worker that dies while sending leaves it for the next run
    (services.reminders_send_due)."""

    class Lead(models.TextChoices):
        DAY = "24h", _("提前 24 小时")
        HOUR = "1h", _("提前 1 小时")

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        SMS = "sms", _("短信")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")  # a move: new reminders
    starts_at = models.DateTimeField(_("场次开始时间"))  # the time it announces: HR changing it makes new reminders
    lead = models.CharField(_("提前"), max_length=3, choices=Lead.choices)
    channel = models.CharField(_("渠道"), max_length=5, choices=Channel.choices)
    claimed_at = models.DateTimeField(_("到期时间"))  # when a run found it due and made the row
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.CharField(_("错误"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "session", "starts_at", "lead", "channel"], name="one_reminder_each"
            ),
        ]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")

    def __str__(self):
        return f"{self.booking_id} · {self.lead} · {self.channel}"


DEFAULT_REMINDER = _(
    "{name}您好：您预约的“{job}”面试将于 {start} 开始，地点：{place}。请准时到场，如需改期请打开邮件中的链接。"
)


class ReminderWording(TimeStamped):
    """The job's own reminder text (e-mail and SMS), with the placeholders {name} {job} {start} {place}."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="reminder_wording", verbose_name=_("职位"))
    text = models.TextField(_("提醒内容"), max_length=300)

    class Meta:
        verbose_name = _("提醒内容")
        verbose_name_plural = _("提醒内容")

    def __str__(self):
        return str(self.job)


class Scorecard(TimeStamped):
    """An interviewer's ratings of one candidate in one session: the job's qualities 1–5 and a comment. Evidence
    of its own kind (a person observed it), never mixed with the candidate's self-ratings or the score."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ratings = models.JSONField(_("评分"), default=dict)  # {trait code: 1–5}
    comment = models.TextField(_("评语"), blank=True, max_length=2000)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "interviewer"], name="one_scorecard_per_interviewer"),
        ]
        verbose_name = _("面试评分")
        verbose_name_plural = _("面试评分")

    def __str__(self):
        return f"{self.booking} · {self.interviewer}"


class WavePlan(TimeStamped):
    """A job's hiring wave in numbers: how many people HR has to hire by when (the burndown of the wave analytics
    reads it). Starts on `start_date`, or, without one, on the day of the job's first application."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="wave_plan", verbose_name=_("职位"))
    headcount_target = models.PositiveSmallIntegerField(_("招聘目标人数"))
    deadline = models.DateField(_("截止日期"))
    start_date = models.DateField(_("开始日期"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(headcount_target__gte=1), name="wave_plan_hires_someone"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__lte=models.F("deadline")),
                name="wave_plan_starts_before_its_deadline",
            ),
        ]
        verbose_name = _("招聘计划")
        verbose_name_plural = _("招聘计划")

    def __str__(self):
        return f"{self.job} · {self.headcount_target} · {self.deadline:%Y-%m-%d}"
