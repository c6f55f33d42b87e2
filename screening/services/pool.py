"""The talent pool (service: writes): HR's offer, the candidate's own joining and leaving, HR's invitations.

Nobody is put in the pool but by themself: `pool_join` takes the application a browser opened through its own
status link (never an e-mail or mobile typed in), and only when HR offered it. Retention (services/retention.py)
keeps what the pool needs until the entry's own clock ends; leaving ends it at once.
"""

import logging
import secrets
from datetime import timedelta
from time import monotonic

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import links, selectors
from ..models import Applicant, Application, Job, PoolInvitation, PoolOffer, TalentPoolEntry, tr
from .outbox import take_next
from .status_links import application_issue_status_token, application_issue_status_tokens, status_token_hash

logger = logging.getLogger(__name__)

Stage = Application.Stage
# the applications whose candidate may be asked: those that ended (rejected by HR, or withdrawn by themself)
OFFERABLE = (Stage.REJECTED, Stage.WITHDRAWN)


class PoolError(ValueError):
    pass


# the one hash of the portal's private links (status links, pool invitations): only it is stored
token_hash = status_token_hash


def pool_offer(*, application_ids: list[int], by) -> list[int]:
    """HR asks these candidates whether they want to join the pool (in the caller's transaction, e.g. with the
    rejection). Only ended applications; asking twice is asking once. The ids asked now."""
    if by is None or not by.is_authenticated:
        raise PoolError(_("只有招聘人员可以邀请加入人才库"))
    with transaction.atomic(savepoint=False):
        ids = list(
            Application.objects.select_for_update(of=("self",))
            .filter(pk__in=application_ids, stage__in=OFFERABLE)
            .exclude(pk__in=PoolOffer.objects.values("application_id"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        PoolOffer.objects.bulk_create(
            [PoolOffer(application_id=pk, offered_by=by) for pk in ids], ignore_conflicts=True
        )
    return ids


def pool_offer_status_tokens(*, application_ids: list[int]) -> dict[int, str]:
    """{application id: a new status link's token} for those HR offered the pool: the rejection e-mail carries it,
    so the candidate can answer (a new link, like any other: STATUS_LINK_DAYS, only its hash kept)."""
    offered = Application.objects.filter(pk__in=application_ids, pool_offer__isnull=False).values_list("pk", flat=True)
    return application_issue_status_tokens(application_ids=list(offered))


def pool_offer_one(*, application: Application, by, language: str = "zh-hans", site: str = "") -> bool:
    """HR asks the candidate of an application that already ended (rejected earlier, or withdrawn by themself)
    whether they want to join the pool: the offer, and after commit an e-mail with a new status link where they can
    answer. Whether it was asked now (not twice, never for an open application)."""
    with transaction.atomic():
        if not pool_offer(application_ids=[application.pk], by=by):
            return False
        token = pool_offer_status_tokens(application_ids=[application.pk])[application.pk]
        transaction.on_commit(lambda: _send_offer(application.pk, token, language, site))
    return True


def _send_offer(pk: int, token: str, language: str, site: str) -> None:
    application = Application.objects.select_related("applicant", "job").filter(pk=pk).first()
    if application is None or not application.applicant.email:
        return
    with translation.override(language):
        link = links.status_url(token, site)
        context = {"application": application, "link": link, "days": settings.TALENT_POOL_RETENTION_DAYS}
        body = render_to_string("careers/email_pool_offer.txt", context)
        subject = _("邀请您加入我们的人才库")
    try:
        send_mail(subject, body, None, [application.applicant.email])
    except Exception:
        logger.exception("pool offer e-mail for application %s failed", pk)


def pool_entry_of(applicant_id: int) -> TalentPoolEntry | None:
    """The person's current entry (not left, not expired), if any."""
    return TalentPoolEntry.objects.filter(TalentPoolEntry.active_q(), applicant_id=applicant_id).first()


def pool_can_join(application: Application) -> bool:
    """The status page offers joining: HR asked, the application ended, and the person is not in the pool now."""
    return (
        application.stage in OFFERABLE
        and PoolOffer.objects.filter(application=application).exists()
        and pool_entry_of(application.applicant_id) is None
    )


def pool_join(*, application: Application, language: str = "zh-hans", site: str = "") -> TalentPoolEntry:
    """The candidate's own consent, given through this application's status link (the caller checked the browser
    holds it). Refused unless HR offered it and the application ended; already in: the entry they have. A status
    link that lasts as long as the entry is e-mailed, so they can leave whenever they want."""
    now = timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        Applicant.objects.select_for_update().get(pk=locked.applicant_id)  # one join at a time per person
        if locked.stage not in OFFERABLE or not PoolOffer.objects.filter(application=locked).exists():
            raise PoolError(_("这份申请目前不能加入人才库"))
        current = pool_entry_of(locked.applicant_id)
        if current is not None:
            return current
        # an entry that expired but was never left: it ended by its clock (the partial unique index holds one open)
        TalentPoolEntry.objects.filter(applicant_id=locked.applicant_id, left_at__isnull=True).update(left_at=now)
        entry = TalentPoolEntry.objects.create(
            applicant_id=locked.applicant_id,
            application=locked,
            notice_version=settings.TALENT_POOL_NOTICE_VERSION,
            consented_at=now,
            expires_at=now + timedelta(days=settings.TALENT_POOL_RETENTION_DAYS),
        )
        token = application_issue_status_token(application=locked, until=entry.expires_at)  # lasts as the entry
        transaction.on_commit(lambda: _send_joined(entry.pk, token, language, site))
    return entry


def pool_leave(*, application: Application) -> bool:
    """The person leaves the pool (through the status link of any of their applications): the entry ends now and
    their data is back on the ordinary clocks. Whether there was an entry to end."""
    with transaction.atomic():
        Applicant.objects.select_for_update().get(pk=application.applicant_id)
        ended = TalentPoolEntry.objects.filter(applicant_id=application.applicant_id, left_at__isnull=True).update(
            left_at=timezone.now()
        )
    return bool(ended)


def _send_joined(entry_pk: int, token: str, language: str, site: str) -> None:
    entry = TalentPoolEntry.objects.select_related("applicant", "application__job").filter(pk=entry_pk).first()
    if entry is None or not entry.applicant.email:
        return
    with translation.override(language):
        link = links.status_url(token, site)
        body = render_to_string("careers/email_pool_joined.txt", {"entry": entry, "link": link})
        subject = _("您已加入我们的人才库")
    try:
        send_mail(subject, body, None, [entry.applicant.email])
    except Exception:
        logger.exception("pool confirmation for entry %s failed", entry_pk)


def pool_invite(*, job: Job, entry_ids: list[int], by, site: str = "") -> list[int]:
    """HR invites these pool entries to `job` in one action: an invitation each, whose e-mail a worker sends
    (pool_invitations_send: a private link, a token made then, only its hash kept, expiring after
    POOL_INVITATION_DAYS, that opens the job's form pre-filled). The ids invited. After commit the request sends
    for at most INVITE_SEND_SECONDS; what is left, or failed, goes with the next run (beat, every minute), so a
    large invitation never holds the request past its timeout.

    Re-checked under the entries' row locks: entries HR may not see, that left or expired, whose person already
    applied to the job or was already invited to it are skipped, so running it twice invites nobody twice."""
    if by is None or not by.is_authenticated or not by.has_perm("screening.change_application"):
        raise PoolError(_("只有招聘人员可以邀请人才库"))
    if not selectors.jobs_visible_to(by).filter(pk=job.pk, status=Job.Status.OPEN).exists():
        raise PoolError(_("只能邀请到您负责的、正在招聘的职位"))
    now = timezone.now()
    made: list[int] = []
    with transaction.atomic():
        locked = list(
            selectors.pool_entries_visible_to(by)
            .filter(pk__in=entry_ids)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", "applicant_id")
        )
        # read after the locks, in statements of their own: what a concurrent run committed meanwhile is seen here
        ids = [pk for pk, _a in locked]
        active = set(
            TalentPoolEntry.objects.filter(TalentPoolEntry.active_q(now), pk__in=ids).values_list("pk", flat=True)
        )
        people = [a for _pk, a in locked]
        applied = set(
            Application.objects.filter(job=job, applicant_id__in=people).values_list("applicant_id", flat=True)
        )
        invited = set(
            PoolInvitation.objects.filter(job=job, entry__applicant_id__in=people).values_list(
                "entry__applicant_id", flat=True
            )
        )
        for pk, applicant_id in locked:
            if pk not in active or applicant_id in applied or applicant_id in invited:
                continue
            invited.add(applicant_id)
            PoolInvitation.objects.create(
                entry_id=pk, job=job, invited_by=by, site=site[:200],
                expires_at=now + timedelta(days=settings.POOL_INVITATION_DAYS),
            )  # fmt: skip
            made.append(pk)
        if made:
            ids = list(PoolInvitation.objects.filter(job=job, entry_id__in=made).values_list("pk", flat=True))
            transaction.on_commit(lambda: pool_invitations_send(ids=ids, seconds=INVITE_SEND_SECONDS))
    return made


INVITE_SEND_SECONDS = 10.0  # ours: well inside a web request's timeout


def pool_invitations_send(*, ids: list[int] | None = None, seconds: float | None = None) -> int:
    """Send the invitations not sent yet, each once: taken under a row lock other runs skip, re-checked (the
    person still in the pool, not applied to the job, the job open), its token made, the e-mail sent and the row
    marked sent in one transaction. One that fails stays unsent (and tokenless) for the next run. `ids`: only
    these; `seconds`: stop taking more after that long."""
    sent, tried = 0, set()
    deadline = None if seconds is None else monotonic() + seconds
    while deadline is None or monotonic() < deadline:
        with transaction.atomic():
            pending = PoolInvitation.objects.filter(sent_at__isnull=True, expires_at__gt=timezone.now())
            if ids is not None:
                pending = pending.filter(pk__in=ids)
            invitation = take_next(pending.select_related("entry__applicant", "job"), tried)
            if invitation is None:
                return sent
            entry, job = invitation.entry, invitation.job
            if (
                not entry.is_active()
                or job.status != Job.Status.OPEN
                or not entry.applicant.email
                or Application.objects.filter(job=job, applicant_id=entry.applicant_id).exists()
            ):
                continue  # nothing to send (it stays unsent and opens nothing: it has no token)
            token = secrets.token_urlsafe(32)
            invitation.token_hash, invitation.sent_at = token_hash(token), timezone.now()
            invitation.save(update_fields=["token_hash", "sent_at"])
            try:
                _send_invitation(invitation, token)
            except Exception:
                logger.exception("pool invitation %s failed; the next run tries again", invitation.pk)
                transaction.set_rollback(True)
                continue
            sent += 1
    return sent


def _send_invitation(invitation: PoolInvitation, token: str) -> None:
    entry, job = invitation.entry, invitation.job
    with translation.override(settings.LANGUAGE_CODE):  # the candidates' language: the portal records none
        link = (invitation.site or links.site_url()) + reverse("pool_invitation", args=[token])
        context = {"entry": entry, "job": job, "link": link, "days": settings.POOL_INVITATION_DAYS}
        body = render_to_string("careers/email_pool_invitation.txt", context)
        subject = _("新职位邀请：%(title)s") % {"title": tr(job, "title")}
    send_mail(subject, body, None, [entry.applicant.email])


def _usable(invitations):
    """Still valid, not used, its entry active, its job open, and its person not applied to the job meanwhile."""
    applied = Application.objects.filter(job=OuterRef("job"), applicant=OuterRef("entry__applicant"))
    return invitations.filter(
        TalentPoolEntry.active_q(via="entry__"),
        used_at__isnull=True,
        sent_at__isnull=False,
        expires_at__gt=timezone.now(),
        job__status=Job.Status.OPEN,
    ).exclude(Exists(applied))


def pool_invitation_by_token(token: str) -> PoolInvitation | None:
    """The invitation this private link names, while it can still be used."""
    if not token or len(token) > 100:
        return None
    return (
        _usable(PoolInvitation.objects.select_related("entry__applicant", "job"))
        .filter(token_hash=token_hash(token))
        .first()
    )


def pool_invitation_by_hash(hashed: str | None, *, job: Job) -> PoolInvitation | None:
    if not hashed:
        return None
    return _usable(PoolInvitation.objects.select_related("entry__applicant")).filter(token_hash=hashed, job=job).first()


def pool_invitation_use(*, hashed: str) -> None:
    """The invited person applied through it: the link opens nothing any more."""
    PoolInvitation.objects.filter(token_hash=hashed, used_at__isnull=True).update(used_at=timezone.now())
