"""Vignettes: where they may live, the share gate, who reads them, the read log, retention and
purge, and their text kept out of e-mails, feeds, exports and the admin."""

from contextlib import nullcontext
from datetime import time, timedelta
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import dateformat, timezone

from meetings.kinds import Kind
from meetings.models import PartStat, Vignette, VignetteRead, VignetteStatus
from meetings.recurrence import local_start
from meetings.services import vignettes as vs
from meetings.services.feeds import subscription_create
from meetings.services.groups import charter_accept, group_create
from meetings.services.invitations import answer, invite_to_meeting, invitee_for
from meetings.services.meetings import meeting_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RAW = (
    "Madame Sylvie Verstraeten, née le 14/03/1987, domiciliée avenue de Stalingrad 12, 1000 Bruxelles, "
    "tél. 0475 12 34 56. Elle est suivie au CPAS et prend de la méthadone."
)
IDENTIFIERS = ["Verstraeten", "14/03/1987", "Stalingrad", "0475 12 34 56"]


@pytest.fixture
def session(world):
    """An intervision session in three days: facilitator, member (charter accepted), pending (not),
    and a guest who declined."""
    users = world.users
    group = group_create(
        network=world.network,
        kind=Kind.INTERVISION,
        name="Intervision du jeudi",
        facilitators=[users["facilitator"]],
        members=[users["member"], users["pending"]],
        charter="Ce qui se dit ici reste ici.",
        by=users["coordinator"],
    )
    charter_accept(group=group, user=users["member"])
    start = local_start(timezone.localdate() + timedelta(days=3), time(12, 30))
    meeting = meeting_create(
        network=world.network,
        kind=Kind.INTERVISION,
        group=group,
        title="Intervision du jeudi — séance",
        start=start,
        end=start + timedelta(minutes=90),
        organiser=users["facilitator"],
        place="Maison médicale",
    )
    declined = UserFactory(email="declined@example.test")
    (invitation,) = invite_to_meeting(meeting=meeting, invitees=[invitee_for(declined)])
    answer(target=invitation, partstat=PartStat.DECLINED)
    users["declined"] = declined
    return meeting


def resolved_and_shared(world, session, text=RAW):
    vignette = vs.vignette_create(
        meeting=session, author=world.users["member"], title="Un refus de soins", text=text, names="Kevin"
    )
    decisions = [vs.Decision(f.start, f.end) for f in vs.open_findings(vignette)]
    vs.vignette_resolve(vignette=vignette, by=world.users["member"], decisions=decisions)
    return vs.vignette_share(vignette=vignette, by=world.users["member"], confirmed=True)


# Where vignettes live


def test_balint_session_refuses_vignettes_and_says_why(client, world):
    with pytest.raises(ValidationError) as error:
        vs.vignette_create(meeting=world.session, author=world.users["member"], title="Titre", text="Texte")
    client.force_login(world.users["member"])
    page = unescape(client.get(reverse("meetings:vignette_create", args=[world.session.pk])).content.decode())

    assert "à l'oral" in error.value.messages[0]
    assert "Un groupe Balint travaille à l'oral" in page
    assert 'name="text"' not in page
    assert not Vignette.objects.exists()


def test_concertation_takes_no_vignette(world):
    with pytest.raises(ValidationError):
        vs.vignette_create(
            meeting=world.concertation, author=world.users["facilitator"], title="T", text="Texte"
        )


# The share gate


def test_cannot_share_with_an_unresolved_finding(world, session):
    vignette = vs.vignette_create(meeting=session, author=world.users["member"], title="Un refus", text=RAW)

    with pytest.raises(ValidationError) as error:
        vs.vignette_share(vignette=vignette, by=world.users["member"], confirmed=True)

    vignette.refresh_from_db()
    assert error.value.code == "unresolved"
    assert vignette.status == VignetteStatus.DRAFT


