"""The language every recogniser reads, and the score it gives what it finds."""

LANGUAGE = "fr"
SCORE = 0.9
