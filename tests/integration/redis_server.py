"""A Redis server of the test's own, on a free port, that the test stops and starts at will.

Other processes on the machine (other test runs, a developer's server) keep using theirs: only
the test's cache, its Celery app and the workers it starts are pointed at this one.
"""

import subprocess
import time

import redis

from tests.smtp import free_port


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def up(self) -> bool:
        try:
            with redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2) as client:
                return bool(client.ping())
        except redis.RedisError:
            return False

    def start(self) -> "PrivateRedis":
        # Nothing persisted: after a restart the broker's queues are empty, as after a crash.
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.up():
            assert self.process.poll() is None, "redis-server exited during start-up"
            assert time.monotonic() < deadline, "redis-server did not answer within 10 seconds"
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """SIGKILL: Redis goes away as in a crash, without a word to its clients."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        assert not self.up()


def point_celery_at(url: str) -> str:
    """Make the tests' Celery app publish to URL; returns the URL it published to before."""
    from worker.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = url
    # The app keeps its connections and producers in pools made for the former URL, and its
    # control mailbox (ping, purge) keeps the producer pool (as Celery drops it after a fork).
    # They stay open in kombu's registry of pools by URL, where the app finds them if it comes back.
    app._pool = None
    app.amqp._producer_pool = None
    app.control.mailbox.__dict__.pop("producer_pool", None)
    return previous
