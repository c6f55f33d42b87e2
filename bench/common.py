"""Shared set-up for benchmarks: a database of their own on the same PostgreSQL, Django configured."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_name: str = "portal_bench") -> None:
    """Point Django at `db_name` on the configured (or embedded) PostgreSQL, create and migrate it."""
    from urllib.parse import urlsplit, urlunsplit

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEMO_MODE", "false")
    from config.embedded import read_secret_key, setup_environment

    if setup_environment(ROOT):
        # the servers a benchmark starts may keep their files elsewhere (bench/load.py: VAR_DIR=var/bench-load):
        # they all sign with the key of the stack they run on
        os.environ.setdefault("SECRET_KEY", read_secret_key(Path(os.environ.get("VAR_DIR") or ROOT / "var")))
    parts = urlsplit(os.environ["DATABASE_URL"])
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{db_name}"))
    os.environ["REDIS_BROKER_DB"] = os.environ.get("BENCH_REDIS_BROKER_DB", "4")
    os.environ["REDIS_CACHE_DB"] = os.environ.get("BENCH_REDIS_CACHE_DB", "5")
    _create_database(admin_url, db_name)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _create_database(admin_url: str, name: str) -> None:
    import environ

    from config.embedded import create_database

    cfg = environ.Env.db_url_config(admin_url)
    create_database(
        name,
        user=cfg["USER"],
        password=cfg.get("PASSWORD") or None,
        host=cfg.get("HOST") or cfg.get("OPTIONS", {}).get("host"),
        port=cfg.get("PORT") or None,
    )
