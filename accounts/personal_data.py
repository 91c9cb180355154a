"""Everything the application holds about one person, gathered from every app, and how it is erased.

Accounts owns the registry because every app sits above it (accounts ← meetings ← capability
apps): each app registers its section from its `AppConfig.ready()` with `register()`, and accounts
never imports them. A section is

- an export function `(user, *, confidential) -> dict | list` returning JSON-ready data (dates,
  decimals and lazy strings are encoded by DjangoJSONEncoder). CONFIDENTIAL is True in the
  person's own copy: it then holds what the app's rules let that person read (a meeting's title,
  the text of a vignette still readable, a situation's pseudonym). The administrator's copy
  (False) holds what the admin pages show — identity, roles, kinds, dates, statuses and figures —
  and no title, text or pseudonym: nobody reads above the rules, not even to hand a person their
  data (DESIGN.md, privacy rule 8);
- optionally an erasure step `(user, *, now) -> None`, run by `accounts.services.erase_person`
  in its transaction, before the account itself loses its name and address (a step may still
  read them). Steps replace or empty what is the person's and keep other people's records and
  the figures (attendance, totals); each is idempotent, so that erasing twice changes nothing.

Sections come out in the order they were registered (INSTALLED_APPS order).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

ExportFunction = Callable[..., dict | list]
EraseFunction = Callable[..., None]

FORMAT = "concertation.personal-data"
VERSION = 1


@dataclass(frozen=True)
class Section:
    name: str
    export: ExportFunction
    erase: EraseFunction | None = None


_sections: dict[str, Section] = {}


def register(section: str, function: ExportFunction, *, erase: EraseFunction | None = None) -> None:
    """Add SECTION to every export (FUNCTION makes it) and, with ERASE, a step to every erasure.
    Registering a section again replaces it (ready() may run twice in tests)."""
    _sections[section] = Section(name=section, export=function, erase=erase)


def sections() -> list[Section]:
    return list(_sections.values())


def withheld(reason: str) -> dict:
    """What a section says in the administrator's copy when all of it is reserved by the rules."""
    return {"withheld": reason}


def export(user, *, confidential: bool = True, now: datetime | None = None) -> dict:
    """The whole export of USER: one entry per section. CONFIDENTIAL: the person's own copy."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": now or timezone.now(),
        "copy": "person" if confidential else "administrator",
        "person": user.pk,
        "sections": {section.name: section.export(user, confidential=confidential) for section in sections()},
    }


def erase(user, *, now: datetime) -> None:
    """Run every registered erasure step for USER (inside the caller's transaction)."""
    for section in sections():
        if section.erase is not None:
            section.erase(user, now=now)


def attachment(user, *, confidential: bool, filename: str):
    """The export of USER as a JSON file to download, kept by no cache on the way."""
    body = json.dumps(
        export(user, confidential=confidential), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response
