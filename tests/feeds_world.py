"""Meetings around one professional (`world.users["member"]`) for the calendar feed tests.

Built on tests/world.py at a fixed moment (NOW, mid-January 2026), so that the feed's 90-day
window and both changes of time (29 March and 25 October 2026) fall on known dates:

- "Groupe du jeudi" (intervision, member active): a series every other Thursday at 12:30 that
  started in June 2025, before the window; one session moved across the spring change of time,
  one cancelled, one with another place;
- "Réunions du réseau" (thematic series with a COUNT, member invited to the whole series); the
  member declined one session;
- the Balint group of tests/world.py (member active): one session renamed after a person, with an
  agenda naming her;
- a supervision group the member is not in, whose one session the member is invited to alone;
- single meetings: the concertation "Situation de Madame Verstraeten" (invited), a cancelled
  "vis ma vie" exchange (invited), one declined, one draft the member organises, one that ended
  a hundred days ago and one that ended eighty days ago (both invited).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.urls import reverse

from meetings.kinds import POLICIES, Membership
from meetings.models import AgendaItem, Invitation, Meeting, MeetingStatus, PartStat, Series
from meetings.recurrence import BRUSSELS, local_start
from meetings.services import invitations as inv
from meetings.services.groups import charter_accept, group_create
from meetings.services.meetings import meeting_cancel, meeting_create, meeting_update
from meetings.services.series import series_create

NOW = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
# A window spanning both changes of time of 2026, inside the feed's past and the series' horizon.
WINDOW = (datetime(2025, 11, 1, tzinfo=BRUSSELS), datetime(2026, 12, 31, tzinfo=BRUSSELS))

SECRET_TITLE = "Situation de Madame Verstraeten"
SECRET_PURPOSE = "Madame Verstraeten, 84 ans, sort de l'hôpital Érasme"
BALINT_AGENDA = "Le fils de Mme Verstraeten refuse l'aide à domicile"
BALINT_RENAMED = "Séance sur Madame Verstraeten"
SUPERVISION_TITLE = "Supervision : l'équipe face à la situation de M. Dubois"
SECRETS = [SECRET_TITLE, SECRET_PURPOSE, BALINT_AGENDA, BALINT_RENAMED, SUPERVISION_TITLE, "Verstraeten"]
INTERVISION_NAME = "Groupe du jeudi"
THEMATIC_SERIES_TITLE = "Réunions du réseau"
THEMATIC_PURPOSE = "Faire le point sur le logement d'abord."


def kind_where(**attributes) -> str:
    """The one kind whose policy has ATTRIBUTES (tests, like the code, go through policies)."""
    (kind,) = [
        k for k, p in POLICIES.items() if all(getattr(p, name) == value for name, value in attributes.items())
    ]
    return kind


# Kinds named by what their policy says, not by name.
INTERVISION = kind_where(runs_as_group=True, requires_agenda=True)
SUPERVISION = kind_where(runs_as_group=True, requires_agenda=False, written_case_material=True)
THEMATIC = kind_where(membership=Membership.OPEN_TO_NETWORK)
CONCERTATION = kind_where(invites_person_and_relatives=True)
EXCHANGE = kind_where(membership=Membership.INVITED_ONLY, invites_person_and_relatives=False)


@dataclass
class FeedWorld:
    world: object
    member: object
    intervision: object
    intervision_series: Series
    moved: Meeting
    cancelled_occurrence: Meeting
    relocated: Meeting
    thematic_series: Series
    declined_occurrence: Meeting
    balint_series: Series
    renamed_balint: Meeting
    supervision_series: Series
    lone_occurrence: Meeting
    concertation: Meeting
    cancelled_single: Meeting
    declined_single: Meeting
    draft: Meeting
    too_old: Meeting
    recent_past: Meeting


def _single(world, kind, title, start, *, organiser=None, purpose="Objet.", place="Maison médicale"):
    return meeting_create(
        network=world.network,
        kind=kind,
        title=title,
        start=start,
        end=start + timedelta(hours=1),
        organiser=organiser or world.users["facilitator"],
        purpose=purpose,
        place=place,
    )


def build_feed_world(world) -> FeedWorld:
    users = world.users
    member = users["member"]
    intervision = group_create(
        network=world.network,
        kind=INTERVISION,
        name=INTERVISION_NAME,
        facilitators=[users["facilitator"]],
        members=[member],
        charter="Ce qui se dit ici reste ici.",
        by=users["coordinator"],
    )
    charter_accept(group=intervision, user=member)
    intervision_series = series_create(
        network=world.network,
        kind=INTERVISION,
        group=intervision,
        title=INTERVISION_NAME,
        dtstart=local_start(datetime(2025, 6, 5).date(), time(12, 30)),
        duration=timedelta(minutes=90),
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        organiser=users["facilitator"],
        place="Maison médicale du Peterbos",
    )
    sessions = list(intervision_series.occurrences.filter(start__gte=WINDOW[0]).order_by("start"))
    # The session of 26 March 2026 (winter time) moves to Tuesday 31 March (summer time).
    moved = next(s for s in sessions if s.start.astimezone(BRUSSELS).date() == datetime(2026, 3, 26).date())
    moved_to = local_start(datetime(2026, 3, 31).date(), time(12, 30))
    moved = meeting_update(
        meeting=moved, changes={"start": moved_to, "end": moved_to + timedelta(minutes=90)}
    )
    cancelled_occurrence = meeting_cancel(meeting=sessions[3])
    relocated = meeting_update(meeting=sessions[5], changes={"place": "CPAS, salle 2"})

    thematic_series = series_create(
        network=world.network,
        kind=THEMATIC,
        title=THEMATIC_SERIES_TITLE,
        dtstart=local_start(datetime(2025, 9, 10).date(), time(9, 0)),
        duration=timedelta(hours=2),
        rrule="FREQ=MONTHLY;BYDAY=+2WE;COUNT=14",
        organiser=users["coordinator"],
        purpose=THEMATIC_PURPOSE,
        place="CPAS d'Anderlecht",
    )
    inv.invite_to_series(series=thematic_series, invitees=[inv.invitee_for(member)], now=WINDOW[0])
    declined_occurrence = thematic_series.occurrences.filter(start__gte=NOW).order_by("start")[2]
    inv.answer(target=declined_occurrence.invitations.get(user=member), partstat=PartStat.DECLINED)

    balint_series = world.session.series
    renamed_balint = balint_series.occurrences.order_by("start")[1]
    renamed_balint = meeting_update(
        meeting=renamed_balint,
        changes={"title": BALINT_RENAMED},
        agenda=[{"title": BALINT_AGENDA}],
    )

    supervision = group_create(
        network=world.network,
        kind=SUPERVISION,
        name="Supervision de l'équipe mobile",
        facilitators=[users["facilitator"]],
        members=[users["outsider"]],
        by=users["coordinator"],
    )
    supervision_series = series_create(
        network=world.network,
        kind=SUPERVISION,
        group=supervision,
        title=SUPERVISION_TITLE,
        dtstart=local_start(datetime(2026, 2, 2).date(), time(9, 30)),
        duration=timedelta(hours=2),
        rrule="FREQ=MONTHLY;BYDAY=+1MO",
        organiser=users["facilitator"],
        place="Antenne Le Passage",
    )
    lone_occurrence = supervision_series.occurrences.order_by("start")[2]
    inv.invite_to_meeting(meeting=lone_occurrence, invitees=[inv.invitee_for(member)])

    day = NOW.astimezone(BRUSSELS).date()
    concertation = _single(
        world,
        CONCERTATION,
        SECRET_TITLE,
        local_start(day + timedelta(days=20), time(14, 0)),
        purpose=SECRET_PURPOSE,
    )
    AgendaItem.objects.create(meeting=concertation, title="Retour à domicile de Mme Verstraeten")
    cancelled_single = _single(
        world, EXCHANGE, "Vis ma vie au CPAS", local_start(day + timedelta(days=30), time(9, 0))
    )
    declined_single = _single(
        world, EXCHANGE, "Vis ma vie à l'hôpital", local_start(day + timedelta(days=40), time(9, 0))
    )
    too_old = _single(
        world, EXCHANGE, "Vis ma vie ancien", local_start(day - timedelta(days=100), time(9, 0))
    )
    recent_past = _single(
        world, EXCHANGE, "Vis ma vie récent", local_start(day - timedelta(days=80), time(9, 0))
    )
    for meeting in (concertation, cancelled_single, declined_single, too_old, recent_past):
        inv.invite_to_meeting(meeting=meeting, invitees=[inv.invitee_for(member)])
    cancelled_single = meeting_cancel(meeting=cancelled_single)
    inv.answer(target=declined_single.invitations.get(user=member), partstat=PartStat.DECLINED)
    draft = meeting_create(
        network=world.network,
        kind=EXCHANGE,
        title="Brouillon de vis ma vie",
        start=local_start(day + timedelta(days=50), time(9, 0)),
        end=local_start(day + timedelta(days=50), time(17, 0)),
        organiser=member,
        purpose="À préciser.",
        draft=True,
    )
    return FeedWorld(
        world=world,
        member=member,
        intervision=intervision,
        intervision_series=intervision_series,
        moved=moved,
        cancelled_occurrence=cancelled_occurrence,
        relocated=relocated,
        thematic_series=thematic_series,
        declined_occurrence=declined_occurrence,
        balint_series=balint_series,
        renamed_balint=renamed_balint,
        supervision_series=supervision_series,
        lone_occurrence=lone_occurrence,
        concertation=concertation,
        cancelled_single=cancelled_single,
        declined_single=declined_single,
        draft=draft,
        too_old=too_old,
        recent_past=recent_past,
    )


def expected_personal_occurrences(fw: FeedWorld, start: datetime, end: datetime) -> set[tuple[str, datetime]]:
    """What the member's feed must give between START and END, read from the database directly:
    (UID, start in UTC) of every meeting taking place, by the rules stated in the module's docstring."""
    declined = Invitation.objects.filter(user=fw.member, partstat=PartStat.DECLINED).values("meeting_id")
    taking_place = (
        Meeting.objects.filter(start__gte=start, start__lt=end)
        .exclude(status=MeetingStatus.DRAFT)
        .exclude(pk__in=declined)
    )
    whole_series = taking_place.filter(
        series__in=[fw.intervision_series, fw.thematic_series, fw.balint_series]
    ).exclude(status=MeetingStatus.CANCELLED)
    singles = taking_place.filter(series__isnull=True, invitations__user=fw.member)
    lone = taking_place.filter(pk=fw.lone_occurrence.pk)
    return {(m.uid, m.start.astimezone(UTC)) for m in [*whole_series, *singles, *lone]}


def feed_path(token: str) -> str:
    return reverse("calendar:feed", args=[token])


def public_feed_path(network, *, by) -> str:
    """Publish NETWORK's public feed, as its coordinator BY: the path of its address."""
    from meetings.calendar.services.public_feeds import public_feed_publish, public_feed_token

    feed = public_feed_publish(network=network, by=by)
    return reverse("calendar:network_feed", args=[public_feed_token(feed)])
