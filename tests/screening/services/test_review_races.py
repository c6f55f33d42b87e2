"""A review request and a bulk rejection racing each other in two real transactions (see test_decision_races)."""

import pytest

from screening.models import Application, ReviewRequest
from screening.services.decisions import applications_decide_ids
from screening.services.reviews import review_request_create
from tests.factories import ApplicationFactory
from tests.screening.services.test_decision_races import loaded, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_bulk_rejection_waiting_for_a_review_request_leaves_the_application_alone(hr_user):
    asked, other = ApplicationFactory(), ApplicationFactory()

    def reject_both():
        return applications_decide_ids(
            applications=Application.objects.filter(pk__in=[asked.pk, other.pk]),
            to_stage="rejected",
            by=hr_user,
            reason="knockout",
        )

    _a, b, waited = race(lambda: review_request_create(application=loaded(asked.pk), message="请复核"), reject_both)
    assert waited and b.error is None
    assert b.result == [other.pk]
    assert dict(Application.objects.values_list("pk", "stage")) == {asked.pk: "applied", other.pk: "rejected"}
    assert ReviewRequest.objects.get().status == "open"
