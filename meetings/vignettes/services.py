"""Case vignettes: write, check for identifying details, share with the meeting's participants
for a while, then forget (DESIGN.md, privacy rules 1, 2, 3 and 6).

- Only kinds whose policy allows written case material take vignettes (never a Balint group).
- Sharing needs every finding of the anonymiser resolved (replaced, or kept with a reason), the
  author's list of names always applied, and the author's explicit confirmation.
- A shared vignette is readable by the participants who have not declined, from sharing until
  N days after the meeting (the group's setting, 7 by default); every read is logged.
- Then, or when the author withdraws it, its text is purged; a tombstone and the read log remain.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.services import record_read, subject_key
from meetings import anonymiser
from meetings.models import Meeting
from meetings.vignettes import queries, rules
from meetings.vignettes.models import Vignette, VignetteRead, VignetteStatus, retention_end

UNSHARED_TITLE = "—"
SHORT_TEXT_LENGTH = 120  # a title, an author's own replacement


def names_list(raw: str) -> list[str]:
    """ "Sylvie Verstraeten, Kevin ; Dr Mertens" → three names (lines, commas or semicolons)."""
    return [name.strip() for name in re.split(r"[\n,;]+", raw or "") if name.strip()]


def check_can_write(user: User, meeting: Meeting, now: datetime | None = None) -> None:
    policy = meeting.policy
    if not policy.written_case_material:
        raise ValidationError(policy.no_vignette_reason or _("Ce type de réunion ne prend pas de vignette."))
    if not rules.is_vignette_participant(user, meeting):
        raise PermissionDenied(_("Seuls les participants de la réunion écrivent des vignettes pour elle."))
    if not meeting.is_editable:
        raise ValidationError(_("Cette réunion est annulée ou clôturée."), code="not_open")
    if meeting.end <= (now or timezone.now()):
        raise ValidationError(
            _("La réunion a eu lieu : les vignettes se partagent avant la séance."), code="late"
        )


def _check_author(vignette: Vignette, user: User) -> None:
    if not rules.is_vignette_author(user, vignette):
        raise PermissionDenied(_("Seul l'auteur ou l'autrice modifie sa vignette."))


def _check_draft(vignette: Vignette) -> None:
    if vignette.status != VignetteStatus.DRAFT:
        raise ValidationError(
            _("Cette vignette est %(status)s : elle ne se modifie plus.")
            % {"status": vignette.get_status_display()},
            code="not_draft",
        )


@transaction.atomic
def vignette_create(*, meeting: Meeting, author: User, title: str, text: str, names: str = "") -> Vignette:
    check_can_write(author, meeting)
    return Vignette.objects.create(
        meeting=meeting,
        author=author,
        title=_clean_title(title),
        text=_clean_text(text),
        names_to_remove="\n".join(names_list(names)),
    )


def vignette_update(*, vignette: Vignette, by: User, title: str, text: str, names: str = "") -> Vignette:
    _check_author(vignette, by)
    _check_draft(vignette)
    vignette.title = _clean_title(title)
    vignette.text = _clean_text(text)
    vignette.names_to_remove = "\n".join(names_list(names))
    vignette.save(update_fields=["title", "text", "names_to_remove", "updated_at"])
    return vignette


def _clean_text(text: str) -> str:
    """The text as the anonymiser reads it; one it refuses (empty, too long) is a ValidationError
    with the anonymiser's message."""
    try:
        return anonymiser.clean_text(text)
    except anonymiser.TextRefused as error:
        raise ValidationError(error.message, code=error.code) from error


def clean_short_text(text: str) -> str:
    """A title or a replacement as it is stored: one line, without the control and invisible
    characters that could hide a name from the anonymiser (a zero-width space inside a surname),
    at most 120 characters."""
    return " ".join(anonymiser.INVISIBLE.sub("", text or "").split())[:SHORT_TEXT_LENGTH]


def _clean_title(title: str) -> str:
    title = clean_short_text(title)
    if not title:
        raise ValidationError(_("Donnez un titre à la vignette."), code="title")
    return title


# Checking


def open_findings(vignette: Vignette, kept_terms: list[str] | None = None) -> list[anonymiser.Finding]:
    """What still needs a decision: every finding except the passages kept with a reason. The
    words kept in the vignette's network (KeptTerm) are not findings: one query, unless the
    caller read them already (kept_terms)."""
    if kept_terms is None:
        kept_terms = queries.kept_terms_for(vignette)
    kept = {(k["kind"], k["text"]) for k in vignette.kept}
    return [
        f
        for f in anonymiser.find(
            vignette.text,
            names_list(vignette.names_to_remove),
            keep=kept_terms,
            today=timezone.localdate(),
        )
        if f.is_listed or (f.kind, f.text) not in kept
    ]


def language_recognised(vignette: Vignette) -> bool:
    """Whether the text is French or Dutch, the languages whose rules find names: in any other,
    only what does not depend on a language (numbers, addresses, dates) is found reliably."""
    return anonymiser.language_of(vignette.text) is not None


@dataclass(frozen=True)
class Decision:
    start: int
    end: int
    keep: bool = False
    replacement: str | None = None  # None: the proposed replacement
    reason: str = ""


STALE = gettext_lazy("Le texte a changé depuis la vérification : vérifiez-le à nouveau.")


