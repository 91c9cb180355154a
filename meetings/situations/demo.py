"""Demo situation (being written)."""


def seed(network) -> None:
    return None
