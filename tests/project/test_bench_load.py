"""The load test's arithmetic (bench/loadstats.py) and its floor page (bench/urls.py). Nothing
here is timed: the latencies are made-up numbers."""

import math
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import Professional
from bench.load import (
    HTMX,
    REQUESTS_PER_TOKEN,
    Page,
    TokenPool,
    chosen,
    common_prefix,
    pages,
    parse_args,
    pick_subjects,
)
from bench.loadstats import Row, Run, percentile, render, rows
from tests.factories import UserFactory


def test_percentile_interpolates_between_ranks():
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([float(i) for i in range(1, 101)], 0.95) == pytest.approx(95.05)
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([1.0, 9.0], 0.0) == 1.0
    assert percentile([1.0, 9.0], 1.0) == 9.0


@pytest.mark.parametrize("fraction", [-0.1, 1.5])
def test_percentile_refuses_a_fraction_outside_zero_to_one(fraction):
    with pytest.raises(ValueError):
        percentile([1.0], fraction)


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_a_run_gives_its_rate_median_and_p95_in_milliseconds():
    run = Run("p", latencies=[0.010, 0.020, 0.030, 0.040], seconds=2.0, errors=1)
    assert run.rate == 2.0  # answered requests only
    assert run.requests == 5
    assert run.median_ms == pytest.approx(25.0)
    assert run.p95_ms == pytest.approx(38.5)
    assert math.isnan(Run("p", latencies=[], seconds=1.0).median_ms)


def test_each_page_is_compared_with_the_floors_around_it():
    floors = [Run("floor", [0.01] * n, 1.0) for n in (100, 300, 200)]
    pages = [Run("a", [0.1] * 50, 1.0), Run("b", [0.3] * 25, 1.0, errors=2)]
    floor, a, b = rows(floors, pages)
    assert floor.floor_share is None
    assert floor.rate == pytest.approx(200.0)  # 600 requests in 3 s
    assert floor.median_ms == pytest.approx(10.0)
    assert a.floor_share == pytest.approx(50 / 200)  # floors of 100 and 300 requests/s
    assert b.floor_share == pytest.approx(25 / 250)
    assert b.errors == 2


def test_rows_need_a_floor_before_and_after_every_page():
    with pytest.raises(ValueError):
        rows([Run("floor", [0.01], 1.0)], [Run("a", [0.1], 1.0)])


@pytest.mark.parametrize(
    ("p95", "share", "errors", "met"),
    [
        (249.0, 0.25, 0, True),
        (250.0, 0.5, 0, False),  # "under 250 ms"
        (100.0, 0.249, 0, False),
        (100.0, 0.9, 1, False),  # any error fails the page
    ],
)
def test_targets_are_p95_under_250_ms_and_a_quarter_of_the_floor(p95, share, errors, met):
    assert Row("p", 10.0, 50.0, p95, share, errors).met is met


def test_the_floor_has_no_target_but_to_answer_without_error():
    assert Row("floor", 10.0, 900.0, 2000.0, None, 0).met
    assert not Row("floor", 10.0, 9.0, 20.0, None, 3).met


def test_the_table_is_markdown_with_a_verdict_per_page():
    table = render(
        [
            Row("floor (base layout, logged in)", 200.0, 40.4, 60.6, None, 0),
            Row("`/agenda/`", 80.0, 120.0, 200.0, 0.4, 0),
            Row("`/actions/`", 20.0, 500.0, 700.0, 0.1, 0),
            Row("group page", 40.0, 200.0, 240.0, 0.2, 0),
            Row("personal feed, 304", 90.0, 100.0, 120.0, 0.45, 4),
        ]
    )
    assert table.splitlines() == [
        "| page | requests/s | median ms | p95 ms | × floor | targets met |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        "| floor (base layout, logged in) | 200.0 | 40 | 61 | 1.00 | — (reference) |",
        "| `/agenda/` | 80.0 | 120 | 200 | 0.40 | yes |",
        "| `/actions/` | 20.0 | 500 | 700 | 0.10 | no: p95, throughput |",
        "| group page | 40.0 | 200 | 240 | 0.20 | no: throughput |",
        "| personal feed, 304 | 90.0 | 100 | 120 | 0.45 | no: 4 errors |",
    ]


