"""Writes: everything that changes the database in more than one step, by part of the domain.

The public functions of applications and scoring are importable from here (services.application_submit);
decisions, importing, preview, retention and reviews are used as modules (services.decisions.application_decide).
"""

from .applications import (
    ApplicationDraft,
    ResultsRefused,
    applicant_find_or_create,
    application_by_status_token,
    application_by_token_hash,
    application_create,
    application_delete,
    application_export,
    application_find_existing,
    application_issue_status_token,
    application_send_existing_link,
    application_submit,
    application_withdraw,
    status_token_hash,
)
from .scoring import (
    application_enqueue_scoring,
    application_score,
    application_start_scoring_attempt,
    applications_request_scoring,
    applications_score,
    checklist_bump_revision,
    checklist_record_revision,
    checklist_request_rescore,
    job_request_rescore,
    unscored_application_ids,
)

__all__ = [
    "ApplicationDraft",
    "ResultsRefused",
    "application_create",
    "applicant_find_or_create",
    "application_by_status_token",
    "application_by_token_hash",
    "application_delete",
    "application_enqueue_scoring",
    "application_export",
    "application_find_existing",
    "application_issue_status_token",
    "application_score",
    "application_send_existing_link",
    "application_start_scoring_attempt",
    "application_submit",
    "application_withdraw",
    "applications_score",
    "checklist_bump_revision",
    "checklist_record_revision",
    "checklist_request_rescore",
    "applications_request_scoring",
    "job_request_rescore",
    "status_token_hash",
    "unscored_application_ids",
]
