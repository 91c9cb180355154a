"""A small world for meeting load: one network, one service, people in it, and meetings made
through the meetings services at fixed days around tests.clock.FIXED_NOW (19 November 2026:
"this month" is November, "last month" October)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from meetings.attendance.models import Attendance
from meetings.kinds import Kind
from meetings.models import Invitation, InvitationRole, MeetingStatus, PartStat
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from tests.factories import NetworkFactory, OrganisationFactory, ProfessionalFactory, UserFactory

PLACE = "Rue Haute 12, 1000 Bruxelles"
LAST_MONTH = date(2026, 10, 1)
THIS_MONTH = date(2026, 11, 1)


class People:
    """The network, its coordinator, its service and a way to add members and meetings."""

    def __init__(self, organisation_name: str = "SSM Les Marolles"):
        self.coordinator = UserFactory(email=f"coord-{organisation_name[:3].lower()}@example.test")
        self.organisation = OrganisationFactory(name=organisation_name)
        self.network = NetworkFactory(coordinators=[self.coordinator], organisations=[self.organisation])

    def member(self, *, fte: str = "1.00", budget: str | None = None, email: str | None = None, **fields):
        user = UserFactory(**({"email": email} if email else {}), **fields)
        ProfessionalFactory(
            user=user,
            organisations=[self.organisation],
            fte=Decimal(fte),
            monthly_meeting_budget=Decimal(budget) if budget is not None else None,
        )
        return user

    def meeting(
        self,
        day: date,
        *,
        at: time = time(10, 0),
        minutes: int = 60,
        kind: str = Kind.THEMATIC,
        place: str = PLACE,
        online_link: str = "",
        title: str = "Rencontre du réseau",
        status: str | None = None,
        group=None,
    ):
        start = local_start(day, at)
        meeting = meeting_create(
            network=self.network,
            kind=kind,
            title=title,
            start=start,
            end=start + timedelta(minutes=minutes),
            organiser=self.coordinator,
            purpose="Faire le point.",
            place=place,
            online_link=online_link,
            group=group,
        )
        if status is not None:
            meeting.status = status
            meeting.save(update_fields=["status"])
        return meeting

    def invite(
        self, meeting, user, partstat: str = PartStat.ACCEPTED, role: str = InvitationRole.PARTICIPANT
    ):
        return Invitation.objects.create(
            meeting=meeting,
            user=user,
            email=user.email,
            name=user.get_full_name(),
            partstat=partstat,
            role=role,
        )

    def roll_call(self, meeting, user, status: str):
        return Attendance.objects.create(
            meeting=meeting, user=user, status=status, recorded_by=self.coordinator
        )

    def went(self, user, day: date, **fields):
        """A meeting on DAY that USER accepted."""
        meeting = self.meeting(day, **fields)
        self.invite(meeting, user)
        return meeting


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_start(day, time(hour, minute))


CANCELLED = MeetingStatus.CANCELLED
