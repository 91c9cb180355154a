"""Query budgets of the vignettes' forms (tests/queries.py; the vignette page and the meeting
page's list are measured in test_vignettes.py): writing, editing and checking a vignette ask as
many queries however many vignettes, readers and participants its meeting has."""

import pytest

from meetings.vignettes.models import Vignette, VignetteRead, VignetteStatus
from tests.e2e import phone_pages as pages
from tests.queries import MANY, Budget, check_budget, invite_many, meeting, quietly

pytestmark = pytest.mark.xdist_group("queries-vignettes")


def more_vignettes(demo) -> list[str]:
    """MANY more participants of the session, each with a shared vignette read by the others."""
    upcoming = meeting("upcoming", demo)
    people = invite_many(upcoming)
    vignettes = Vignette.objects.bulk_create(
        Vignette(
            meeting=upcoming,
            author=person,
            title=f"Vignette numéro {i}",
            text="Une situation.",
            status=VignetteStatus.SHARED,
        )
        for i, person in enumerate(people)
    )
    VignetteRead.objects.bulk_create(
        VignetteRead(vignette=vignette, reader=reader) for vignette in vignettes for reader in people[:MANY]
    )
    return []


V = pages.Visit
BUDGETS = [
    Budget(V("vignettes:vignette_create", "professional", "upcoming"), quietly(more_vignettes)),
    Budget(V("vignettes:vignette_edit", "professional", "draft_vignette"), quietly(more_vignettes)),
    Budget(V("vignettes:vignette_check", "professional", "draft_vignette"), quietly(more_vignettes)),
]


@pytest.mark.slow  # the check runs the anonymiser (spaCy)
@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: b.id)
def test_each_form_asks_the_same_queries_for_few_and_many_rows(client, demo, db, budget):
    check_budget(client, demo, budget)
