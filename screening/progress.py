"""Progress of background rescoring, kept in the Redis cache (shown by the admin)."""

from django.core.cache import cache

TTL = 24 * 3600


def _keys(name: str) -> tuple[str, str]:
    return f"progress:{name}:total", f"progress:{name}:done"


def start(name: str, total: int) -> None:
    total_key, done_key = _keys(name)
    cache.set_many({total_key: total, done_key: 0}, timeout=TTL)


def advance(name: str, n: int) -> None:
    _total_key, done_key = _keys(name)
    try:
        cache.incr(done_key, n)
    except ValueError:  # expired or never started: nothing to report on
        pass


def forget(name: str) -> None:
    cache.delete_many(list(_keys(name)))


def read(name: str) -> tuple[int, int] | None:
    total_key, done_key = _keys(name)
    values = cache.get_many([total_key, done_key])
    if total_key not in values:
        return None
    return values.get(done_key, 0), values[total_key]


def checklist_key(checklist_id: int) -> str:
    return f"checklist:{checklist_id}"
