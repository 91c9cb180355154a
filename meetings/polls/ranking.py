"""The results of a poll, ranked: a pure function of plain data, no database.

A slot's score counts each "oui" as 1 and each "si nécessaire" as 0.5. Slots are ranked by score
(highest first); a tie goes to the slot with fewer conflicts (participants already busy then),
then to the earlier start. Each result says how many answered yes, if need be, no, and not at
all, how many are busy, and which required participants said no (a warning for the organiser).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

YES, MAYBE, NO = "yes", "maybe", "no"
WEIGHTS = {YES: 1.0, MAYBE: 0.5, NO: 0.0}


@dataclass(frozen=True)
class SlotResult:
    slot_id: int
    start: datetime
    score: float
    yes: int
    maybe: int
    no: int
    unanswered: int
    conflicts: int
    # Ids of the required participants who answered no on this slot.
    required_no: tuple[int, ...]

    @property
    def answered(self) -> int:
        return self.yes + self.maybe + self.no

    def share(self, total: int) -> int:
        """The score as a percentage of TOTAL participants (the length of the page's bar)."""
        return round(100 * self.score / total) if total else 0


def rank(
    *,
    slots: Iterable[tuple[int, datetime]],
    participants: Iterable[tuple[int, bool]],
    answers: Mapping[tuple[int, int], str],
    busy: Mapping[int, set[int]] | None = None,
) -> list[SlotResult]:
    """SLOTS as (slot id, start), PARTICIPANTS as (participant id, required), ANSWERS as
    {(participant id, slot id): "yes" | "maybe" | "no"}, BUSY as {participant id: slot ids}:
    the slots ranked by score, then fewer conflicts, then earlier start."""
    busy = busy or {}
    people = list(participants)
    results = []
    for slot_id, start in slots:
        counts = {YES: 0, MAYBE: 0, NO: 0}
        required_no = []
        for participant_id, required in people:
            choice = answers.get((participant_id, slot_id))
            if choice in counts:
                counts[choice] += 1
                if choice == NO and required:
                    required_no.append(participant_id)
        conflicts = sum(1 for participant_id, _required in people if slot_id in busy.get(participant_id, ()))
        results.append(
            SlotResult(
                slot_id=slot_id,
                start=start,
                score=counts[YES] * WEIGHTS[YES] + counts[MAYBE] * WEIGHTS[MAYBE],
                yes=counts[YES],
                maybe=counts[MAYBE],
                no=counts[NO],
                unanswered=len(people) - sum(counts.values()),
                conflicts=conflicts,
                required_no=tuple(required_no),
            )
        )
    return sorted(results, key=lambda r: (-r.score, r.conflicts, r.start, r.slot_id))
