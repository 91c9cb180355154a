"""The vignettes panel of the meeting page: titles of the vignettes this person may open, and
whether they may write one."""

from django.utils import timezone

from accounts.models import User
from meetings.models import Meeting
from meetings.panels import Panel, allowed, meeting_panel
from meetings.vignettes import rules
from meetings.vignettes import services as vignette_services


@meeting_panel(order=10)
def vignette_panel(user: User, meeting: Meeting, *, show_details: bool) -> Panel | None:
    """The meeting's vignettes this person may open (titles only here), and whether they may write one."""
    if not show_details:
        return None
    policy = meeting.policy
    if not policy.written_case_material:
        return Panel("vignettes/_vignettes.html", {"refusal": policy.no_vignette_reason})
    if not rules.is_vignette_participant(user, meeting):
        return None
    now = timezone.now()
    # Readable as the detail page decides: not once the meeting moved earlier or was cancelled.
    # meeting.vignettes gives each the page's meeting (and its group) rather than reading them
    # again; titles only here, not the case material.
    vignettes = meeting.vignettes.select_related("author").defer("text", "names_to_remove", "kept")
    visible = [
        v
        for v in vignettes.order_by("created_at")
        if rules.is_vignette_author(user, v) or rules.is_readable_now(v, now)
    ]
    can_write = allowed(vignette_services.check_can_write, user, meeting, now)
    return Panel("vignettes/_vignettes.html", {"items": visible, "can_write": can_write})
