"""Vignettes' section of a person's data (accounts.personal_data): the vignettes they wrote —
status and dates, and the text only while it is still readable by them (privacy rule 2: after
its time of reading nobody reads it, its author included), the title too for a draft, whose title
was never checked — and the vignettes they read.
The administrator's copy has the dates and statuses the admin pages show, never a title or a
text (privacy rule 1)."""

from datetime import datetime

from django.utils import timezone

from accounts.models import User
from meetings.vignettes import rules
from meetings.vignettes.models import Vignette, VignetteRead, VignetteStatus
from meetings.vignettes.services import forget_drafts_of


def export(user: User, *, confidential: bool) -> dict:
    now = timezone.now()
    vignettes = Vignette.objects.filter(author=user).select_related("meeting__group").order_by("created_at")
    reads = VignetteRead.objects.filter(reader=user).order_by("read_at")
    written = []
    for v in vignettes:
        entry = {
            "id": v.pk,
            "meeting": v.meeting_id,
            "status": v.status,
            "created_at": v.created_at,
            "shared_at": v.shared_at,
            "readable_until": v.readable_until,
            "purged_at": v.purged_at,
        }
        readable = confidential and rules.can_read_vignette(user, v, now)
        # A shared title passed the anonymity check; a draft's did not, and goes with its text.
        if confidential and (readable or v.status != VignetteStatus.DRAFT):
            entry["title"] = v.title
        if readable:
            entry["text"] = v.text
        written.append(entry)
    return {
        "written": written,
        "read": [{"vignette": r.vignette_id, "read_at": r.read_at} for r in reads],
    }


def erase(user: User, *, now: datetime) -> None:
    forget_drafts_of(author=user, now=now)
