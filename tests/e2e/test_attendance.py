from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory, professional_in


def test_on_phones_a_member_checks_in_with_the_code_and_the_facilitator_completes_the_roll_call(
    phone_page, transactional_db, password
):
    from meetings.attendance.models import Attendance
    from meetings.kinds import Kind
    from meetings.services.groups import charter_accept, group_create
    from meetings.services.meetings import meeting_create

    organisation = OrganisationFactory(name="SSM Les Tilleuls", kind="mental_health")
    coordinator = UserFactory()
    network = NetworkFactory(coordinators=[coordinator], organisations=[organisation])
    facilitator = professional_in(
        organisation, email="pieter@example.test", first_name="Pieter", last_name="Claes"
    )
    member = professional_in(
        organisation, email="claire@example.test", first_name="Claire", last_name="Dubois"
    )
    absent = professional_in(organisation, email="els@example.test", first_name="Els", last_name="Peeters")
    group = group_create(
        network=network,
        kind=Kind.BALINT,
        name="Balint du mardi",
        facilitators=[facilitator],
        members=[member, absent],
        charter="Ce qui se dit ici reste ici.",
        by=coordinator,
    )
    charter_accept(group=group, user=member)
    charter_accept(group=group, user=absent)
    start = timezone.now() - timedelta(minutes=2)
    session = meeting_create(
        network=network,
        kind=Kind.BALINT,
        group=group,
        title="Balint du mardi — séance",
        start=start,
        end=start + timedelta(minutes=90),
        organiser=facilitator,
        place="Rue du Chapelain 12, 1070 Anderlecht",
    )

    facilitator_page, member_page = phone_page(), phone_page()
    log_in(facilitator_page, "pieter@example.test", password)
    facilitator_page.goto(f"/meetings/{session.pk}/")
    facilitator_page.get_by_role("link", name="Afficher le code de présence").click()
    facilitator_page.get_by_role("button", name="Afficher le code").click()
    code = facilitator_page.locator("#checkin-code").inner_text().strip()

    log_in(member_page, "claire@example.test", password)
    member_page.goto(f"/meetings/{session.pk}/")
    member_page.get_by_label("Code affiché par l'animateur ou l'animatrice").fill(code.lower())
    member_page.get_by_role("button", name="Je suis là").click()
    expect(member_page.locator("#my-attendance")).to_contain_text("présent·e")

    facilitator_page.goto(f"/meetings/{session.pk}/")
    facilitator_page.get_by_role("link", name="Faire l'appel").click()
    row = facilitator_page.locator("fieldset", has_text="Els Peeters")
    row.get_by_label("excusé·e").check()
    facilitator_page.locator("fieldset", has_text="Pieter Claes").get_by_label("présent·e").check()
    facilitator_page.get_by_role("button", name="Enregistrer l'appel").click()
    expect(facilitator_page.locator("#attendance-counts")).to_have_text(
        "2 présent·es sur 3 personnes notées."
    )

    recorded = dict(Attendance.objects.values_list("user__email", "status"))
    assert recorded == {
        "claire@example.test": "present",
        "els@example.test": "excused",
        "pieter@example.test": "present",
    }
    assert Attendance.objects.get(user=member).checked_in_at is not None
