from .careers import (
    application_status,
    application_status_data,
    application_status_delete,
    application_status_page,
    application_status_withdraw,
    careers,
    job_applied,
    job_apply,
    job_detail,
    privacy,
)
from .hr import (
    hr_application_detail,
    hr_application_rescore,
    hr_application_resume,
    hr_job_applications,
    hr_job_import,
    hr_job_list,
)

__all__ = [
    "application_status",
    "application_status_data",
    "application_status_page",
    "application_status_delete",
    "application_status_withdraw",
    "careers",
    "hr_application_detail",
    "hr_application_rescore",
    "hr_application_resume",
    "hr_job_applications",
    "hr_job_import",
    "hr_job_list",
    "job_applied",
    "job_apply",
    "job_detail",
    "privacy",
]
