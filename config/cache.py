"""Django's Redis cache, keeping one client per connection pool.

Django builds a new redis.Redis object for every cache call (RedisCacheClient.get_client); each one fills a
table of about 170 response callbacks, 0.1–0.2 ms of CPU, six times in an application POST (rate limit, form
parts, health). A redis.Redis object is safe to share between threads (it takes a connection from its pool
per command), so one per pool is kept instead. Connections, pools and timeouts are Django's as before.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _OneClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class Cache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool
