from datetime import time, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory, professional_in


def test_a_psychologist_anonymises_and_shares_a_vignette_that_a_colleague_reads(
    phone_page, live_server, transactional_db, password
):
    from meetings.kinds import Kind
    from meetings.recurrence import local_start
    from meetings.services.groups import charter_accept, group_create
    from meetings.services.meetings import meeting_create
    from meetings.vignettes.models import VignetteRead

    organisation = OrganisationFactory(name="SSM Les Tilleuls", kind="mental_health")
    coordinator = UserFactory()
    network = NetworkFactory(coordinators=[coordinator], organisations=[organisation])
    author = professional_in(organisation, email="ines@example.test", first_name="Inès", last_name="Haddad")
    colleague = professional_in(organisation, email="bart@example.test", first_name="Bart", last_name="Claes")
    group = group_create(
        network=network,
        kind=Kind.INTERVISION,
        name="Intervision du jeudi",
        facilitators=[colleague],
        members=[author],
        charter="Ce qui se dit ici reste ici.",
        by=coordinator,
    )
    charter_accept(group=group, user=author)
    start = local_start(timezone.localdate() + timedelta(days=3), time(12, 30))
    session = meeting_create(
        network=network,
        kind=Kind.INTERVISION,
        group=group,
        title="Intervision du jeudi — séance",
        start=start,
        end=start + timedelta(minutes=90),
        organiser=colleague,
        place="Maison médicale du Peterbos",
    )

    page = phone_page()
    log_in(page, "ines@example.test", password)
    page.goto(f"/meetings/{session.pk}/")
    page.get_by_role("link", name="Écrire une vignette").click()
    page.get_by_label("Titre").fill("Un refus de soins")
    page.get_by_label("Vignette", exact=True).fill(
        "Madame Sylvie Verstraeten, née le 14/03/1987, vit avenue de Stalingrad 12, 1000 Bruxelles. "
        "Elle refuse la visite de l'infirmière et ne répond plus au 0475 12 34 56. "
        "Elle prend de la méthadone."
    )
    page.get_by_role("button", name="Vérifier l'anonymat").click()

    expect(page.locator("#vignette-text mark.finding")).to_have_count(4)
    page.get_by_role("button", name="Appliquer").click()
    expect(page.locator("#vignette-text")).not_to_contain_text("Verstraeten")
    expect(page.locator("#vignette-text")).to_contain_text("méthadone")
    page.get_by_role("button", name="Partager avec les participants").click()
    # The browser refuses to send the form until the confirmation is ticked.
    expect(page).to_have_url(f"{live_server.url}/vignettes/{session.vignettes.get().pk}/check/")
    page.get_by_label("Je confirme que cette vignette ne permet pas d'identifier la personne").check()
    page.get_by_role("button", name="Partager avec les participants").click()
    expect(page.locator(".tag")).to_have_text("partagée")

    reader = phone_page()
    log_in(reader, "bart@example.test", password)
    reader.goto(f"/meetings/{session.pk}/")
    reader.get_by_role("link", name="Un refus de soins").click()
    expect(reader.locator("#vignette-text")).to_contain_text("Madame A.")
    expect(reader.locator("#vignette-text")).not_to_contain_text("0475")

    page.reload()
    expect(page.locator("#read-log")).to_contain_text("Bart Claes")
    assert VignetteRead.objects.get().reader == colleague
