"""HR's talent pool page (scoped like every HR page, one action invites), the reject choice 邀请加入人才库, and each
staff member's own referral links with their counts."""

import pytest
from django.core import mail
from django.urls import reverse

from screening.models import Application, PoolInvitation, PoolOffer, ReferralLink
from screening.services.pool import pool_join
from tests.factories import ApplicantFactory, ApplicationFactory, JobFactory
from tests.pool_helpers import rejected

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails leave on commit


def _entry(hr_user, name, job=None):
    applicant = ApplicantFactory(name=name)
    return pool_join(application=rejected(hr_user, applicant=applicant, job=job))


def test_the_reject_action_can_offer_the_pool_and_mails_the_offer(hr_client, hr_user):
    application = ApplicationFactory(stage=Application.Stage.REVIEWING)
    hr_client.post(
        reverse("hr:application_decide", args=[application.pk]),
        {"to_stage": "rejected", "reason": "position_filled", "offer_pool": "yes", "from_stage": "reviewing"},
    )
    assert PoolOffer.objects.filter(application=application).exists()
    (message,) = mail.outbox
    assert "人才库" in message.body and "/status/" in message.body
    page = hr_client.get(reverse("hr:application_detail", args=[ApplicationFactory().pk])).content.decode()
    assert "邀请加入人才库" in page


def test_the_pool_page_shows_only_entries_of_jobs_hr_may_see(hr_client, hr_user, django_user_model):
    other = django_user_model.objects.create_user("other-hr", is_staff=True)
    hidden_job = JobFactory()
    hidden_job.hiring_team.add(other)
    _entry(hr_user, "看得见")
    _entry(hr_user, "看不见", job=hidden_job)
    page = hr_client.get(reverse("hr:pool")).content.decode()
    assert "看得见" in page and "看不见" not in page
    assert "岗位已招满" in page  # why they got no seat
    assert "看得见" not in hr_client.get(reverse("hr:pool"), {"q": "没有这个人"}).content.decode()


def test_invite_selected_to_a_job_in_one_action(hr_client, hr_user):
    a, b = _entry(hr_user, "甲"), _entry(hr_user, "乙")
    mail.outbox.clear()
    job = JobFactory(title="618 客服")
    hr_client.post(reverse("hr:pool_invite"), {"job": job.slug, "scope": "selected", "ids": [a.pk]})
    assert list(PoolInvitation.objects.values_list("entry_id", flat=True)) == [a.pk]
    assert len(mail.outbox) == 1
    hr_client.post(reverse("hr:pool_invite"), {"job": job.slug, "scope": "all", "filter_q": ""})
    assert set(PoolInvitation.objects.values_list("entry_id", flat=True)) == {a.pk, b.pk}  # a not twice
    assert len(mail.outbox) == 2


def test_invite_all_shown_follows_the_filters(hr_client, hr_user):
    _entry(hr_user, "张三")
    _entry(hr_user, "李四")
    job = JobFactory()
    hr_client.post(reverse("hr:pool_invite"), {"job": job.slug, "scope": "all", "filter_q": "张三"})
    assert list(PoolInvitation.objects.values_list("entry__applicant__name", flat=True)) == ["张三"]


