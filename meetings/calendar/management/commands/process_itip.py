import sys

from django.core.management.base import BaseCommand

from meetings.calendar.services.replies import MAX_REPLY_BYTES, ReplyError, apply_reply


class Command(BaseCommand):
    help = (
        "Apply an iTIP REPLY (a raw .ics or a whole e-mail, 256 KB at most; '-' reads stdin). "
        "An e-mail's From must be the attendee who answers. Exit 1 when nothing applies."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .ics or .eml file, or - for stdin")

    def handle(self, *args, file: str, **options):
        # One byte more than a reply may have is enough to refuse a larger input unread.
        data = sys.stdin.buffer.read(MAX_REPLY_BYTES + 1) if file == "-" else self._read(file)
        try:
            result = apply_reply(data)
        except ReplyError as exc:
            self.stderr.write(f"Nothing changed: {exc}")
            sys.exit(1)
        for line in result.changes:
            self.stdout.write(line)

    def _read(self, path: str) -> bytes:
        try:
            with open(path, "rb") as handle:
                return handle.read(MAX_REPLY_BYTES + 1)
        except OSError as exc:
            self.stderr.write(f"Nothing changed: cannot read {path} ({exc.strerror})")
            sys.exit(1)
