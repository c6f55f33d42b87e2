#!/usr/bin/env python
import os
import sys
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    # On a machine with no DATABASE_URL / REDIS_URL, commands that may need a server start (or join) the embedded
    # PostgreSQL and Redis under var/ before the settings are read; it stops when the last process using it exits.
    # `check`, `makemigrations`, `collectstatic` and the other server-free commands never do (EMBEDDED=1 makes them,
    # EMBEDDED=0 stops any command from it). See config/embedded.py: wanted_by.
    import environ

    from config.embedded import setup_environment, wanted_by

    base_dir = Path(__file__).resolve().parent
    environ.Env.read_env(base_dir / ".env", overwrite=False)  # as the settings do: .env may name the servers
    if wanted_by(sys.argv, os.environ):
        setup_environment(base_dir)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
