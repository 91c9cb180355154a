"""Demo data for meeting load, one story per module, each quiet (no e-mail) and idempotent:

- demo_personal: Claire (`medecin@…`) over budget last month, with an overlap and her own travel
  time to the hospital;
- demo_reviews: a series of the demo facilitator due for its yearly review;
- demo_health: what the coordinator's network view flags — a declining group, two groups that
  gather the same people.
"""

from meetings.load.demo_health import seed_health
from meetings.load.demo_personal import seed_personal
from meetings.load.demo_reviews import seed_reviews


def seed(network) -> None:
    seed_personal(network)
    seed_health(network)
    seed_reviews(network)
