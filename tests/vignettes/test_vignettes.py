"""Vignettes: where they may live, the share gate, who reads them, the read log, retention and
purge, and their text kept out of e-mails, feeds, exports and the admin."""

import re
from contextlib import nullcontext
from datetime import time, timedelta
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from audit.models import AccessRecord
from meetings.calendar.services.subscriptions import subscription_create
from meetings.kinds import Kind
from meetings.models import PartStat
from meetings.recurrence import local_start
from meetings.services.groups import charter_accept, group_create
from meetings.services.invitations import answer, invite_to_meeting, invitee_for
from meetings.services.meetings import meeting_create
from meetings.vignettes import services as vs
from meetings.vignettes.models import Vignette, VignetteRead, VignetteStatus, retention_end
from meetings.vignettes.rules import can_read_vignette
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
    page = unescape(
        client.get(reverse("vignettes:vignette_create", args=[world.session.pk])).content.decode()
    )

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


@pytest.mark.slow
def test_cannot_share_with_an_unresolved_finding(world, session):
    vignette = vs.vignette_create(meeting=session, author=world.users["member"], title="Un refus", text=RAW)

    with pytest.raises(ValidationError) as error:
        vs.vignette_share(vignette=vignette, by=world.users["member"], confirmed=True)

    vignette.refresh_from_db()
    assert error.value.code == "unresolved"
    assert vignette.status == VignetteStatus.DRAFT


@pytest.mark.slow
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


@pytest.mark.slow
def test_resolving_replaces_every_identifier_and_keeps_care_words(world, session):
    vignette = resolved_and_shared(world, session)

    for identifier in IDENTIFIERS:
        assert identifier not in vignette.text
    assert "méthadone" in vignette.text and "CPAS" in vignette.text
    assert vignette.names_to_remove == ""  # real names are forgotten at sharing
    assert vignette.readable_until == session.end + timedelta(days=7)


@pytest.mark.slow
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


@pytest.mark.slow
def test_participants_read_it_others_do_not(client, world, session):
    vignette = resolved_and_shared(world, session)
    results = {}
    for role in ["member", "facilitator", "pending", "outsider", "coordinator", "declined"]:
        client.force_login(world.users[role])
        response = client.get(reverse("vignettes:vignette", args=[vignette.pk]))
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


@pytest.mark.slow
def test_a_participant_cannot_read_a_draft_or_a_withdrawn_vignette(client, world, session):
    draft = vs.vignette_create(
        meeting=session, author=world.users["member"], title="Un brouillon de refus", text=RAW
    )
    withdrawn = resolved_and_shared(world, session)
    shared_text = withdrawn.text
    vs.vignette_withdraw(vignette=withdrawn, by=world.users["member"])
    client.force_login(world.users["facilitator"])

    draft_page = client.get(reverse("vignettes:vignette", args=[draft.pk]))
    withdrawn_page = client.get(reverse("vignettes:vignette", args=[withdrawn.pk]))
    meeting_page = unescape(client.get(reverse("meetings:meeting", args=[session.pk])).content.decode())

    assert (draft_page.status_code, withdrawn_page.status_code) == (404, 404)
    assert RAW[:40] not in unescape(draft_page.content.decode())
    assert shared_text[:40] not in unescape(withdrawn_page.content.decode())
    assert not VignetteRead.objects.exists()
    vignettes_part = meeting_page[meeting_page.index('id="vignettes"') :]
    assert "Un brouillon de refus" not in vignettes_part
    assert "Un refus de soins" not in vignettes_part
    assert 'id="vignette-list"' not in vignettes_part


