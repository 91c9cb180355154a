"""`seed_scale` at a two-hundredth of the federation: the shapes the benchmarks rely on, rows that the
pages and feeds show like the services' own, and the refusal to fill a database that has people."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Profession, Professional, User
from audit.models import AccessRecord
from audit.services import purge_expired as purge_access_log
from meetings.attendance.models import (
    ATTENDED,
    AccreditationReport,
    Attendance,
    AttendanceCorrection,
    Certificate,
)
from meetings.attendance.services import reports
from meetings.attendance.services.certificates import certificate_for_period
from meetings.attendance.services.reports import REPORT_WITHIN
from meetings.calendar.services.subscriptions import purge_revoked, subscription_create
from meetings.followup.models import Action, Feedback, Outcome
from meetings.followup.services import reminders
from meetings.followup.services.outcomes import respondent_key
from meetings.followup.services.retention import purge_feedback_comments
from meetings.kinds import Kind, policy_for
from meetings.load.models import SeriesReview
from meetings.load.services.reviews import run_reviews
from meetings.models import (
    GroupMembership,
    Invitation,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    MessageKind,
    PartStat,
    StandingGroup,
)
from meetings.polls import notices
from meetings.polls.models import Poll, PollAnswer, PollParticipant, PollStatus
from meetings.polls.notices import PollKind
from meetings.rules import member_sees_details
from meetings.services.meetings import meeting_cancel
from meetings.situations.models import MemberKind, Note, ReportParticipant, Situation
from meetings.situations.rules import access_for
from meetings.situations.services.plan import notify_overdue_actions
from meetings.situations.services.retention import purge_closed_situations
from meetings.vignettes.models import KeptTerm, Vignette, VignetteRead, VignetteStatus, retention_end
from meetings.vignettes.services import UNSHARED_TITLE
from meetings.vignettes.services import purge_expired as purge_vignettes
from outbox.models import OutboxMessage, OutboxStatus
from tests.factories import ProfessionalFactory

SCALE = 0.005  # 25 professionals, 500 meetings, about 5,000 invitations; one network


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command("seed_scale", "--scale", str(SCALE), stdout=out, stderr=StringIO())
    return out.getvalue().strip().splitlines()


def invitation_counts(**meetings):
    return list(
        Meeting.objects.filter(**meetings).annotate(n=Count("invitations")).values_list("n", flat=True)
    )


def test_the_federation_at_a_two_hundredth_has_the_shapes_of_the_full_one(seeded):
    assert Professional.objects.count() == 25
    assert Organisation.objects.count() == 2
    assert Meeting.objects.count() == 500
    assert seeded[-2].startswith(f"Scale data ({SCALE:g})") and "Invitation " in seeded[-2]

    per_person = (
        GroupMembership.objects.filter(status=MembershipStatus.ACTIVE)
        .values("user")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert len(per_person) == 25 and set(per_person) <= {2, 3, 4}

    # Network meetings: 20 to 80 invitees, as many as the network has (25 here).
    network_meetings = invitation_counts(kind=Kind.THEMATIC)  # its coordination series too
    assert network_meetings and min(network_meetings) >= 20 and max(network_meetings) <= 25
    concertations = invitation_counts(kind=Kind.CONCERTATION)
    assert len(concertations) > 250 and min(concertations) >= 2 and max(concertations) <= 6

    # Occurrences: their series' UID and a RECURRENCE-ID; moved or cancelled ones a SEQUENCE above.
    occurrences = Meeting.objects.filter(series__isnull=False)
    assert not occurrences.exclude(uid=F("series__uid")).exists()
    assert not occurrences.filter(recurrence_id__isnull=True).exists()
    moved = occurrences.exclude(start=F("recurrence_id"))
    cancelled = occurrences.filter(status=MeetingStatus.CANCELLED)
    assert moved.exists() and cancelled.exists()
    assert not moved.filter(sequence=0).exclude(status=MeetingStatus.CANCELLED).exists()
    assert not cancelled.filter(sequence=0).exists()
    # Every occurrence invitation comes from its series invitation.
    assert not Invitation.objects.filter(
        meeting__series__isnull=False, series_invitation__isnull=True
    ).exists()
    nonces = Invitation.objects.values_list("nonce", flat=True)
    assert len(set(nonces)) == len(nonces)

    # Roll calls, outcomes and actions only where a meeting took place.
    took_place = [MeetingStatus.HELD, MeetingStatus.CLOSED]
    assert (
        Attendance.objects.exists()
        and not Attendance.objects.exclude(meeting__status__in=took_place).exists()
    )
    assert (
        Outcome.objects.filter(meeting__status=MeetingStatus.CLOSED).count()
        == Meeting.objects.filter(status=MeetingStatus.CLOSED).count()
    )
    assert Action.objects.exists() and not Action.objects.exclude(origin__status__in=took_place).exists()
    assert Situation.objects.count() == 2


def test_what_the_periodic_tasks_would_do_on_the_seeded_data_is_already_done(seeded):
    """Reminders sent, texts purged, logs trimmed: a worker started on this data sends and erases
    nothing that the months before it would have."""
    assert purge_vignettes() == 0
    assert reports.send_report_reminders() == 0
    assert reminders.send_action_reminders() == 0
    assert reminders.send_close_reminders() == 0
    assert notify_overdue_actions() == 0
    assert purge_closed_situations() == 0
    assert purge_feedback_comments() == 0
    assert purge_access_log() == 0
    assert purge_revoked() == 0
    # The yearly reviews of series: opened, reminded and answered as they fell due.
    assert SeriesReview.objects.exclude(answer="").exists()
    assert run_reviews().total == 0


def test_date_polls_are_open_for_some_groups_and_decided_into_past_meetings(seeded):
    now = timezone.now()
    open_polls = list(Poll.objects.filter(status=PollStatus.OPEN).select_related("group"))
    assert open_polls and not [p for p in open_polls if p.deadline <= now]
    for poll in open_polls:
        slots = list(poll.slots.all())
        assert 4 <= len(slots) <= 8 and all(
            poll.deadline < s.start <= now + timedelta(days=15) for s in slots
        )
        members = set(poll.group.memberships.values_list("user_id", flat=True)) - {poll.organiser_id}
        assert set(poll.participants.values_list("user_id", flat=True)) == members
    asked = PollParticipant.objects.filter(poll__status=PollStatus.OPEN)
    answered = asked.filter(answered_at__isnull=False)
    assert 0.3 < answered.count() / asked.count() < 0.9
    for participant in answered.prefetch_related("answers"):
        assert participant.answers.count() == participant.poll.slots.count()
    assert not PollAnswer.objects.filter(participant__answered_at__isnull=True).exists()

    decided = list(Poll.objects.filter(status=PollStatus.DECIDED).select_related("meeting", "chosen_slot"))
    assert decided
    for poll in decided:
        assert poll.meeting.end < now and poll.chosen_slot.start == poll.meeting.start
        assert poll.deadline < poll.chosen_slot.start and poll.closed_at < poll.meeting.start
        assert poll.meeting.series_id is None and poll.private == (poll.kind == Kind.CONCERTATION)
        invited = set(poll.meeting.invitations.values_list("user_id", flat=True))
        assert set(poll.participants.values_list("user_id", flat=True)) <= invited

    # Each participant was sent the invitation to answer; the organiser told of a poll closed at
    # its deadline and of one everyone answered, once each.
    mails = OutboxMessage.objects.filter(kind__in=[k.value for k in PollKind])
    assert set(mails.values_list("status", flat=True)) == {OutboxStatus.SENT}
    invitations = mails.filter(kind=PollKind.INVITATION)
    assert sorted(invitations.values_list("refs__participant", flat=True)) == sorted(
        PollParticipant.objects.values_list("pk", flat=True)
    )
    complete = Poll.objects.filter(complete_notified_at__isnull=False).values_list("pk", flat=True)
    assert set(mails.filter(kind=PollKind.COMPLETE).values_list("refs__poll", flat=True)) == set(complete)
    assert mails.filter(kind=PollKind.CLOSED).exists()


def test_the_polls_task_finds_nothing_to_close_or_remind_on_the_seeded_data(seeded):
    """What the periodic task `polls.tick` runs: no open poll is past its deadline, everyone who
    has not answered a poll due within two days was reminded, the organisers told, once each."""
    now = timezone.now()
    before = (OutboxMessage.objects.count(), list(Poll.objects.values_list("pk", "status")))
    due_soon = PollParticipant.objects.filter(
        poll__status=PollStatus.OPEN, poll__deadline__lte=now + timedelta(days=2), answered_at__isnull=True
    ).select_related("poll")
    assert due_soon and not Poll.objects.filter(status=PollStatus.OPEN, deadline__lte=now).exists()
    # The notices' own once-only keys are taken: queueing again writes nothing.
    assert not any(notices.queue_reminder(p) for p in due_soon)
    for poll in Poll.objects.filter(complete_notified_at__isnull=False):
        assert not notices.queue_to_organiser(poll, kind=PollKind.COMPLETE)
    closed = set(OutboxMessage.objects.filter(kind=PollKind.CLOSED).values_list("refs__poll", flat=True))
    for poll in Poll.objects.filter(pk__in=closed):
        assert not notices.queue_to_organiser(poll, kind=PollKind.CLOSED)
    assert OutboxMessage.objects.count() == before[0]

    # The task itself (meetings/polls/services/closing.py).
    from meetings.polls.services.closing import close_expired, send_reminders

    assert not close_expired(now=now)
    assert not send_reminders(now=now)

    assert (OutboxMessage.objects.count(), list(Poll.objects.values_list("pk", "status"))) == before


def test_vignettes_are_written_by_participants_of_groups_that_take_them_in_their_states(seeded):
    vignettes = Vignette.objects.select_related("meeting__group")
    kinds = {v.meeting.kind for v in vignettes}
    assert kinds and all(policy_for(kind).written_case_material for kind in kinds)  # never Balint
    for vignette in vignettes:
        invited = vignette.meeting.invitations.exclude(partstat=PartStat.DECLINED)
        assert invited.filter(user=vignette.author_id).exists()
        if vignette.status in {VignetteStatus.DRAFT, VignetteStatus.SHARED}:
            assert vignette.text and vignette.purged_at is None
            assert vignette.is_readable_at(timezone.now())
        else:
            assert vignette.text == "" and vignette.purged_at is not None
            assert (vignette.title == UNSHARED_TITLE) == (vignette.shared_at is None)
        if vignette.shared_at is not None:
            assert vignette.shared_at < vignette.meeting.start
            assert vignette.readable_until == retention_end(vignette.meeting)
    statuses = set(vignettes.values_list("status", flat=True))
    assert {VignetteStatus.PURGED, VignetteStatus.SHARED} <= statuses
    # Each read: by another participant, of a vignette that was shared; logged in the access log.
    reads = list(VignetteRead.objects.select_related("vignette__meeting"))
    assert reads
    for read in reads:
        assert read.reader_id != read.vignette.author_id and read.vignette.shared_at is not None
        assert read.vignette.meeting.invitations.filter(user=read.reader_id).exists()
    logged = set(AccessRecord.objects.filter(item="vignette").values_list("reader_id", "subject", "item_id"))
    assert logged and logged <= {(r.reader_id, f"vignette:{r.vignette_id}", r.vignette_id) for r in reads}
    # The local services the networks' coordinators keep from the anonymiser: a few per network.
    kept = KeptTerm.objects.values_list("network_id", "term")
    assert kept and all(network is not None for network, _term in kept)
    assert len(set(kept)) == len(kept)


def test_accredited_groups_have_their_rapporteur_reports_and_the_certificates_the_service_gives(seeded):
    glem = StandingGroup.objects.exclude(accreditation_reference="").get()
    assert glem.kind == Kind.BALINT and member_sees_details(glem.rapporteur, glem)
    reported = AccreditationReport.objects.select_related("meeting")
    assert reported and {r.meeting.group_id for r in reported} == {glem.pk}
    assert {r.reported_by_id for r in reported} == {glem.rapporteur_id}
    assert all(r.meeting.end < r.reported_at < r.meeting.end + REPORT_WITHIN for r in reported)
    # The rapporteur was reminded a week after each session not handed in by then.
    reminded = OutboxMessage.objects.filter(
        kind=reports.REPORT_REMINDER, recipient_email=glem.rapporteur.email
    )
    for meeting_id in reminded.values_list("refs__meeting", flat=True):
        report = AccreditationReport.objects.filter(meeting_id=meeting_id).first()
        end = Meeting.objects.get(pk=meeting_id).end
        assert report is None or report.reported_at > end + reports.REMINDER_AFTER

    certificates = list(Certificate.objects.select_related("user"))
    assert certificates
    for certificate in certificates:
        meetings = certificate.meetings.all()
        assert {m.group_id for m in meetings} == {glem.pk}
        assert certificate.session_count == len(meetings)
        # Asking again for the same sessions hands out this certificate (same fingerprint).
        again = certificate_for_period(
            certificate.user, certificate.period_start, certificate.period_end, group=glem
        )
        assert again.pk == certificate.pk

    corrections = AttendanceCorrection.objects.select_related("attendance__meeting")
    assert corrections
    for correction in corrections:
        meeting = correction.attendance.meeting
        assert meeting.status == MeetingStatus.CLOSED
        assert correction.attendance.status == correction.new_status != correction.previous_status
        assert meeting.network.coordinators.filter(pk=correction.corrected_by_id).exists()
    gps = Professional.objects.filter(profession=Profession.GP)
    assert gps and all(len(p.inami_number) == 11 and p.inami_number.isdigit() for p in gps)


def test_closed_meetings_asked_for_feedback_and_the_answers_are_anonymous(seeded):
    requests = OutboxMessage.objects.filter(kind=MessageKind.FEEDBACK)
    meetings = set(requests.values_list("refs__meeting", flat=True))
    assert meetings and set(Meeting.objects.filter(pk__in=meetings).values_list("status", flat=True)) == {
        MeetingStatus.CLOSED
    }
    came = {
        (a.meeting_id, a.user_id)
        for a in Attendance.objects.filter(meeting__in=meetings, status__in=ATTENDED, user__isnull=False)
    }
    assert set(requests.values_list("refs__meeting", "refs__user")) == came
    keys = {respondent_key(Meeting(pk=m), User(pk=u)): m for m, u in came}
    answers = list(Feedback.objects.all())
    assert answers and all(keys.get(f.respondent) == f.meeting_id for f in answers)
    # Each action's owner was reminded before it was due, unless it was closed by then.
    reminded = Action.objects.filter(reminder_sent_at__isnull=False)
    assert reminded and OutboxMessage.objects.filter(kind=MessageKind.ACTION_REMINDER).count() == len(
        reminded
    )


def test_situations_have_an_agreement_notes_behind_the_gate_a_report_and_a_plan(seeded):
    situations = list(Situation.objects.all())
    for situation in situations:
        consent = situation.consents.filter(replaced_at__isnull=True).get()
        professionals = situation.members.filter(kind=MemberKind.PROFESSIONAL)
        assert set(consent.covered_members.all()) >= set(professionals)
        for note in situation.notes.all():
            assert access_for(note.author, situation).through_gate or consent.withdrawn_at
        concertation = situation.concertations.get()
        report = concertation.report
        assert report.participants.exists()
        assert set(report.participants.values_list("member__situation", flat=True)) == {situation.pk}
        assert situation.actions.filter(report=report).exists()
        assert situation.goals.filter(report=report).exists()
        assert set(
            AccessRecord.objects.filter(subject=situation.audit_subject).values_list("reader", flat=True)
        ) <= {m.user_id for m in professionals if m.bound_by_secrecy}
    assert Note.objects.exists()
    confirmed = ReportParticipant.objects.filter(confirmed_at__isnull=False).select_related("member")
    assert all(p.member.user_id for p in confirmed)  # in the application: with an account


def test_the_busiest_professional_is_printed_last_and_their_pages_render(seeded, client):
    busiest = User.objects.annotate(n=Count("invitations")).order_by("-n", "pk").first()
    assert seeded[-1] == f"busiest: {busiest.email}"
    assert busiest.check_password("concertation-demo")

    client.force_login(busiest)
    groups = list(busiest.group_memberships.select_related("group"))
    agenda = client.get(reverse("meetings:agenda"))
    assert agenda.status_code == 200
    assert any(m.group.name in agenda.content.decode() for m in groups)

    group = groups[0].group
    page = client.get(reverse("meetings:group", args=[group.pk]))
    assert page.status_code == 200 and group.name in page.content.decode()

    _subscription, token = subscription_create(user=busiest, label="Test")
    feed = client.get(reverse("calendar:feed", args=[token]))
    body = b"".join(feed.streaming_content if feed.streaming else [feed.content]).decode()
    body = body.replace("\r\n ", "")  # unfolded
    assert feed.status_code == 200 and body.count("BEGIN:VEVENT") > 10
    assert any(m.group.name in body for m in groups)


def test_who_was_invited_to_a_meeting_to_come_hears_of_its_cancellation(
    seeded, django_capture_on_commit_callbacks
):
    meeting = (
        Meeting.objects.filter(
            kind=Kind.CONCERTATION, status=MeetingStatus.SCHEDULED, start__gt=timezone.now()
        )
        .order_by("start")
        .first()
    )
    invited = set(meeting.invitations.values_list("email", flat=True))
    assert OutboxMessage.objects.filter(kind=MessageKind.REQUEST, status=OutboxStatus.SENT).about(
        meeting=meeting.pk
    ).count() == len(invited)

    with django_capture_on_commit_callbacks(execute=False):
        meeting_cancel(meeting=meeting)

    cancels = OutboxMessage.objects.filter(kind=MessageKind.CANCEL).about(meeting=meeting.pk)
    assert set(cancels.values_list("recipient_email", flat=True)) == invited


def test_a_database_with_professionals_is_refused(db):
    ProfessionalFactory()
    with pytest.raises(CommandError, match="already has professionals"):
        call_command("seed_scale", "--scale", "0.002", stdout=StringIO(), stderr=StringIO())
    assert Professional.objects.count() == 1 and not Meeting.objects.exists()


def test_exchange_rounds_hold_the_benchmarks_offers_and_applications_and_past_visits(seeded):
    from meetings.exchanges.models import Application, ExchangeRound, Feedback, OfferDate, Placement

    today = timezone.localdate()
    busiest = (
        ExchangeRound.objects.filter(visits_until__gte=today)
        .annotate(n=Count("offers"))
        .order_by("-n")
        .first()
    )
    people = User.objects.filter(professional__organisations__networks=busiest.network).distinct().count()
    applications = busiest.applications.all()
    assert busiest.offers.count() >= 150 and applications.count() >= min(300, people)
    assert today < busiest.applications_until < busiest.visits_from
    offered = {
        d.isoformat() for d in OfferDate.objects.filter(offer__round=busiest).values_list("day", flat=True)
    }
    assert all(set(a.available_days) <= offered and a.available_days for a in applications)
    assert 0.75 < applications.filter(agreed_at__isnull=False).count() / applications.count() <= 1
    assert not Application.objects.values("round", "visitor").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert not busiest.placements.exists()  # the matching has it all to do

    confirmed = Placement.objects.filter(status="confirmed")
    assert confirmed.exists() and not confirmed.filter(meeting__isnull=True).exists()
    assert set(confirmed.values_list("meeting__kind", flat=True)) == {Kind.EXCHANGE}
    assert not confirmed.filter(meeting__end__gte=timezone.now()).exists()
    over = OfferDate.objects.annotate(n=Count("placements", filter=Q(placements__status="confirmed"))).filter(
        n__gt=F("offer__capacity")
    )
    assert not over.exists()
    for placement in confirmed.select_related("meeting", "application", "offer_date__offer"):
        invited = set(placement.meeting.invitations.values_list("user_id", flat=True))
        assert {placement.application.visitor_id, placement.offer_date.offer.contact_id} <= invited
        assert placement.undertaking_accepted
    for feedback in Feedback.objects.select_related("placement__application", "placement__offer_date__offer"):
        placement = feedback.placement
        assert feedback.author_id in (placement.application.visitor_id, placement.offer_date.offer.contact_id)
