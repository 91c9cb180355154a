import pytest
import time_machine

from tests.factories import PASSWORD, NetworkFactory, OrganisationFactory, UserFactory
from tests.feeds_world import NOW, build_feed_world, feed_path


@pytest.fixture(autouse=True)
def _french_and_clean_cache(settings):
    """Every test starts in French with an empty cache (rate limits are cached)."""
    from django.core.cache import cache

    settings.LANGUAGE_CODE = "fr"
    # Password hashing is deliberately slow; tests check behaviour, not the hash's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """Tasks run in-process, except in integration tests where a real worker takes them."""
    from worker.celery import app

    eager = request.node.get_closest_marker("integration") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


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
