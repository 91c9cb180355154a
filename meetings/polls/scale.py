def seed(*args, **kwargs):
    """Filled below."""
