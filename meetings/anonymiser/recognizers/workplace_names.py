"""The patterns of a workplace's name, shared by the rules that find one (workplaces.py,
companies.py): capitalised words with their links, an optional article before them."""

# The name: capitalised words (initials, acronyms and hyphenated words included), linked by the
# small words of French and Dutch names, with a number after a word ("Athénée Royal 2", "École
# n° 7"); at most eight words, on one line.
CAPITALISED = r"\p{Lu}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*"
_LINK_WORDS = r"de la|de|du|des|d['’]|van de|van der|van den|van|der|den|ter|ten|&|op|aan"
_LINK = rf"(?:[ \u00a0]+(?:{_LINK_WORDS})[ \u00a0]*|[ \u00a0]+)"
_NUMBER = r"[ \u00a0]+(?:n[°o][ \u00a0]?)?\d{1,3}(?![\p{N}\p{L}])"
_LOWERCASE_NAMES = r"bpost"  # employers that write their name in lower case
NAME = (
    rf"(?:{_LOWERCASE_NAMES}|{CAPITALISED}(?:{_LINK}{CAPITALISED}|{_NUMBER}){{0,7}})"
    r"(?![\p{L}\p{N}])"
)
ARTICLE = r"(?:l['’]|le[ \u00a0]+|la[ \u00a0]+|les[ \u00a0]+|het[ \u00a0]+|de[ \u00a0]+|'t[ \u00a0]+)"
S = r"[ \u00a0]+"  # a space between words
# A name in quotes: « Les Jardins », "De Linde".
OPENING_QUOTE = r"(?:[«\"“„][ \u00a0]*)?"


def alternatives(words: str) -> str:
    """ "a, b c" → "b c|a": comma-separated words, the longer first, for a regex alternation."""
    return "|".join(sorted((w.strip() for w in words.split(",")), key=len, reverse=True))
