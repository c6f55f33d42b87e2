"""Staff roles as Django groups with model permissions."""

from django.contrib.auth.models import Group, Permission

HR_REVIEWER = "HR reviewer"

HR_PERMISSIONS = [
    "view_job",
    "view_checklist",
    "view_requirement",
    "view_question",
    "view_applicant",
    "view_application",
    "add_application",
    "change_application",
    "view_evaluation",
    "view_chatscenario",
]


def ensure_roles() -> Group:
    group, _ = Group.objects.get_or_create(name=HR_REVIEWER)
    group.permissions.set(Permission.objects.filter(content_type__app_label="screening", codename__in=HR_PERMISSIONS))
    return group
