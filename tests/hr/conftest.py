from tests.onboarding.conftest import hire, plans  # noqa: F401  (the hire the onboarding pages show)
