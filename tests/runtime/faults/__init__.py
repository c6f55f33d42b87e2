"""Helpers of the fault tests (tests/runtime/test_faults.py), run as processes of their own against a private stack."""
