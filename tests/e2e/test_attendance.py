from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory, professional_in


def _session_under_way(network, kind, name, facilitator, members, *, by, place, minutes_ago):
    """A group of MEMBERS (the charter accepted) facilitated by FACILITATOR, whose session began
    MINUTES_AGO: its roll call is open."""
    from meetings.services.groups import charter_accept, group_create
    from meetings.services.meetings import meeting_create

    group = group_create(
        network=network,
        kind=kind,
        name=name,
        facilitators=[facilitator],
        members=members,
        charter="Ce qui se dit ici reste ici.",
        by=by,
    )
    for member in members:
        charter_accept(group=group, user=member)
    start = timezone.now() - timedelta(minutes=minutes_ago)
    return meeting_create(
        network=network,
        kind=kind,
        group=group,
        title=f"{name} — séance",
        start=start,
        end=start + timedelta(minutes=90),
        organiser=facilitator,
        place=place,
    )


def test_on_phones_a_member_checks_in_with_the_code_and_the_facilitator_completes_the_roll_call(
    phone_page, transactional_db, password
):
    from meetings.attendance.models import Attendance
    from meetings.kinds import Kind

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
    session = _session_under_way(
        network,
        Kind.BALINT,
        "Balint du mardi",
        facilitator,
        [member, absent],
        by=coordinator,
        place="Rue du Chapelain 12, 1070 Anderlecht",
        minutes_ago=2,
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


NARROW_PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
# The page's width and, for each person's row, its height and where its four choices stand.
ROW_LAYOUT = """() => ({
    scrollWidth: document.documentElement.scrollWidth,
    rows: [...document.querySelectorAll('fieldset.roll-call-row')].map(row => {
        const boxes = [...row.querySelectorAll('.choices label')].map(l => l.getBoundingClientRect());
        return {
            height: row.getBoundingClientRect().height,
            tops: boxes.map(box => Math.round(box.top)),
            right: Math.max(...boxes.map(box => box.right)),
        };
    }),
})"""


def test_at_360_px_the_facilitator_goes_from_home_to_the_roll_call_taps_everyone_present_then_the_exceptions(
    browser, live_server, transactional_db, password
):
    from meetings.attendance.models import Attendance
    from meetings.kinds import Kind

    organisation = OrganisationFactory(name="Maison médicale du Peterbos", kind="medical_house")
    coordinator = UserFactory()
    network = NetworkFactory(coordinators=[coordinator], organisations=[organisation])
    facilitator = professional_in(
        organisation, email="pieter@example.test", first_name="Pieter", last_name="Van den Bossche"
    )
    names = [
        ("Claire", "Dubois"),
        ("Els", "Peeters"),
        ("Karim", "Benali"),
        ("Aïcha", "Diallo-Vandermeulen"),  # a long name still fits its row
        ("Ioana", "Popescu"),
    ]
    members = [
        professional_in(organisation, email=f"{first.lower()}@example.test", first_name=first, last_name=last)
        for first, last in names
    ]
    session = _session_under_way(
        network,
        Kind.INTERVISION,
        "Intervision du jeudi",
        facilitator,
        members,
        by=coordinator,
        place="Parc du Peterbos 3, 1070 Anderlecht",
        minutes_ago=5,
    )

    context = browser.new_context(locale="fr-BE", base_url=live_server.url, **NARROW_PHONE)
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in(page, "pieter@example.test", password)
        page.locator("#todo").get_by_role("link", name="Intervision du jeudi — séance").click()
        page.wait_for_url(f"**/meetings/{session.pk}/attendance/")

        # Enter in a minutes field saves what was tapped; it never marks everyone present.
        ioana = page.locator("fieldset.roll-call-row").filter(has_text="Ioana Popescu")
        ioana.get_by_text("en retard").click()
        ioana.get_by_label("Minutes de retard").fill("5")
        ioana.get_by_label("Minutes de retard").press("Enter")
        expect(page.locator(".messages")).to_contain_text("Présences enregistrées (1 personnes).")
        page.goto(f"/meetings/{session.pk}/attendance/")

        page.get_by_role("button", name="Tous présents").click()
        expect(page.locator(".messages")).to_contain_text("5 personnes notées présentes.")
        rows = page.locator("fieldset.roll-call-row")
        expect(rows).to_have_count(6)
        page.wait_for_load_state("load")  # the stylesheet applied, before measuring
        layout = page.evaluate(ROW_LAYOUT)
        claire = rows.filter(has_text="Claire Dubois")
        expect(claire.get_by_label("Minutes de retard")).to_be_hidden()
        claire.get_by_text("en retard").click()
        claire.get_by_label("Minutes de retard").fill("10")
        rows.filter(has_text="Els Peeters").get_by_text("excusé·e").click()
        page.get_by_role("button", name="Enregistrer l'appel").click()
        expect(page.locator("#attendance-counts")).to_have_text("5 présent·es sur 6 personnes notées.")
    finally:
        context.close()

    assert layout["scrollWidth"] <= 360
    # A name line and a line of four choices, no card; Ioana's row, late, also shows her minutes.
    assert sorted(row["height"] < 100 for row in layout["rows"]) == [False] + [True] * 5, layout
    for row in layout["rows"]:
        assert len(set(row["tops"])) == 1, row  # the four choices side by side
        assert row["right"] <= 360, row
    recorded = dict(Attendance.objects.values_list("user__email", "status"))
    assert recorded == {
        "pieter@example.test": "present",
        "claire@example.test": "late",
        "els@example.test": "excused",
        "karim@example.test": "present",
        "aïcha@example.test": "present",
        "ioana@example.test": "late",
    }
    assert Attendance.objects.get(user__email="claire@example.test").late_minutes == 10
