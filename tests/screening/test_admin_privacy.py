"""Admin: sensitive fields stay out of lists, search and forms; checklists that filter on age or collect
health / criminal-record data carry a warning until an admin acknowledges it; the access log is read-only."""

import pytest
from django.urls import reverse

from screening.models import AuditEvent, Checklist
from tests.factories import ApplicantFactory, ApplicationFactory, ChecklistFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def sensitive_checklist():
    checklist = ChecklistFactory(name="夜班客服")
    RequirementFactory(checklist=checklist, code="adult", condition={"kind": "age_between", "min": 18})
    RequirementFactory(
        checklist=checklist, code="no_record", condition={"kind": "declared", "declaration": "no_criminal_record"}
    )
    RequirementFactory(checklist=checklist, code="edu", condition={"kind": "education_at_least", "level": "bachelor"})
    return checklist


def test_a_checklist_filtering_on_age_or_collecting_criminal_records_warns_until_acknowledged(
    admin_client, sensitive_checklist
):
    url = reverse("admin:screening_checklist_change", args=[sensitive_checklist.pk])
    page = admin_client.get(url).content.decode()
    assert "sensitive-warning" in page
    assert "就业促进法" in page and "第28条" in page  # the anti-discrimination and PIPL notes
    assert "adult" in page and "no_record" in page and "edu" not in page.split("sensitive-warning")[1][:2000]
    listing = admin_client.get(reverse("admin:screening_checklist_changelist")).content.decode()
    assert "待确认" in listing

    sensitive_checklist.refresh_from_db()
    revision = sensitive_checklist.revision
    ack = reverse("admin:screening_checklist_acknowledge_sensitive", args=[sensitive_checklist.pk])
    assert admin_client.get(ack).status_code == 403  # only by POST, with CSRF
    shown = ["age:adult", "criminal_record:no_record"]
    assert admin_client.post(ack, {"item": shown}).status_code == 302

    sensitive_checklist.refresh_from_db()
    assert sensitive_checklist.sensitive_acknowledged == ["age:adult", "criminal_record:no_record"]
    assert sensitive_checklist.sensitive_acknowledged_by == admin_client.user
    assert sensitive_checklist.revision == revision  # acknowledging is not an edit: nothing is rescored
    page = admin_client.get(url).content.decode()
    assert "sensitive-warning" not in page and "sensitive-acknowledged" in page
    assert "已确认" in admin_client.get(reverse("admin:screening_checklist_changelist")).content.decode()

    # a new sensitive requirement brings the warning back, for that requirement only
    RequirementFactory(
        checklist=sensitive_checklist, code="healthy", condition={"kind": "declared", "declaration": "good_health"}
    )
    page = admin_client.get(url).content.decode()
    warning = page.split("sensitive-warning")[1]
    assert "healthy" in warning and "no_record" not in warning.split("</section>")[0]


def test_the_warning_is_in_english_on_request(admin_client, sensitive_checklist):
    admin_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = admin_client.get(reverse("admin:screening_checklist_change", args=[sensitive_checklist.pk])).content
    assert b"Employment Promotion Law" in page


def test_a_checklist_without_sensitive_reads_has_no_warning(admin_client):
    checklist = ChecklistFactory()
    RequirementFactory(checklist=checklist)
    page = admin_client.get(reverse("admin:screening_checklist_change", args=[checklist.pk])).content.decode()
    assert "sensitive-warning" not in page


def test_health_and_criminal_record_answers_are_not_in_admin_lists_search_or_forms(admin_client):
    applicant = ApplicantFactory(name="隐私测试")
    application = ApplicationFactory(
        applicant=applicant,
        profile={"education": "bachelor", "declarations": {"no_criminal_record": False, "good_health": False}},
    )
    from screening.services import applications_score

    RequirementFactory(
        checklist=ChecklistFactory(), condition={"kind": "declared", "declaration": "no_criminal_record"}
    )
    applications_score(application_ids=[application.pk])
    change = admin_client.get(reverse("admin:screening_application_change", args=[application.pk])).content.decode()
    assert "bachelor" in change  # the profile is shown…
    assert "no_criminal_record&quot;: false" not in change and '"no_criminal_record": false' not in change
    assert "敏感信息，不在此显示" in change  # …with the sensitive declarations masked
    listing = admin_client.get(reverse("admin:screening_application_changelist")).content.decode()
    assert "隐私测试" in listing and "no_criminal_record" not in listing and "good_health" not in listing
    # search does not reach into the profile: searching for a declaration finds nothing
    found = admin_client.get(reverse("admin:screening_application_changelist"), {"q": "no_criminal_record"})
    assert "隐私测试" not in found.content.decode()


def test_the_access_log_is_read_only_in_admin(admin_client):
    AuditEvent.objects.create(actor=admin_client.user, action=AuditEvent.Action.EXPORT, detail={"rows": 3})
    event = AuditEvent.objects.get()
    listing = admin_client.get(reverse("admin:screening_auditevent_changelist"))
    assert [e.pk for e in listing.context["cl"].result_list] == [event.pk]  # readable: the event is listed
    html = listing.content.decode()
    assert '<td class="field-action">导出</td>' in html  # its action and detail
    assert '<td class="field-detail">{&quot;rows&quot;: 3}</td>' in html
    assert reverse("admin:screening_auditevent_add") not in html
    assert admin_client.get(reverse("admin:screening_auditevent_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:screening_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.count() == 1


def test_checklist_edit_keeps_an_acknowledgement_made_meanwhile(sensitive_checklist, admin_client):
    stale = Checklist.objects.get(pk=sensitive_checklist.pk)
    ack = reverse("admin:screening_checklist_acknowledge_sensitive", args=[sensitive_checklist.pk])
    admin_client.post(ack, {"item": ["age:adult", "criminal_record:no_record"]})
    stale.name = "改名"
    stale.save()
    stale.refresh_from_db()
    assert stale.sensitive_acknowledged  # the stale instance's save did not erase it


def test_an_acknowledgement_covers_only_what_the_admin_was_shown(admin_client, sensitive_checklist):
    url = reverse("admin:screening_checklist_change", args=[sensitive_checklist.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="item" value="age:adult"' in page and 'name="item" value="criminal_record:no_record"' in page
    # another admin adds a health requirement after this page was shown
    RequirementFactory(
        checklist=sensitive_checklist, code="healthy", condition={"kind": "declared", "declaration": "good_health"}
    )
    ack = reverse("admin:screening_checklist_acknowledge_sensitive", args=[sensitive_checklist.pk])
    admin_client.post(ack, {"item": ["age:adult", "criminal_record:no_record", "age:made_up"]})
    sensitive_checklist.refresh_from_db()
    assert sensitive_checklist.sensitive_acknowledged == ["age:adult", "criminal_record:no_record"]
    assert "healthy" in admin_client.get(url).content.decode().split("sensitive-warning")[1]


def test_saving_a_new_age_requirement_inline_asks_for_an_acknowledgement(admin_client):
    from .test_admin import _inline_post

    checklist = ChecklistFactory()
    requirement = RequirementFactory(checklist=checklist)
    data = _inline_post(checklist, requirement, '{"kind": "age_between", "min": 18, "max": 35}')
    data["requirements-0-justification"] = "夜班坐席须年满18岁"  # admin asks why for an age condition (issue 16)
    response = admin_client.post(reverse("admin:screening_checklist_change", args=[checklist.pk]), data, follow=True)
    assert "请打开清单阅读提示并确认" in response.content.decode()