def test_cannot_share_without_the_confirmation(world, session):
    vignette = vs.vignette_create(meeting=session, author=world.users["member"], title="Un refus", text=RAW)
    vs.vignette_resolve(
        vignette=vignette,
        by=world.users["member"],
        decisions=[vs.Decision(f.start, f.end) for f in vs.open_findings(vignette)],
    )

    with pytest.raises(ValidationError) as error:
        vs.vignette_share(vignette=vignette, by=world.users["member"], confirmed=False)

    assert error.value.code == "confirm"
    assert Vignette.objects.get().status == VignetteStatus.DRAFT


def test_resolving_replaces_every_identifier_and_keeps_care_words(world, session):
    vignette = resolved_and_shared(world, session)

    for identifier in IDENTIFIERS:
        assert identifier not in vignette.text
    assert "méthadone" in vignette.text and "CPAS" in vignette.text
    assert vignette.names_to_remove == ""  # real names are forgotten at sharing
    assert vignette.readable_until == session.end + timedelta(days=7)


def test_keeping_a_finding_needs_a_reason_and_listed_names_are_always_replaced(world, session):
    text = "Kevin a rencontré Madame Sylvie Verstraeten à Forest."
    vignette = vs.vignette_create(
        meeting=session, author=world.users["member"], title="Rencontre", text=text, names="Kevin"
    )
    findings = {f.kind: f for f in vs.open_findings(vignette)}
    place, kevin = findings["place"], findings["listed_name"]

    with pytest.raises(ValidationError) as no_reason:
        vs.vignette_resolve(
            vignette=vignette,
            by=world.users["member"],
            decisions=[vs.Decision(place.start, place.end, keep=True)],
        )
    with pytest.raises(ValidationError) as listed:
        vs.vignette_resolve(
            vignette=vignette,
            by=world.users["member"],
            decisions=[vs.Decision(kevin.start, kevin.end, keep=True, reason="utile")],
        )
    vs.vignette_resolve(
        vignette=vignette,
        by=world.users["member"],
        decisions=[vs.Decision(place.start, place.end, keep=True, reason="commune vaste")],
    )
    left = vs.open_findings(Vignette.objects.get())

    assert (no_reason.value.code, listed.value.code) == ("reason", "listed")
    assert place.text not in {f.text for f in left}
    assert "Kevin" in {f.text for f in left}
    assert Vignette.objects.get().kept == [{"kind": "place", "text": place.text, "reason": "commune vaste"}]


def test_only_a_participant_writes_a_vignette(world, session):
    for role in ["coordinator", "pending", "outsider", "declined"]:
        with pytest.raises(PermissionDenied):
            vs.vignette_create(meeting=session, author=world.users[role], title="T", text="Un texte.")

    assert not Vignette.objects.exists()


# Who reads


def test_participants_read_it_others_do_not(client, world, session):
    vignette = resolved_and_shared(world, session)
    results = {}
    for role in ["member", "facilitator", "pending", "outsider", "coordinator", "declined"]:
        client.force_login(world.users[role])
        response = client.get(reverse("meetings:vignette", args=[vignette.pk]))
        results[role] = response.status_code
        if response.status_code == 404:
            assert vignette.text not in response.content.decode()

    assert results == {
        "member": 200,  # the author
        "facilitator": 200,
        "pending": 404,  # has not accepted the charter
        "outsider": 404,
        "coordinator": 404,  # coordinates the network, does not take part
        "declined": 404,
    }


def test_every_read_is_logged_and_the_author_sees_who(client, world, session):
    vignette = resolved_and_shared(world, session)
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("meetings:vignette", args=[vignette.pk]))
    second = client.get(reverse("meetings:vignette", args=[vignette.pk])).content.decode()
    client.force_login(world.users["member"])
    author_page = unescape(client.get(reverse("meetings:vignette", args=[vignette.pk])).content.decode())

    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    assert (
        list(VignetteRead.objects.values_list("reader__email", flat=True)) == ["facilitator@example.test"] * 2
    )
    assert Vignette.objects.get().reads.count() == 2
    assert world.users["facilitator"].get_full_name() in author_page[author_page.index('id="read-log"') :]
    assert vignette.text[:40] in unescape(second)
    assert 'id="read-log"' not in second  # the log is the author's, not the readers'


