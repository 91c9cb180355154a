"""Meeting load's writes: budgets and travel (budgets.py), the yearly review of series
(reviews.py), dismissed health flags (flags.py)."""
