"""Which kinds of e-mail exist, and how each renders.

Each app registers its kinds once, from its AppConfig.ready():

    outbox.registry.register("request", render_invitation, label=_("invitation"))

A renderer turns a row into a Django e-mail as things stand when it leaves, or None when there
is nothing to say any more (the meeting is gone, the action is done). It is called in the row's
language; the outbox then addresses the e-mail to the row's recipient and gives it the row's
Message-ID, so a renderer sets neither. CACHE is shared by the rows of one batch, for what they
have in common. An optional `prepare(messages, cache)` runs once per batch with the rows of the
kinds that share it, to read in bulk what their renderers need.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.core.mail import EmailMessage

    from outbox.models import OutboxMessage


class Renderer(Protocol):
    def __call__(self, message: "OutboxMessage", cache: dict) -> "EmailMessage | None": ...


Prepare = Callable[[list["OutboxMessage"], dict], None]


class UnknownKind(ValueError):
    """A message of a kind nobody registered: refused when queued, failed if found in a row."""


@dataclass(frozen=True)
class Kind:
    name: str
    render: Renderer
    label: str
    prepare: Prepare | None = None


_kinds: dict[str, Kind] = {}


def register(kind: str, render: Renderer, *, label: str = "", prepare: Prepare | None = None) -> None:
    """Declare KIND, rendered by RENDER. Registering the same kind again with the same functions
    changes nothing; with others, it is a configuration error (two apps claiming one kind)."""
    entry = Kind(name=str(kind), render=render, label=label or str(kind), prepare=prepare)
    known = _kinds.get(entry.name)
    if known is not None and (known.render, known.prepare) != (render, prepare):
        raise ImproperlyConfigured(f"outbox kind {entry.name!r} is already registered")
    _kinds[entry.name] = entry


def kind(name: str) -> Kind:
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownKind(f"no outbox renderer is registered for the kind {name!r}") from None


def label(name: str) -> str:
    """The kind's name for people (admin, the organiser's list of failed e-mails)."""
    entry = _kinds.get(name)
    return str(entry.label) if entry else name


def kinds() -> list[str]:
    return sorted(_kinds)
