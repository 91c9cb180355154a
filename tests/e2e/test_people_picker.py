"""The people picker in Chromium: typing a name finds a colleague, chosen by click or keyboard,
an address becomes a guest's chip, chips are removed with their button; a closed group's session
names who would not see its details before sending; the invitations page fits a 360 px phone."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import professional_in


def _colleagues(world):
    organisation = world.users["member"].professional.organisations.get()
    helene = professional_in(organisation, first_name="Hélène", last_name="Van den Berghe")
    professional_in(organisation, first_name="Jonas", last_name="Peeters")
    return helene


def test_coordinator_types_names_and_an_address_and_invites_them(page, transactional_db, password):
    from tests.world import build_world

    world = build_world()
    helene = _colleagues(world)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, "coord@example.test", password)
    page.goto(f"/meetings/{world.thematic.pk}/invitations/")

    field = page.get_by_label("Qui inviter")
    field.press_sequentially("hele")
    page.get_by_role("button", name=re.compile("Hélène Van den Berghe")).click()
    chips = page.locator(".chips")
    expect(chips).to_contain_text("Hélène Van den Berghe")
    assert field.input_value() == ""
    # The keyboard: down into the results, Enter on the one focused.
    field.press_sequentially("peet")
    expect(page.get_by_role("button", name=re.compile("Jonas Peeters"))).to_be_visible()
    field.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(chips).to_contain_text("Jonas Peeters")
    # Removed again with its button, which says whom it removes.
    page.get_by_role("button", name="Retirer Jonas Peeters").click()
    expect(chips).not_to_contain_text("Jonas Peeters")
    # An address typed becomes a guest's chip.
    field.press_sequentially("ines@example.be")
    field.press("Enter")
    expect(chips).to_contain_text("ines@example.be")

    page.get_by_role("button", name="Envoyer les invitations").click()

    expect(page.locator("#invitation-list")).to_contain_text("Hélène Van den Berghe")
    expect(page.locator("#invitation-list")).to_contain_text("ines@example.be")
    assert sorted(world.thematic.invitations.values_list("email", flat=True)) == sorted(
        [helene.email, "ines@example.be"]
    )
    assert violations == [], violations


def test_a_closed_groups_facilitator_is_told_and_adds_a_newcomer(page, transactional_db, password):
    from meetings.models import GroupMembership, MembershipStatus
    from tests.world import build_world

    world = build_world()
    helene = _colleagues(world)
    log_in(page, "facilitator@example.test", password)
    page.goto(f"/meetings/{world.session.pk}/invitations/")

    # The group comes preselected; the picker marks who is not a member.
    expect(page.get_by_label(re.compile(r"Tout le groupe \(3 membres\)"))).to_be_checked()
    page.get_by_label("Tout le groupe").uncheck()
    page.get_by_label("Cette réunion").check()
    page.get_by_label("Qui inviter").press_sequentially("berghe")
    option = page.get_by_role("button", name=re.compile("Hélène Van den Berghe"))
    expect(option).to_contain_text("pas membre du groupe")
    option.click()
    page.get_by_role("button", name="Envoyer les invitations").click()

    check = page.locator("#details-check")
    expect(check).to_contain_text("ne verront pas le détail de la séance")
    expect(page.get_by_label("Ajouter Hélène Van den Berghe au groupe")).to_be_checked()
    page.get_by_role("button", name="Confirmer et envoyer les invitations").click()

    expect(page.locator("#invitation-list")).to_contain_text("Hélène Van den Berghe")
    membership = GroupMembership.objects.get(group=world.group, user=helene)
    assert membership.status == MembershipStatus.ACTIVE


def test_the_invitations_page_does_not_scroll_sideways_on_a_phone(phone_page, transactional_db, password):
    from meetings.services import invitations as inv
    from tests.world import build_world

    world = build_world()
    inv.invite_to_meeting(
        meeting=world.thematic,
        invitees=[
            inv.guest("une.adresse.particulierement.longue@un-service-de-sante-mentale.example.be"),
            *[inv.invitee_for(world.users[name]) for name in ("member", "pending", "outsider")],
        ],
    )
    page = phone_page()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, "coord@example.test", password)

    page.goto(f"/meetings/{world.thematic.pk}/invitations/")

    expect(page.locator("#invitation-list li")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
