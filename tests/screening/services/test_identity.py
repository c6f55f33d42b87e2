"""Nobody takes over a candidate by typing their e-mail or mobile (issue: identity takeover).

The form and the import are unverified sources: they never rename a person, never change or move a
contact detail, and never send a status link anywhere but the address on file; the links a person holds
keep working.
"""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from screening import services
from screening.models import Applicant, Application
from screening.services.importing import job_import_applicants
from tests.conftest import wait_for
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory

VICTIM = {"name": "王芳", "email": "v@example.com", "phone": "13800138001"}
ATTACKER = {"name": "坏人", "email": "attacker@evil.test"}


def _job(slug):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist, condition={"kind": "education_at_least", "level": "senior_high"})
    return JobFactory(slug=slug, checklists=[checklist])


def _apply(client, job, person, ip="10.2.0.1", **extra):
    data = {**person, "education": "bachelor", "consent_privacy": "on", **extra}
    return client.post(reverse("job_apply", args=[job.slug]), data, REMOTE_ADDR=ip)


def _link(message) -> str:
    return message.body.split("/status/")[1].split("/")[0]


@pytest.fixture
def victim(client, django_capture_on_commit_callbacks, settings):
    settings.APPLY_RATE = "100/m"
    job = _job("victims-job")
    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(client, job, VICTIM).status_code == 302
    (confirmation,) = mail.outbox
    mail.outbox.clear()
    return job, Application.objects.get(job=job), _link(confirmation)


@pytest.mark.django_db
def test_victims_mobile_with_another_email_changes_nothing_and_routes_no_link(
    client, victim, django_capture_on_commit_callbacks
):
    job, application, victim_token = victim
    other_job = _job("another-job")
    attacker = {**ATTACKER, "phone": VICTIM["phone"]}
    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(client, other_job, attacker, ip="10.6.6.6").status_code == 302  # another job
        assert _apply(client, job, attacker, ip="10.6.6.6").status_code == 302  # then the victim's job
    person = Applicant.objects.get(pk=application.applicant_id)
    assert (person.name, person.email, person.phone) == ("王芳", "v@example.com", "13800138001")
    # the attacker is a person of their own, flagged for HR; the victim's application is still the victim's
    stranger = Applicant.objects.get(email="attacker@evil.test")
    assert stranger.pk != person.pk and stranger.possible_duplicate is True
    assert list(Application.objects.filter(job=job).values_list("applicant_id", flat=True)) == [person.pk]
    # the attacker got the confirmation of their own application only; the victim got the "again" notice
    assert sorted(tuple(m.to) for m in mail.outbox) == [("attacker@evil.test",), ("v@example.com",)]
    resend = next(m for m in mail.outbox if m.to == ["v@example.com"])
    assert services.application_by_status_token(_link(resend)) == application
    assert services.application_by_status_token(victim_token) == application  # the victim's link still works


@pytest.mark.django_db
def test_victims_email_with_another_name_does_not_rename_them(client, victim, django_capture_on_commit_callbacks):
    job, application, _token = victim
    with django_capture_on_commit_callbacks(execute=True):
        _apply(client, _job("another-job"), {"name": "冒名者", "email": VICTIM["email"], "phone": "13900139009"})
    person = Applicant.objects.get(pk=application.applicant_id)
    assert (person.name, person.email, person.phone) == ("王芳", "v@example.com", "13800138001")
    assert Applicant.objects.filter(name="冒名者", possible_duplicate=True).count() == 1


@pytest.mark.django_db
def test_the_same_person_applying_to_another_job_stays_one_person(client, victim, django_capture_on_commit_callbacks):
    _job_, application, _token = victim
    with django_capture_on_commit_callbacks(execute=True):
        _apply(client, _job("another-job"), {**VICTIM, "email": " V@Example.com "})
    assert Applicant.objects.count() == 1
    assert Application.objects.filter(applicant_id=application.applicant_id).count() == 2


@pytest.mark.django_db
def test_a_resend_goes_to_the_address_on_file_at_most_once_in_a_while(
    client, victim, django_capture_on_commit_callbacks
):
    job, application, victim_token = victim
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            _apply(client, job, {**ATTACKER, "phone": VICTIM["phone"]}, ip="10.6.6.6")
    assert [m.to for m in mail.outbox] == [["v@example.com"]]
    assert application.status_links.count() == 2  # the first link and one resend, both valid
    assert services.application_by_status_token(victim_token) == application


@pytest.mark.django_db
def test_the_owner_changes_their_own_contact_details_through_their_link(
    client, victim, django_capture_on_commit_callbacks
):
    job, application, token = victim
    client.get(reverse("application_status", args=[token]))  # the owner opens their link in this browser
    new = {**VICTIM, "email": "wangfang@new.example"}
    assert _apply(client, job, new).status_code == 200  # asks to confirm the update
    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(client, job, new, confirm_update="1").status_code == 302
    person = Applicant.objects.get(pk=application.applicant_id)
    assert (person.email, Applicant.objects.count()) == ("wangfang@new.example", 1)


@pytest.mark.django_db
def test_an_import_by_another_team_does_not_rewrite_a_candidate(victim, tmp_path):
    _job_, application, _token = victim
    csv = tmp_path / "board.csv"
    csv.write_text(f"姓名,邮箱,手机\n改名者,hijack@evil.test,{VICTIM['phone']}\n", encoding="utf-8")
    report = job_import_applicants(job=_job("team-b-job"), path=csv)
    assert len(report.created) == 1 and report.errors == []
    person = Applicant.objects.get(pk=application.applicant_id)
    assert (person.name, person.email, person.phone) == ("王芳", "v@example.com", "13800138001")
    imported = Application.objects.get(pk=report.created[0]).applicant
    assert imported.pk != person.pk and imported.possible_duplicate is True


@pytest.mark.django_db
def test_hr_sees_the_possible_duplicate_only_within_their_jobs(hr_client, hr_user, victim, django_user_model):
    job, application, _token = victim
    other = Application.objects.create(
        applicant=services.applicant_find_or_create(name="坏人", email="attacker@evil.test", phone=VICTIM["phone"]),
        job=_job("another-job"),
    )
    page = hr_client.get(reverse("hr:application_detail", args=[other.pk])).content.decode()
    assert 'id="possible-duplicate"' in page and "王芳" in page
    job.hiring_team.add(django_user_model.objects.create_user("team-a"))  # now outside this reviewer's jobs
    page = hr_client.get(reverse("hr:application_detail", args=[other.pk])).content.decode()
    assert 'id="possible-duplicate"' in page and "王芳" not in page


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_submissions_make_one_person():
    """Two transactions racing on the same new contact details: the second waits for the first and joins
    the person it created (there is no unique constraint to catch it any more)."""
    first_in = threading.Event()
    release = threading.Event()
    results = []

    def submit(hold: bool):
        try:
            from django.db import transaction

            with transaction.atomic():
                results.append(services.applicant_find_or_create(name="甲", email="a@example.com", phone="13700000001"))
                if hold:
                    first_in.set()
                    release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=submit, args=(True,))
    holder.start()
    assert first_in.wait(10)
    racer = threading.Thread(target=submit, args=(False,))
    racer.start()

    # the racer is observably waiting on the holder's lock before the holder commits
    def racer_waits():
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            return cur.fetchone()[0]

    wait_for(racer_waits, timeout=10)
    release.set()
    holder.join(10)
    racer.join(10)
    assert Applicant.objects.count() == 1 and len({a.pk for a in results}) == 1
