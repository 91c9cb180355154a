"""After the recognisers: the names found grown over the adjacent name words, the names listed
with them, and every other mention of their words in the text."""

from collections.abc import Container, Iterable

from meetings.anonymiser.languages import DUTCH
from meetings.anonymiser.recognizers.tokens import NameWords, _adjacent, _after_title, _gap, is_title
from meetings.anonymiser.replacements import area_of_place, fold

# After the recognisers: what a name found tells about the words around it.


def extend_names(
    text: str, spans: Iterable[tuple[int, int]], lexicon: Container[str]
) -> list[tuple[int, int]]:
    """Each name span grown over the adjacent words that are names too: spaCy's "Sylvie" becomes
    "Sylvie Verstraeten", a first name found alone takes the surname in capitals before it."""
    words = NameWords.of(text, lexicon)
    tokens = words.tokens
    grown = []
    reach = (-1, -1)  # the last span grown: a span inside it would grow the same way again
    for start, end in sorted(spans):
        if reach[0] <= start and end <= reach[1]:
            continue  # without this, a long run of names cost the square of its length
        inside = words.within(start, end)
        if not inside:
            grown.append((start, end))
            continue
        first, last = inside[0], inside[-1]
        while last + 1 < len(tokens) and _adjacent(text, tokens[last], tokens[last + 1]):
            nxt = tokens[last + 1]
            after_first_name = words.is_first_name(tokens[last])
            if words.is_unknown_name(nxt) or (after_first_name and words.could_be_name(nxt)):
                last += 1
            elif (
                words.is_particle(nxt) and last + 2 < len(tokens) and words.is_unknown_name(tokens[last + 2])
            ):
                last += 2
            else:
                break
        while first > 0 and _adjacent(text, tokens[first - 1], tokens[first]):
            previous = tokens[first - 1]
            if (
                (words.is_unknown_name(previous) and not is_title(previous))
                or _dutch_name_word(words, previous)
                or (previous.capitalised and words.is_particle(previous))
            ):
                first -= 1
            elif (
                words.is_particle(previous)
                and first > 1
                and _adjacent(text, tokens[first - 2], previous)
                and tokens[first - 2].capitalised
                and words.is_particle(tokens[first - 2])
            ):  # "Van den" Bossche
                first -= 2
            elif is_title(previous) and _after_title(text, previous, tokens[first]):
                first -= 1
                break
            else:
                break
        grown.append((min(start, tokens[first].start), max(end, tokens[last].end)))
        reach = grown[-1]
    return grown


def _dutch_name_word(words: NameWords, token) -> bool:
    """In Dutch, a capitalised word inside a sentence right before a name is part of it, however
    common the word ("Robin Verstraeten", "Roos Peeters"): Dutch nouns are written in lower case."""
    return (
        not token.sentence_start
        and words.language_at(token.start) == DUTCH
        and words.could_be_name(token)
        and not is_title(token)
    )


def coordinated_names(
    text: str, spans: Iterable[tuple[int, int]], lexicon: Container[str]
) -> list[tuple[int, int]]:
    """Names listed with a name found: "Malika et Sevara", "Karim, Bertrand en Tuncay"."""
    words = NameWords.of(text, lexicon)
    tokens = words.tokens
    found = set()
    names = {i for start, end in spans for i in words.within(start, end)}
    changed = True
    while changed:
        changed = False
        for i in sorted(names):
            for j in (i - 1, i + 1):
                if not 0 <= j < len(tokens) or j in names:
                    continue
                left, right = (tokens[j], tokens[i]) if j < i else (tokens[i], tokens[j])
                gap = _gap(text, left, right).strip(" \u00a0")
                neighbour = tokens[j]
                if gap not in (",", "et", "en") or not words.could_be_name(neighbour):
                    continue
                if words.is_unknown_name(neighbour) or words.is_first_name(neighbour):
                    names.add(j)
                    found.add((neighbour.start, neighbour.end))
                    changed = True
    return sorted(found)


def name_words_of(
    text: str, spans: Iterable[tuple[int, int]], lexicon: Container[str]
) -> tuple[set[str], set[str]]:
    """The words of the names found, to look for elsewhere in the text: those French does not know
    are looked for in any case ("verstraeten"), the others only as written ("Petit")."""
    words = NameWords.of(text, lexicon)
    anywhere, as_written = set(), set()
    for start, end in spans:
        for token in (words.tokens[i] for i in words.within(start, end)):
            if len(token.text) < 2:
                continue
            if is_title(token) or words.is_particle(token) or not (token.capitalised or token.all_capitals):
                continue
            if words.is_protected(token) or area_of_place(token.text) is not None:
                continue
            if words.is_dictionary_word(token) or len(token.text) < 3:
                as_written.add(token.text)
            else:
                anywhere.add(fold(token.text))
    return anywhere, as_written


def other_mentions(
    text: str, anywhere: set[str], as_written: set[str], lexicon: Container[str]
) -> list[tuple[int, int]]:
    """Every other place where a word of a name found appears: a name seen once is a name throughout."""
    words = NameWords.of(text, lexicon)
    return [
        (t.start, t.end)
        for t in words.tokens
        if not words.is_protected(t)
        and (
            fold(t.text) in anywhere
            # A name that is also a French word ("Petit", "Vos") only where it cannot be that word.
            or (t.text in as_written and (not t.sentence_start or words.is_first_name(t)))
        )
    ]
