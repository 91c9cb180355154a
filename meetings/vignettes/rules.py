"""Who may write, read and manage a vignette (privacy rule 2), and the words the anonymiser keeps."""

from datetime import datetime

from django.utils import timezone

from accounts.models import Network, User
from accounts.rules import coordinated_network_ids
from meetings.models import InvitationRole, Meeting, PartStat
from meetings.rules import member_sees_details, my_invitations
from meetings.vignettes.models import KeptTerm, Vignette


def is_vignette_participant(user: User, meeting: Meeting) -> bool:
    """Who may write and read a meeting's vignettes: its organiser, the invitees who have not
    declined, and, for a group's session, the active members who accepted the current charter
    (unless they declined this session). Not a coordinator who does not take part."""
    if not user.is_authenticated:
        return False
    if meeting.organiser_id == user.pk:
        return True
    answers = {i.partstat for i in my_invitations(user, meeting) if i.role != InvitationRole.MINUTES_ONLY}
    if PartStat.DECLINED in answers:
        return False
    if answers:
        return True
    return meeting.group is not None and member_sees_details(user, meeting.group)


def is_vignette_author(user: User, vignette: Vignette) -> bool:
    """Who edits, checks, shares and withdraws a vignette, and sees its read log."""
    return user.is_authenticated and vignette.author_id == user.pk


def can_read_vignette(user: User, vignette: Vignette, now: datetime | None = None) -> bool:
    """A vignette's text, and only until its time of reading ends (privacy rule 2): its author
    while it is a draft or shared, the meeting's participants once it is shared. After that
    nobody reads it, whether the purge has emptied it yet or not."""
    if not vignette.is_readable_at(now or timezone.now()):
        return False
    if is_vignette_author(user, vignette):
        return True
    return vignette.is_shared and is_vignette_participant(user, vignette.meeting)


def is_readable_now(vignette: Vignette, now: datetime | None = None) -> bool:
    """Whether a vignette is shared and still within its (effective) time of reading."""
    return vignette.is_shared and vignette.is_readable_at(now or timezone.now())


# Words the anonymiser keeps (KeptTerm): public names of services, nothing confidential.


def can_manage_kept_terms(user: User) -> bool:
    """Who sees the admin page of the words to keep: an administrator, a network coordinator
    (the admin lets in only staff accounts: a coordinator needs one)."""
    return user.is_authenticated and (user.is_superuser or bool(coordinated_network_ids(user)))


def can_manage_kept_term(user: User, network: Network | None) -> bool:
    """A word kept in one network: an administrator or that network's coordinators. A word kept in
    every network: an administrator only."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return network is not None and network.pk in coordinated_network_ids(user)


def kept_terms_managed_by(user: User):
    """The SQL filter beside can_manage_kept_term, for the admin's list."""
    if user.is_authenticated and user.is_superuser:
        return KeptTerm.objects.all()
    return KeptTerm.objects.filter(network__in=coordinated_network_ids(user))


def networks_for_kept_terms(user: User):
    """The networks in which user may add a word to keep."""
    if user.is_authenticated and user.is_superuser:
        return Network.objects.all()
    return Network.objects.filter(pk__in=coordinated_network_ids(user))
