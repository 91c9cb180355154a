"""A feed's body kept in the shared cache (Redis in production) under its version.

The key is the feed's version (its ETag, `versioning.version`): a digest of every row the feed is
made of, with the feed's identity (the person, or the group and whether its subscriber sees its
sessions' details, or the network, or the public feed), the window's day, the language and the
builder's FORMAT. The same version always gives the same body, byte for byte (DTSTAMPs are the
rows' own change times, nothing depends on the request), and any change to what the feed is made
of gives another version, hence another key: a kept body is served only where a client holding
it would be answered 304, and nothing needs to be removed when something changes. Versions no
one asks for any more leave with their lifetime.

Entries are shared by whoever has the same version: a person's subscriptions (one per device),
the members of a group who see the same details, the members of a network. They are reached only
through a token that the database has just found active and whose version is that key.

While the cache is down (concertation.cache answers every read with a miss), every body is built,
as without a cache.
"""

import zlib
from collections.abc import Callable

from django.core.cache import cache

# Longer than the hour calendar applications are asked to wait between two fetches (REFRESH),
# so that an hourly poll finds its body; bounded, so that versions no one asks for leave.
BODY_SECONDS = 6 * 3600
# Bodies are kept compressed: about a ninth of the size (a busy person's 98 kB calendar takes
# 11 kB), for 0.6 ms once when the body is built and 0.06 ms at each fetch.
COMPRESSION = 6


def body_key(etag: str) -> str:
    return f"feed-ics:{etag}"


def kept_body(etag: str, build: Callable[[], bytes]) -> bytes:
    """The body of the feed whose version is ETAG: the one kept in the cache, or BUILD()'s, then
    kept for BODY_SECONDS."""
    key = body_key(etag)
    stored = cache.get(key)
    if stored is not None:
        try:
            return zlib.decompress(stored)
        except (zlib.error, TypeError):
            pass  # not a body this module wrote: built again, and replaced
    body = build()
    cache.set(key, zlib.compress(body, COMPRESSION), BODY_SECONDS)
    return body
