"""The Redis cache backend: values, and the change notices of the page cache."""

import pytest
import redis

from newsroom.cache import FailSoftRedisCache as RedisCache

REDIS_URL = "redis://127.0.0.1:6379/9"
# The same Redis database as tests/test_cache.py: on the same parallel worker.
pytestmark = pytest.mark.xdist_group("redis")


def redis_is_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_a_notice_reaches_a_subscriber():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": "backend-test"})
    subscription = backend.subscribe("changes")
    assert subscription.get_message(timeout=1)["type"] == "subscribe"

    assert backend.publish("changes") == 1

    assert subscription.get_message(timeout=1)["type"] == "message"
    subscription.close()


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
