"""tests/world.py, plus something of every kind the application holds about `member` — and the
same kinds about `facilitator`, whose traces must never reach the member's export.

A Balint session held ten days ago (organised by the facilitator) that the member, `pending` and
the facilitator attended, with a certificate for the member and for `pending`; an action the
facilitator handed to the member and one the member handed to the facilitator; feedback from
both; a shared vignette of each on the open thematic meeting, and an expired draft of the
member's (its text not purged yet, but no longer readable); a calendar subscription each; a read
in the access log each; an e-mail waiting for the member.
"""

from dataclasses import dataclass
from datetime import time, timedelta

from django.utils import timezone

from audit.services import record_read
from meetings.attendance.models import Attendance, AttendanceStatus, Certificate
from meetings.attendance.services.certificates import certificate_for_meeting
from meetings.calendar.services.subscriptions import subscription_create
from meetings.followup.models import Action, Feedback
from meetings.followup.services.outcomes import respondent_key
from meetings.kinds import Kind
from meetings.models import Invitation, Meeting, MeetingStatus
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from meetings.vignettes.models import Vignette, VignetteStatus
from outbox import services as outbox
from tests.world import World

MEMBER_NAME = ("Zélie", "Quenouille")
MEMBER_ACTION = "Envoyer la charte relue au groupe"
HANDED_ACTION = "Réserver la salle pour janvier"
MEMBER_COMMENT = "Très utile, merci pour le cadre."
OTHER_COMMENT = "Trop long, on tournait en rond."
MEMBER_VIGNETTE = "Un homme d'une cinquantaine d'années refuse l'hospitalisation proposée."
EXPIRED_VIGNETTE = "Une adolescente quitte le foyer chaque nuit."
OTHER_VIGNETTE = "Une mère de trois enfants ne vient plus aux rendez-vous."
MEMBER_DEVICE = "Téléphone de Zélie"
OTHER_DEVICE = "Ordinateur du cabinet"


@dataclass
class PersonalWorld:
    world: World
    held: Meeting
    member_token: str
    other_token: str
    member_certificate: Certificate
    other_certificate: Certificate

    @property
    def member(self):
        return self.world.users["member"]

    @property
    def other(self):
        return self.world.users["facilitator"]


def held_session(world: World, *, days_ago: int = 10) -> Meeting:
    start = local_start(timezone.localdate() - timedelta(days=days_ago), time(20, 0))
    meeting = meeting_create(
        network=world.network,
        kind=Kind.BALINT,
        group=world.group,
        title="Balint des Marolles — séance passée",
        start=start,
        end=start + timedelta(minutes=90),
        organiser=world.users["facilitator"],
        place="Rue Haute 100, 1000 Bruxelles",
    )
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    return meeting


def build_personal_world(world: World) -> PersonalWorld:
    member, other, pending = world.users["member"], world.users["facilitator"], world.users["pending"]
    member.first_name, member.last_name = MEMBER_NAME
    member.save(update_fields=["first_name", "last_name"])
    now = timezone.now()

    held = held_session(world)
    for user in (member, pending, other):
        Invitation.objects.create(meeting=held, user=user, email=user.email, partstat="ACCEPTED")
        Attendance.objects.create(meeting=held, user=user, status=AttendanceStatus.PRESENT)
    member_certificate = certificate_for_meeting(member, held)
    other_certificate = certificate_for_meeting(pending, held)

    Action.objects.create(
        origin=held, description=MEMBER_ACTION, owner=member, created_by=other, due_date=held.end.date()
    )
    Action.objects.create(
        origin=held, description=HANDED_ACTION, owner=other, created_by=member, due_date=held.end.date()
    )
    Feedback.objects.create(
        meeting=held, respondent=respondent_key(held, member), score=5, comment=MEMBER_COMMENT
    )
    Feedback.objects.create(
        meeting=held, respondent=respondent_key(held, other), score=2, comment=OTHER_COMMENT
    )

    thematic = world.thematic
    for author, text in ((member, MEMBER_VIGNETTE), (other, OTHER_VIGNETTE)):
        Vignette.objects.create(
            meeting=thematic,
            author=author,
            title=f"Vignette de {author.pk}",
            text=text,
            status=VignetteStatus.SHARED,
            shared_at=now,
            readable_until=thematic.end + timedelta(days=7),
        )
    Vignette.objects.create(
        meeting=held, author=member, title="Une fugue", text=EXPIRED_VIGNETTE, status=VignetteStatus.DRAFT
    )

    _subscription, member_token = subscription_create(user=member, label=MEMBER_DEVICE)
    _subscription, other_token = subscription_create(user=other, label=OTHER_DEVICE)
    record_read(reader=member, subject=f"meeting:{held.pk}", item="outcome", path=f"/meetings/{held.pk}/")
    record_read(reader=other, subject=f"meeting:{held.pk}", item="attendance_export", path="/other/")
    outbox.queue(kind="account_invitation", **outbox.addressed_to(member, inviter=other.pk))
    return PersonalWorld(
        world=world,
        held=held,
        member_token=member_token,
        other_token=other_token,
        member_certificate=member_certificate,
        other_certificate=other_certificate,
    )