@pytest.mark.slow
def test_every_read_is_logged_and_the_author_sees_who(client, world, session):
    vignette = resolved_and_shared(world, session)
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("vignettes:vignette", args=[vignette.pk]))
    second = client.get(reverse("vignettes:vignette", args=[vignette.pk])).content.decode()
    client.force_login(world.users["member"])
    author_page = unescape(client.get(reverse("vignettes:vignette", args=[vignette.pk])).content.decode())

    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    assert (
        list(VignetteRead.objects.values_list("reader__email", flat=True)) == ["facilitator@example.test"] * 2
    )
    assert Vignette.objects.get().reads.count() == 2
    assert world.users["facilitator"].get_full_name() in author_page[author_page.index('id="read-log"') :]
    assert vignette.text[:40] in unescape(second)
    assert 'id="read-log"' not in second  # the log is the author's, not the readers'


# Retention


@pytest.mark.slow
def test_text_is_purged_after_retention_and_a_tombstone_remains(client, world, session):
    vignette = resolved_and_shared(world, session)
    client.force_login(world.users["facilitator"])
    client.get(reverse("vignettes:vignette", args=[vignette.pk]))

    with time_machine.travel(session.end + timedelta(days=6)):
        early = vs.purge_expired()
    with time_machine.travel(session.end + timedelta(days=7, minutes=1)):
        purged = vs.purge_expired()
        again = vs.purge_expired()
        reader = client.get(reverse("vignettes:vignette", args=[vignette.pk]))
        client.force_login(world.users["member"])
        author = unescape(client.get(reverse("vignettes:vignette", args=[vignette.pk])).content.decode())

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


@pytest.mark.slow
def test_the_author_reads_no_text_past_retention_even_before_the_purge(client, world, session):
    shared = resolved_and_shared(world, session)
    draft = vs.vignette_create(meeting=session, author=world.users["member"], title="Brouillon", text=RAW)
    client.force_login(world.users["member"])

    with time_machine.travel(session.end + timedelta(days=7, minutes=1)):
        shared_page = unescape(client.get(reverse("vignettes:vignette", args=[shared.pk])).content.decode())
        draft_page = unescape(client.get(reverse("vignettes:vignette", args=[draft.pk])).content.decode())
        check = client.get(reverse("vignettes:vignette_check", args=[draft.pk]))
        edit = client.get(reverse("vignettes:vignette_edit", args=[draft.pk]))
        readable = [can_read_vignette(world.users["member"], v) for v in (shared, draft)]

    stored = {v.pk: v for v in Vignette.objects.all()}
    assert (stored[shared.pk].text, stored[draft.pk].text) == (shared.text, RAW)  # the purge has not run
    assert readable == [False, False]
    assert shared.text[:40] not in shared_page and 'id="vignette-tombstone"' in shared_page
    assert "Verstraeten" not in draft_page and 'id="vignette-tombstone"' in draft_page
    assert 'id="reads-heading"' in shared_page  # the read log stays the author's
    for response in (check, edit):
        assert response.status_code == 302
        assert response["Location"] == reverse("vignettes:vignette", args=[draft.pk])
        assert "Verstraeten" not in response.content.decode()
    assert not VignetteRead.objects.exists()


def test_a_draft_of_a_cancelled_meeting_is_purged_and_no_longer_readable(world, session):
    from meetings.services.meetings import meeting_cancel

    draft = vs.vignette_create(meeting=session, author=world.users["member"], title="Brouillon", text=RAW)
    meeting_cancel(meeting=session)
    draft.refresh_from_db()

    assert not can_read_vignette(world.users["member"], draft)
    assert vs.purge_expired() == 1
    assert (Vignette.objects.get().status, Vignette.objects.get().text) == (VignetteStatus.PURGED, "")


@pytest.mark.slow
def test_group_retention_can_be_zero_days(world, session):
    session.group.vignette_retention_days = 0
    session.group.save()
    vignette = resolved_and_shared(world, session)

    assert vignette.readable_until == session.end
    with time_machine.travel(session.end + timedelta(minutes=1)):
        assert not can_read_vignette(world.users["facilitator"], vignette)


