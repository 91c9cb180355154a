"""Notes behind the shared-secrecy gate: written with their purpose, read with a trace."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record_read
from meetings.situations.models import Note, Situation
from meetings.situations.rules import access_for, can_write_note
from meetings.situations.services.consent import SHARING_WITHDRAWN

MAX_NOTE_LENGTH = 4000  # "seulement ce qui est nécessaire"


@transaction.atomic
def note_create(
    *, situation: Situation, author: User, purpose: str, text: str, for_relatives: bool = False
) -> Note:
    access = access_for(author, situation)
    if not access.sharing_allowed:
        raise ValidationError(
            SHARING_WITHDRAWN,
            code="withdrawn",
        )
    if not can_write_note(author, situation):
        raise PermissionDenied
    purpose, text = purpose.strip(), text.strip()
    if not purpose:
        raise ValidationError(_("Dites en quoi ce partage aide la personne."), code="purpose")
    if not text:
        raise ValidationError(_("La note est vide."), code="empty")
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError(
            _("Une note tient en %(max)s caractères : seulement ce qui est nécessaire.")
            % {"max": MAX_NOTE_LENGTH},
            code="too_long",
        )
    return Note.objects.create(
        situation=situation, author=author, purpose=purpose, text=text, for_relatives=for_relatives
    )


def notes_read(*, situation: Situation, reader: User, path: str = "") -> list[Note]:
    """The notes this reader may read — all of them through the gate, those marked for relatives
    otherwise — and one line in the access log for the read."""
    access = access_for(reader, situation)
    notes = situation.notes.select_related("author").filter(purged_at__isnull=True)
    if access.reads_notes:
        shown = list(notes)
    elif access.sees_shared_items and access.sharing_allowed:
        shown = list(notes.filter(for_relatives=True))
    else:
        raise PermissionDenied
    record_read(reader=reader, subject=situation.audit_subject, item="notes", path=path)
    return shown
