"""Human review on request (services/reviews.py): one open request at a time, due REVIEW_DUE_DAYS later, answered
once by a person (who and when recorded, the candidate e-mailed after commit in their language); while it is open,
neither "reject all recommended", a bulk rejection nor the retention purge touches the application."""

from datetime import timedelta

import pytest
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from screening.models import Application, ReviewRequest
from screening.services import applications_score, decisions
from screening.services.retention import purge_expired
from screening.services.reviews import ReviewError, review_request_answer, review_request_create
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def test_a_request_is_due_after_the_configured_days_and_one_is_open_at_a_time(settings):
    settings.REVIEW_DUE_DAYS = 10
    application = ApplicationFactory()
    before = timezone.now()
    review = review_request_create(
        application=application, message="  我有三年淘宝客服经验，请再看看。  ", language="en"
    )
    assert (review.status, review.message, review.language) == ("open", "我有三年淘宝客服经验，请再看看。", "en")
    assert before + timedelta(days=10) <= review.due_at <= timezone.now() + timedelta(days=10)
    with pytest.raises(ReviewError, match="等待答复"):
        review_request_create(application=application)
    assert ReviewRequest.objects.count() == 1


def test_the_database_holds_the_one_open_rule_and_the_answer_rule():
    application = ApplicationFactory()
    due = timezone.now()
    ReviewRequest.objects.create(application=application, due_at=due)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRequest.objects.create(application=application, due_at=due)  # a second open one
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRequest.objects.filter(application=application).update(status="answered")  # by nobody, no text
    with pytest.raises(DataError), transaction.atomic():  # longer than the bound, whatever path writes it
        ReviewRequest.objects.filter(application=application).update(message="字" * 1001)


def test_a_message_past_the_bound_and_a_withdrawn_application_are_refused():
    application = ApplicationFactory()
    with pytest.raises(ReviewError):
        review_request_create(application=application, message="字" * 1001)
    withdrawn = ApplicationFactory(stage="withdrawn")
    with pytest.raises(ReviewError, match="撤回"):
        review_request_create(application=withdrawn)
    assert not ReviewRequest.objects.exists()


def test_the_lifecycle_open_answered_then_a_new_request(hr_user, django_capture_on_commit_callbacks, mailoutbox):
    application = ApplicationFactory(applicant=ApplicantFactory(email="chen@example.com"), job__title="电商客服专员")
    review = review_request_create(application=application, message="请复核打字测试", language="en")
    with pytest.raises(ReviewError):  # nothing to say is no answer
        review_request_answer(application=application, review_request_id=review.pk, answer="   ", by=hr_user)
    with django_capture_on_commit_callbacks(execute=True):
        review_request_answer(
            application=application,
            review_request_id=review.pk,
            answer="已复核：打字成绩无误，维持原评估。",
            by=hr_user,
        )
    review.refresh_from_db()
    assert (review.status, review.answered_by, review.answer) == (
        "answered",
        hr_user,
        "已复核：打字成绩无误，维持原评估。",
    )
    assert review.answered_at is not None and review.answered_at >= review.created_at
    # e-mailed once, after commit, to the candidate, in the language they asked in
    assert [m.to for m in mailoutbox] == [["chen@example.com"]]
    assert "已复核：打字成绩无误，维持原评估。" in mailoutbox[0].body and "电商客服专员" in mailoutbox[0].subject
    with pytest.raises(ReviewError, match="已经有人答复"):  # a second answer (another tab, a colleague)
        review_request_answer(application=application, review_request_id=review.pk, answer="再答一次", by=hr_user)
    assert ReviewRequest.objects.get().answer == "已复核：打字成绩无误，维持原评估。" and len(mailoutbox) == 1
    again = review_request_create(application=application, message="还有一个问题")  # answered: may ask again
    assert again.status == "open" and ReviewRequest.objects.count() == 2


def test_an_answer_names_a_request_of_the_application_it_is_posted_for(hr_user):
    mine, other = ApplicationFactory(), ApplicationFactory()
    review = review_request_create(application=other)
    with pytest.raises(ReviewError):
        review_request_answer(application=mine, review_request_id=review.pk, answer="答复", by=hr_user)
    assert ReviewRequest.objects.get().status == "open"


def test_only_a_person_answers():
    from django.contrib.auth.models import AnonymousUser

    application = ApplicationFactory()
    review = review_request_create(application=application)
    for nobody in (None, AnonymousUser()):
        with pytest.raises(ReviewError):
            review_request_answer(application=application, review_request_id=review.pk, answer="答复", by=nobody)


# -- while a request is open, nothing in bulk or automatic decides the application ---------------------------------
@pytest.fixture
def job():
    checklist = ChecklistFactory()
    RequirementFactory(
        checklist=checklist, knockout=True, condition={"kind": "education_at_least", "level": "senior_high"}
    )
    job = JobFactory(checklists=[checklist])
    for name in ("李娟", "孙丽"):  # both fail the knockout: "reject" recommended
        ApplicationFactory(job=job, applicant=ApplicantFactory(name=name), profile={"education": "junior_middle"})
    applications_score(application_ids=list(Application.objects.values_list("pk", flat=True)))
    return job


def test_reject_all_recommended_leaves_an_application_under_review_alone(hr_client, hr_user, job):
    asked = Application.objects.get(applicant__name="李娟")
    review_request_create(application=asked, message="我是中专学历，等同高中")
    page = hr_client.get(reverse("hr:job_reject_recommended", args=[job.slug]))
    html = page.content.decode()
    assert "系统建议淘汰 1 人" in html and "另有 1 份建议淘汰的申请，候选人申请了人工复核" in html
    # even were the page's list forged to include it, the service's locking read skips it
    shown = ",".join(f"{a.pk}:applied" for a in Application.objects.all())
    hr_client.post(
        reverse("hr:job_bulk", args=[job.slug]),
        {"action": "reject_recommended", "reason": "knockout", "confirm": "yes", "shown": shown},
    )
    stages = dict(Application.objects.values_list("applicant__name", "stage"))
    assert stages == {"李娟": "applied", "孙丽": "rejected"}


def test_a_bulk_rejection_skips_it_but_a_decision_on_its_own_page_stands(hr_user, job):
    asked = Application.objects.get(applicant__name="李娟")
    review_request_create(application=asked)
    moved = decisions.applications_decide_ids(
        applications=Application.objects.filter(job=job), to_stage="rejected", by=hr_user, reason="knockout"
    )
    assert moved == [Application.objects.get(applicant__name="孙丽").pk]
    assert decisions.applications_decide_ids(  # moving on is not what a review protects against
        applications=Application.objects.filter(pk=asked.pk), to_stage="interview", by=hr_user
    ) == [asked.pk]
    decisions.application_decide(application=asked, to_stage="rejected", by=hr_user, reason="knockout")
    assert Application.objects.get(pk=asked.pk).stage == "rejected"  # a person, on the application itself


def test_the_retention_purge_keeps_an_application_under_review_until_answered(settings, hr_user):
    settings.RETENTION_UNDECIDED_DAYS = 30
    kept, gone = ApplicationFactory(), ApplicationFactory()
    review = review_request_create(application=kept)
    old = timezone.now() - timedelta(days=31)
    Application.objects.filter(pk__in=[kept.pk, gone.pk]).update(updated_at=old)
    purge_expired()
    assert list(Application.objects.values_list("pk", flat=True)) == [kept.pk]
    review_request_answer(application=kept, review_request_id=review.pk, answer="已复核", by=hr_user)
    purge_expired()
    assert not Application.objects.exists() and not ReviewRequest.objects.exists()
