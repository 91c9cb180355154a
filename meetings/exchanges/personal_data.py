def export(user) -> dict:
    return {}


def erase(user) -> None:
    return None
