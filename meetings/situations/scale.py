"""Situations of the scale data (`seed_scale`): a few hundred people followed by a network, each
around one of the clinical concertations that took place. Its référent organised it; everyone
invited is a member of the person's network, with their discipline, service and secrecy from the
directory, as when a référent adds them; some networks count a relative too.

Around each, what the services leave: the person's agreement recorded before the concertation
(now and then a legal basis instead, a named exclusion, an earlier agreement it replaced, or a
withdrawal, which told the members), notes shared behind the gate, the concertation's report with
its participants' confirmations, and the plan's goals and actions (the overdue ones notified to
the référent, each change a "retour" to who asked). A fifth of the older situations are closed;
those closed more than SITUATION_RETENTION_MONTHS ago are purged as purge_situation leaves them.
Each visit of a member through the gate is a line of the access log.
"""

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse

from accounts.bulk import Context
from accounts.models import Profession, Professional
from meetings.kinds import around_a_person
from meetings.models import Invitation, InvitationRole, Meeting, MeetingStatus
from meetings.situations.models import (
    ActionStatus,
    Concertation,
    ConcertationReport,
    Consent,
    ConsentExclusion,
    ConsentForm,
    Goal,
    GoalStatus,
    LegalBasis,
    Member,
    MemberKind,
    Note,
    Origin,
    PlanAction,
    Referent,
    ReportParticipant,
    Situation,
    SituationStatus,
    StatusChange,
)
from meetings.situations.notices import NoticeKind
from meetings.situations.policies import Template
from meetings.situations.services.retention import purge_situation

SITUATIONS = 300
TRIGGERS = [
    "Il ne vient plus à ses rendez-vous et a perdu son logement.",
    "Sa sœur s'inquiète : elle ne sort plus de chez elle.",
    "Retour à domicile après une hospitalisation, sans relais organisé.",
]
RELATIVES = [
    ("Sa sœur", "sa sœur"),
    ("Son fils", "son fils"),
    ("Sa voisine", "voisine"),
    ("Sa mère", "sa mère"),
]
SHARED_CONTENT = [
    "Le suivi médical et social, la recherche de logement ; pas son histoire familiale.",
    "Le traitement et les rendez-vous ; rien sur sa situation administrative.",
    "Ce qui aide au retour à domicile : soins, aide familiale, repas.",
]
RELATIVES_LIMITS = (
    "Les proches sont informés des rendez-vous et de ce qu'ils peuvent faire, pas du suivi médical."
)
LEGAL_REFERENCE = "Décret du 30 avril 2009 relatif à l'aide sociale, art. 12"
NOTES = [
    ("Que l'infirmière adapte ses passages.", "Traitement stabilisé ; il oublie ses rendez-vous du matin."),
    (
        "Que le CPAS sache où en est le dossier.",
        "Demande de logement de transit introduite, réponse attendue.",
    ),
    ("Que l'équipe de rue garde le lien.", "Passe à la distribution le jeudi, refuse encore l'hébergement."),
    ("Que sa famille sache quand passer.", "Rendez-vous au CPAS le mardi à 10 h, tous les quinze jours."),
]
NEEDS = "Un logement stable ; des soins réguliers ; garder le lien avec l'équipe de rue."
GOALS = ["Retrouver un logement", "Suivre le traitement sans interruption", "Rompre l'isolement"]
PLAN_ACTIONS = [
    "Introduire la demande de logement de transit",
    "L'accompagner au rendez-vous de la maison médicale",
    "Organiser le passage de l'aide familiale",
    "Faire le point avec le médecin traitant",
]
WITHDRAWAL_NOTE = "Ne souhaite plus que le réseau échange à son sujet."
CLOSED = 0.2  # of the situations whose concertation is more than six months old


def _paths() -> dict[str, str]:
    marker = 999_999_999
    return {
        item: reverse(f"situations:{name}", args=[marker]).replace(str(marker), "{}")
        for item, name in [
            ("situation", "situation"),
            ("notes", "notes"),
            ("plan", "plan"),
            ("map", "network"),
        ]
    }