@pytest.mark.slow
def test_author_withdraws_and_the_text_is_gone(client, world, session):
    vignette = resolved_and_shared(world, session)
    client.force_login(world.users["facilitator"])
    client.get(reverse("vignettes:vignette", args=[vignette.pk]))

    vs.vignette_withdraw(vignette=vignette, by=world.users["member"])
    client.force_login(world.users["member"])
    author = unescape(client.get(reverse("vignettes:vignette", args=[vignette.pk])).content.decode())

    vignette.refresh_from_db()
    assert (vignette.status, vignette.text) == (VignetteStatus.WITHDRAWN, "")
    assert not can_read_vignette(world.users["facilitator"], vignette)
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
    assert stored.purged_at is not None  # withdrawn: purged by its author
    with pytest.raises(ValidationError) as again:
        vs.vignette_withdraw(vignette=stored, by=world.users["member"])
    assert again.value.code == "gone"


@pytest.mark.slow
def test_a_reader_account_cannot_be_deleted_with_the_read_log(client, world, session):
    guest = UserFactory(email="guest@example.test")
    invite_to_meeting(meeting=session, invitees=[invitee_for(guest)])
    vignette = resolved_and_shared(world, session)
    client.force_login(guest)
    client.get(reverse("vignettes:vignette", args=[vignette.pk]))

    with pytest.raises(ProtectedError) as error:
        guest.delete()

    # The author's read list and the application's access log both keep the read.
    assert {type(obj) for obj in error.value.protected_objects} == {VignetteRead, AccessRecord}

    assert list(VignetteRead.objects.values_list("reader__email", flat=True)) == ["guest@example.test"]


def test_stale_drafts_are_purged_too(world, session):
    vs.vignette_create(
        meeting=session, author=world.users["member"], title="Brouillon", text=RAW, names="Kevin"
    )

    with time_machine.travel(session.end + timedelta(days=8)):
        assert vs.purge_expired() == 1

    assert (Vignette.objects.get().text, Vignette.objects.get().names_to_remove) == ("", "")


def test_the_purge_decides_on_dates_without_reading_the_case_material(world, session):
    vs.vignette_create(meeting=session, author=world.users["member"], title="Brouillon", text=RAW)

    with time_machine.travel(session.end + timedelta(days=8)), CaptureQueriesContext(connection) as queries:
        purged = vs.purge_expired()

    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert purged == 1
    assert selects and not any('"text"' in sql or '"names_to_remove"' in sql for sql in selects)


# Bad input


@pytest.mark.parametrize(
    ("text", "message"),
    [("   \n ", "vide"), ("a" * 30_001, "30")],
)
def test_empty_or_too_long_text_is_refused_with_a_message(client, world, session, text, message):
    client.force_login(world.users["member"])

    response = client.post(
        reverse("vignettes:vignette_create", args=[session.pk]), {"title": "Titre", "text": text, "names": ""}
    )

    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not Vignette.objects.exists()


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("   \n ", "empty", "Le texte est vide"),
        ("a" * 30_001, "too_long", "Le texte compte 30001 caractères"),
    ],
)
def test_a_text_the_anonymiser_refuses_is_a_validation_error_with_its_message(
    world, session, text, code, message
):
    with pytest.raises(ValidationError) as error:
        vs.vignette_create(meeting=session, author=world.users["member"], title="Titre", text=text)

    assert error.value.code == code
    [refused] = error.value.messages
    assert refused.startswith(message)
    assert not Vignette.objects.exists()


@pytest.mark.slow
def test_control_characters_are_stripped_and_html_is_shown_as_text(client, world, session):
    client.force_login(world.users["member"])
    client.post(
        reverse("vignettes:vignette_create", args=[session.pk]),
        {"title": "Titre", "text": "Il dit\x07 : <script>alert(1)</script> <b>non</b>.", "names": ""},
    )
    vignette = Vignette.objects.get()

    page = client.get(reverse("vignettes:vignette_check", args=[vignette.pk])).content.decode()

    assert "\x07" not in vignette.text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Kept out of everything else


