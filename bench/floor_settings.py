"""The load benchmark's gunicorn settings: the product's settings with the floor view's URLconf (bench/floor.py).
Everything else — middleware, database, cache, templates — is config.settings.base unchanged."""

from config.settings.base import *  # noqa: F403 - the product's settings, unchanged

ROOT_URLCONF = "bench.floor"
