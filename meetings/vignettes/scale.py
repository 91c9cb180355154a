"""Case vignettes of the scale data (`seed_scale`): a few a year in each group whose kind takes
written case material (intervision, supervision; never a Balint group, privacy rule 3), each
written by one of the session's participants before it, in the states the services leave.

- Sessions whose time of reading is over: the purge (every quarter of an hour) emptied them,
  title kept for a shared one, "—" for a draft never shared; now and then the author withdrew
  one before the session.
- Sessions of the past week, within their time of reading: shared, text readable.
- Each group's next session, within a month: shared a few days before it, or a draft still
  being written.

Every read of a shared vignette by someone other than its author is in its read log and in the
access log (until the access log's retention forgets it), as vignette_read writes them.
"""

from datetime import timedelta

from accounts.bulk import Context
from accounts.models import Network
from meetings.kinds import POLICIES
from meetings.models import Invitation, InvitationRole, Meeting, MeetingStatus, PartStat
from meetings.vignettes.models import KeptTerm, Vignette, VignetteRead, VignetteStatus
from meetings.vignettes.services import UNSHARED_TITLE

# Per session: none, one or two (about six a year in a monthly group).
PER_SESSION = [(0, 58), (1, 34), (2, 8)]
AHEAD = timedelta(days=31)  # the next session of each group
WITHDRAWN, NEVER_SHARED = 0.04, 0.05
READERS = (0.3, 0.7)  # of the other participants, who open a shared vignette
MAX_READERS = 60
VIGNETTES = [
    (
        "Un refus de soins qui inquiète l'équipe",
        "Madame A., une quarantaine d'années, annule ses rendez-vous depuis quelques semaines et "
        "refuse la visite de l'infirmière à domicile. Son fils a appelé l'accueil, inquiet. "
        "Questions pour le groupe : comment garder le lien sans forcer ?",
    ),
    (
        "Une sortie d'hospitalisation sans relais",
        "Monsieur D., la cinquantaine, sort de l'unité de psychiatrie un vendredi soir, sans "
        "rendez-vous prévu. Le week-end, personne ne répond. Qui, dans le réseau, aurait pu être "
        "prévenu, et comment ?",
    ),
    (
        "Quand la famille demande de ne rien dire",
        "La fille de Madame L. demande à l'équipe de ne pas parler du diagnostic à sa mère. "
        "L'équipe se divise. Que dit-on, et à qui ?",
    ),
    (
        "Un jeune qui ne vient qu'en crise",
        "K., 19 ans, ne passe au service qu'aux urgences de la nuit, puis disparaît pendant des "
        "semaines. Comment construire un suivi avec quelqu'un qu'on ne voit qu'en crise ?",
    ),
    (
        "Le secret partagé avec l'école",
        "L'école demande des nouvelles d'un enfant suivi par le service. Les parents n'ont rien "
        "dit de leur accord. Que partager, et avec qui ?",
    ),
]
NAMES = ["Sylvie, Kevin", "Dr Mertens", "Nadia ; Tom", ""]
# The local services a network's coordinator tells the anonymiser to keep, a few per network.
KEPT_TERMS = ["Le Goéland", "Maison Kabasele", "Het Anker", "La Passerelle", "De Brug", "L'Escale"]


def _per_session(rng) -> int:
    return rng.choices([n for n, _w in PER_SESSION], weights=[w for _n, w in PER_SESSION])[0]


def seed(ctx: Context) -> None:
    rng, now = ctx.rng, ctx.now
    kinds = [
        kind for kind, policy in POLICIES.items() if policy.written_case_material and policy.runs_as_group
    ]
    sessions = list(
        Meeting.objects.filter(
            group__kind__in=kinds,
            status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD, MeetingStatus.CLOSED],
            start__lt=now + AHEAD,
        )
        .order_by("pk")
        .values_list("pk", "start", "end", "group__vignette_retention_days")
    )
    chosen = [(session, n) for session in sessions if (n := _per_session(rng))]
    # Who may write and read them: the session's invitees who have not declined.
    participants: dict[int, list[int]] = {}
    for meeting_id, user_id in (
        Invitation.objects.filter(meeting_id__in=[s[0] for s, _n in chosen], user__isnull=False)
        .exclude(partstat=PartStat.DECLINED)
        .exclude(role=InvitationRole.MINUTES_ONLY)
        .order_by("pk")
        .values_list("meeting_id", "user_id")
        .iterator(chunk_size=20_000)
    ):
        participants.setdefault(meeting_id, []).append(user_id)
    bar = ctx.bar(len(chosen), "vignettes")
    for (pk, start, end, retention_days), count in chosen:
        bar.update()
        people = participants.get(pk, [])
        if not people:
            continue
        readable_until = end + timedelta(days=retention_days)
        for author in rng.sample(people, min(count, len(people))):
            title, text = rng.choice(VIGNETTES)
            # Sessions exist from their series' start: a vignette is written days before one.
            written = start - timedelta(days=rng.randint(3, 12), hours=rng.randint(0, 10))
            if start > now:
                written = min(written, now - timedelta(hours=rng.randint(1, 72)))
            row = {"meeting_id": pk, "author_id": author, "title": title, "created_at": written}
            r = rng.random()
            if start > now:  # the next session: being prepared
                if r < 0.4:
                    row.update(status=VignetteStatus.DRAFT, text=text, names_to_remove=rng.choice(NAMES))
                    row["updated_at"] = row["created_at"]
                    ctx.add(Vignette, row)
                    continue
                shared = min(written + timedelta(days=rng.randint(0, 2), hours=2), now)
            elif readable_until <= now and r < NEVER_SHARED:  # a draft never shared, then purged
                row.update(
                    status=VignetteStatus.PURGED,
                    title=UNSHARED_TITLE,
                    purged_at=readable_until + timedelta(minutes=rng.randint(1, 14)),
                )
                row["updated_at"] = row["purged_at"]
                ctx.add(Vignette, row)
                continue
            else:
                shared = written + timedelta(days=rng.randint(0, 2), hours=2)
            row.update(shared_at=shared, readable_until=readable_until)
            if readable_until <= now:
                withdrawn = r > 1 - WITHDRAWN
                row.update(
                    status=VignetteStatus.WITHDRAWN if withdrawn else VignetteStatus.PURGED,
                    purged_at=shared + (start - shared) / 2
                    if withdrawn
                    else readable_until + timedelta(minutes=rng.randint(1, 14)),
                )
                row["updated_at"] = row["purged_at"]
                until = row["purged_at"]
            else:
                row.update(status=VignetteStatus.SHARED, text=text, updated_at=shared)
                until = min(readable_until, now)
            vignette_id = ctx.add(Vignette, row)
            others = [u for u in people if u != author]
            share = rng.uniform(*READERS)
            for reader in rng.sample(others, min(MAX_READERS, round(len(others) * share))):
                # Mostly before the session, to prepare it; some during the days after.
                at = shared + (until - shared) * rng.random() ** 1.5
                ctx.add(VignetteRead, {"vignette_id": vignette_id, "reader_id": reader, "read_at": at})
                ctx.read(
                    reader_id=reader,
                    subject=f"vignette:{vignette_id}",
                    item="vignette",
                    item_id=vignette_id,
                    at=at,
                )
    bar.close()
    for network_id in Network.objects.order_by("pk").values_list("pk", flat=True):
        for term in rng.sample(KEPT_TERMS, rng.randint(1, 3)):
            ctx.add(KeptTerm, {"network_id": network_id, "term": term, "created_at": now})
