"""The people picker: a search over the people one may choose there (never a whole network in a
<select>), chosen people as chips, guests' addresses in the same field; used to invite, to add a
group's members and to hand out actions. Closed groups: who would not see a session's details is
named before anything is sent, with the choice of adding them to the group."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.picker import PeopleField
from accounts.queries import PICKER_LIMIT, people_of_networks, search_people
from meetings import rules
from meetings.models import GroupMembership, Invitation, MembershipStatus
from meetings.services import invitations as inv
from tests.factories import professional_in
from tests.pages import submit
from tests.world import GROUP_NAME, SESSION_TITLE, THEMATIC_TITLE

pytestmark = pytest.mark.django_db


def _organisation(world):
    return world.users["member"].professional.organisations.get()


def _body(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def helene(world):
    return professional_in(_organisation(world), first_name="Hélène", last_name="Van den Berghe")


# The search


def test_a_name_is_found_by_any_word_without_accents_and_the_address_is_not_shown(client, world, helene):
    stranger = professional_in(
        world.other_network.organisations.get(), first_name="Hélène", last_name="Ailleurs"
    )
    client.force_login(world.users["coordinator"])
    url = reverse("meetings:invite_search", args=[world.thematic.pk])

    by_first_name = _body(client.get(url, {"q": "hel"}))
    by_last_name = client.get(url, {"q": "BERGHE"})

    assert "Hélène Van den Berghe" in by_first_name
    assert "Psychologue · SSM Les Marolles" in by_first_name
    assert f'data-value="u{helene.pk}"' in by_first_name
    assert helene.email not in by_first_name  # what the directory shows, no more
    assert stranger.get_full_name() not in by_first_name  # another network: invited by address only
    assert [row["user"] for row in by_last_name.context["rows"]] == [helene]


def test_the_search_returns_at_most_twenty_and_says_there_are_more(client, world):
    organisation = _organisation(world)
    for n in range(PICKER_LIMIT + 3):
        professional_in(organisation, first_name="Camille", last_name=f"Nombreux {n:02d}")
    client.force_login(world.users["coordinator"])

    response = client.get(reverse("meetings:invite_search", args=[world.thematic.pk]), {"q": "nombreux"})

    assert len(response.context["rows"]) == PICKER_LIMIT
    assert "D'autres personnes correspondent : précisez le nom." in _body(response)


def test_an_empty_search_lists_nobody(world):
    assert search_people("  ", among=people_of_networks([world.network.pk])) == []


@pytest.mark.parametrize("extra", [1, 12])
def test_the_search_asks_as_many_queries_for_one_match_as_for_many(
    client, world, django_assert_num_queries, extra
):
    organisation = _organisation(world)
    people = [professional_in(organisation, first_name="Sam", last_name=f"Pareil {n}") for n in range(extra)]
    inv.invite_to_meeting(meeting=world.session, invitees=[inv.invitee_for(people[0])])
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:invite_search", args=[world.session.pk])

    # session, user, meeting (its organiser edits it), people, their services, already invited
    # among them, their standing in the group
    with django_assert_num_queries(7):
        response = client.get(url, {"q": "pareil"})

    assert len(response.context["rows"]) == extra


def test_results_mark_who_is_invited_a_member_or_not(client, world, helene):
    Invitation.objects.create(meeting=world.session, user=helene, email=helene.email)
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:invite_search", args=[world.session.pk])

    def marks(user):
        rows = client.get(url, {"q": user.last_name.split()[-1]}).context["rows"]
        (row,) = [r for r in rows if r["user"] == user]
        return [m.text for m in row["marks"]], row["blocked"]

    assert marks(helene) == (["déjà invité·e", "pas membre du groupe"], True)
    assert marks(world.users["member"]) == (["membre du groupe"], False)
    assert marks(world.users["pending"]) == (["charte pas encore acceptée"], False)
    assert marks(world.users["outsider"]) == (["pas membre du groupe"], False)


def test_a_full_address_typed_is_offered_as_a_guest(client, world):
    client.force_login(world.users["coordinator"])

    body = _body(
        client.get(reverse("meetings:invite_search", args=[world.thematic.pk]), {"q": "Ines@Example.be"})
    )

    assert 'data-value="ines@example.be"' in body
    assert "Inviter ines@example.be" in body


def test_a_name_is_kept_up_to_date_for_the_search(world, helene):
    helene.last_name = "Peeters"
    helene.save(update_fields=["last_name"])

    assert User.objects.get(pk=helene.pk).search_name == " helene peeters "


# The field


def test_the_field_takes_chosen_people_and_typed_addresses_and_refuses_others(world, helene):
    field = PeopleField(queryset=people_of_networks([world.network.pk]), guests=True)
    outsider_elsewhere = professional_in(world.other_network.organisations.get())

    picked = field.clean(
        {"chosen": [f"u{helene.pk}", "guest@example.be"], "text": "a@example.be, b@example.be"}
    )

    assert picked.users == [helene]
    assert picked.emails == ["guest@example.be", "a@example.be", "b@example.be"]
    with pytest.raises(Exception) as error:
        field.clean({"chosen": [f"u{outsider_elsewhere.pk}"], "text": ""})
    assert "ne peut pas l'être ici" in str(error.value)


def test_an_address_typed_for_a_member_of_the_network_is_that_person(world, helene):
    field = PeopleField(queryset=people_of_networks([world.network.pk]), guests=True)

    picked = field.clean({"chosen": [], "text": helene.email.upper()})

    assert picked.users == [helene] and picked.emails == []


# The invitations page


def test_the_invitations_page_has_no_whole_network_select(client, world):
    client.force_login(world.users["coordinator"])

    body = _body(client.get(reverse("meetings:invitations", args=[world.thematic.pk])))

    assert "<select multiple" not in body and '<select name="people"' not in body
    assert world.users["outsider"].get_full_name() not in body
    assert f'hx-get="/meetings/{world.thematic.pk}/invitations/search/"' in body
    assert "js/picker.js" in body


def test_a_person_picked_and_a_guest_typed_are_invited(
    client, world, helene, django_capture_on_commit_callbacks
):
    client.force_login(world.users["coordinator"])
    url = reverse("meetings:invitations", args=[world.thematic.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"people": [f"u{helene.pk}"], "people_text": "ines@example.be", "role": "participant"}
        )

    assert response.status_code == 302
    assert sorted(world.thematic.invitations.values_list("email", flat=True)) == sorted(
        [helene.email, "ines@example.be"]
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([helene.email, "ines@example.be"])


def test_a_refused_form_shows_the_chosen_people_again_as_chips(client, world, helene):
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("meetings:invitations", args=[world.thematic.pk]),
        {"people": [f"u{helene.pk}"], "people_text": "pas-une@adresse", "role": "participant"},
    )

    body = _body(response)
    assert f'<input type="checkbox" name="people" value="u{helene.pk}" checked> Hélène Van den Berghe' in body
    assert "pas-une@adresse</textarea>" in body
    assert world.thematic.invitations.count() == 0


def test_the_group_is_preselected_with_its_size(client, world):
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:invitations", args=[world.session.pk])

    before = client.get(url)
    inv.invite_to_meeting(meeting=world.session, invitees=inv.invitees_of_group(world.group))
    after = client.get(url)

    assert before.context["form"]["whole_group"].value() is True
    assert "Tout le groupe (3 membres)" in _body(before)
    assert not after.context["form"]["whole_group"].value()
    assert "Tous les membres du groupe sont déjà invités." in _body(after)


def test_the_preselected_group_says_at_once_who_would_not_see_the_details_and_sending_confirms_it(
    client, world, django_capture_on_commit_callbacks
):
    """One screen: the warning about the preselected group shows before the first send, and the
    page sent as it stands invites them; someone picked besides is warned about again."""
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:invitations", args=[world.session.pk])
    page = client.get(url)
    check = page.context["check"]
    data = {"scope": "meeting", "whole_group": "on", "role": "participant", "warned": check.key}

    outsider = world.users["outsider"]
    with django_capture_on_commit_callbacks(execute=True):
        more = client.post(url, data | {"people": f"u{outsider.pk}"})
    assert [u.pk for u in check.charter_pending] == [world.users["pending"].pk]
    assert "Avant d'envoyer" in _body(page)
    assert more.status_code == 200 and more.context["check"].not_members == [outsider]
    assert not world.session.invitations.filter(user=world.users["pending"]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, data)
    assert sent.status_code == 302
    invited = set(world.session.invitations.values_list("user_id", flat=True))
    assert {world.users["member"].pk, world.users["pending"].pk} <= invited
    assert outsider.pk not in invited


def test_the_page_says_when_the_kind_replaces_the_title_in_e_mails_and_calendars(client, world):
    client.force_login(world.users["facilitator"])

    session = _body(client.get(reverse("meetings:invitations", args=[world.session.pk])))
    client.force_login(world.users["coordinator"])
    thematic = _body(client.get(reverse("meetings:invitations", args=[world.thematic.pk])))

    assert (
        f"cette réunion s'appellera « Groupe Balint — {GROUP_NAME} » : son titre ne s'y affiche pas "
        "(règle du type « Groupe Balint »)" in session
    )
    assert "Ni l'objet, ni l'ordre du jour, ni la liste des participant·e·s n'y figurent" in session
    assert (
        "le détail n'est visible que des membres du groupe « Balint des Marolles » qui ont accepté" in session
    )
    assert 'id="title-replaced"' not in thematic
    assert f"Dans les e-mails et les agendas : « {THEMATIC_TITLE} »" in thematic
    assert "L'objet et l'ordre du jour figurent dans l'e-mail et l'agenda." in thematic
    assert SESSION_TITLE  # the session's own title is the one replaced


@pytest.mark.parametrize("extra", [1, 8])
def test_the_invitations_page_asks_as_many_queries_for_one_invitee_as_for_many(
    client, world, django_assert_num_queries, extra
):
    people = [professional_in(_organisation(world)) for _ in range(extra)]
    inv.invite_to_meeting(meeting=world.session, invitees=[inv.invitee_for(p) for p in people])
    client.force_login(world.users["facilitator"])

    # session, user, meeting (its organiser edits it), the group's counts, invitations, their
    # standing in the group, who of the preselected group would not see the details, answer
    # counts, failed e-mails, whether the viewer manages the group (who adds members); nobody of
    # the network is listed to choose from (the picker searches); meeting load's budgets
    # (invitations, profiles, their organisations, organisations' budgets, the month's meetings
    # and roll calls, travel)
    with django_assert_num_queries(17):
        response = client.get(reverse("meetings:invitations", args=[world.session.pk]))

    assert len(response.context["invitations"]) == extra


# Closed groups


def test_inviting_a_non_member_to_a_closed_session_warns_and_adds_them_to_the_group(
    client, world, django_capture_on_commit_callbacks
):
    outsider = world.users["outsider"]
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:invitations", args=[world.session.pk])

    warned = client.post(url, {"scope": "meeting", "people": [f"u{outsider.pk}"], "role": "participant"})

    body = _body(warned)
    assert "Avant d'envoyer : ces personnes ne verront pas le détail de la séance" in body
    assert f"Ajouter {outsider.get_full_name()} au groupe" in body
    assert world.session.invitations.count() == 0 and mail.outbox == []
    # Confirmed as the page stands: the box to add them is ticked.
    with django_capture_on_commit_callbacks(execute=True):
        sent = submit(client, warned, url)

    assert sent.status_code == 302
    assert list(world.session.invitations.values_list("user", flat=True)) == [outsider.pk]
    assert GroupMembership.objects.get(group=world.group, user=outsider).status == MembershipStatus.ACTIVE
    assert not rules.has_accepted_charter(outsider, world.group)  # they accept it themselves
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    client.force_login(outsider)
    group_page = _body(client.get(reverse("meetings:group", args=[world.group.pk])))
    assert "J'accepte la charte" in group_page


def test_a_non_member_invited_without_being_added_stays_outside_the_group(client, world):
    outsider = world.users["outsider"]
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:invitations", args=[world.session.pk])
    data = {"scope": "meeting", "people": [f"u{outsider.pk}"], "role": "participant"}
    key = client.post(url, data).context["check"].key

    response = client.post(url, {**data, "warned": key})  # the box to add them unticked

    assert response.status_code == 302
    assert world.session.invitations.filter(user=outsider).exists()
    assert not GroupMembership.objects.filter(group=world.group, user=outsider).exists()


def test_a_confirmation_counts_only_for_the_people_it_named(client, world, helene):
    outsider = world.users["outsider"]
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:invitations", args=[world.session.pk])
    data = {"scope": "meeting", "people": [f"u{outsider.pk}"], "role": "participant"}
    key = client.post(url, data).context["check"].key

    again = client.post(url, {**data, "people": [f"u{outsider.pk}", f"u{helene.pk}"], "warned": key})

    assert again.status_code == 200
    assert [u.pk for u in again.context["check"].not_members] == sorted([outsider.pk, helene.pk])
    assert world.session.invitations.count() == 0


def test_members_of_the_group_who_accepted_the_charter_are_invited_at_once(client, world):
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("meetings:invitations", args=[world.session.pk]),
        {"scope": "meeting", "people": [f"u{world.users['member'].pk}"], "role": "participant"},
    )

    assert response.status_code == 302
    assert world.session.invitations.filter(user=world.users["member"]).exists()


def test_a_typed_address_finds_the_account_whatever_its_capitals(client, world):
    helene = professional_in(_organisation(world), email="Helene.VandenBerghe@Example.be")
    client.force_login(world.users["coordinator"])

    client.post(
        reverse("meetings:invitations", args=[world.thematic.pk]),
        {"people_text": "helene.vandenberghe@example.be", "role": "participant"},
    )

    (invitation,) = world.thematic.invitations.all()
    assert invitation.user == helene


def test_open_meetings_need_no_confirmation(client, world, helene):
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("meetings:invitations", args=[world.thematic.pk]),
        {"people": [f"u{helene.pk}"], "people_text": "ines@example.be", "role": "participant"},
    )

    assert response.status_code == 302
    assert world.thematic.invitations.count() == 2


def test_a_full_group_admits_nobody_and_invites_nobody(client, world):
    world.group.max_size = 2  # member and pending already
    world.group.save()
    outsider = world.users["outsider"]
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:invitations", args=[world.session.pk])
    data = {"scope": "meeting", "people": [f"u{outsider.pk}"], "role": "participant"}
    key = client.post(url, data).context["check"].key

    response = client.post(url, {**data, "warned": key, "add_to_group": [outsider.pk]})

    assert "Ce groupe est complet : 2 membres au maximum." in _body(response)
    assert world.session.invitations.count() == 0
    assert not GroupMembership.objects.filter(group=world.group, user=outsider).exists()


def test_an_organiser_who_does_not_manage_the_group_adds_nobody_to_it(client, world):
    """Organising a session is not managing its group: the page names who would not see its
    details, without offering to add them, and a forged add_to_group adds nobody."""
    facilitator, outsider = world.users["facilitator"], world.users["outsider"]
    GroupMembership.objects.filter(group=world.group, user=facilitator).update(role="member")
    client.force_login(facilitator)
    url = reverse("meetings:invitations", args=[world.session.pk])
    data = {"scope": "meeting", "people": [f"u{outsider.pk}"], "role": "participant"}
    warned = client.post(url, data)

    response = client.post(
        url, {**data, "warned": warned.context["check"].key, "add_to_group": [outsider.pk]}
    )

    assert 'name="add_to_group"' not in _body(warned)
    assert "Seules les personnes qui animent le groupe" in _body(warned)
    assert response.status_code == 302
    assert not GroupMembership.objects.filter(group=world.group, user=outsider).exists()
    assert world.session.invitations.filter(user=outsider).exists()


# A group's new members


def test_add_a_member_searches_only_people_who_are_not_members(client, world, helene):
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:group_member_search", args=[world.group.pk])

    def names(q):
        return [r["user"] for r in client.get(url, {"q": q}).context["rows"]]

    assert world.users["member"] not in names(world.users["member"].last_name)
    assert world.users["pending"] not in names(world.users["pending"].last_name)
    assert names("berghe") == [helene]
    applicant = world.users["applicant"]
    rows = client.get(url, {"q": applicant.last_name}).context["rows"]
    assert [m.text for r in rows if r["user"] == applicant for m in r["marks"]] == ["a demandé à rejoindre"]


def test_the_group_page_lists_nobody_to_add_and_adds_who_is_picked(client, world, helene):
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("meetings:group", args=[world.group.pk]))

    response = client.post(
        reverse("meetings:group_add_member", args=[world.group.pk]),
        {"people": [f"u{helene.pk}", f"u{world.users['outsider'].pk}"]},
        follow=True,
    )

    assert world.users["outsider"].get_full_name() not in _body(page)
    assert "<select" not in _body(page).split('id="member-list"')[1].split("</section>")[0]
    assert set(
        GroupMembership.objects.filter(group=world.group, status=MembershipStatus.ACTIVE).values_list(
            "user", flat=True
        )
    ) >= {helene.pk, world.users["outsider"].pk}
    assert "Membres ajouté·e·s" in _body(response)


def test_a_member_cannot_be_added_twice_nor_someone_of_another_network(client, world):
    elsewhere = professional_in(world.other_network.organisations.get())
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("meetings:group_add_member", args=[world.group.pk]),
        {"people": [f"u{elsewhere.pk}"]},
        follow=True,
    )

    assert "ne peut pas l'être ici" in _body(response)
    assert not GroupMembership.objects.filter(group=world.group, user=elsewhere).exists()


# Actions' owners


def test_an_action_owner_is_searched_among_who_may_take_it(client, world, helene):
    client.force_login(world.users["facilitator"])
    url = reverse("followup:owner_search", args=[world.session.pk])

    member = client.get(url, {"q": world.users["member"].last_name}).context["rows"]
    stranger = client.get(url, {"q": "berghe"}).context["rows"]

    assert world.users["member"] in [r["user"] for r in member]
    assert stranger == []  # in the network, but neither invited nor a member


def test_an_action_form_takes_one_owner_among_who_may_take_it(world, helene):
    from meetings.followup.forms import ActionForm
    from meetings.followup.services.outcomes import owners_among

    owners = owners_among(world.session)
    day = world.session.start.date().isoformat()

    ok = ActionForm(
        {"description": "Appeler", "owner": f"u{world.users['member'].pk}", "due_date": day}, owners=owners
    )
    two = ActionForm(
        {
            "description": "Appeler",
            "owner": [f"u{world.users['member'].pk}", f"u{world.users['pending'].pk}"],
            "due_date": day,
        },
        owners=owners,
    )
    stranger = ActionForm(
        {"description": "Appeler", "owner": f"u{helene.pk}", "due_date": day}, owners=owners
    )

    assert ok.is_valid() and ok.cleaned_data["owner"] == world.users["member"]
    assert two.errors["owner"] == ["Choisissez une seule personne."]
    assert not stranger.is_valid() and "owner" in stranger.errors


def test_the_outcome_page_hands_an_action_to_the_person_picked(client, world):
    import time_machine

    from meetings.followup.models import Action

    meeting = world.thematic
    member = world.users["member"]
    inv.invite_to_meeting(meeting=meeting, invitees=[inv.invitee_for(member)])
    client.force_login(world.users["coordinator"])
    url = reverse("followup:outcome", args=[meeting.pk])
    data = {"summary": "Les pistes retenues.", "decisions": "", "actions-TOTAL_FORMS": "1"}
    data |= {"actions-INITIAL_FORMS": "0", "actions-0-description": "Appeler le CPAS"}
    data |= {"actions-0-due_date": meeting.start.date().isoformat()}

    with time_machine.travel(meeting.end):
        form_page = _body(client.get(url))
        refused = client.post(url, data | {"actions-0-owner_text": "Dupont"})
        saved = client.post(url, data | {"actions-0-owner": f"u{member.pk}"})

    assert f'hx-get="/meetings/{meeting.pk}/owners/search/"' in form_page
    assert 'name="actions-0-owner_text"' in form_page
    assert "« Dupont » : choisissez la personne dans les résultats de la recherche" in _body(refused)
    assert saved.status_code == 302
    assert list(Action.objects.values_list("description", "owner")) == [("Appeler le CPAS", member.pk)]


# A new group's facilitators


def test_a_new_groups_facilitators_are_picked_from_the_coordinators_networks(client, world, helene):
    from meetings.models import StandingGroup

    elsewhere = professional_in(world.other_network.organisations.get(), last_name="Berghe-Ailleurs")
    client.force_login(world.users["coordinator"])
    found = client.get(reverse("meetings:group_people_search"), {"q": "berghe"}).context["rows"]
    data = {"kind": "intervision", "network": world.network.pk, "name": "Intervision du lundi"}
    data |= {"charter": "Ce qui se dit ici reste ici.", "facilitators": [f"u{helene.pk}"]}

    page = _body(client.get(reverse("meetings:group_create")))
    refused = client.post(reverse("meetings:group_create"), data | {"facilitators": [f"u{elsewhere.pk}"]})
    created = client.post(reverse("meetings:group_create"), data)

    assert [r["user"] for r in found] == [helene]
    assert "<select multiple" not in page and 'name="facilitators_text"' in page
    assert "ne peut pas l'être ici" in _body(refused)
    assert created.status_code == 302
    group = StandingGroup.objects.get(name="Intervision du lundi")
    assert list(group.memberships.values_list("user", "role")) == [(helene.pk, "facilitator")]


# An agenda item's presenter


def test_an_agenda_items_presenter_is_picked_and_shown_again_as_a_chip(client, world, helene):
    from meetings.models import Meeting

    client.force_login(world.users["coordinator"])
    data = {"kind": "thematic", "network": world.network.pk, "title": "Logement et assuétudes"}
    data |= {"day": "2027-02-09", "start_time": "09:30", "duration": "120", "place": "CPAS"}
    data |= {"purpose": "Housing First.", "agenda-TOTAL_FORMS": "1", "agenda-INITIAL_FORMS": "0"}
    data |= {"agenda-0-title": "Présentation", "agenda-0-presenter": f"u{helene.pk}"}

    found = client.get(reverse("meetings:people_search"), {"q": "berghe"}).context["rows"]
    new_page = _body(client.get(reverse("meetings:meeting_create")))
    client.post(reverse("meetings:meeting_create"), data)
    meeting = Meeting.objects.get(title="Logement et assuétudes")
    edit_page = _body(client.get(reverse("meetings:meeting_edit", args=[meeting.pk])))

    assert [r["user"] for r in found] == [helene]
    assert "<select" not in new_page.split('class="agenda-formset"')[1].split("</fieldset>")[0]
    assert [(i.title, i.presenter) for i in meeting.agenda_items.all()] == [("Présentation", helene)]
    assert f'name="agenda-0-presenter" value="u{helene.pk}" checked> Hélène Van den Berghe' in edit_page


def test_the_list_says_which_invitees_do_not_see_a_closed_sessions_details(client, world):
    users = world.users
    invitees = [inv.invitee_for(users[name]) for name in ("member", "pending", "outsider")]
    inv.invite_to_meeting(meeting=world.session, invitees=invitees)
    client.force_login(users["facilitator"])

    response = client.get(reverse("meetings:invitations", args=[world.session.pk]))

    notes = {i.user_id: i.group_note for i in response.context["invitations"]}
    assert notes == {
        users["member"].pk: "",
        users["pending"].pk: "charte pas encore acceptée : ne voit pas encore le détail",
        users["outsider"].pk: "pas membre du groupe : ne voit pas le détail",
    }
    assert "pas membre du groupe : ne voit pas le détail" in _body(response)