# Retention


def test_text_is_purged_after_retention_and_a_tombstone_remains(client, world, session):
    vignette = resolved_and_shared(world, session)
    client.force_login(world.users["facilitator"])
    client.get(reverse("meetings:vignette", args=[vignette.pk]))

    with time_machine.travel(session.end + timedelta(days=6)):
        early = vs.purge_expired()
    with time_machine.travel(session.end + timedelta(days=7, minutes=1)):
        purged = vs.purge_expired()
        again = vs.purge_expired()
        reader = client.get(reverse("meetings:vignette", args=[vignette.pk]))
        client.force_login(world.users["member"])
        author = unescape(client.get(reverse("meetings:vignette", args=[vignette.pk])).content.decode())

    vignette.refresh_from_db()
    assert (early, purged, again) == (0, 1, 0)
    assert (vignette.text, vignette.status, vignette.kept) == ("", VignetteStatus.PURGED, [])
    assert (vignette.title, vignette.reads.count(), vignette.author) == (
        "Un refus de soins",
        1,
        world.users["member"],
    )
    assert reader.status_code == 404
    assert "a été effacé" in author and "lue 1 fois" in author
    assert list(VignetteRead.objects.values_list("reader__email", flat=True)) == ["facilitator@example.test"]
    assert world.users["facilitator"].get_full_name() in author[author.index('id="read-log"') :]


def test_group_retention_can_be_zero_days(world, session):
    session.group.vignette_retention_days = 0
    session.group.save()
    vignette = resolved_and_shared(world, session)

    assert vignette.readable_until == session.end
    with time_machine.travel(session.end + timedelta(minutes=1)):
        assert not vs.can_read(world.users["facilitator"], vignette)


def test_author_withdraws_and_the_text_is_gone(client, world, session):
    vignette = resolved_and_shared(world, session)
    client.force_login(world.users["facilitator"])
    client.get(reverse("meetings:vignette", args=[vignette.pk]))

    vs.vignette_withdraw(vignette=vignette, by=world.users["member"])
    client.force_login(world.users["member"])
    author = unescape(client.get(reverse("meetings:vignette", args=[vignette.pk])).content.decode())

    vignette.refresh_from_db()
    assert (vignette.status, vignette.text) == (VignetteStatus.WITHDRAWN, "")
    assert not vs.can_read(world.users["facilitator"], vignette)
    assert vignette.title == "Un refus de soins"  # checked at sharing: the tombstone keeps it
    assert list(VignetteRead.objects.values_list("reader__email", flat=True)) == ["facilitator@example.test"]
    assert world.users["facilitator"].get_full_name() in author[author.index('id="read-log"') :]
    assert "lue 1 fois" in author


def test_a_withdrawn_draft_loses_its_title_like_a_purged_one(world, session):
    vignette = vs.vignette_create(
        meeting=session, author=world.users["member"], title="Le refus de Kevin", text=RAW, names="Kevin"
    )

    vs.vignette_withdraw(vignette=vignette, by=world.users["member"])

    stored = Vignette.objects.get()
    assert (stored.status, stored.title, stored.text, stored.names_to_remove) == (
        VignetteStatus.WITHDRAWN,
        vs.UNSHARED_TITLE,
        "",
        "",
    )
    assert stored.withdrawn_at == stored.purged_at is not None
    with pytest.raises(ValidationError) as again:
        vs.vignette_withdraw(vignette=stored, by=world.users["member"])
    assert again.value.code == "gone"


def test_a_reader_account_cannot_be_deleted_with_the_read_log(client, world, session):
    guest = UserFactory(email="guest@example.test")
    invite_to_meeting(meeting=session, invitees=[invitee_for(guest)])
    vignette = resolved_and_shared(world, session)
    client.force_login(guest)
    client.get(reverse("meetings:vignette", args=[vignette.pk]))

    with pytest.raises(ProtectedError) as error:
        guest.delete()

    assert {type(obj) for obj in error.value.protected_objects} == {VignetteRead}

    assert list(VignetteRead.objects.values_list("reader__email", flat=True)) == ["guest@example.test"]


