import pytest
import time_machine

from tests.feeds_world import NOW, build_feed_world, feed_path


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
