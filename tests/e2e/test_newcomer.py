"""A newcomer's first steps: revoking a calendar subscription asks first, and the messages that
follow are a real list (each item inside its list, as axe's "listitem" rule asks)."""

from playwright.sync_api import expect

from meetings.calendar.models import FeedSubscription
from meetings.calendar.services.subscriptions import subscription_create
from tests.e2e.conftest import log_in

# axe's "listitem" rule: an <li> whose parent is no list (a <ul> given another role is none).
ITEMS_OUTSIDE_A_LIST = """
[...document.querySelectorAll('li')].filter(li => {
  const parent = li.parentElement;
  const isList = ['UL', 'OL', 'MENU'].includes(parent.tagName);
  const role = parent.getAttribute('role');
  return !isList || (role !== null && role !== 'list');
}).map(li => li.textContent.trim())
"""


def test_revoking_a_subscription_asks_first(page, live_server, transactional_db, password):
    from tests.world import build_world

    world = build_world()
    member = world.users["member"]
    subscription, _token = subscription_create(user=member, label="Téléphone")
    log_in(page, member.email, password)
    page.goto("/calendar/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Révoquer").click()
    expect(page.locator(f"#subscription-{subscription.pk}")).to_be_visible()
    subscription.refresh_from_db()
    assert subscription.revoked_at is None
    assert questions == [
        "Révoquer l'abonnement « Téléphone » ? Cet agenda ne recevra plus vos réunions, "
        "et son adresse ne fonctionnera plus."
    ]

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Révoquer").click()
    expect(page.get_by_role("status")).to_contain_text("L'abonnement « Téléphone » est révoqué")
    assert FeedSubscription.objects.get(pk=subscription.pk).revoked_at is not None
    assert page.evaluate(ITEMS_OUTSIDE_A_LIST) == []
