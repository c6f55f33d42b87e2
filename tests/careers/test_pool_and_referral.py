"""The candidate's side of the talent pool and of referral links: consent bound to the status link, the invitation's
pre-filled form (never timed results, consents or sensitive answers), and the attacker's cases: an invitation
pre-fills for its own person only and cannot change their contacts; a referral code only attributes."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from screening.models import Applicant, Application, ReferralLink, TalentPoolEntry
from screening.services.pool import pool_invite, pool_join
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory
from tests.pool_helpers import job_asking_everything, rejected, status_token

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails leave on commit


def _open_status(client, application) -> None:
    client.get(reverse("application_status", args=[status_token(application)]))


def _status(client, application) -> str:
    return client.get(reverse("application_status_page", args=[application.pk])).content.decode()


# -- consent through the status link ----------------------------------------------------------------------------
def test_the_status_page_offers_the_pool_only_when_hr_asked(client, hr_user):
    offered, not_offered = rejected(hr_user), rejected(hr_user, offered=False, applicant=ApplicantFactory())
    _open_status(client, offered)
    _open_status(client, not_offered)
    page = _status(client, offered)
    assert 'id="pool-join"' in page and "随时" in page and "365" in page  # what is kept, how long, leaving
    assert 'id="pool-join"' not in _status(client, not_offered)


def test_joining_needs_the_browser_to_hold_the_status_link(client, hr_user):
    application = rejected(hr_user)
    response = client.post(reverse("application_pool_join", args=[application.pk]), {"consent": "yes"})
    assert response.status_code == 404  # typing an id (or an e-mail) joins nobody
    assert not TalentPoolEntry.objects.exists()


def test_joining_needs_the_ticked_consent(client, hr_user):
    application = rejected(hr_user)
    _open_status(client, application)
    shown = settings.TALENT_POOL_NOTICE_VERSION
    client.post(reverse("application_pool_join", args=[application.pk]), {"notice_version": shown})
    assert not TalentPoolEntry.objects.exists()
    # consent to a text the page showed before it changed: read the new one first
    client.post(reverse("application_pool_join", args=[application.pk]), {"consent": "yes", "notice_version": "old"})
    assert not TalentPoolEntry.objects.exists()
    client.post(reverse("application_pool_join", args=[application.pk]), {"consent": "yes", "notice_version": shown})
    entry = TalentPoolEntry.objects.get()
    assert entry.applicant_id == application.applicant_id
    page = _status(client, application)
    assert 'id="pool-member"' in page and 'id="pool-leave"' in page


def test_leaving_from_the_status_page(client, hr_user):
    application = rejected(hr_user)
    pool_join(application=application)
    _open_status(client, application)
    client.post(reverse("application_pool_leave", args=[application.pk]))
    assert TalentPoolEntry.objects.get().left_at is not None
    assert 'id="pool-member"' not in _status(client, application)


# -- the invitation's pre-filled form ---------------------------------------------------------------------------
def _invited(hr_user, job):
    application = rejected(hr_user)
    entry = pool_join(application=application)
    mail.outbox.clear()
    pool_invite(job=job, entry_ids=[entry.pk], by=hr_user)
    (message,) = mail.outbox
    return application, message.body.split("/invited/")[1].split("/")[0]


def test_the_invitation_prefills_what_is_still_valid_and_nothing_else(client, hr_user):
    job = job_asking_everything()
    _application, token = _invited(hr_user, job)
    response = client.get(reverse("pool_invitation", args=[token]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("job_apply", args=[job.slug])  # no secret in the address
    form = response.context["form"]
    html = response.content.decode()
    assert form.initial["name"] == "王芳" and form.initial["phone"] == "13900000001"
    assert form.initial["education"] == "bachelor" and form.initial["major"] == "市场营销"
    assert form.initial["declare_accepts_shifts"] == "yes"
    assert form.initial["platforms"] == ["taobao", "jd"]
    assert form.initial["work_history"] == [{"field": "customer_service", "start": "2021-03", "end": "", "now": True}]
    assert 'value="2021-03"' in html and 'value="2022-05-01"' in html
    # never carried over: the timed test (retaken), consents (asked again), sensitive declarations
    for never in (
        "typing_result",
        "consent_privacy",
        "consent_health",
        "declare_good_health",
        "declare_no_criminal_record",
    ):
        assert never not in form.initial
    assert "88" not in html.split('name="typing_result"')[1][:40]


def test_an_old_application_prefills_no_profile(client, hr_user, settings):
    settings.PREFILL_VALID_DAYS = 30
    job = job_asking_everything()
    application, token = _invited(hr_user, job)
    Application.objects.filter(pk=application.pk).update(submitted_at=timezone.now() - timedelta(days=31))
    form = client.get(reverse("pool_invitation", args=[token]), follow=True).context["form"]
    assert form.initial.get("name") == "王芳"  # the contacts on file
    assert "education" not in form.initial and "work_history" not in form.initial


def _simple_job():
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    return JobFactory(checklists=[checklist])


def _post(client, job, **data):
    payload = {"name": "王芳", "email": "wangfang@example.com", "phone": "13900000001", "education": "bachelor"}
    payload.update(consent_privacy="on", **data)
    return client.post(reverse("job_apply", args=[job.slug]), payload)


def test_submitting_through_the_invitation_joins_the_person_with_source_pool(client, hr_user):
    job = _simple_job()
    application, token = _invited(hr_user, job)
    client.get(reverse("pool_invitation", args=[token]))
    assert _post(client, job).status_code == 302
    new = Application.objects.get(job=job)
    assert new.applicant_id == application.applicant_id and new.source == Application.Source.POOL


def test_an_invitation_cannot_change_the_persons_contacts_or_prefill_for_someone_else(client, hr_user):
    job = _simple_job()
    application, token = _invited(hr_user, job)
    client.get(reverse("pool_invitation", args=[token]))
    _post(client, job, phone="13700000009", name="冒名者")
    person = Applicant.objects.get(pk=application.applicant_id)
    assert (person.name, person.phone) == ("王芳", "13900000001")  # unchanged
    new = Application.objects.get(job=job)
    assert new.applicant_id != person.pk and new.applicant.possible_duplicate
    assert new.source == Application.Source.WEB  # not the invited person: not from the pool
    # the link pre-fills only its own job's form, and only in the browser that opened it
    other = _simple_job()
    assert "name" not in client.get(reverse("job_apply", args=[other.slug])).context["form"].initial
    stranger = client.__class__()
    assert "name" not in stranger.get(reverse("job_apply", args=[job.slug])).context["form"].initial


def test_typing_someones_email_prefills_nothing(client, hr_user):
    application = rejected(hr_user)
    pool_join(application=application)
    job = _simple_job()
    response = client.get(reverse("job_apply", args=[job.slug]) + "?email=wangfang@example.com")
    assert response.context["form"].initial == {}
    assert "王芳" not in response.content.decode()


def test_a_forged_or_expired_invitation_opens_nothing(client, hr_user):
    job = _simple_job()
    _application, token = _invited(hr_user, job)
    assert client.get(reverse("pool_invitation", args=["x" + token[1:]])).status_code == 404
    from screening.models import PoolInvitation

    PoolInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("pool_invitation", args=[token])).status_code == 404


def test_apply_to_another_job_through_the_own_status_link(client, hr_user):
    application = rejected(hr_user)
    job = _simple_job()
    _open_status(client, application)
    listing = client.get(reverse("application_apply_again", args=[application.pk])).content.decode()
    assert job.slug in listing and application.job.slug not in listing
    client.get(reverse("application_apply_again_job", args=[application.pk, job.slug]))
    form = client.get(reverse("job_apply", args=[job.slug])).context["form"]
    assert form.initial["education"] == "bachelor" and form.initial["email"] == "wangfang@example.com"
    _post(client, job)
    new = Application.objects.get(job=job)
    assert new.applicant_id == application.applicant_id and new.source == Application.Source.WEB  # not pooled
    # without the status link in this browser: nothing
    stranger = client.__class__()
    assert stranger.get(reverse("application_apply_again_job", args=[application.pk, job.slug])).status_code == 404


# -- referral links (内推) ---------------------------------------------------------------------------------------
def test_a_referral_link_attributes_the_application(client, hr_user):
    job = _simple_job()
    link = ReferralLink.objects.create(owner=hr_user, job=job)
    response = client.get(reverse("referral", args=[link.code]))
    assert response.url == reverse("job_detail", args=[job.slug])
    _post(client, job)
    application = Application.objects.get()
    assert application.referral == link and application.source == Application.Source.REFERRAL


def test_a_link_for_every_job_leads_to_the_list(client, hr_user):
    link = ReferralLink.objects.create(owner=hr_user)
    assert client.get(reverse("referral", args=[link.code])).url == reverse("careers")
    job = _simple_job()
    _post(client, job)
    assert Application.objects.get().referral == link


def test_an_unknown_or_inactive_code_only_redirects(client, hr_user):
    job = _simple_job()
    link = ReferralLink.objects.create(owner=hr_user, job=job, active=False)
    assert client.get(reverse("referral", args=[link.code])).url == reverse("careers")
    assert client.get(reverse("referral", args=["nope"])).url == reverse("careers")
    _post(client, job)
    application = Application.objects.get()
    assert application.referral is None and application.source == Application.Source.WEB


def test_a_code_deactivated_after_the_visit_no_longer_attributes(client, hr_user):
    job = _simple_job()
    link = ReferralLink.objects.create(owner=hr_user, job=job)
    client.get(reverse("referral", args=[link.code]))
    ReferralLink.objects.filter(pk=link.pk).update(active=False)
    _post(client, job)
    assert Application.objects.get().referral is None


def test_a_referral_code_changes_nothing_but_attribution(client, hr_user):
    """Someone who came through a link and types an existing person's e-mail changes nobody's data, and an
    update of an existing application does not become a referral."""
    job = _simple_job()
    other_job = JobFactory()
    link = ReferralLink.objects.create(owner=hr_user, job=other_job)  # a link for another job
    existing = ApplicationFactory(job=job, applicant=ApplicantFactory(name="赵敏", email="zhao@example.com"))
    client.get(reverse("referral", args=[link.code]))
    _post(client, job, name="冒名者", email="zhao@example.com")
    existing.refresh_from_db()
    assert existing.referral is None and existing.applicant.name == "赵敏"
    assert Application.objects.filter(job=job).count() == 1  # the owner was sent their link instead
    _post(client, job, name="新人", email="new@example.com", phone="13600000000")
    fresh = Application.objects.get(applicant__email="new@example.com")
    assert fresh.referral is None  # the link was for another job
    assert fresh.stage == Application.Stage.APPLIED


# -- what a careful reader tried ------------------------------------------------------------------------------
def test_an_invitation_is_used_up_once_the_person_applies_through_it(client, hr_user):
    job = _simple_job()
    _application, token = _invited(hr_user, job)
    client.get(reverse("pool_invitation", args=[token]))
    assert _post(client, job).status_code == 302
    # the same browser (a shared phone) no longer gets the details, nor does a forwarded e-mail
    again = client.get(reverse("job_apply", args=[job.slug]))
    assert "name" not in again.context["form"].initial
    assert client.__class__().get(reverse("pool_invitation", args=[token])).status_code == 404


def test_the_prefill_is_the_pool_application_not_a_later_one_sent_under_the_same_contacts(client, hr_user):
    job = job_asking_everything()
    application, token = _invited(hr_user, job)
    # someone who knows 王芳's name, e-mail and mobile sends an application to another job with a made-up profile
    ApplicationFactory(applicant=application.applicant, profile={"education": "junior_high"})
    form = client.get(reverse("pool_invitation", args=[token]), follow=True).context["form"]
    assert form.initial["education"] == "bachelor" and form.initial["major"] == "市场营销"


def test_an_update_by_the_candidate_keeps_where_the_application_came_from(client, hr_user):
    job = _simple_job()
    link = ReferralLink.objects.create(owner=hr_user, job=job)
    client.get(reverse("referral", args=[link.code]))
    _post(client, job)
    application = Application.objects.get()
    token = status_token(application)
    client.get(reverse("application_status", args=[token]))  # the owner, through their link
    _post(client, job, confirm_update="1", education="junior_college")
    application.refresh_from_db()
    assert application.profile["education"] == "junior_college"
    assert (application.source, application.referral_id) == (Application.Source.REFERRAL, link.pk)


def test_a_referral_attributes_a_new_person_only_once_and_not_for_a_departed_or_self_referring_employee(
    client, hr_user, django_user_model
):
    job = _simple_job()
    link = ReferralLink.objects.create(owner=hr_user, job=job)
    client.get(reverse("referral", args=[link.code]))
    _post(client, job)
    assert Application.objects.get().referral == link
    # the code is forgotten after the submission: the next person on this device is nobody's referral
    _post(client, job, name="下一位", email="next@example.com", phone="13600000009")
    assert Application.objects.get(applicant__name="下一位").referral is None

    # someone already on file, applying to another job through the link, is not claimed by it
    other = _simple_job()
    ReferralLink.objects.filter(pk=link.pk).update(job=None)
    client.get(reverse("referral", args=[link.code]))
    _post(client, other)  # 王芳 again, details as on file
    assert Application.objects.get(job=other).referral is None

    # the employee applying through their own link
    hr_user.email = "hr@example.com"
    hr_user.save()
    client.get(reverse("referral", args=[link.code]))
    _post(client, JobFactory(checklists=[]), name="HR 本人", email="HR@example.com", phone="13600000010")
    assert Application.objects.get(applicant__name="HR 本人").referral is None

    # an employee who left: their link refers nobody
    departed = django_user_model.objects.create_user("left", is_staff=True, is_active=False)
    old = ReferralLink.objects.create(owner=departed)
    assert client.get(reverse("referral", args=[old.code])).url == reverse("careers")
    _post(client, JobFactory(checklists=[]), name="再一位", email="another@example.com", phone="13600000011")
    assert Application.objects.get(applicant__name="再一位").referral is None


def test_an_application_from_the_pool_is_nobodys_referral(client, hr_user):
    job = _simple_job()
    _application, token = _invited(hr_user, job)
    link = ReferralLink.objects.create(owner=hr_user)
    client.get(reverse("referral", args=[link.code]))  # an employee's link visited on the same device
    client.get(reverse("pool_invitation", args=[token]))
    _post(client, job)
    new = Application.objects.get(job=job)
    assert (new.source, new.referral_id) == (Application.Source.POOL, None)
