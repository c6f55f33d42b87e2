"""Who is asking: the client's address, the key of every per-client limit.

One function for all of them: django-ratelimit's "ip" key (RATELIMIT_IP_META_KEY points here), django-axes'
login lockout (AXES_CLIENT_IP_CALLABLE) and the résumés kept for a retry.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def client_address(request) -> str:
    """REMOTE_ADDR, or behind a reverse proxy the header named by CLIENT_IP_META_KEY, which the proxy sets to the
    one client address. An IPv6 client counts as its /64: one subscriber gets a whole /64 to pick addresses from."""
    name = settings.CLIENT_IP_META_KEY
    value = request.META.get(name, "").strip()
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} holds no client address ({value[:60]!r}): behind a reverse proxy, set RATELIMIT_IP_META_KEY "
            "to the header the proxy sets to the client's address (e.g. HTTP_X_REAL_IP)"
        ) from None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def login_client_address(request) -> str | None:
    """For django-axes: the client address, or None for a login made in code (Client.force_login, a shell), whose
    request is no HTTP request at all."""
    if request.method is None:
        return None
    return client_address(request)
