import pytest
import time_machine

from tests import clock
from tests.factories import PASSWORD, NetworkFactory, OrganisationFactory, UserFactory
from tests.feeds_world import NOW, build_feed_world, feed_path

_machine_ahead = None


def pytest_configure(config):
    """With TEST_CLOCK_AHEAD_DAYS, the whole run lives that many days ahead (tests/clock.py)."""
    global _machine_ahead
    _machine_ahead = clock.machine_ahead()
    if _machine_ahead:
        clock.start_ticking(_machine_ahead)


def pytest_unconfigure(config):
    if _machine_ahead:
        _machine_ahead.stop()


def pytest_report_header(config):
    days = clock.ahead_days()
    ahead = f"; outside the tests, {days} days ahead of the machine" if days else ""
    return f"clock: every test starts at {clock.FIXED_NOW.isoformat()}{ahead}"


@pytest.fixture(autouse=True)
def _fixed_clock(request):
    """Every test runs from tests.clock.FIXED_NOW, ticking, unless it is marked `real_clock`."""
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    with clock.fixed():
        yield


def _on_redis() -> bool:
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


@pytest.fixture(scope="session", autouse=True)
def _cache_keys_of_this_worker(worker_id):
    """Parallel workers (pytest-xdist) share REDIS_URL's database: each keeps its keys under its
    own prefix, so that one worker's rate limits and cached feeds are not another's."""
    from django.conf import settings
    from django.test import override_settings

    if worker_id == "master" or not _on_redis():
        yield
        return
    with override_settings(CACHES={"default": {**settings.CACHES["default"], "KEY_PREFIX": worker_id}}):
        yield


def _clear_cache() -> None:
    """Empties this worker's cache. On Redis, only its own keys: a FLUSHDB would empty the other
    workers' caches, and the Celery broker's queues, under their running tests."""
    from django.conf import settings
    from django.core.cache import cache

    if not _on_redis():
        cache.clear()
        return
    import redis

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    with redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]) as client:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)


@pytest.fixture(autouse=True)
def _french_and_clean_cache(settings):
    """Every test starts in French with an empty cache (rate limits are cached)."""
    settings.LANGUAGE_CODE = "fr"
    # Password hashing is deliberately slow; tests check behaviour, not the hash's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _clear_cache()
    yield
    _clear_cache()


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """Tasks run in-process, except in integration tests where a real worker takes them."""
    from worker.celery import app

    eager = request.node.get_closest_marker("integration") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo with every page's objects, once for a module (tests/queries.py)."""
    from tests.queries import demo_fixture

    yield from demo_fixture(tmp_path_factory, django_db_blocker)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def coordinator(db):
    return UserFactory(email="coord@example.test", first_name="Nadia", last_name="Coordination")


@pytest.fixture
def network(coordinator):
    return NetworkFactory(name="Coordination test", coordinators=[coordinator])


@pytest.fixture
def member_organisation(network):
    organisation = OrganisationFactory(name="Service de santé mentale Les Tilleuls", kind="mental_health")
    network.organisations.add(organisation)
    return organisation


@pytest.fixture
def world(db):
    from tests.world import build_world

    return build_world()


@pytest.fixture
def travel():
    """The clock stopped at tests.feeds_world.NOW (mid-January 2026)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def feed_world(db, travel):
    """tests/world.py plus the meetings of tests/feeds_world.py, built at NOW."""
    from tests.world import build_world

    return build_feed_world(build_world())


@pytest.fixture
def member_feed(feed_world):
    """A personal feed of feed_world's member: (subscription, path)."""
    from meetings.calendar.services.subscriptions import subscription_create

    subscription, token = subscription_create(user=feed_world.member, label="Téléphone")
    return subscription, feed_path(token)
