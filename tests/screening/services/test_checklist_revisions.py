"""Each checklist revision keeps a snapshot of what screened people: requirements with their justifications."""

import pytest

from screening.models import Checklist, ChecklistRevision, Requirement
from screening.seed import load_fixtures
from tests.factories import ChecklistFactory, RequirementFactory

pytestmark = pytest.mark.django_db

AGE = {"kind": "age_between", "min": 18}


def _snapshot(checklist):
    checklist.refresh_from_db()
    return ChecklistRevision.objects.get(checklist=checklist, revision=checklist.revision).snapshot


def test_a_change_records_the_new_revision_with_the_justification(django_capture_on_commit_callbacks):
    checklist = ChecklistFactory()
    with django_capture_on_commit_callbacks(execute=False):
        requirement = RequirementFactory(checklist=checklist, code="age", condition=AGE)
        requirement.justification = "夜班坐席须年满18岁（劳动法对未成年工的夜班限制）"
        requirement.save()
    [row] = _snapshot(checklist)["requirements"]
    assert (row["code"], row["condition"], row["justification"]) == (
        "age",
        AGE,
        "夜班坐席须年满18岁（劳动法对未成年工的夜班限制）",
    )
    # the revision before still says what it was: no justification yet
    earlier = ChecklistRevision.objects.get(checklist=checklist, revision=checklist.revision - 1).snapshot
    assert earlier["requirements"][0]["justification"] == ""


def test_deleting_a_checklist_keeps_its_history_and_fails_nothing(django_capture_on_commit_callbacks):
    checklist = ChecklistFactory()
    with django_capture_on_commit_callbacks(execute=False):
        RequirementFactory(checklist=checklist)
        pk = checklist.pk
        checklist.delete()  # its requirements' deletion bumps the revision while the checklist is going
    assert not Requirement.objects.filter(checklist_id=pk).exists()
    assert ChecklistRevision.objects.filter(checklist_id=pk).exists()


def test_a_fresh_fixture_load_records_revision_one_of_each_checklist():
    load_fixtures(jobs=False)
    rows = ChecklistRevision.objects.values_list("checklist__slug", "revision")
    assert {revision for _slug, revision in rows} == {1}
    assert len(rows) == Checklist.objects.count() > 10
