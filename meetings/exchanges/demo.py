def seed(network) -> None:
    return None  # written with the demo
