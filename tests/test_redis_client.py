"""The Redis cache backend reuses its client instead of building one per call."""

import pytest
import redis

from newsroom.cache import FailSoftRedisCache as RedisCache

REDIS_URL = "redis://127.0.0.1:6379/9"


def redis_is_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


def test_the_backend_hands_out_one_client_per_pool():
    backend = RedisCache(REDIS_URL, {})
    first = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is first
    assert backend._cache.get_client("c", write=True) is first


@pytest.mark.skipif(
    not redis_is_up(),
    reason="needs a Redis server on 127.0.0.1:6379 (apt-get install redis-server)",
)
def test_the_backend_stores_and_reads_values():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": "backend-test"})
    backend.set("answer", {"value": 42}, 30)
    assert backend.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    backend.delete("answer")
    assert backend.get("answer") is None
