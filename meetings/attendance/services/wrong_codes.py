"""How many wrong codes someone may type: the short codes read aloud or off paper (the check-in
code of the room, the printed certificate code) cannot hold off guessing by their length alone
(DESIGN.md, privacy rule 5), so wrong tries are counted in the shared cache.

A key's counter starts at its first wrong code and lasts a quarter of an hour; after
MAX_WRONG_CODES wrong codes, the key is refused until it expires. Right codes are not counted:
whoever checks many genuine certificates is never held up.
"""

from datetime import timedelta

from django.core.cache import cache

MAX_WRONG_CODES = 5
WRONG_CODE_WINDOW = timedelta(minutes=15)


def too_many_wrong_codes(key: str) -> bool:
    return cache.get(key, 0) >= MAX_WRONG_CODES


def count_wrong_code(key: str) -> None:
    cache.add(key, 0, timeout=WRONG_CODE_WINDOW.total_seconds())
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=WRONG_CODE_WINDOW.total_seconds())