@pytest.mark.slow
def test_vignette_text_never_leaves_in_emails_feeds_exports_or_admin(
    client, world, session, django_capture_on_commit_callbacks
):
    vignette = resolved_and_shared(world, session)
    secret = vignette.text[:60]
    with django_capture_on_commit_callbacks(execute=True):
        invite_to_meeting(meeting=session, invitees=[invitee_for(world.users["outsider"])])
    _subscription, token = subscription_create(user=world.users["member"], label="Téléphone")
    admin = UserFactory(email="admin@example.test", is_staff=True, is_superuser=True)

    feed = client.get(reverse("calendar:feed", args=[token])).content.decode()
    client.force_login(world.users["facilitator"])
    with time_machine.travel(session.end + timedelta(minutes=5)):
        export = client.get(reverse("attendance:attendance_csv", args=[session.pk])).content.decode(
            "utf-8-sig"
        )
    client.force_login(admin)
    admin_list = client.get(reverse("admin:vignettes_vignette_changelist")).content.decode()
    admin_change = client.get(reverse("admin:vignettes_vignette_change", args=[vignette.pk])).content.decode()

    assert mail.outbox, "the invitation was sent"
    for message in mail.outbox:
        for part in [message.body, *(content for content, _mimetype in message.alternatives)]:
            assert secret not in part and vignette.title not in part
    assert "BEGIN:VCALENDAR" in feed and secret not in feed
    assert secret not in export
    assert secret not in admin_list and secret not in unescape(admin_change)


@pytest.mark.slow
def test_moving_the_meeting_earlier_or_cancelling_it_brings_the_end_of_reading_forward(world, session):
    from meetings.services.meetings import meeting_cancel, meeting_update

    vignette = resolved_and_shared(world, session)
    earlier = {"start": session.start - timedelta(days=2), "end": session.end - timedelta(days=2)}
    meeting_update(meeting=session, changes=earlier)
    vignette.refresh_from_db()

    with time_machine.travel(session.end + timedelta(days=6)):
        assert not can_read_vignette(world.users["facilitator"], vignette)
    meeting_cancel(meeting=session)
    vignette.refresh_from_db()
    assert not can_read_vignette(world.users["facilitator"], vignette)
    assert vs.purge_expired() == 1


@pytest.mark.slow
def test_the_meeting_page_stops_listing_a_vignette_once_the_meeting_is_cancelled(client, world, session):
    from meetings.services.meetings import meeting_cancel

    vignette = resolved_and_shared(world, session)
    client.force_login(world.users["facilitator"])
    meeting_page = reverse("meetings:meeting", args=[session.pk])
    before = unescape(client.get(meeting_page).content.decode())

    meeting_cancel(meeting=session)
    after = unescape(client.get(meeting_page).content.decode())
    detail = client.get(reverse("vignettes:vignette", args=[vignette.pk]))

    assert vignette.title in before[before.index('id="vignette-list"') :]
    assert 'id="vignette-list"' not in after and vignette.title not in after
    assert detail.status_code == 404


@pytest.mark.slow
def test_the_detail_page_shows_the_end_of_reading_brought_forward(client, world, session):
    from meetings.services.meetings import meeting_update

    vignette = resolved_and_shared(world, session)
    earlier = {"start": session.start - timedelta(days=1), "end": session.end - timedelta(days=1)}
    meeting_update(meeting=session, changes=earlier)
    client.force_login(world.users["facilitator"])

    page = unescape(client.get(reverse("vignettes:vignette", args=[vignette.pk])).content.decode())

    vignette.refresh_from_db()
    shown = dateformat.format(timezone.localtime(vignette.effective_until), "j F Y")
    stored = dateformat.format(timezone.localtime(vignette.readable_until), "j F Y")
    assert f"lisible jusqu'au {shown}" in page
    assert stored not in page


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_malformed_decision_row_applies_nothing(client, world, session):
    vignette = vs.vignette_create(meeting=session, author=world.users["member"], title="Un refus", text=RAW)
    first, second = vs.open_findings(vignette)[:2]
    client.force_login(world.users["member"])

    response = client.post(
        reverse("vignettes:vignette_check", args=[vignette.pk]),
        {
            "finding-TOTAL_FORMS": "2",
            "finding-INITIAL_FORMS": "2",
            "finding-0-start": str(first.start),
            "finding-0-end": str(first.end),
            "finding-0-choice": "replace",
            "finding-1-start": "abc",
            "finding-1-end": str(second.end),
        },
        follow=True,
    )

    assert Vignette.objects.get().text == RAW
    assert "Le texte a changé depuis la vérification" in unescape(response.content.decode())