def test_stale_drafts_are_purged_too(world, session):
    vs.vignette_create(
        meeting=session, author=world.users["member"], title="Brouillon", text=RAW, names="Kevin"
    )

    with time_machine.travel(session.end + timedelta(days=8)):
        assert vs.purge_expired() == 1

    assert (Vignette.objects.get().text, Vignette.objects.get().names_to_remove) == ("", "")


# Bad input


@pytest.mark.parametrize(
    ("text", "message"),
    [("   \n ", "vide"), ("a" * 30_001, "30")],
)
def test_empty_or_too_long_text_is_refused_with_a_message(client, world, session, text, message):
    client.force_login(world.users["member"])

    response = client.post(
        reverse("meetings:vignette_create", args=[session.pk]), {"title": "Titre", "text": text, "names": ""}
    )

    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not Vignette.objects.exists()


def test_control_characters_are_stripped_and_html_is_shown_as_text(client, world, session):
    client.force_login(world.users["member"])
    client.post(
        reverse("meetings:vignette_create", args=[session.pk]),
        {"title": "Titre", "text": "Il dit\x07 : <script>alert(1)</script> <b>non</b>.", "names": ""},
    )
    vignette = Vignette.objects.get()

    page = client.get(reverse("meetings:vignette_check", args=[vignette.pk])).content.decode()

    assert "\x07" not in vignette.text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Kept out of everything else


def test_vignette_text_never_leaves_in_emails_feeds_exports_or_admin(
    client, world, session, django_capture_on_commit_callbacks
):
    vignette = resolved_and_shared(world, session)
    secret = vignette.text[:60]
    with django_capture_on_commit_callbacks(execute=True):
        invite_to_meeting(meeting=session, invitees=[invitee_for(world.users["outsider"])])
    _subscription, token = subscription_create(user=world.users["member"], label="Téléphone")
    admin = UserFactory(email="admin@example.test", is_staff=True, is_superuser=True)

    feed = client.get(reverse("meetings:feed", args=[token])).content.decode()
    client.force_login(world.users["facilitator"])
    with time_machine.travel(session.end + timedelta(minutes=5)):
        export = client.get(reverse("meetings:attendance_csv", args=[session.pk])).content.decode("utf-8-sig")
    client.force_login(admin)
    admin_list = client.get(reverse("admin:meetings_vignette_changelist")).content.decode()
    admin_change = client.get(reverse("admin:meetings_vignette_change", args=[vignette.pk])).content.decode()

    assert mail.outbox, "the invitation was sent"
    for message in mail.outbox:
        for part in [message.body, *(content for content, _mimetype in message.alternatives)]:
            assert secret not in part and vignette.title not in part
    assert "BEGIN:VCALENDAR" in feed and secret not in feed
    assert secret not in export
    assert secret not in admin_list and secret not in unescape(admin_change)


def test_moving_the_meeting_earlier_or_cancelling_it_brings_the_end_of_reading_forward(world, session):
    from meetings.services.meetings import meeting_cancel, meeting_update

    vignette = resolved_and_shared(world, session)
    earlier = {"start": session.start - timedelta(days=2), "end": session.end - timedelta(days=2)}
    meeting_update(meeting=session, changes=earlier)
    vignette.refresh_from_db()

    with time_machine.travel(session.end + timedelta(days=6)):
        assert not vs.can_read(world.users["facilitator"], vignette)
    meeting_cancel(meeting=session)
    vignette.refresh_from_db()
    assert not vs.can_read(world.users["facilitator"], vignette)
    assert vs.purge_expired() == 1


