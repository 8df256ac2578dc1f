"""A Redis cache that misses, instead of failing, while Redis is unreachable.

The site uses its cache for speed only (the anonymous page cache, API rate
limits): with Redis down, every read is a miss and every write is dropped, so
pages and API answers come from the database. Failures are logged, at most
once a minute per process.
"""

import functools
import logging
import re
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionError, TimeoutError, OSError)
LOG_EVERY_SECONDS = 60


def fail_soft(on_failure):
    """Make a cache method return `on_failure(*args)` when Redis is unreachable."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._report(method.__name__, error)
                return on_failure(*args, **kwargs)

        return wrapper

    return decorator


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unreachable).")


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, degraded to an empty one while Redis is down.

    It also carries change notices (`publish`, `subscribe`) for the page cache,
    on a client of its own made with redis-py's public API.
    """

    _last_report = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        servers = re.split("[;,]", server) if isinstance(server, str) else server
        # Notices go through the primary (the first server), as writes do.
        self.notice_url = servers[0]
        self.notice_options = {
            name: value
            for name, value in params.get("OPTIONS", {}).items()
            if name.startswith("socket_")
        }

    @functools.cached_property
    def notices(self):
        return redis.Redis.from_url(self.notice_url, **self.notice_options)

    def _report(self, operation, error):
        now = time.monotonic()
        if now - FailSoftRedisCache._last_report >= LOG_EVERY_SECONDS:
            FailSoftRedisCache._last_report = now
            logger.warning(
                "Cache unreachable (%s: %s); serving without it.", operation, error
            )

    @fail_soft(lambda key, default=None, *args, **kwargs: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @fail_soft(lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @fail_soft(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @fail_soft(lambda *args, **kwargs: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @fail_soft(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @fail_soft(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @fail_soft(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @fail_soft(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @fail_soft(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @fail_soft(_missing_key)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @fail_soft(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()

    @fail_soft(lambda *args, **kwargs: 0)
    def publish(self, channel, message=b""):
        """Send `message` to the subscribers of `channel` (named like keys)."""
        return self.notices.publish(self.make_key(channel), message)

    def subscribe(self, channel):
        """Return a redis-py PubSub subscribed to `channel` (named like keys)."""
        subscription = self.notices.pubsub()
        subscription.subscribe(self.make_key(channel))
        return subscription