def test_feed_tokens_go_round_robin_and_each_stays_under_the_feeds_rate_limit():
    pool = TokenPool(["a", "b"])
    handed = [pool.next() for _ in range(2 * REQUESTS_PER_TOKEN)]
    assert handed[:3] == ["a", "b", "a"]
    assert handed.count("a") == handed.count("b") == REQUESTS_PER_TOKEN
    with pytest.raises(RuntimeError, match="used up"):
        pool.next()


def test_options_default_to_the_issues_shape():
    args = parse_args([])
    assert (args.data, args.seconds, args.clients, args.workers, args.scale) == ("scale", 20.0, 16, 2, None)
    assert parse_args(["--data", "scale", "--scale", "0.1"]).scale == 0.1
    with pytest.raises(SystemExit):
        parse_args(["--data", "demo", "--scale", "0.1"])


def test_only_keeps_the_named_pages_and_both_feed_pages_together():
    agenda, group = Page("`/agenda/`, busy user", "/agenda/", None), Page("group page", "/g/", None)
    full = Page("personal feed, full", "", None, tokens=TokenPool(["a"]))
    conditional = Page("personal feed, 304", "", None, expected=frozenset({304}), tokens=TokenPool(["b"]))
    measured = [agenda, group, full, conditional]
    assert chosen(measured, None) == measured
    assert chosen(measured, ["AGENDA"]) == [agenda]
    assert chosen(measured, ["304", "group"]) == [group, full, conditional]
    with pytest.raises(SystemExit, match="no page"):
        chosen(measured, ["directory"])


def test_the_pickers_search_the_two_letters_that_begin_the_most_names():
    names = [" marie dubois ", " marc maes ", " julie martin ", " jan dubois "]
    # "ma" begins a word of three people (Marc Maes once), "du" of two, "ju" and "ja" of one.
    assert common_prefix(names) == "ma"
    assert common_prefix([" an li ", " li an "]) == "an"  # a tie: the first in the alphabet


@pytest.mark.django_db
def test_the_picker_pages_answer_a_fragment_of_results_to_their_person(client):
    call_command("seed_scale", "--scale", "0.005", stdout=StringIO(), stderr=StringIO())
    subjects = pick_subjects(None)
    pickers = chosen(pages(subjects, parse_args(["--seconds", "1"])), ["picker"])

    assert [page.name.split(" picker")[0] for page in pickers] == [
        "invitations",
        "action owner",
        "add-member",
    ]
    found = {}
    for page in pickers:
        client.force_login(page.user)
        response = client.get(page.path, headers=page.headers)
        assert response.status_code in page.expected == {200}
        assert page.headers == HTMX and f"q={subjects['prefix']}" in page.path
        body = response.content.decode()
        assert "<html" not in body  # a fragment, not a page
        found[page.name.split(" picker")[0]] = response.context["rows"]
    # The prefix matches many of the meeting's network; at this scale the largest group holds
    # everyone, and its add-member picker rightly finds nobody left to add.
    assert len(found["invitations"]) > 1 and len(found["action owner"]) > 1
    assert found["add-member"] == [] and subjects["group"].members == Professional.objects.count()


@override_settings(ROOT_URLCONF="bench.urls")
@pytest.mark.django_db
def test_the_floor_is_the_base_layout_for_a_logged_in_person_only(client):
    anonymous = client.get("/bench/floor/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")

    user = UserFactory(first_name="Inès", last_name="Floor")
    client.force_login(user)
    page = client.get("/bench/floor/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Inès Floor" in body  # the layout's menu, with the person's name
    assert "Se déconnecter" in body
    assert '<main id="main"' in body or 'id="main"' in body


def test_the_floor_is_not_a_url_of_the_product(client):
    assert client.get("/bench/floor/").status_code == 404


@pytest.mark.django_db
def test_the_meeting_load_pages_answer_their_person_with_the_figures_of_the_data(client):
    call_command("seed_scale", "--scale", "0.005", stdout=StringIO(), stderr=StringIO())
    subjects = pick_subjects(None)
    mine, network = chosen(pages(subjects, parse_args(["--seconds", "1"])), ["/load/"])

    assert subjects["coordinator"] in subjects["network"].coordinators.all()
    for page, shown in [(mine, "Ma charge de réunions"), (network, subjects["network"].name)]:
        client.force_login(page.user)
        response = client.get(page.path)
        assert response.status_code in page.expected and shown in response.content.decode()
