"""Text normalisation shared by search and matching."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case TEXT and strip its accents, so that "sante" matches "Santé"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
