import factory

from screening.models import Applicant, Application, Checklist, Job, JobChecklist, Requirement


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist

    slug = factory.Sequence(lambda n: f"checklist-{n}")
    name = factory.Sequence(lambda n: f"清单 {n}")


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    checklist = factory.SubFactory(ChecklistFactory)
    code = factory.Sequence(lambda n: f"req_{n}")
    title = factory.Sequence(lambda n: f"要求 {n}")
    condition = factory.LazyFunction(lambda: {"kind": "education_at_least", "level": "senior_high"})


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"job-{n}")
    title = factory.Sequence(lambda n: f"电商客服 {n}")
    location = "杭州"
    status = Job.Status.OPEN

    @factory.post_generation
    def checklists(self, create, extracted, **kwargs):
        for i, checklist in enumerate(extracted or []):
            JobChecklist.objects.create(job=self, checklist=checklist, order=i)


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    name = factory.Sequence(lambda n: f"应聘者{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    applicant = factory.SubFactory(ApplicantFactory)
    job = factory.SubFactory(JobFactory)
    profile = factory.LazyFunction(dict)
