"""Demo data for meetings, added to the demo network by `seed_demo`.

EXTENSIONS lists functions taking the demo network; each must be idempotent.
"""

EXTENSIONS: list = []