@transaction.atomic
def vignette_resolve(*, vignette: Vignette, by: User, decisions: list[Decision]) -> None:
    """Apply the author's decisions to the current findings (one pass of the anonymiser). What is
    left to resolve is what open_findings() returns next."""
    _check_author(vignette, by)
    _check_draft(vignette)
    findings = {(f.start, f.end): f for f in open_findings(vignette)}
    replacements, kept = [], list(vignette.kept)
    if len({(d.start, d.end) for d in decisions}) != len(decisions):
        raise ValidationError(_("Une décision par élément repéré."), code="duplicate")
    for decision in decisions:
        finding = findings.get((decision.start, decision.end))
        if finding is None:
            raise ValidationError(STALE, code="stale")
        if decision.keep:
            if finding.is_listed:
                raise ValidationError(
                    _("« %(text)s » est dans vos noms à retirer : il est toujours remplacé.")
                    % {"text": finding.text},
                    code="listed",
                )
            if not decision.reason.strip():
                raise ValidationError(
                    _("Dites pourquoi vous gardez « %(text)s ».") % {"text": finding.text}, code="reason"
                )
            kept.append({"kind": finding.kind, "text": finding.text, "reason": decision.reason.strip()[:300]})
        else:
            replacement = (
                finding.replacement
                if decision.replacement is None
                else clean_short_text(decision.replacement)
            )
            replacements.append(
                anonymiser.Finding(finding.kind, finding.start, finding.end, finding.text, replacement)
            )
    vignette.text = anonymiser.replace(vignette.text, replacements)
    vignette.kept = kept
    vignette.save(update_fields=["text", "kept", "updated_at"])


# Sharing


@transaction.atomic
def vignette_share(*, vignette: Vignette, by: User, confirmed: bool, now: datetime | None = None) -> Vignette:
    now = now or timezone.now()
    _check_author(vignette, by)
    _check_draft(vignette)
    check_can_write(by, vignette.meeting, now)
    kept_terms = queries.kept_terms_for(vignette)
    if open_findings(vignette, kept_terms):
        raise ValidationError(
            _("Des éléments identifiants restent à traiter : vérifiez l'anonymat avant de partager."),
            code="unresolved",
        )
    in_title = anonymiser.find(vignette.title, names_list(vignette.names_to_remove), keep=kept_terms)
    if in_title:
        raise ValidationError(
            _("Le titre contient « %(text)s » : changez le titre, qui reste visible après l'effacement.")
            % {"text": in_title[0].text},
            code="title",
        )
    if not confirmed:
        raise ValidationError(
            _("Cochez « Je confirme que cette vignette ne permet pas d'identifier la personne »."),
            code="confirm",
        )
    vignette.status = VignetteStatus.SHARED
    vignette.shared_at = now
    vignette.readable_until = retention_end(vignette.meeting)
    vignette.names_to_remove = ""  # the real names are not needed any more
    vignette.save()
    return vignette


def vignette_withdraw(*, vignette: Vignette, by: User, now: datetime | None = None) -> Vignette:
    """Empty the text now; the read log stays, for the author. A draft loses its title too."""
    _check_author(vignette, by)
    forgotten = vignette.has_text and _forget(
        [vignette.pk], was=vignette.status, status=VignetteStatus.WITHDRAWN, now=now or timezone.now()
    )
    if not forgotten:
        raise ValidationError(_("Cette vignette est déjà effacée."), code="gone")
    vignette.refresh_from_db()
    return vignette


# Reading


def vignette_read(*, vignette: Vignette, reader: User) -> str:
    """The text, for someone allowed to read it now; every read by someone else is logged."""
    if not rules.can_read_vignette(reader, vignette):
        raise PermissionDenied(_("Cette vignette n'est pas, ou plus, lisible pour vous."))
    if not rules.is_vignette_author(reader, vignette):
        VignetteRead.objects.create(vignette=vignette, reader=reader)
        # The application's one access log too (privacy rule 6), beside the author's read list.
        record_read(
            reader=reader, subject=subject_key("vignette", vignette.pk), item="vignette", item_id=vignette.pk
        )
    return vignette.text


# Forgetting


def _forget(pks: list[int], *, was: str, status: str, now: datetime) -> int:
    """Empty the text of the vignettes pks that are still `was` (a conditional UPDATE: one
    withdrawn meanwhile stays withdrawn). A draft's title was never checked: it goes too. The
    read log stays. Returns how many were forgotten."""
    wipe = {"text": "", "names_to_remove": "", "kept": [], "status": status, "purged_at": now}
    if was == VignetteStatus.DRAFT:
        wipe["title"] = UNSHARED_TITLE
    return Vignette.objects.filter(pk__in=pks, status=was).update(**wipe, updated_at=now)


def forget_drafts_of(*, author: User, now: datetime) -> int:
    """The author's data is erased: their drafts, which nobody else ever read, are withdrawn
    (text and title gone). Shared vignettes stay their meeting's material until retention ends."""
    drafts = list(
        Vignette.objects.filter(author=author, status=VignetteStatus.DRAFT).values_list("pk", flat=True)
    )
    return (
        _forget(drafts, was=VignetteStatus.DRAFT, status=VignetteStatus.WITHDRAWN, now=now) if drafts else 0
    )


def purge_expired(*, now: datetime | None = None) -> int:
    """Purge the text of every vignette past its time of reading (drafts included). Idempotent."""
    now = now or timezone.now()
    expired = {VignetteStatus.DRAFT: [], VignetteStatus.SHARED: []}
    live = (
        Vignette.objects.filter(status__in=list(expired))
        .select_related("meeting__group")
        .defer("text", "names_to_remove", "kept")  # the dates decide; the case material stays put
    )
    for vignette in live:
        if vignette.effective_until <= now:
            expired[vignette.status].append(vignette.pk)
    return sum(
        _forget(pks, was=was, status=VignetteStatus.PURGED, now=now) for was, pks in expired.items() if pks
    )
