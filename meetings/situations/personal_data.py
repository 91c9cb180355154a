"""Situations' section of a person's data (accounts.personal_data), within the situation's rules.

The person's own copy holds only what `rules.access_for` lets them see today: for a situation
they are around or coordinate, its pseudonym, status and dates, their own rows (member, référent
terms), the plan's actions they own, and the notes they wrote — their text only while they may
still read notes. Never another person's note. A situation they no longer see (their period
ended, the person excluded them) is left out whole: the export must not tell anyone that it
exists. The administrator's copy holds nothing of situations (privacy rules 4 and 8).

Erasure ends their periods in the networks (they left) and renames an exclusion that names
their account; notes, reports and the plan stay the situation's, showing the tombstone.
"""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.personal_data import withheld
from accounts.services import erased_name
from meetings.situations.models import ConsentExclusion, Member, Note, PlanAction, Referent, Situation
from meetings.situations.rules import access_for


def _their_situations(user: User):
    ids = set(Member.objects.filter(user=user).values_list("situation_id", flat=True))
    ids |= set(Referent.objects.filter(user=user).values_list("situation_id", flat=True))
    return Situation.objects.filter(Q(pk__in=ids) | Q(requested_by=user)).order_by("pk")


def _member_row(member: Member) -> dict:
    return {
        "kind": member.kind,
        "profession": member.profession,
        "role": member.role,
        "relation": member.relation,
        "bound_by_secrecy": member.bound_by_secrecy,
        "privileged_contact": member.privileged_contact,
        "since": member.since,
        "until": member.until,
    }


def _situation(user: User, situation: Situation, today) -> dict | None:
    access = access_for(user, situation, today)
    if not access.sees:
        return None
    entry = {
        "id": situation.pk,
        "pseudonym": situation.code,
        "status": situation.status,
        "created_at": situation.created_at,
        "closed_at": situation.closed_at,
        "requested_by_me": access.requester,
    }
    if not access.sees_shared_items:  # the professional who asked: the status, nothing more
        return entry
    entry["my_member_rows"] = [_member_row(m) for m in situation.members.filter(user=user).order_by("since")]
    entry["my_referent_terms"] = [
        {"started_at": t.started_at, "ended_at": t.ended_at} for t in situation.referents.filter(user=user)
    ]
    mine = access.member if access.is_member else None
    entry["my_actions"] = [
        {
            "description": a.description,
            "due_date": a.due_date,
            "revision_date": a.revision_date,
            "status": a.status,
            "done_at": a.done_at,
        }
        for a in (PlanAction.objects.filter(owner=mine).order_by("due_date", "pk") if mine else [])
    ]
    reads_notes = access.reads_notes
    entry["my_notes"] = [
        {
            "created_at": n.created_at,
            "for_relatives": n.for_relatives,
            "purged_at": n.purged_at,
            **({"purpose": n.purpose, "text": n.text} if reads_notes and n.purged_at is None else {}),
        }
        for n in Note.objects.filter(situation=situation, author=user).order_by("created_at", "pk")
    ]
    return entry


def export(user: User, *, confidential: bool):
    if not confidential:
        return withheld(_("Réservé aux membres des situations : la personne les télécharge elle-même."))
    today = timezone.localdate()
    entries = (_situation(user, situation, today) for situation in _their_situations(user))
    return [entry for entry in entries if entry is not None]


def erase(user: User, *, now: datetime) -> None:
    today = timezone.localdate(now)
    rows = Member.objects.filter(user=user)
    rows.filter(since__gt=today).update(since=today)
    rows.filter(Q(until__isnull=True) | Q(until__gt=today)).update(until=today)
    name = erased_name(user)
    ConsentExclusion.objects.filter(user=user).exclude(name=name).update(name=name)
    # Their terms as référent end: in a binôme the other carries on; a situation left without
    # a référent shows in nobody's list until one is named (the admin sees it by its number).
    Referent.objects.filter(user=user, ended_at__isnull=True).update(ended_at=now)
