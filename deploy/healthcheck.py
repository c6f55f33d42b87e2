"""The web container's health check: GET /healthz on this container's gunicorn, healthy only on 200.

Standard library only (the image has no curl). The request names a host from ALLOWED_HOSTS (Django answers
400 to any other) and says it came through TLS (X-Forwarded-Proto, honoured through SECURE_PROXY_SSL_HEADER
or gunicorn's FORWARDED_ALLOW_IPS, which trusts 127.0.0.1 by default): otherwise the production HTTPS
redirect would answer 301 instead of the state. A redirect is not followed: it counts as unhealthy.
"""

import http.client
import os
import sys


def target() -> tuple[str, int, str]:
    port = int(os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[1])
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts else "localhost"  # ".example.com" also allows "example.com"
    return "127.0.0.1", port, "localhost" if host == "*" else host


def main() -> int:
    address, port, host = target()
    conn = http.client.HTTPConnection(address, port, timeout=8)
    try:
        conn.request("GET", "/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        body = response.read(500).decode("utf-8", "replace")
    except OSError as exc:
        print(f"healthz: {exc}")
        return 1
    finally:
        conn.close()
    print(f"healthz: {response.status} {body}")
    return 0 if response.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
