"""Who calls: a bearer token of an ApiClient; what it may do: its scopes; how often: its rate limit."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from .models import TOKEN_PREFIX, ApiClient, token_hash


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer kfp_…`. The client's own user is request.user (its decisions and access-log lines
    name it), the client is request.auth."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2 or len(header[1]) > 200:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确"), code="invalid_token")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确"), code="invalid_token") from None
        client = None
        if token.startswith(TOKEN_PREFIX):
            client = ApiClient.objects.select_related("user").filter(token_hash=token_hash(token)).first()
        if client is None:
            raise exceptions.AuthenticationFailed(_("令牌无效"), code="invalid_token")
        if client.revoked:
            raise exceptions.AuthenticationFailed(_("令牌已被吊销"), code="token_revoked")
        if not client.usable():
            raise exceptions.AuthenticationFailed(_("令牌已过期"), code="token_expired")
        now = timezone.now()
        if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:  # a write a minute at most
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return client.user, client

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "kfp_… token of an API client"}


class HasScope(permissions.BasePermission):
    """The view's `required_scopes[method]` (default: read) must be among the client's scopes."""

    message = _("这个令牌没有执行该操作的权限")

    def has_permission(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return False
        scope = getattr(view, "required_scopes", {}).get(request.method, ApiClient.Scope.READ)
        return client.allows(scope)


class ClientRateThrottle(throttling.BaseThrottle):
    """API_RATE requests per client (django-ratelimit, counted in the Redis cache, keyed by the client's id)."""

    def allow_request(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return True  # refused by authentication anyway
        return not is_ratelimited(
            request, group="api", key=lambda _group, _request: f"client:{client.pk}", rate=settings.API_RATE,
            increment=True,
        )  # fmt: skip

    def wait(self):
        return 60