def test_the_meeting_page_stops_listing_a_vignette_once_the_meeting_is_cancelled(client, world, session):
    from meetings.services.meetings import meeting_cancel

    vignette = resolved_and_shared(world, session)
    client.force_login(world.users["facilitator"])
    meeting_page = reverse("meetings:meeting", args=[session.pk])
    before = unescape(client.get(meeting_page).content.decode())

    meeting_cancel(meeting=session)
    after = unescape(client.get(meeting_page).content.decode())
    detail = client.get(reverse("meetings:vignette", args=[vignette.pk]))

    assert vignette.title in before[before.index('id="vignette-list"') :]
    assert 'id="vignette-list"' not in after and vignette.title not in after
    assert detail.status_code == 404


def test_the_detail_page_shows_the_end_of_reading_brought_forward(client, world, session):
    from meetings.services.meetings import meeting_update

    vignette = resolved_and_shared(world, session)
    earlier = {"start": session.start - timedelta(days=1), "end": session.end - timedelta(days=1)}
    meeting_update(meeting=session, changes=earlier)
    client.force_login(world.users["facilitator"])

    page = unescape(client.get(reverse("meetings:vignette", args=[vignette.pk])).content.decode())

    vignette.refresh_from_db()
    shown = dateformat.format(timezone.localtime(vs.effective_until(vignette)), "j F Y")
    stored = dateformat.format(timezone.localtime(vignette.readable_until), "j F Y")
    assert f"lisible jusqu'au {shown}" in page
    assert stored not in page


def test_a_title_hiding_a_name_with_an_invisible_character_is_refused_at_sharing(world, session):
    vignette = vs.vignette_create(
        meeting=session,
        author=world.users["member"],
        title="Le refus de  Verst\u200braeten\x07",
        text="Elle refuse.",
        names="Verstraeten",
    )

    with pytest.raises(ValidationError) as error:
        vs.vignette_share(vignette=vignette, by=world.users["member"], confirmed=True)

    assert Vignette.objects.get().title == "Le refus de Verstraeten"
    assert error.value.code == "title"
    assert Vignette.objects.get().status == VignetteStatus.DRAFT


def test_an_identifying_title_is_refused_at_sharing(world, session):
    vignette = vs.vignette_create(
        meeting=session,
        author=world.users["member"],
        title="Madame Sylvie Verstraeten refuse",
        text="Elle refuse.",
    )

    with pytest.raises(ValidationError) as error:
        vs.vignette_share(vignette=vignette, by=world.users["member"], confirmed=True)

    assert error.value.code == "title"
    assert Vignette.objects.get().status == VignetteStatus.DRAFT


def test_a_finding_decided_twice_is_refused(world, session):
    vignette = vs.vignette_create(meeting=session, author=world.users["member"], title="Un refus", text=RAW)
    first = vs.open_findings(vignette)[0]

    with pytest.raises(ValidationError) as error:
        vs.vignette_resolve(
            vignette=vignette,
            by=world.users["member"],
            decisions=[vs.Decision(first.start, first.end), vs.Decision(first.start, first.end)],
        )

    assert error.value.code == "duplicate"
    assert Vignette.objects.get().text == RAW


def test_an_own_replacement_is_cleaned_and_cannot_hide_a_listed_name(world, session):
    vignette = vs.vignette_create(
        meeting=session, author=world.users["member"], title="Un refus", text="Kevin refuse.", names="Kevin"
    )
    (kevin,) = vs.open_findings(vignette)

    vs.vignette_resolve(
        vignette=vignette,
        by=world.users["member"],
        decisions=[vs.Decision(kevin.start, kevin.end, replacement=" Ke\u200bvin\u202e\n ")],
    )

    vignette.refresh_from_db()
    assert vignette.text == "Kevin refuse."
    assert [f.text for f in vs.open_findings(vignette)] == ["Kevin"]
    with pytest.raises(ValidationError) as error:
        vs.vignette_share(vignette=vignette, by=world.users["member"], confirmed=True)
    assert error.value.code == "unresolved"


