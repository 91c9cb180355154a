"""What every health flag shares: the Flag itself, its labels, counting in a subquery, and how
a flag names and links its subject."""

from dataclasses import dataclass, field

from django.db.models import IntegerField, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.kinds import policy_for
from meetings.models import MeetingStatus

HELD = [MeetingStatus.HELD, MeetingStatus.CLOSED]


@dataclass(frozen=True)
class Flag:
    """One thing a coordinator should look at: what (code), about what (subject_key, the identity
    a dismissal keeps), in words, where to act, and the figures behind it (label, value)."""

    code: str
    subject_key: str
    message: str
    url: str
    figures: tuple[tuple[str, str], ...] = field(default=())

    @property
    def label(self) -> str:
        return str(LABELS[self.code])


class SubqueryCount(Subquery):
    """The number of rows of a queryset, as a correlated subquery (0 when none)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) count_of)"
    output_field = IntegerField()


def count_of(queryset) -> SubqueryCount:
    return SubqueryCount(queryset.order_by().values("pk"))


def subject_name(kind: str, title: str, group_name: str | None, *, series_id: int | None = None) -> str:
    """A series or meeting named for a coordinator: its group, or its title when its kind is open
    to the network; a confidential kind's title may name a person, so only its kind is said (and
    a series' number, to tell two apart)."""
    label = str(policy_for(kind).label)
    if group_name:
        return f"{label} — {group_name}"
    if not policy_for(kind).is_confidential:
        return title
    return _("%(kind)s (série n° %(n)s)") % {"kind": label, "n": series_id} if series_id else label


def series_url(group_id: int | None, meeting_id: int) -> str:
    """A series has no page: its group's page, else its last held session's."""
    if group_id:
        return reverse("meetings:group", args=[group_id])
    return reverse("meetings:meeting", args=[meeting_id])


def meeting_url(meeting_id: int) -> str:
    return reverse("meetings:meeting", args=[meeting_id])


LABELS = {
    "unprepared": gettext_lazy("Réunion non préparée"),
    "unclosed": gettext_lazy("Réunion à clôturer"),
    "low_attendance": gettext_lazy("Série désertée"),
    "no_results": gettext_lazy("Série sans décision"),
    "overlap": gettext_lazy("Séries à fusionner ?"),
    "low_usefulness": gettext_lazy("Série jugée peu utile"),
    "absences": gettext_lazy("Absences répétées"),
    "accreditation": gettext_lazy("Accréditation en danger"),
}
CODES = tuple(LABELS)
