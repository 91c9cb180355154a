"""The words of a text as tokens: what the name rules and the words that must stay read."""

import functools
from dataclasses import dataclass

import regex

# Words: letters, with inner hyphens and apostrophes; not the letters of "BE29" or "2e".
WORD = regex.compile(r"(?<!\p{N})\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*(?!\p{N})")
# Elided words before a word: "d'Ahmed", "L'éducatrice"; not the N' of "N'Diaye".
ELISION = regex.compile(
    r"(?:[dljmnstc]|qu|lorsqu|puisqu|jusqu|quoiqu|presqu)['’](?=\p{L})|(?:[DLJMNSTC]|Qu)['’](?=\p{Ll})"
)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    sentence_start: bool  # capitalised because it starts a sentence, a line or a list item

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def all_capitals(self) -> bool:
        return len(self.text) > 1 and self.text.isupper()


# Cached: the recognisers and the anonymiser read the tokens of one text several times.
@functools.lru_cache(maxsize=8)
def tokens_of(text: str) -> tuple[Token, ...]:
    tokens = []
    for match in WORD.finditer(text):
        start, word = match.start(), match.group()
        elided = ELISION.match(word)
        if elided:  # "d'Ahmed": the name is Ahmed
            start, word = start + elided.end(), word[elided.end() :]
        before = text[max(0, start - 12) : start].rstrip(' \t\u00a0«"“(')
        tokens.append(Token(word, start, start + len(word), not before or before[-1] in ".!?:;\n•–-—*/"))
    return tuple(tokens)
