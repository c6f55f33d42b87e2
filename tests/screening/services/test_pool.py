"""The talent pool's services: consent only through the person's own status link, leaving, expiry, the pool's own
retention clock, and HR's invitations (once per person and job, never to those who applied or left)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from screening.models import Applicant, Application, PoolInvitation, PoolOffer, TalentPoolEntry
from screening.services import application_by_status_token, decisions
from screening.services.pool import (
    PoolError,
    pool_entry_of,
    pool_invitation_by_token,
    pool_invite,
    pool_join,
    pool_leave,
)
from screening.services.retention import purge_expired
from tests.conftest import relay_out_of_reach
from tests.factories import ApplicantFactory, ApplicationFactory, JobFactory
from tests.pool_helpers import rejected

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails leave on commit


def test_rejecting_with_the_offer_asks_but_puts_nobody_in_the_pool(hr_user):
    application = ApplicationFactory(stage=Application.Stage.REVIEWING)
    decisions.application_decide(
        application=application, to_stage="rejected", by=hr_user, reason="position_filled", offer_pool=True
    )
    assert PoolOffer.objects.filter(application=application, offered_by=hr_user).exists()
    assert not TalentPoolEntry.objects.exists()  # asking is not consent


def test_bulk_rejection_offers_only_when_asked_and_only_to_those_rejected_now(hr_user):
    job = JobFactory()
    a, b = ApplicationFactory(job=job), ApplicationFactory(job=job, stage=Application.Stage.WITHDRAWN)
    decisions.applications_decide_ids(
        applications=[a, b], to_stage="rejected", by=hr_user, reason="position_filled", offer_pool=True
    )
    assert set(PoolOffer.objects.values_list("application_id", flat=True)) == {a.pk}
    c = ApplicationFactory(job=job)
    decisions.applications_decide_ids(applications=[c], to_stage="rejected", by=hr_user, reason="skills")
    assert not PoolOffer.objects.filter(application=c).exists()


def test_the_rejection_email_carries_a_status_link_that_offers_the_pool(hr_user, client):
    application = rejected(hr_user)
    decisions.notify_rejection(application_ids=[application.pk], language="zh-hans")
    (message,) = mail.outbox
    assert "人才库" in message.body
    token = message.body.split("/status/")[1].split("/")[0]
    assert application_by_status_token(token) == application
    page = client.get(f"/status/{token}/", follow=True).content.decode()
    assert 'id="pool-join"' in page


def test_no_offer_means_no_pool(hr_user):
    application = rejected(hr_user, offered=False)
    with pytest.raises(PoolError):
        pool_join(application=application)
    assert not TalentPoolEntry.objects.exists()


def test_an_open_application_cannot_join(hr_user):
    application = ApplicationFactory(stage=Application.Stage.REVIEWING)
    PoolOffer.objects.create(application=application, offered_by=hr_user)  # even if a row said so
    with pytest.raises(PoolError):
        pool_join(application=application)


def test_joining_records_the_consent_its_notice_and_its_own_clock(hr_user, settings):
    settings.TALENT_POOL_RETENTION_DAYS = 200
    application = rejected(hr_user)
    entry = pool_join(application=application)
    assert entry.applicant_id == application.applicant_id and entry.application_id == application.pk
    assert entry.notice_version == settings.TALENT_POOL_NOTICE_VERSION
    assert abs(entry.expires_at - (entry.consented_at + timedelta(days=200))) < timedelta(seconds=1)
    assert pool_join(application=application) == entry  # twice is once
    assert TalentPoolEntry.objects.count() == 1
    # the confirmation carries a status link that lasts as long as the entry (to leave whenever they want)
    (message,) = mail.outbox
    token = message.body.split("/status/")[1].split("/")[0]
    assert application_by_status_token(token) == application
    assert application.status_links.order_by("-expires_at").first().expires_at == entry.expires_at


def test_one_open_entry_per_person_is_held_by_the_database(hr_user):
    entry = pool_join(application=rejected(hr_user))
    with pytest.raises(IntegrityError), transaction.atomic():
        TalentPoolEntry.objects.create(
            applicant_id=entry.applicant_id, application_id=entry.application_id, notice_version="x",
            expires_at=timezone.now() + timedelta(days=1),
        )  # fmt: skip


def test_leaving_ends_the_entry(hr_user):
    application = rejected(hr_user)
    pool_join(application=application)
    assert pool_leave(application=application) is True
    assert pool_entry_of(application.applicant_id) is None
    assert TalentPoolEntry.objects.get().left_at is not None
    assert pool_leave(application=application) is False


def test_an_expired_entry_is_not_in_the_pool_and_joining_again_starts_a_new_one(hr_user):
    application = rejected(hr_user)
    entry = pool_join(application=application)
    TalentPoolEntry.objects.filter(pk=entry.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert pool_entry_of(application.applicant_id) is None
    again = pool_join(application=application)
    assert again.pk != entry.pk and again.is_active()
    entry.refresh_from_db()
    assert entry.left_at is not None


# -- retention: the pool's own clock -----------------------------------------------------------------------------
def test_a_pooled_person_is_kept_past_the_ordinary_clock_until_the_pool_clock_ends(hr_user, settings):
    settings.RETENTION_DAYS = 30
    application = rejected(hr_user, days_ago=100)  # the ordinary clock ran out long ago
    entry = pool_join(application=application)
    purge_expired()
    assert Application.objects.filter(pk=application.pk).exists()
    TalentPoolEntry.objects.filter(pk=entry.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    purge_expired()  # the pool's clock ended: purged like the rest, with the person and the entry
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not Applicant.objects.filter(pk=application.applicant_id).exists()
    assert not TalentPoolEntry.objects.exists()


def test_leaving_puts_the_person_back_on_the_ordinary_clock(hr_user, settings):
    settings.RETENTION_DAYS = 30
    old = rejected(hr_user, days_ago=100)
    recent = rejected(hr_user, days_ago=5, applicant=ApplicantFactory())
    for application in (old, recent):
        pool_join(application=application)
        pool_leave(application=application)
    purge_expired()
    assert not Application.objects.filter(pk=old.pk).exists()  # its ordinary time was up
    assert Application.objects.filter(pk=recent.pk).exists()  # still within it


def test_without_joining_the_ordinary_clock_applies(hr_user, settings):
    settings.RETENTION_DAYS = 30
    application = rejected(hr_user, days_ago=100)  # offered, never answered
    purge_expired()
    assert not Application.objects.filter(pk=application.pk).exists()


# -- invitations -------------------------------------------------------------------------------------------------
def _pooled(hr_user, n=1):
    entries = []
    for i in range(n):
        applicant = ApplicantFactory(name=f"候选人{i}", email=f"pool{i}@example.com")
        entries.append(pool_join(application=rejected(hr_user, applicant=applicant)))
    mail.outbox.clear()
    return entries


def test_invite_once_per_person_and_job_even_when_run_twice(hr_user):
    entries = _pooled(hr_user, 2)
    job = JobFactory(title="双11 临时客服")
    ids = [e.pk for e in entries]
    assert sorted(pool_invite(job=job, entry_ids=ids, by=hr_user)) == sorted(ids)
    assert pool_invite(job=job, entry_ids=ids, by=hr_user) == []
    assert PoolInvitation.objects.count() == 2
    assert len(mail.outbox) == 2 and "双11 临时客服" in mail.outbox[0].subject
    token = mail.outbox[0].body.split("/invited/")[1].split("/")[0]
    invitation = pool_invitation_by_token(token)
    assert invitation is not None and invitation.job == job
    assert PoolInvitation.objects.filter(token_hash=token).count() == 0  # only the hash is kept


def test_invite_skips_who_applied_left_or_expired(hr_user):
    applied, left, expired, fine = _pooled(hr_user, 4)
    job = JobFactory()
    ApplicationFactory(job=job, applicant_id=applied.applicant_id)
    pool_leave(application=left.application)
    TalentPoolEntry.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    invited = pool_invite(job=job, entry_ids=[applied.pk, left.pk, expired.pk, fine.pk], by=hr_user)
    assert invited == [fine.pk]


def test_an_invitation_ends_when_its_entry_ends_or_its_time_is_up(hr_user):
    (entry,) = _pooled(hr_user)
    pool_invite(job=JobFactory(), entry_ids=[entry.pk], by=hr_user)
    token = mail.outbox[0].body.split("/invited/")[1].split("/")[0]
    PoolInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert pool_invitation_by_token(token) is None
    PoolInvitation.objects.update(expires_at=timezone.now() + timedelta(days=1))
    assert pool_invitation_by_token(token) is not None
    pool_leave(application=entry.application)
    assert pool_invitation_by_token(token) is None


def test_invite_only_to_an_open_job_hr_may_act_on_and_entries_hr_may_see(hr_user, django_user_model):
    (entry,) = _pooled(hr_user)
    other = django_user_model.objects.create_user("other-hr", is_staff=True)
    closed = JobFactory(status="closed")
    with pytest.raises(PoolError):
        pool_invite(job=closed, entry_ids=[entry.pk], by=hr_user)
    team_job = JobFactory()
    team_job.hiring_team.add(other)  # hr_user is not on its team
    with pytest.raises(PoolError):
        pool_invite(job=team_job, entry_ids=[entry.pk], by=hr_user)
    # an entry from a job HR may not see is not invited
    hidden = entry.application.job
    hidden.hiring_team.add(other)
    assert pool_invite(job=JobFactory(), entry_ids=[entry.pk], by=hr_user) == []


def test_two_invitations_of_the_same_people_racing_invite_each_once(hr_user):
    """Two HR people press "invite" for the same people at once: the second waits for the first's row locks, then
    sees its invitations and sends none."""
    from tests.screening.services.test_decision_races import race

    entries = _pooled(hr_user, 2)
    job = JobFactory()
    ids = [e.pk for e in entries]
    first, second, waited = race(
        lambda: pool_invite(job=job, entry_ids=ids, by=hr_user),
        lambda: pool_invite(job=job, entry_ids=ids, by=hr_user),
    )
    assert waited
    assert sorted(first.result) == sorted(ids) and second.result == []
    assert PoolInvitation.objects.count() == 2 and len(mail.outbox) == 2


def test_hr_asks_later_for_a_withdrawn_application_and_the_status_page_offers_it(hr_user, client):
    from screening.services.pool import pool_offer_one

    application = ApplicationFactory(stage=Application.Stage.WITHDRAWN)
    assert pool_offer_one(application=application, by=hr_user) is True
    assert pool_offer_one(application=application, by=hr_user) is False  # asked once
    assert pool_offer_one(application=ApplicationFactory(), by=hr_user) is False  # still open: not asked
    (message,) = mail.outbox
    assert "人才库" in message.body
    token = message.body.split("/status/")[1].split("/")[0]
    page = client.get(f"/status/{token}/", follow=True).content.decode()
    assert 'id="pool-join"' in page
    assert not TalentPoolEntry.objects.exists()


def test_an_invitation_whose_email_failed_goes_with_the_next_run_once(hr_user, settings):
    from screening.services.pool import pool_invitations_send

    entry = pool_join(application=rejected(hr_user))
    job = JobFactory()
    relay_out_of_reach(settings)
    assert pool_invite(job=job, entry_ids=[entry.pk], by=hr_user) == [entry.pk]
    invitation = PoolInvitation.objects.get()
    assert (invitation.sent_at, invitation.token_hash) == (None, None)  # nothing went out; no link exists

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert pool_invitations_send() == 1  # beat's next run
    assert pool_invitations_send() == 0
    (message,) = mail.outbox
    token = message.body.split("/invited/")[1].split("/")[0]
    assert pool_invitation_by_token(token).pk == invitation.pk


def test_a_large_invitation_leaves_the_rest_to_the_worker_and_nobody_gets_two(hr_user):
    from screening.services import pool as pool_service

    entries = [pool_join(application=rejected(hr_user, applicant=ApplicantFactory())) for _ in range(3)]
    job = JobFactory()
    pool_service.INVITE_SEND_SECONDS, before = 0.0, pool_service.INVITE_SEND_SECONDS  # the request's time is up
    try:
        mail.outbox.clear()
        pool_invite(job=job, entry_ids=[e.pk for e in entries], by=hr_user)
        assert mail.outbox == []
        assert pool_service.pool_invitations_send() == 3
        assert pool_service.pool_invitations_send() == 0
        assert sorted(m.to[0] for m in mail.outbox) == sorted(e.applicant.email for e in entries)
    finally:
        pool_service.INVITE_SEND_SECONDS = before
