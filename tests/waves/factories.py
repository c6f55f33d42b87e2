from datetime import timedelta

import factory
from django.utils import timezone

from screening.models import Application
from screening.waves.models import Invitation, Session
from tests.factories import ApplicationFactory, JobFactory


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    job = factory.SubFactory(JobFactory)
    kind = Session.Kind.GROUP
    place = "杭州市西湖区文三路 90 号 3 楼"
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=2))
    duration_minutes = 45
    capacity = 6


def invited(job, *, by, name=None, **kwargs) -> Application:
    """An application HR advanced to the interview stage and invited to book."""
    extra = {"applicant__name": name} if name else {}
    application = ApplicationFactory(job=job, stage=Application.Stage.INTERVIEW, **extra, **kwargs)
    Invitation.objects.create(application=application, invited_by=by)
    return application
