"""Django's Redis cache, keeping one client per connection pool.

The stock backend builds a new `redis.Redis` object for every cache call, and
building one costs more than the round trip to Redis itself (it fills a table
of a few hundred response callbacks). The client is thread-safe and only wraps
the pool, so one per pool is kept and reused.
"""

from django.core.cache.backends import redis as django_redis


class ReusingRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
