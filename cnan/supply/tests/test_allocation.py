"""The allocation optimiser: optimal on small cases (checked by brute force), never beyond a capacity,
the budget or a line's quantity, at least as good as the greedy baseline, and explained line by line."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnan.supply.allocation import Line, Offer, Problem, explain, greedy, solve


def brute_force(problem: Problem) -> float:
    """The best weighted domestic value over every feasible integer allocation."""
    ranges = [range(min(problem.line(o.line).quantity, problem.cap(o)) + 1) for o in problem.offers]
    best = 0.0
    for units in itertools.product(*ranges):
        lines, caps, spend, value = {}, {}, 0.0, 0.0
        ok = True
        for offer, n in zip(problem.offers, units, strict=True):
            line = problem.line(offer.line)
            lines[line.key] = lines.get(line.key, 0) + n
            key = (offer.enterprise, line.group)
            caps[key] = caps.get(key, 0) + n
            spend += n * offer.unit_price
            value += n * problem.weight(line)
        ok = all(n <= problem.line(k).quantity for k, n in lines.items())
        ok = ok and all(n <= problem.capacity.get(k, 0) for k, n in caps.items())
        ok = ok and (problem.budget is None or spend <= problem.budget + 1e-9)
        if ok:
            best = max(best, value)
    return best


def test_a_scarce_enterprise_is_kept_for_the_line_only_it_can_serve():
    """Greedy gives A's capacity to the first line (A is cheapest there) and leaves line 2, which only A
    makes, unsupplied; the optimum sends line 1 to B and line 2 to A."""
    problem = Problem(
        lines=[Line("L1", "radio", 10, 100.0, tier=1), Line("L2", "radio", 10, 100.0, tier=2)],
        offers=[Offer("L1", "A", 50), Offer("L1", "B", 80), Offer("L2", "A", 60)],
        capacity={("A", "radio"): 10, ("B", "radio"): 10},
    )
    best, base = solve(problem), greedy(problem)
    assert best.optimal and best.violations() == [] and base.violations() == []
    assert best.supplied() == {"L1": 10, "L2": 10}
    assert base.supplied() == {"L1": 10}
    assert best.share == 1.0 and base.share == 0.5
    reasons = {r.line: r for r in explain(best)}
    assert reasons["L1"].code == "full_not_cheapest" and reasons["L1"].cheaper_full == ["A"]
    assert reasons["L2"].code == "full_cheapest"
    base_reasons = {r.line: r for r in explain(base)}
    assert base_reasons["L2"].code == "none_capacity" and base_reasons["L2"].saturated == ["A"]


def test_priority_tiers_come_first_when_capacity_is_short():
    problem = Problem(
        lines=[Line("rapid", "armour", 5, 10.0, tier=1), Line("office", "armour", 5, 10.0, tier=4)],
        offers=[Offer("rapid", "A", 5), Offer("office", "A", 5)],
        capacity={("A", "armour"): 5},
    )
    assert solve(problem).supplied() == {"rapid": 5}


def test_the_budget_binds_and_is_named():
    problem = Problem(
        lines=[Line("L1", "g", 10, 100.0)],
        offers=[Offer("L1", "A", 30)],
        capacity={("A", "g"): 100},
        budget=200,
    )
    best = solve(problem)
    assert best.supplied() == {"L1": 6} and best.spend == 180
    assert explain(best)[0].code == "short_budget"


def test_a_line_nobody_makes_is_a_candidate_for_research():
    problem = Problem(lines=[Line("L1", "g", 3, 10.0)], offers=[], capacity={})
    best = solve(problem)
    assert best.units == [] and best.share == 0.0
    assert explain(best)[0].code == "no_offer"


def test_ties_go_to_the_cheaper_proposal():
    problem = Problem(
        lines=[Line("L1", "g", 4, 10.0)],
        offers=[Offer("L1", "dear", 9), Offer("L1", "cheap", 7)],
        capacity={("dear", "g"): 4, ("cheap", "g"): 4},
    )
    assert solve(problem).units == [0, 4]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="unknown line"):
        Problem(lines=[Line("L1", "g", 1, 1.0)], offers=[Offer("L9", "A", 1)], capacity={})
    with pytest.raises(ValueError, match="unique"):
        Problem(lines=[Line("L1", "g", 1, 1.0), Line("L1", "g", 2, 1.0)], offers=[], capacity={})
    with pytest.raises(ValueError, match="negative"):
        Problem(lines=[Line("L1", "g", -1, 1.0)], offers=[], capacity={})
    with pytest.raises(ValueError, match="tier"):
        Problem(lines=[Line("L1", "g", 1, 1.0, tier=9)], offers=[], capacity={})


@st.composite
def small_problems(draw):
    groups = ["g1", "g2"]
    enterprises = ["A", "B", "C"]
    lines = [
        Line(
            f"L{k}",
            draw(st.sampled_from(groups)),
            draw(st.integers(0, 3)),
            float(draw(st.integers(1, 50))),
            draw(st.integers(1, 4)),
        )
        for k in range(draw(st.integers(1, 3)))
    ]
    offers = []
    for line in lines:
        for e in draw(st.lists(st.sampled_from(enterprises), max_size=2, unique=True)):
            offers.append(Offer(line.key, e, float(draw(st.integers(1, 40)))))
    capacity = {(e, g): draw(st.integers(0, 4)) for e in enterprises for g in groups}
    budget = draw(st.one_of(st.none(), st.integers(0, 150).map(float)))
    return Problem(lines, offers, capacity, budget)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_the_optimum_matches_brute_force_and_beats_greedy(problem):
    best, base = solve(problem), greedy(problem)
    assert best.optimal
    assert best.violations() == [] and base.violations() == []
    exact = brute_force(problem)
    assert best.objective == pytest.approx(exact, rel=1e-9, abs=1e-9)
    assert best.objective >= base.objective - 1e-9
    for reason in explain(best):
        assert 0 <= reason.supplied <= reason.quantity
