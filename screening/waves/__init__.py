"""Hiring waves: interview and assessment sessions that candidates book themselves, reminders, check-in and
interviewers' scorecards. A domain app of its own (its tables, services and tasks) beside `screening`, read and
written by the careers and HR apps like the rest of the domain."""
