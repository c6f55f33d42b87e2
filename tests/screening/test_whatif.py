"""The what-if preview of a checklist change (issue 12, item 6): the edited form, unsaved, scored on the stored
profiles of every job using the checklist; moves between advance / review / reject, with the requirement that
moved each application shown; nothing saved, nothing rescored."""

import json

import pytest
from django.urls import reverse

from screening import services
from screening.models import Application, AuditEvent, Checklist, Evaluation, JobChecklist, Requirement
from screening.signals import revision_bumps_paused
from tests.conftest import wait_for
from tests.factories import ApplicationFactory, ChecklistFactory, JobFactory, RequirementFactory

EDU = {"kind": "education_at_least", "level": "senior_high"}
BACHELOR = {"kind": "education_at_least", "level": "bachelor"}
EXP = {"kind": "experience_at_least", "field": "customer_service", "years": 1}


def _form(checklist, requirements, **changed):
    """The admin change form as a browser posts it: every requirement inline, `changed` replacing the fields
    of one (by code) as the admin typed them."""
    data = {
        "slug": checklist.slug, "name": checklist.name, "description": "", "source": "",
        "requirements-TOTAL_FORMS": str(len(requirements)), "requirements-INITIAL_FORMS": str(len(requirements)),
        "requirements-MIN_NUM_FORMS": "0", "requirements-MAX_NUM_FORMS": "1000",
        "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
        "chat_scenarios-TOTAL_FORMS": "0", "chat_scenarios-INITIAL_FORMS": "0",
        "chat_scenarios-MIN_NUM_FORMS": "0", "chat_scenarios-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, r in enumerate(requirements):
        fields = {
            "id": str(r.pk), "checklist": str(checklist.pk), "code": r.code, "title": r.title,
            "category": r.category, "description": r.description, "condition": json.dumps(r.condition),
            "weight": str(r.weight), "order": str(r.order), **({"knockout": "on"} if r.knockout else {}),
        }  # fmt: skip
        fields.update(changed.get(r.code, {}))
        data.update({f"requirements-{i}-{k}": v for k, v in fields.items()})
    return data


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


@pytest.fixture
def published():
    """(task name, args) of every message sent to the broker, seen through Celery's before_task_publish."""
    from celery.signals import before_task_publish

    sent = []

    def record(sender=None, body=None, **kwargs):
        sent.append((sender, list(body[0])))

    before_task_publish.connect(record)
    yield sent
    before_task_publish.disconnect(record)


def _people(job, profiles: dict[str, dict]) -> dict[str, Application]:
    return {name: ApplicationFactory(job=job, applicant__name=name, profile=p) for name, p in profiles.items()}


@pytest.fixture
def two_jobs():
    """A knockout education requirement (weight 2) in one checklist, customer-service experience (weight 1) in
    another; one job screens by both (threshold 70), one by the first only (threshold 60)."""
    basic = ChecklistFactory(slug="basic")
    edu = RequirementFactory(checklist=basic, code="edu", title="学历", condition=EDU, knockout=True, weight=2)
    experience = ChecklistFactory(slug="experience")
    RequirementFactory(checklist=experience, code="exp", title="客服经验", condition=EXP)
    both = JobFactory(title="售前客服", checklists=[basic, experience], advance_threshold=70)
    lone = JobFactory(title="售后客服", checklists=[basic], advance_threshold=60)
    two_years = {"customer_service": 2}
    people = _people(
        both,
        {
            "甲": {"education": "bachelor", "experience": two_years},  # 100 advance → 100 advance
            "乙": {"education": "senior_high", "experience": two_years},  # 100 advance → 33.3 reject
            "丙": {"education": "junior_college", "experience": {"customer_service": 0}},  # 66.7 review → 0 reject
            "丁": {"experience": two_years},  # education unknown: 33.3 review → 33.3 review
            "戊": {"education": "junior_middle", "experience": two_years},  # 33.3 reject → 33.3 reject
        },
    )
    people |= _people(lone, {"己": {"education": "senior_high"}, "庚": {"education": "master"}})
    gone = _people(both, {"辛": {"education": "senior_high", "experience": two_years}})["辛"]
    Application.objects.filter(pk=gone.pk).update(stage=Application.Stage.WITHDRAWN)  # not a current application
    services.applications_score(application_ids=[a.pk for a in [*people.values(), gone]])
    return basic, edu, both, lone, people


def _stored(job_ids):
    return sorted(
        Evaluation.objects.filter(application__job__in=job_ids).values_list(
            "application_id", "score", "recommendation", "revisions", "evaluated_at"
        )
    )


@pytest.mark.django_db
def test_raising_education_to_bachelor_previews_the_moves_and_saves_nothing(
    admin_client, two_jobs, published, django_capture_on_commit_callbacks
):
    basic, edu, both, lone, people = two_jobs
    revision, stored = Checklist.objects.get(pk=basic.pk).revision, _stored([both, lone])
    form = _form(basic, [edu], edu={"condition": json.dumps(BACHELOR)})
    url = reverse("admin:screening_checklist_preview", args=[basic.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(url, {**form, "_preview": "1"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith(f"/admin/screening/checklist/{basic.pk}/preview/")

    # nothing saved, nothing asked of the worker
    assert Checklist.objects.get(pk=basic.pk).revision == revision
    assert Requirement.objects.get(pk=edu.pk).condition == EDU
    assert _stored([both, lone]) == stored
    assert callbacks == [] and published == []

    jobs = {job["title"]: job for job in response.context["jobs"]}
    # rows: before advance / review / reject; columns: after
    assert jobs["售前客服"]["matrix"] == [[1, 0, 1], [0, 1, 1], [0, 0, 1]]
    assert jobs["售前客服"]["total"] == 5  # the withdrawn application is not counted
    assert (jobs["售前客服"]["mean_before"], jobs["售前客服"]["mean_after"]) == (66.7, 40.0)
    assert jobs["售后客服"]["matrix"] == [[1, 0, 1], [0, 0, 0], [0, 0, 0]]
    assert (jobs["售后客服"]["mean_before"], jobs["售后客服"]["mean_after"]) == (100.0, 50.0)

    moves = {(m["before"], m["after"]): m for m in jobs["售前客服"]["moves"]}
    assert set(moves) == {("advance", "reject"), ("review", "reject")}
    [moved] = moves["advance", "reject"]["applications"]
    assert (moved["name"], moved["before"], moved["after"]) == ("乙", 100.0, 33.3)
    [change] = moved["changes"]  # the experience requirement of the other checklist did not change
    assert {k: change[k] for k in ("code", "title", "knockout", "status_before", "status_after")} == {
        "code": "edu", "title": "学历", "knockout": True, "status_before": "met", "status_after": "not_met"
    }  # fmt: skip
    assert moves["advance", "reject"]["reasons"] == [("学历", 1)]
    assert [a["name"] for a in moves["review", "reject"]["applications"]] == ["丙"]
    [lone_move] = jobs["售后客服"]["moves"]
    assert [a["name"] for a in lone_move["applications"]] == ["己"]

    html = response.content.decode()
    assert "whatif-matrix" in html and "乙" in html and "学历" in html and "满足 → 不满足" in html
    assert "甲" not in html  # did not move: not shown

    # one access-log line per job shown, with ids, never names
    events = AuditEvent.objects.filter(action=AuditEvent.Action.PREVIEW_CHECKLIST)
    assert {(e.job_id, tuple(e.detail["applications"])) for e in events} == {
        (both.pk, (people["乙"].pk, people["丙"].pk)),
        (lone.pk, (people["己"].pk,)),
    }
    assert "乙" not in json.dumps([e.detail for e in events], ensure_ascii=False)

    # the hook does see what a save publishes: the same form saved asks for the rescore
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_client.post(reverse("admin:screening_checklist_change", args=[basic.pk]), form)
    assert saved.status_code == 302
    assert published == [("screening.tasks.rescore_checklist", [basic.pk, False])]


@pytest.mark.django_db
def test_a_new_requirement_in_the_form_is_previewed_too(admin_client, two_jobs):
    basic, edu, both, _lone, _people = two_jobs
    form = _form(basic, [edu])
    added = {
        "checklist": str(basic.pk), "code": "exp5", "title": "五年经验", "category": "experience", "description": "",
        "condition": json.dumps({**EXP, "years": 5}), "weight": "1", "order": "1", "knockout": "on",
    }  # fmt: skip
    form.update({"requirements-TOTAL_FORMS": "2", **{f"requirements-1-{k}": v for k, v in added.items()}})
    url = reverse("admin:screening_checklist_preview", args=[basic.pk])
    response = admin_client.post(url, form, follow=True)
    jobs = {job["title"]: job for job in response.context["jobs"]}
    assert jobs["售前客服"]["matrix"] == [[0, 0, 2], [0, 0, 2], [0, 0, 1]]  # nobody has five years
    assert not Requirement.objects.filter(code="exp5").exists()


@pytest.mark.django_db
def test_invalid_edits_show_the_form_errors_and_compute_nothing(admin_client, two_jobs, monkeypatch):
    from screening.services import preview

    basic, edu, _both, _lone, _people = two_jobs
    started = []
    monkeypatch.setattr(preview, "preview_start", lambda **kwargs: started.append(kwargs))
    typed = '{"kind": "education_at_least", '
    form = _form(basic, [edu], edu={"condition": typed})
    response = admin_client.post(reverse("admin:screening_checklist_preview", args=[basic.pk]), form)
    assert response.status_code == 200  # the change form again, as a failed save shows it
    assert "admin/screening/checklist/change_form.html" in [t.name for t in response.templates]
    requirements = response.context["inline_admin_formsets"][0].formset
    assert requirements.errors == [{"condition": ["输入一个有效的JSON。"]}]
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_requirements-0-condition_error"><li>输入一个有效的JSON。</li></ul>' in html
    # pressing Save on that page saves to the change view, not to the preview
    assert f'action="/admin/screening/checklist/{basic.pk}/change/"' in html
    assert started == [] and not AuditEvent.objects.exists()

    # a condition the engine refuses is refused as a save refuses it
    form = _form(basic, [edu], edu={"condition": json.dumps({"kind": "education_at_least", "level": "college"})})
    response = admin_client.post(reverse("admin:screening_checklist_preview", args=[basic.pk]), form)
    assert response.status_code == 200 and "college" in response.content.decode() and started == []
    assert Requirement.objects.get(pk=edu.pk).condition == EDU


@pytest.mark.django_db
def test_a_preview_is_its_authors_only_and_the_change_form_offers_it(admin_client, two_jobs, django_user_model):
    basic, edu, _both, _lone, _people = two_jobs
    page = admin_client.get(reverse("admin:screening_checklist_change", args=[basic.pk])).content.decode()
    assert f'formaction="/admin/screening/checklist/{basic.pk}/preview/"' in page and "预览修改的影响" in page
    assert page.index('name="_save"') < page.index('name="_preview"')  # Enter in a field still saves
    form = _form(basic, [edu], edu={"condition": json.dumps(BACHELOR)})
    response = admin_client.post(reverse("admin:screening_checklist_preview", args=[basic.pk]), form)
    result_url = response.url
    assert admin_client.get(result_url).status_code == 200
    assert admin_client.get(result_url + "status/").json() == {"state": "done", "done": 7, "total": 7}
    other = ChecklistFactory()
    assert admin_client.get(result_url.replace(f"/{basic.pk}/", f"/{other.pk}/")).status_code == 404
    admin_client.force_login(django_user_model.objects.create_superuser("other", "o@example.com", "pw"))
    assert admin_client.get(result_url).status_code == 404
    assert admin_client.get(result_url + "status/").status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_large_preview_is_scored_by_the_worker_while_the_page_polls(
    celery_worker, client, django_user_model, settings, published
):
    settings.WHATIF_INLINE_LIMIT = 3
    # set up without the signals' rescores: a worker scoring meanwhile would change the evaluations compared below
    with revision_bumps_paused():
        basic = ChecklistFactory(slug="basic")
        edu = RequirementFactory(checklist=basic, code="edu", title="学历", condition=EDU, knockout=True)
    job = JobFactory(title="大促客服")
    JobChecklist.objects.bulk_create([JobChecklist(job=job, checklist=basic)])  # bulk_create sends no post_save
    apps = [ApplicationFactory(job=job, profile={"education": level}) for level in ["senior_high"] * 4 + ["bachelor"]]
    services.applications_score(application_ids=[a.pk for a in apps])
    revision, stored = Checklist.objects.get(pk=basic.pk).revision, _stored([job])
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    assert published == []

    form = _form(basic, [edu], edu={"condition": json.dumps(BACHELOR)})
    response = client.post(reverse("admin:screening_checklist_preview", args=[basic.pk]), form)
    assert response.status_code == 302
    assert [name for name, _args in published] == ["screening.tasks.preview_checklist_change"]
    page = client.get(response.url).content.decode()
    assert "data-preview-status" in page or "whatif-matrix" in page  # polling, or already done
    assert "js/checklist-preview.js" in page or "whatif-matrix" in page

    status = wait_for(lambda: (s := client.get(response.url + "status/").json())["state"] == "done" and s, timeout=20)
    assert status == {"state": "done", "done": 5, "total": 5}
    result = client.get(response.url)
    [report] = result.context["jobs"]
    assert report["matrix"] == [[1, 0, 4], [0, 0, 0], [0, 0, 0]]
    assert "whatif-matrix" in result.content.decode() and "checklist-preview.js" not in result.content.decode()
    assert Checklist.objects.get(pk=basic.pk).revision == revision and _stored([job]) == stored
    assert [name for name, _args in published] == ["screening.tasks.preview_checklist_change"]  # no rescore