class Writer:
    """One situation's rows, from its members (id, user, kind, bound by secrecy)."""

    def __init__(self, ctx: Context, paths: dict[str, str]):
        self.ctx, self.rng, self.now, self.paths = ctx, ctx.rng, ctx.now, paths

    def retour(self, situation: dict, about: str, at: datetime) -> None:
        """notices.queue_retour: to who asked, once per event."""
        if situation["requested_by_id"] and at <= self.now:
            self.ctx.sent(
                kind=NoticeKind.RETOUR,
                user_id=situation["requested_by_id"],
                at=at,
                dedupe_key=f"situation-retour:{situation['id']}:{about}",
                situation=situation["id"],
            )

    def status(self, situation: dict, status: str, previous: str, by: int, at: datetime) -> None:
        change = self.ctx.add(
            StatusChange,
            {"situation_id": situation["id"], "status": status, "previous": previous, "by_id": by, "at": at},
        )
        if previous:
            self.retour(situation, f"status-{change}", at)

    def consents(
        self, situation: dict, members: list[dict], given: datetime, referent: int, withdrawn: datetime | None
    ) -> None:
        """The agreements, oldest first; the current one withdrawn at WITHDRAWN, if given."""
        rng, sid = self.rng, situation["id"]
        covered = [m for m in members if m["kind"] != MemberKind.PERSON]
        if rng.random() < 0.15 and len(covered) > 2:  # an earlier one, before a member joined
            earlier = given - timedelta(days=rng.randint(20, 60))
            consent = self.ctx.add(
                Consent,
                {
                    "situation_id": sid,
                    "given_on": earlier.date(),
                    "shared_content": rng.choice(SHARED_CONTENT),
                    "recorded_by_id": referent,
                    "recorded_at": earlier,
                    "replaced_at": given,
                },
            )
            for member in covered[:-1]:
                self.ctx.add(
                    Consent.covered_members.through, {"consent_id": consent, "member_id": member["id"]}
                )
        legal = rng.random() < 0.08
        current = {
            "situation_id": sid,
            "basis": LegalBasis.LEGAL_FRAMEWORK if legal else LegalBasis.CONSENT,
            "basis_reference": LEGAL_REFERENCE if legal else "",
            "given_on": given.date(),
            "form": ConsentForm.WRITTEN if rng.random() < 0.3 else ConsentForm.ORAL,
            "shared_content": rng.choice(SHARED_CONTENT),
            "relatives_limits": RELATIVES_LIMITS
            if any(m["kind"] == MemberKind.RELATIVE for m in members)
            else "",
            "recorded_by_id": referent,
            "recorded_at": given,
        }
        if withdrawn:
            current.update(withdrawn_at=withdrawn, withdrawn_by_id=referent, withdrawal_note=WITHDRAWAL_NOTE)
        self.ctx.add(Consent, current)
        for member in covered:
            self.ctx.add(
                Consent.covered_members.through, {"consent_id": current["id"], "member_id": member["id"]}
            )
        if rng.random() < 0.1:  # "pas le Dr X": someone outside the network
            self.ctx.add(ConsentExclusion, {"consent_id": current["id"], "name": "Dr Lemaire"})
        if withdrawn:  # consent_withdraw told each member with an account (notices)
            for member in members:
                if member["user_id"]:
                    self.ctx.sent(
                        kind=NoticeKind.CONSENT_WITHDRAWN,
                        user_id=member["user_id"],
                        at=withdrawn,
                        dedupe_key=f"situation-consent-withdrawn:{current['id']}:{member['id']}",
                        situation=situation["id"],
                    )

    def notes(self, situation: dict, through: list[dict], start: datetime, until: datetime) -> None:
        for _n in range(self.rng.randint(2, 6)):
            purpose, text = self.rng.choice(NOTES)
            self.ctx.add(
                Note,
                {
                    "situation_id": situation["id"],
                    "author_id": self.rng.choice(through)["user_id"],
                    "purpose": purpose,
                    "text": text,
                    "for_relatives": self.rng.random() < 0.2,
                    "created_at": start + (until - start) * self.rng.random(),
                },
            )

    def report(
        self,
        situation: dict,
        concertation: int,
        members: list[dict],
        end: datetime,
        referent: int,
        closed_at: datetime | None,
    ):
        """The report written after the concertation, its participants, goals and actions."""
        rng, now = self.rng, self.now
        written = min(end + timedelta(days=rng.randint(1, 5)), now)
        report = self.ctx.add(
            ConcertationReport,
            {
                "concertation_id": concertation,
                "needs": NEEDS,
                "next_review": (written + timedelta(days=rng.choice([60, 90, 120]))).date(),
                "written_by_id": referent,
                "written_at": written,
                "updated_at": written,
            },
        )
        for member in members:
            if member["kind"] == MemberKind.PERSON:
                continue
            confirmed = member["user_id"] and rng.random() < 0.6
            self.ctx.add(
                ReportParticipant,
                {
                    "report_id": report,
                    "member_id": member["id"],
                    "discipline": str(Profession(member["profession"]).label)
                    if member["profession"]
                    else str(MemberKind(member["kind"]).label),
                    "confirmed_at": min(written + timedelta(days=rng.randint(0, 10)), now)
                    if confirmed
                    else None,
                },
            )
        goals = []
        for text in rng.sample(GOALS, rng.randint(1, 2)):
            goals.append(
                self.ctx.add(
                    Goal,
                    {
                        "situation_id": situation["id"],
                        "report_id": report,
                        "text": text,
                        "status": GoalStatus.OPEN,
                        "created_at": written,
                    },
                )
            )
        owners = [m for m in members if m["kind"] != MemberKind.PERSON]
        for description in rng.sample(PLAN_ACTIONS, rng.randint(1, 3)):
            due = (written + timedelta(days=rng.randint(7, 45))).date()
            status, done_at, notified = ActionStatus.TODO, None, None
            if due < now.date():
                r = rng.random()
                status = (
                    ActionStatus.DONE
                    if r < 0.65
                    else ActionStatus.CANCELLED
                    if r < 0.75
                    else ActionStatus.TODO
                )
                if status == ActionStatus.DONE:
                    done_at = min(written + timedelta(days=rng.randint(3, 40)), now)
                if status == ActionStatus.TODO:  # notify_overdue_actions (hourly), the day after
                    notified = datetime.combine(due, written.timetz()) + timedelta(days=1)
                    if notified > (closed_at or now):  # not yet, or closed before: nobody told
                        notified = None
            action = self.ctx.add(
                PlanAction,
                {
                    "situation_id": situation["id"],
                    "goal_id": rng.choice(goals),
                    "report_id": report,
                    "description": description,
                    "owner_id": rng.choice(owners)["id"],
                    "due_date": due,
                    "revision_date": due + timedelta(days=30),
                    "status": status,
                    "done_at": done_at,
                    "overdue_notified_at": notified,
                    "created_by_id": referent,
                    "created_at": written,
                    "updated_at": done_at or written,
                },
            )
            if notified:
                self.ctx.sent(
                    kind=NoticeKind.ACTION_OVERDUE,
                    user_id=referent,
                    at=notified,
                    dedupe_key=f"situation-action-overdue:{action}:{due:%Y%m%d}:{referent}",
                    situation=situation["id"],
                    action=action,
                )
        situation["plan_updated_at"] = written
        self.retour(situation, f"report-{report}-{written:%Y%m%d}", written)

    def visits(self, situation: dict, through: list[dict], start: datetime, until: datetime) -> None:
        """Members through the gate open the situation, and often its notes or plan."""
        rng, sid = self.rng, situation["id"]
        for member in through:
            for _n in range(rng.randint(1, 6)):
                at = start + (until - start) * rng.random()
                self.ctx.read(
                    reader_id=member["user_id"],
                    subject=f"situation:{sid}",
                    item="situation",
                    path=self.paths["situation"].format(sid),
                    at=at,
                )
                item = rng.choice(["notes", "notes", "plan", "map", None])
                if item:
                    self.ctx.read(
                        reader_id=member["user_id"],
                        subject=f"situation:{sid}",
                        item=item,
                        path=self.paths[item].format(sid),
                        at=at + timedelta(seconds=rng.randint(10, 300)),
                    )


