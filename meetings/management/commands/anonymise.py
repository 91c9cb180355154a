"""Anonymise a vignette from a file or standard input and print the result.

    python manage.py anonymise vignette.txt
    echo "Madame Sylvie Verstraeten, tél. 0475 12 34 56" | python manage.py anonymise --json

With --json: {"anonymised": "...", "language": "fr" | "nl" | null, "findings": [{"kind", "start",
"end", "text", "replacement"}]} (language: of most of the text; null when neither French nor Dutch),
offsets into the text read (after clean_text, which keeps its line ends and only drops control
characters).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meetings import anonymiser


class Command(BaseCommand):
    # call_command("anonymise", stdin=io.StringIO(...)) reads from there instead of sys.stdin.
    stealth_options = ("stdin",)
    help = "Anonymise the text of FILE (or standard input) and print it; --json also lists the findings."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default="-", help="A UTF-8 text file; - or nothing: standard input."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print the anonymised text and the findings as JSON.",
        )
        parser.add_argument(
            "--name",
            action="append",
            default=[],
            dest="names",
            help="A name to remove wherever it appears (repeatable).",
        )

    def handle(self, *args, file, as_json: bool, names: list[str], **options):
        text = self._read(file, options.get("stdin") or sys.stdin)
        try:
            anonymised, findings = anonymiser.anonymise(text, names, today=timezone.localdate())
        except anonymiser.TextRefused as error:
            raise CommandError(error.message) from error
        if as_json:
            self.stdout.write(self._as_json(anonymised, anonymiser.language_of(text), findings))
        else:
            self.stdout.write(anonymised, ending="" if anonymised.endswith("\n") else "\n")

    @staticmethod
    def _read(file: str, stdin) -> str:
        if file == "-":
            return stdin.read()
        try:
            with open(file, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: {error}") from error

    @staticmethod
    def _as_json(anonymised: str, language: str | None, findings: list[anonymiser.Finding]) -> str:
        return json.dumps(
            {
                "anonymised": anonymised,
                "language": language,
                "findings": [
                    {
                        "kind": f.kind,
                        "start": f.start,
                        "end": f.end,
                        "text": f.text,
                        "replacement": f.replacement,
                    }
                    for f in findings
                ],
            },
            ensure_ascii=False,
        )
