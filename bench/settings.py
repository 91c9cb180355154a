"""Settings of the load test's web processes (bench/load.py): the project's own, read from the
same environment, plus one page that exists only here — the floor.

Nothing in the product serves it: the URLconf below is named only by this module, which only
the load test uses as DJANGO_SETTINGS_MODULE.
"""

from concertation.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