def seed(ctx: Context) -> None:
    rng, now = ctx.rng, ctx.now
    wanted = ctx.n(SITUATIONS, 2)
    held = (
        Meeting.objects.filter(
            kind=around_a_person().kind,
            status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED],
            situation_link__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "network_id", "organiser_id", "title", "start", "end")
    )
    candidates = list(held[: wanted * 3])
    rng.shuffle(candidates)
    chosen = sorted(candidates[:wanted])
    invitations: dict[int, list[tuple]] = {}
    for row in (
        Invitation.objects.filter(meeting_id__in=[c[0] for c in chosen])
        .order_by("pk")
        .values_list("meeting_id", "user_id", "role", "name", "email")
    ):
        invitations.setdefault(row[0], []).append(row[1:])
    users = {u for rows in invitations.values() for u, *_r in rows if u}
    professionals = {
        p["user_id"]: p
        for p in Professional.objects.filter(user_id__in=users).values(
            "pk", "user_id", "profession", "bound_by_secrecy"
        )
    }
    first_service = {}
    for professional_id, organisation_id in (
        Professional.organisations.through.objects.filter(
            professional_id__in=[p["pk"] for p in professionals.values()]
        )
        .order_by("pk")
        .values_list("professional_id", "organisation_id")
    ):
        first_service.setdefault(professional_id, organisation_id)
    writer = Writer(ctx, _paths())
    retention = relativedelta(months=settings.SITUATION_RETENTION_MONTHS)
    purged: dict[int, datetime] = {}
    codes = set()
    for meeting_id, network_id, organiser_id, title, start, end in chosen:
        code = title.split("— ")[-1]
        if (network_id, code) in codes:
            code = f"{code} {len(codes)}"
        codes.add((network_id, code))
        opened = start - timedelta(days=rng.randint(20, 90))
        invited = invitations.get(meeting_id, [])
        requester = next((u for u, *_r in invited if u and u != organiser_id), None)
        situation = {
            "id": ctx.new_id(Situation),
            "network_id": network_id,
            "code": code,
            "status": SituationStatus.ACTIVE,
            "origin": Origin.PROFESSIONAL if requester else Origin.NOTICED,
            "requested_by_id": requester,
            "trigger": rng.choice(TRIGGERS),
            "created_by_id": organiser_id,
            "created_at": opened,
        }
        writer.status(situation, SituationStatus.REQUESTED, "", organiser_id, opened)
        writer.status(
            situation,
            SituationStatus.ACTIVE,
            SituationStatus.REQUESTED,
            organiser_id,
            opened + timedelta(days=2),
        )
        ctx.add(
            Referent,
            {
                "situation_id": situation["id"],
                "user_id": organiser_id,
                "started_by_id": organiser_id,
                "started_at": opened,
            },
        )
        members = []
        facilitator = None
        person_invited = False
        for user_id, role, name, email in invited:
            row = {
                "situation_id": situation["id"],
                "added_by_id": organiser_id,
                "added_at": opened,
                "since": opened.date(),
            }
            if user_id is None:  # the person concerned, invited by e-mail
                person_invited = True
                row.update(kind=MemberKind.PERSON, name=name, email=email)
            else:
                professional = professionals.get(user_id)
                row.update(
                    kind=MemberKind.PROFESSIONAL,
                    user_id=user_id,
                    profession=professional["profession"] if professional else "",
                    bound_by_secrecy=bool(professional and professional["bound_by_secrecy"]),
                    organisation_id=first_service.get(professional["pk"]) if professional else None,
                    role="Référent·e" if user_id == organiser_id else "",
                )
            member_id = ctx.add(Member, row)
            members.append(row)
            if user_id == organiser_id and role == InvitationRole.FACILITATOR:
                facilitator = member_id
        if not person_invited:
            person = {
                "situation_id": situation["id"],
                "kind": MemberKind.PERSON,
                "name": code.split()[0],
                "added_by_id": organiser_id,
                "added_at": opened,
                "since": opened.date(),
            }
            ctx.add(Member, person)
            members.append(person)
        if rng.random() < 0.4:
            name, relation = rng.choice(RELATIVES)
            relative = {
                "situation_id": situation["id"],
                "kind": MemberKind.RELATIVE,
                "name": name,
                "relation": relation,
                "added_by_id": organiser_id,
                "added_at": opened,
                "since": opened.date(),
            }
            ctx.add(Member, relative)
            members.append(relative)
        for member in members:
            member.setdefault("user_id", None)
            member.setdefault("profession", "")
        concertation = ctx.add(
            Concertation,
            {
                "situation_id": situation["id"],
                "meeting_id": meeting_id,
                "template": rng.choice(Template.values),
                "facilitator_id": facilitator,
                "person_not_invited_reason": ""
                if person_invited
                else "Elle préfère qu'on passe la voir après.",
                "accepted_warnings": [],
                "created_by_id": organiser_id,
                "created_at": opened,
            },
        )
        # The agreement, given within days of the request; the report after the concertation;
        # now and then a withdrawal after it, or, for an older one, the situation closed.
        given = opened + timedelta(days=rng.randint(1, 5))
        closed_at = withdrawn = None
        if end < now - timedelta(days=180) and rng.random() < CLOSED:
            closed_at = min(end + timedelta(days=rng.randint(60, 200)), now)
        elif end < now - timedelta(days=30) and rng.random() < 0.03:
            withdrawn = end + timedelta(days=10) + (now - end - timedelta(days=10)) * rng.random()
        writer.consents(situation, members, given, organiser_id, withdrawn)
        until = withdrawn or closed_at or now
        through = [m for m in members if m["kind"] == MemberKind.PROFESSIONAL and m.get("bound_by_secrecy")]
        if through:
            writer.notes(situation, through, given, until)
            writer.visits(situation, through, given, until)
        writer.report(situation, concertation, members, end, organiser_id, closed_at)
        if closed_at:
            situation.update(status=SituationStatus.CLOSED, closed_at=closed_at)
            writer.status(situation, SituationStatus.CLOSED, SituationStatus.ACTIVE, organiser_id, closed_at)
            if closed_at + retention <= now:
                purged[situation["id"]] = closed_at + retention + timedelta(hours=rng.randint(1, 6))
        ctx.add(Situation, situation)
    ctx.flush()
    # The daily purge ran on those closed longer than the retention: the service itself, on the
    # rows just written (a dozen statements for each of a few dozen situations).
    for found in Situation.objects.filter(pk__in=list(purged)).order_by("pk"):
        purge_situation(found, now=purged[found.pk])
