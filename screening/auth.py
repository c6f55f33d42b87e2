"""Login throttling per account, beside django-axes' lockout per client address (AXES_LOCKOUT_PARAMETERS)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django_ratelimit.core import get_usage


def username_attempts(request, username: str, *, increment: bool) -> dict | None:
    """django-ratelimit's count of login attempts on `username`, from any address, in this LOGIN_USERNAME_RATE
    window (a minute by default)."""
    return get_usage(
        request,
        group="login-username",
        key=lambda _group, _request: username,
        rate=settings.LOGIN_USERNAME_RATE,
        increment=increment,
    )


class UsernameThrottleBackend:
    """After LOGIN_USERNAME_RATE attempts on one account (from however many addresses), refuses further attempts
    on it until the window ends. It only slows: nobody can keep an account shut for longer than a minute past
    their last attempt, and each refused attempt still counts as a failure of the address it came from, which
    axes locks out after AXES_FAILURE_LIMIT of them. Placed after axes' backend and before ModelBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        usage = username_attempts(request, username, increment=True)
        if usage is not None and usage["should_limit"]:
            request.login_throttled = True  # locked_out.html says "this account, a minute"
            request.axes_locked_out = True  # AxesMiddleware answers with the lockout page (429)
            raise PermissionDenied  # authenticate() stops here and reports a failed login (axes counts it)
        return None