@pytest.mark.slow
def test_an_extra_empty_decision_row_applies_nothing(client, world, session):
    """A post claiming more rows than the page sent: the extra one is empty, and nothing is applied."""
    vignette = vs.vignette_create(meeting=session, author=world.users["member"], title="Un refus", text=RAW)
    first = vs.open_findings(vignette)[0]
    client.force_login(world.users["member"])

    response = client.post(
        reverse("vignettes:vignette_check", args=[vignette.pk]),
        {
            "finding-TOTAL_FORMS": "2",
            "finding-INITIAL_FORMS": "1",
            "finding-0-start": str(first.start),
            "finding-0-end": str(first.end),
            "finding-0-choice": "replace",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert Vignette.objects.get().text == RAW
    assert "Le texte a changé depuis la vérification" in unescape(response.content.decode())


@pytest.mark.slow
def test_the_check_page_applies_decisions_in_one_post(client, world, session):
    vignette = vs.vignette_create(meeting=session, author=world.users["member"], title="Un refus", text=RAW)
    findings = vs.open_findings(vignette)
    client.force_login(world.users["member"])
    data = {"finding-TOTAL_FORMS": str(len(findings)), "finding-INITIAL_FORMS": str(len(findings))}
    for i, finding in enumerate(findings):
        data |= {
            f"finding-{i}-start": str(finding.start),
            f"finding-{i}-end": str(finding.end),
            f"finding-{i}-choice": "replace",
        }

    page = unescape(
        client.post(
            reverse("vignettes:vignette_check", args=[vignette.pk]), data, follow=True
        ).content.decode()
    )

    assert vs.open_findings(Vignette.objects.get()) == []
    assert "Plus rien d'identifiant n'est repéré" in page


@pytest.mark.slow
def test_the_check_page_form_sends_back_what_it_shows(client, world, session):
    """What a browser sends from the page as shown: hidden fields and the checked choices, with
    the author's own replacement for the first finding and a reason to keep the second."""
    vignette = vs.vignette_create(
        meeting=session, author=world.users["member"], title="Un refus", text="Karim Haddad vit à Forest."
    )
    client.force_login(world.users["member"])
    url = reverse("vignettes:vignette_check", args=[vignette.pk])
    page = client.get(url).content.decode()
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    data |= dict(re.findall(r'<input type="radio" name="([^"]+)" value="([^"]+)" checked>', page))
    person, place = vs.open_findings(vignette)
    data |= {"finding-0-choice": "custom", "finding-0-custom": "Monsieur Z."}
    data |= {"finding-1-choice": "keep", "finding-1-reason": "commune vaste"}

    client.post(url, data)

    stored = Vignette.objects.get()
    assert (person.text, place.text) == ("Karim Haddad", "Forest")
    assert stored.text == "Monsieur Z. vit à Forest."
    assert stored.kept == [{"kind": "place", "text": "Forest", "reason": "commune vaste"}]
    assert vs.open_findings(stored) == []


@pytest.mark.parametrize("when", ["past", "cancelled"])
def test_the_write_page_refuses_a_past_or_cancelled_meeting_with_its_reason(client, world, session, when):
    from meetings.services.meetings import meeting_cancel

    client.force_login(world.users["member"])
    url = reverse("vignettes:vignette_create", args=[session.pk])
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

    response = client.get(reverse("vignettes:vignette_create", args=[session.pk]))

    assert response.status_code == 403
    assert 'name="text"' not in response.content.decode()


@pytest.mark.slow
def test_someone_who_only_gets_the_minutes_is_not_a_participant(world, session):
    from meetings.models import InvitationRole

    reader = UserFactory(email="minutes@example.test")
    invite_to_meeting(meeting=session, invitees=[invitee_for(reader, InvitationRole.MINUTES_ONLY)])
    vignette = resolved_and_shared(world, session)

    assert not can_read_vignette(reader, vignette)


def test_vignettes_are_written_before_the_session_not_after(world, session):
    with time_machine.travel(session.end + timedelta(minutes=1)), pytest.raises(ValidationError) as error:
        vs.vignette_create(meeting=session, author=world.users["member"], title="Trop tard", text="Un texte.")

    assert error.value.code == "late"
    assert not Vignette.objects.exists()


# Query counts: the lists grow, the queries do not.


def _page_and_queries(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return unescape(response.content.decode()), len(queries)


@pytest.mark.slow
def test_the_read_log_takes_the_same_queries_for_1_and_3_reads(client, world, session):
    vignette = resolved_and_shared(world, session)
    readers = [world.users["facilitator"], UserFactory(first_name="Ines"), UserFactory(first_name="Jules")]
    url = reverse("vignettes:vignette", args=[vignette.pk])
    client.force_login(world.users["member"])
    client.get(url)  # the session is read once

    VignetteRead.objects.create(vignette=vignette, reader=readers[0])
    page_one, queries_one = _page_and_queries(client, url)
    VignetteRead.objects.bulk_create(VignetteRead(vignette=vignette, reader=r) for r in readers[1:])
    page_three, queries_three = _page_and_queries(client, url)

    log_one, log_three = (
        page[page.index('id="read-log"') :].split("</ul>")[0] for page in (page_one, page_three)
    )
    assert (log_one.count("<li>"), log_three.count("<li>")) == (1, 3)
    assert all(reader.get_full_name() in log_three for reader in readers)
    assert queries_one == queries_three


def test_the_meeting_page_lists_1_or_3_vignettes_with_the_same_queries(client, world, session):
    authors = [world.users["member"], UserFactory(first_name="Ines"), UserFactory(first_name="Jules")]

    def shared_by(author, title):
        return Vignette.objects.create(
            meeting=session,
            author=author,
            title=title,
            text="Une situation.",
            status=VignetteStatus.SHARED,
            shared_at=timezone.now(),
            readable_until=retention_end(session),
        )

    url = reverse("meetings:meeting", args=[session.pk])
    client.force_login(world.users["facilitator"])
    shared_by(authors[0], "Situation 1")
    client.get(url)  # the session is read once

    page_one, queries_one = _page_and_queries(client, url)
    shared_by(authors[1], "Situation 2")
    shared_by(authors[2], "Situation 3")
    page_three, queries_three = _page_and_queries(client, url)

    list_one, list_three = (
        page[page.index('id="vignette-list"') :].split("</ul>")[0] for page in (page_one, page_three)
    )
    assert (list_one.count("<li>"), list_three.count("<li>")) == (1, 3)
    assert all(f"Situation {n}" in list_three for n in (1, 2, 3))
    assert queries_one == queries_three


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "noted"),
    [
        (RAW, False),
        ("Gisteren kwam mevrouw Hilde Wouters langs op het onthaal van het wijkgezondheidscentrum.", False),
        ("Dün annesiyle birlikte merkeze geldi ve kirayı ödeyemediğini söyledi, tel. 0475 12 34 56.", True),
    ],
)
def test_the_check_page_says_when_the_text_is_in_neither_french_nor_dutch(
    client, world, session, text, noted
):
    vignette = vs.vignette_create(
        meeting=session, author=world.users["member"], title="Une visite", text=text
    )
    client.force_login(world.users["member"])

    page = unescape(client.get(reverse("vignettes:vignette_check", args=[vignette.pk])).content.decode())

    assert ('id="language-note"' in page) is noted
    assert ("La langue de ce texte n'a pas été reconnue" in page) is noted
    if noted:  # the identifiers that depend on no language are still found
        assert '<mark class="finding" title="Téléphone">0475 12 34 56' in page
