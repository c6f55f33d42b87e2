"""The domain's tables, one module per part of it; every model is importable from here (as Django expects)."""

from .applications import (
    Applicant,
    Application,
    Consent,
    Evaluation,
    Note,
    RejectionReason,
    StageChange,
    StatusLink,
    contact_keys,
    resume_path,
    same_contact,
)
from .audit import AuditEvent
from .base import TimeStamped, in_english, tr
from .checklists import ChatScenario, Checklist, ChecklistRevision, Question, Requirement
from .fairness import VoluntarySelfId
from .jobs import Job, JobChecklist
from .pool import PoolInvitation, PoolOffer, TalentPoolEntry
from .reviews import ReviewRequest
from .sourcing import ReferralLink
from .worksamples import ChatSession

__all__ = [
    "in_english",
    "tr",
    "Applicant",
    "Application",
    "AuditEvent",
    "ChatScenario",
    "ChatSession",
    "Checklist",
    "ChecklistRevision",
    "Consent",
    "Evaluation",
    "Job",
    "JobChecklist",
    "Note",
    "PoolInvitation",
    "PoolOffer",
    "Question",
    "ReferralLink",
    "RejectionReason",
    "Requirement",
    "ReviewRequest",
    "StageChange",
    "StatusLink",
    "TalentPoolEntry",
    "TimeStamped",
    "VoluntarySelfId",
    "contact_keys",
    "resume_path",
    "same_contact",
]
