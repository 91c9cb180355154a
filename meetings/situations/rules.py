"""Who may see what of a situation (DESIGN.md, privacy rules 4, 6 and 8).

Everything starts from one question — what is this person to this situation? — answered once per
request by access_for(), with a fixed number of queries:
- a current référent manages the situation (map, agreement, concertations, plan, handover, log);
- the shared-secrecy gate lets a member read notes, the map, the plan and the reports: a
  professional bound by professional secrecy, in the network now, covered by the current
  agreement's scope and not excluded by it (the four conditions of seeds 003); a référent who is
  not through the gate manages but does not read notes;
- any other current member (a relative, a friend, a professional not bound by secrecy) sees the
  situation's dates, the actions they own and the notes marked for relatives;
- the professional who asked for the coordination sees its status and whom to contact;
- nobody else sees that it exists: not a coordinator, not a superuser (404, like a forged id).
After the agreement is withdrawn, nothing new is shared, and existing notes freeze: readable by
référents bound by professional secrecy only.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from accounts.text import fold
from meetings.situations.models import Consent, ConsentExclusion, Member, MemberKind, Referent, Situation


@dataclass(frozen=True)
class Access:
    member: Member | None
    referent: bool
    excluded: bool
    requester: bool
    consent: Consent | None  # the current agreement (or legal basis), None when withdrawn or never given

    @property
    def sharing_allowed(self) -> bool:
        return self.consent is not None

    @property
    def is_member(self) -> bool:
        return self.member is not None and not self.excluded

    @property
    def bound_by_secrecy(self) -> bool:
        member = self.member
        return member is not None and member.kind == MemberKind.PROFESSIONAL and member.bound_by_secrecy

    @property
    def covered(self) -> bool:
        return (
            self.consent is not None
            and self.member is not None
            and self.member.pk in self.consent.covered_ids
        )

    @property
    def through_gate(self) -> bool:
        """The shared-secrecy gate: bound by secrecy, in the network now, covered, not excluded."""
        return self.is_member and self.bound_by_secrecy and self.covered

    @property
    def sees(self) -> bool:
        """Someone the person excluded sees nothing, whatever else they are to the situation."""
        return not self.excluded and (self.referent or self.is_member or self.requester)

    @property
    def manages(self) -> bool:
        return self.referent and not self.excluded

    @property
    def reads_notes(self) -> bool:
        if self.excluded:
            return False
        if self.consent is None:  # withdrawn: notes freeze, for référents bound by secrecy
            return self.referent and self.bound_by_secrecy
        return self.through_gate

    @property
    def writes_notes(self) -> bool:
        return self.through_gate

    @property
    def reads_plan(self) -> bool:
        """The map and the plan (who does what): référents, and members through the gate."""
        return self.manages or self.through_gate

    @property
    def reads_reports(self) -> bool:
        """Concertation reports and the signed form hold what was shared: the gate decides, for a
        référent too (a relative or the person may coordinate without reading them)."""
        return self.reads_notes

    @property
    def sees_shared_items(self) -> bool:
        """Dates, own actions, notes marked for relatives: any current member."""
        return self.manages or self.is_member


NOBODY = Access(member=None, referent=False, excluded=False, requester=False, consent=None)


def current_consent(situation: Situation) -> Consent | None:
    """The agreement in force (with the ids of the members it covers), cached on the situation."""
    if "_current_consent" not in situation.__dict__:
        consent = (
            situation.consents.filter(replaced_at__isnull=True, withdrawn_at__isnull=True)
            .prefetch_related("exclusions")
            .first()
        )
        if consent is not None:
            consent.covered_ids = set(consent.covered_members.values_list("pk", flat=True))
        situation.__dict__["_current_consent"] = consent
    return situation.__dict__["_current_consent"]


def latest_exclusions(situation: Situation) -> list[ConsentExclusion]:
    """The exclusions of the latest agreement, withdrawn or not: a withdrawal does not let in
    someone the person refused."""
    if "_exclusions" not in situation.__dict__:
        situation.__dict__["_exclusions"] = list(
            ConsentExclusion.objects.filter(consent__situation=situation, consent__replaced_at__isnull=True)
        )
    return situation.__dict__["_exclusions"]


TITLES = {"dr", "dr.", "docteur", "docteure", "pr", "prof", "madame", "monsieur", "mme", "m."}


def name_words(name: str) -> set[str]:
    return {word for word in fold(name).replace(",", " ").split() if word not in TITLES}


def matches_exclusion(name: str, exclusion_name: str) -> bool:
    """ "Dr Mukendi" excludes "Jean Mukendi": every word of the exclusion is in the name."""
    excluded = name_words(exclusion_name)
    return bool(excluded) and excluded <= name_words(name)


def is_excluded_person(situation: Situation, *, user: User | None = None, name: str = "") -> bool:
    """Whether the person's latest agreement names them. An account is excluded by its id (the
    agreement's service resolves a name to the member's account when it is recorded, so that this
    and the list's SQL agree); a name is compared word by word."""
    for exclusion in latest_exclusions(situation):
        if user is not None and exclusion.user_id == user.pk:
            return True
        if name and matches_exclusion(name, exclusion.name):
            return True
    return False


def access_for(user: User, situation: Situation, today: date | None = None) -> Access:
    if not user.is_authenticated:
        return NOBODY
    cache = situation.__dict__.setdefault("_access", {})
    if user.pk in cache:
        return cache[user.pk]
    today = today or timezone.localdate()
    member = (
        situation.members.filter(user=user, since__lte=today)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .first()
    )
    referent = situation.referents.filter(user=user, ended_at__isnull=True).exists()
    access = Access(
        member=member,
        referent=referent,
        excluded=is_excluded_person(situation, user=user),
        requester=situation.requested_by_id == user.pk,
        consent=current_consent(situation),
    )
    cache[user.pk] = access
    return access


def can_see_situation(user: User, situation: Situation) -> bool:
    return access_for(user, situation).sees


def can_read_notes(user: User, situation: Situation) -> bool:
    return access_for(user, situation).reads_notes


def can_write_note(user: User, situation: Situation) -> bool:
    return access_for(user, situation).writes_notes and not situation.is_closed


def situations_seen_by(user: User, today: date | None = None) -> Q:
    """can_see_situation in SQL, for lists: current référent, current member not excluded by the
    latest agreement, or the professional who asked."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    today = today or timezone.localdate()
    referent = Exists(Referent.objects.filter(situation=OuterRef("pk"), user=user, ended_at__isnull=True))
    member = Exists(
        Member.objects.filter(situation=OuterRef("pk"), user=user, since__lte=today).filter(
            Q(until__isnull=True) | Q(until__gte=today)
        )
    )
    excluded = Exists(
        ConsentExclusion.objects.filter(
            consent__situation=OuterRef("pk"), consent__replaced_at__isnull=True, user=user
        )
    )
    return (Q(referent) | Q(member) | Q(requested_by=user)) & ~Q(excluded)
