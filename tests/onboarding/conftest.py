import pytest

from screening.onboarding.fixtures import onboarding_plans_load
from screening.seed import FIXTURES
from screening.services import decisions
from tests.factories import ApplicationFactory


@pytest.fixture
def plans(db):
    onboarding_plans_load(directory=FIXTURES, update=False)


@pytest.fixture
def hire(plans, hr_user):
    """An application moved to "hired" by HR: its employment, from the default plan."""
    application = ApplicationFactory()
    decisions.application_decide(application=application, to_stage="hired", by=hr_user)
    return application.employment
