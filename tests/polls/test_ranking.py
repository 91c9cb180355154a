"""The ranking of a poll's slots: a pure function of plain data."""

from datetime import UTC, datetime

from meetings.polls.ranking import rank

MON, TUE, WED = (datetime(2026, 11, d, 11, 30, tzinfo=UTC) for d in (23, 24, 25))


def test_slots_rank_by_score_yes_one_if_need_be_half():
    results = rank(
        slots=[(1, MON), (2, TUE), (3, WED)],
        participants=[(10, False), (11, False), (12, False)],
        answers={
            (10, 1): "maybe", (11, 1): "maybe", (12, 1): "no",  # 1
            (10, 2): "yes", (11, 2): "yes", (12, 2): "maybe",  # 2.5
            (10, 3): "yes", (11, 3): "no",  # 1, and one unanswered
        },
    )  # fmt: skip
    assert [r.slot_id for r in results] == [2, 1, 3]
    best = results[0]
    assert (best.score, best.yes, best.maybe, best.no, best.unanswered) == (2.5, 2, 1, 0, 0)
    wed = results[2]
    assert (wed.score, wed.yes, wed.no, wed.unanswered) == (1.0, 1, 1, 1)
    assert best.share(3) == 83


def test_ties_go_to_fewer_conflicts_then_to_the_earlier_slot():
    people = [(10, False), (11, False)]
    answers = {(10, 1): "yes", (10, 2): "yes", (10, 3): "yes"}
    # Same score everywhere; Monday has a conflict, Tuesday and Wednesday none.
    results = rank(slots=[(3, WED), (1, MON), (2, TUE)], participants=people, answers=answers, busy={11: {1}})
    assert [(r.slot_id, r.conflicts) for r in results] == [(2, 0), (3, 0), (1, 1)]


def test_a_required_participant_who_said_no_is_a_warning_on_that_slot():
    results = rank(
        slots=[(1, MON), (2, TUE)],
        participants=[(10, True), (11, False)],
        answers={(10, 1): "no", (11, 1): "no", (10, 2): "yes"},
    )
    by_slot = {r.slot_id: r for r in results}
    assert by_slot[1].required_no == (10,)
    assert by_slot[2].required_no == ()


def test_no_participants_ranks_by_start():
    results = rank(slots=[(2, TUE), (1, MON)], participants=[], answers={})
    assert [(r.slot_id, r.score, r.unanswered, r.share(0)) for r in results] == [(1, 0, 0, 0), (2, 0, 0, 0)]
