"""allocation: a year's consolidated demand (5,000 lines at national scale) assigned to 100 enterprises'
capacity per product group within a budget, by the optimiser (HiGHS MILP, ``cnan.supply.allocation``)
against the greedy baseline.

Goal (BENCHMARKS.md): optimal (proven by the solver), a domestic share at least the greedy one, ≤ 10 s at
national scale. The demand is synthetic: capacities cover about 70% of each group's demand and the
budget about 75% of its value, so that both bind and the choice matters."""

from __future__ import annotations

import numpy as np

from ..setup import Timer

NEEDS: tuple[str, ...] = ()
GOAL_SECONDS = 10.0
SIZES = {"smoke": (500, 20, 12), "national": (5_000, 100, 40), "10x": (50_000, 1_000, 120)}


def build(lines_n: int, enterprises_n: int, groups_n: int, seed: int = 7):
    from cnan.supply.allocation import Line, Offer, Problem

    rng = np.random.default_rng(seed)
    groups = [f"G{g:03d}" for g in range(groups_n)]
    makes = {e: rng.choice(groups_n, size=int(rng.integers(2, 9)), replace=False) for e in range(enterprises_n)}
    makers: dict[int, list[int]] = {g: [] for g in range(groups_n)}
    for e, gs in makes.items():
        for g in gs.tolist():
            makers[g].append(e)
    tiers = rng.choice([1, 2, 3, 4], size=lines_n, p=[0.1, 0.2, 0.3, 0.4])
    line_group = rng.integers(0, groups_n, size=lines_n)
    quantity = np.maximum(1, rng.lognormal(3.0, 1.0, size=lines_n).astype(int))
    value = np.round(rng.lognormal(17.0, 1.0, size=lines_n), -3)  # ~24 million VND a unit
    lines = [
        Line(f"D{i:05d}", groups[line_group[i]], int(quantity[i]), float(value[i]), int(tiers[i]))
        for i in range(lines_n)
    ]
    offers = []
    for i in range(lines_n):
        candidates = makers[int(line_group[i])]
        if not candidates or rng.random() < 0.05:  # about 5% of lines: nothing domestic matches
            continue
        k = min(len(candidates), int(rng.integers(1, 6)))
        for e in rng.choice(candidates, size=k, replace=False).tolist():
            offers.append(Offer(lines[i].key, f"E{e:03d}", float(round(value[i] * rng.uniform(0.6, 1.3), -3))))
    demand_by_group = np.bincount(line_group, weights=quantity, minlength=groups_n)
    capacity = {}
    for g in range(groups_n):
        share = demand_by_group[g] * 0.7 / max(1, len(makers[g]))
        for e in makers[g]:
            capacity[(f"E{e:03d}", groups[g])] = int(share * rng.uniform(0.5, 1.5))
    budget = float((value * quantity).sum() * 0.75)
    return Problem(lines, offers, capacity, budget)


def run(*, scale: str, log=print) -> dict:
    from cnan.supply.allocation import greedy, solve

    lines_n, enterprises_n, groups_n = SIZES[scale]
    problem = build(lines_n, enterprises_n, groups_n)
    log(f"  {lines_n} lines, {enterprises_n} enterprises, {groups_n} groups, {len(problem.offers)} offers")
    with Timer() as t:
        best = solve(problem, time_limit=120)
    base = greedy(problem)
    feasible = best.violations() == [] and base.violations() == []
    log(
        f"  optimiser: {t.seconds:.2f} s, {best.status} (gap {best.mip_gap}), share {best.share:.4f}, "
        f"weighted {best.weighted_share:.4f}, spend {best.spend:,.0f}"
    )
    log(f"  greedy:    {base.seconds:.2f} s, share {base.share:.4f}, weighted {base.weighted_share:.4f}")
    log(f"  both within every capacity, quantity and the budget: {feasible}")
    ok = feasible and best.optimal and best.objective >= base.objective - 1e-6 and t.seconds <= GOAL_SECONDS
    return {
        "n": lines_n,
        "seconds": round(t.seconds, 3),
        "ratio": round(best.weighted_share / base.weighted_share, 4) if base.weighted_share else None,
        "ok": ok,
    }