def test_an_own_replacement_is_one_line_of_at_most_120_characters(world, session):
    vignette = vs.vignette_create(meeting=session, author=world.users["member"], title="Un refus", text=RAW)
    first = vs.open_findings(vignette)[0]

    vs.vignette_resolve(
        vignette=vignette,
        by=world.users["member"],
        decisions=[vs.Decision(first.start, first.end, replacement="Une\n\t  dame " + "x" * 200)],
    )

    text = Vignette.objects.get().text
    replacement = text[first.start : first.start + 120]
    assert replacement == ("Une dame " + "x" * 200)[:120]
    assert text[first.start + 120 :] == RAW[first.end :]


def test_a_malformed_decision_row_applies_nothing(client, world, session):
    vignette = vs.vignette_create(meeting=session, author=world.users["member"], title="Un refus", text=RAW)
    first, second = vs.open_findings(vignette)[:2]
    client.force_login(world.users["member"])

    response = client.post(
        reverse("meetings:vignette_check", args=[vignette.pk]),
        {
            "finding": ["0", "1"],
            "start-0": str(first.start),
            "end-0": str(first.end),
            "choice-0": "replace",
            "start-1": "abc",
            "end-1": str(second.end),
        },
        follow=True,
    )

    assert Vignette.objects.get().text == RAW
    assert "Le texte a changé depuis la vérification" in unescape(response.content.decode())


def test_the_check_page_applies_decisions_in_one_post(client, world, session):
    vignette = vs.vignette_create(meeting=session, author=world.users["member"], title="Un refus", text=RAW)
    findings = vs.open_findings(vignette)
    client.force_login(world.users["member"])
    data = {"finding": [str(i) for i in range(len(findings))]}
    for i, finding in enumerate(findings):
        data |= {f"start-{i}": str(finding.start), f"end-{i}": str(finding.end), f"choice-{i}": "replace"}

    page = unescape(
        client.post(
            reverse("meetings:vignette_check", args=[vignette.pk]), data, follow=True
        ).content.decode()
    )

    assert vs.open_findings(Vignette.objects.get()) == []
    assert "Plus rien d'identifiant n'est repéré" in page


@pytest.mark.parametrize("when", ["past", "cancelled"])
def test_the_write_page_refuses_a_past_or_cancelled_meeting_with_its_reason(client, world, session, when):
    from meetings.services.meetings import meeting_cancel

    client.force_login(world.users["member"])
    url = reverse("meetings:vignette_create", args=[session.pk])
    if when == "cancelled":
        meeting_cancel(meeting=session)
        expected = "annulée ou clôturée"
    else:
        expected = "La réunion a eu lieu"

    with time_machine.travel(session.end + timedelta(minutes=1)) if when == "past" else nullcontext():
        page = unescape(client.get(url).content.decode())
        posted = client.post(url, {"title": "Titre", "text": "Un texte.", "names": ""})

    assert expected in page[page.index('id="no-vignette-reason"') :]
    assert 'name="text"' not in page
    assert expected in unescape(posted.content.decode())
    assert not Vignette.objects.exists()


def test_the_write_page_is_forbidden_to_a_non_participant(client, world, session):
    client.force_login(world.users["declined"])

    response = client.get(reverse("meetings:vignette_create", args=[session.pk]))

    assert response.status_code == 403
    assert 'name="text"' not in response.content.decode()


def test_someone_who_only_gets_the_minutes_is_not_a_participant(world, session):
    from meetings.models import InvitationRole

    reader = UserFactory(email="minutes@example.test")
    invite_to_meeting(meeting=session, invitees=[invitee_for(reader, InvitationRole.MINUTES_ONLY)])
    vignette = resolved_and_shared(world, session)

    assert not vs.can_read(reader, vignette)


def test_vignettes_are_written_before_the_session_not_after(world, session):
    with time_machine.travel(session.end + timedelta(minutes=1)), pytest.raises(ValidationError) as error:
        vs.vignette_create(meeting=session, author=world.users["member"], title="Trop tard", text="Un texte.")

    assert error.value.code == "late"
    assert not Vignette.objects.exists()
