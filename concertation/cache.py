"""The shared cache on Redis, which the application can do without.

Nothing kept in the cache is needed to answer: rate-limit counters, feed bodies and their dates,
TOTP codes already used. When Redis cannot be reached, TolerantRedisCache behaves as a cache that
accepts every write and forgets it at once: reads miss, `add` succeeds, `incr` counts from zero.
Pages, logins and feeds then answer as without a cache; rate limits do not hold until Redis is
back (django-allauth's limiter takes a lock with `add` and would refuse every login otherwise),
and a TOTP code could be used twice within its 30 seconds. E-mails do not depend on it: they
wait in the outbox (the database) until the broker is back.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# Short socket timeouts, so that an unreachable host (packets dropped rather than refused) costs
# a request about a second per cache operation rather than the system's minutes.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


def _tolerant(method, fallback):
    """METHOD of Django's client, answering FALLBACK(*its arguments) when Redis fails."""

    @functools.wraps(method)
    def tolerant(client, *args, **kwargs):
        try:
            result = method(client, *args, **kwargs)
        except RedisError as exc:
            if not client.unavailable:
                log.warning("cache unavailable (%s: %s); carrying on without it", method.__name__, exc)
            client.unavailable = True
            return fallback(*args, **kwargs)
        if client.unavailable:
            log.warning("cache reachable again")
            client.unavailable = False
        return result

    return tolerant


class TolerantRedisCacheClient(RedisCacheClient):
    """Django's Redis client, as a cache that has just forgotten everything while Redis fails.
    One warning when Redis goes away, one when it is back (per process and thread)."""

    unavailable = False

    add = _tolerant(RedisCacheClient.add, lambda key, value, timeout: True)
    get = _tolerant(RedisCacheClient.get, lambda key, default: default)
    set = _tolerant(RedisCacheClient.set, lambda key, value, timeout: None)
    touch = _tolerant(RedisCacheClient.touch, lambda key, timeout: False)
    delete = _tolerant(RedisCacheClient.delete, lambda key: False)
    get_many = _tolerant(RedisCacheClient.get_many, lambda keys: {})
    has_key = _tolerant(RedisCacheClient.has_key, lambda key: False)
    # A key missing from a cache that answers is still a ValueError (Django's contract).
    incr = _tolerant(RedisCacheClient.incr, lambda key, delta: delta)
    set_many = _tolerant(RedisCacheClient.set_many, lambda data, timeout: None)
    delete_many = _tolerant(RedisCacheClient.delete_many, lambda keys: None)
    clear = _tolerant(RedisCacheClient.clear, lambda: False)


class TolerantRedisCache(RedisCache):
    """For CACHES' BACKEND: Django's RedisCache, skipped while Redis is down. OPTIONS given in
    the settings come on top of DEFAULT_OPTIONS."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
        self._options = {**DEFAULT_OPTIONS, **self._options}
