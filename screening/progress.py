"""Progress of background rescoring, kept in the Redis cache (shown by the admin).

Each run has its own counters; `name` points at the latest run, so chunks of an earlier run that
are still finishing never count towards (or reset) the one the admin is watching.
"""

from django.core.cache import cache
from django.utils.crypto import get_random_string

TTL = 24 * 3600


def _keys(run: str) -> tuple[str, str]:
    return f"progress:{run}:total", f"progress:{run}:done"


def start(name: str, total: int) -> str:
    """Begin a run of `total` items; returns the run's key for advance()."""
    run = f"{name}:{get_random_string(8)}"
    total_key, done_key = _keys(run)
    cache.set_many({total_key: total, done_key: 0, f"progress:{name}:current": run}, timeout=TTL)
    return run


def advance(run: str, n: int) -> None:
    _total_key, done_key = _keys(run)
    try:
        cache.incr(done_key, n)
    except ValueError:  # expired: nothing to report on
        pass


def forget(name: str) -> None:
    cache.delete(f"progress:{name}:current")


def read(name: str) -> tuple[int, int] | None:
    """(done, total) of the latest run, or None before any (or after forget)."""
    run = cache.get(f"progress:{name}:current")
    if run is None:
        return None
    total_key, done_key = _keys(run)
    values = cache.get_many([total_key, done_key])
    if total_key not in values:
        return None
    return min(values.get(done_key, 0), values[total_key]), values[total_key]


def checklist_key(checklist_id: int) -> str:
    return f"checklist:{checklist_id}"
