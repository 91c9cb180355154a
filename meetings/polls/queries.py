"""The poll page's data, in a constant number of queries whatever the number of participants
and slots: the slots, the participants (with their accounts), the answers, and the conflicts
(conflicts.busy_slots, two queries)."""

from dataclasses import dataclass, field

from meetings.polls import ranking
from meetings.polls.conflicts import busy_slots
from meetings.polls.models import Poll, PollAnswer, PollParticipant, PollSlot


@dataclass
class PollPage:
    poll: Poll
    slots: list[PollSlot]
    participants: list[PollParticipant]
    # {(participant id, slot id): choice}
    answers: dict[tuple[int, int], str]
    # {participant id: ids of the slots they are busy on}
    busy: dict[int, set[int]]
    ranked: list[ranking.SlotResult] = field(default_factory=list)

    def answered(self, participant: PollParticipant) -> bool:
        return participant.answered_at is not None or any(
            (participant.pk, slot.pk) in self.answers for slot in self.slots
        )

    @property
    def unanswered(self) -> list[PollParticipant]:
        return [p for p in self.participants if not self.answered(p)]

    def grid(self, participants=None) -> list[tuple[PollParticipant, list[tuple[PollSlot, str, bool]]]]:
        """Rows of (participant, [(slot, choice or "", busy)]) in the slots' order."""
        rows = []
        for participant in self.participants if participants is None else participants:
            busy = self.busy.get(participant.pk, set())
            rows.append(
                (
                    participant,
                    [
                        (slot, self.answers.get((participant.pk, slot.pk), ""), slot.pk in busy)
                        for slot in self.slots
                    ],
                )
            )
        return rows


def poll_page(poll: Poll) -> PollPage:
    slots = list(PollSlot.objects.filter(poll=poll).order_by("start", "pk"))
    participants = list(PollParticipant.objects.filter(poll=poll).select_related("user"))
    answers = {
        (participant_id, slot_id): choice
        for participant_id, slot_id, choice in PollAnswer.objects.filter(slot__poll=poll).values_list(
            "participant_id", "slot_id", "choice"
        )
    }
    busy = busy_slots(poll, slots, participants)
    page = PollPage(poll=poll, slots=slots, participants=participants, answers=answers, busy=busy)
    page.ranked = ranking.rank(
        slots=[(s.pk, s.start) for s in slots],
        participants=[(p.pk, p.required) for p in participants],
        answers=answers,
        busy=busy,
    )
    return page