def test_a_reviewer_without_change_permission_cannot_invite(client, hr_user, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_application"))
    entry = _entry(hr_user, "甲")
    client.force_login(viewer)
    response = client.post(reverse("hr:pool_invite"), {"job": JobFactory().slug, "ids": [entry.pk]})
    assert response.status_code == 403
    assert not PoolInvitation.objects.exists()


def test_referral_links_own_listed_with_counts_and_deactivated(hr_client, hr_user, django_user_model):
    job = JobFactory(title="大促客服")
    hr_client.post(reverse("hr:referrals"), {"job": job.slug})
    hr_client.post(reverse("hr:referrals"), {"job": ""})
    mine = list(ReferralLink.objects.filter(owner=hr_user).order_by("created_at"))
    assert [link.job for link in mine] == [job, None]
    ApplicationFactory(job=job, referral=mine[0])
    ApplicationFactory(job=job, referral=mine[0], stage=Application.Stage.HIRED)
    someone_else = ReferralLink.objects.create(owner=django_user_model.objects.create_user("x", is_staff=True))
    page = hr_client.get(reverse("hr:referrals")).content.decode()
    assert mine[0].code in page and someone_else.code not in page
    assert "已投递 2 人 · 已入职 1 人" in page and "<svg" in page  # the QR code
    hr_client.post(reverse("hr:referrals"), {"deactivate": str(someone_else.pk)})  # not theirs: nothing
    hr_client.post(reverse("hr:referrals"), {"deactivate": str(mine[0].pk)})
    someone_else.refresh_from_db()
    mine[0].refresh_from_db()
    assert someone_else.active and not mine[0].active


def test_the_application_page_names_the_referrer_and_the_source(hr_client, hr_user):
    hr_user.first_name = "小红"
    hr_user.save()
    link = ReferralLink.objects.create(owner=hr_user)
    application = ApplicationFactory(referral=link, source=Application.Source.REFERRAL)
    page = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    assert "内推：小红" in page and "来源：内推" in page
    pooled = ApplicationFactory(source=Application.Source.POOL)
    assert "来源：人才库邀请" in hr_client.get(reverse("hr:application_detail", args=[pooled.pk])).content.decode()


def test_hr_offers_the_pool_later_from_the_application_page(hr_client, hr_user):
    application = rejected(hr_user, offered=False)
    page = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    assert 'id="offer-pool-later"' in page
    hr_client.post(reverse("hr:application_offer_pool", args=[application.pk]))
    assert PoolOffer.objects.filter(application=application, offered_by=hr_user).exists()
    assert len(mail.outbox) == 1
    page = hr_client.get(reverse("hr:application_detail", args=[application.pk])).content.decode()
    assert 'id="offer-pool-later"' not in page


def test_a_bulk_rejection_that_offers_the_pool_tells_the_candidates_even_unticked_notify(hr_client, hr_user):
    job = JobFactory()
    applications = [ApplicationFactory(job=job, stage=Application.Stage.INTERVIEW) for _ in range(2)]
    hr_client.post(
        reverse("hr:job_bulk", args=[job.slug]),
        {"action": "reject", "ids": [a.pk for a in applications], "reason": "position_filled", "offer_pool": "yes"},
    )
    assert PoolOffer.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.applicant.email for a in applications)
    assert all("/status/" in m.body and "人才库" in m.body for m in mail.outbox)  # an offer they can answer


def test_undoing_a_rejection_withdraws_an_unanswered_offer_and_hides_a_taken_one(hr_client, hr_user):
    from screening.services.decisions import application_undo_rejection

    unanswered = rejected(hr_user, applicant=ApplicantFactory(name="未回复"))
    joined = _entry(hr_user, "已加入").application
    for application in (unanswered, joined):
        application.stage_changes.create(from_stage="interview", to_stage="rejected", by=hr_user)
        application_undo_rejection(application=application, by=hr_user)
    assert not PoolOffer.objects.filter(application=unanswered).exists()
    page = hr_client.get(reverse("hr:pool")).content.decode()
    assert "已加入" not in page  # back in the running: not "good, no seat" while the application is open


def test_an_admin_erasing_a_person_in_the_pool_is_not_refused(admin_client, hr_user):
    from screening.models import Applicant, TalentPoolEntry

    entry = _entry(hr_user, "要删除的人")
    response = admin_client.post(
        reverse("admin:screening_applicant_delete", args=[entry.applicant_id]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Applicant.objects.filter(pk=entry.applicant_id).exists()
    assert not TalentPoolEntry.objects.filter(pk=entry.pk).exists()
