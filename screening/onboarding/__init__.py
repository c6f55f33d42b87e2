"""After the hire: onboarding plans, the per-hire checklist, the assessments of seed 002's 上岗考核制度, and what
the screening predicted (quality.py, pure)."""
