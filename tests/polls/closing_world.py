"""What the closing tests share: answers written directly, without the answering service's
checks (a test of ranking or closing sets up who said what, at any moment)."""

from django.utils import timezone

from meetings.polls.models import PollAnswer


def answer(participant, choices: dict) -> None:
    """PARTICIPANT answers {slot: "yes" | "maybe" | "no"}."""
    for slot, choice in choices.items():
        PollAnswer.objects.update_or_create(participant=participant, slot=slot, defaults={"choice": choice})
    participant.answered_at = timezone.now()
    participant.save(update_fields=["answered_at"])
