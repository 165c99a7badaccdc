"""where_used: one component's price changes and every product containing it is updated (``rollup.propagate``),
against the full rollup (``rollup.recompute_all``) after the same kind of change.

The component is the one with the most ancestors, at most 10,000, among the most used components and a
random sample of others. Goal (BENCHMARKS.md): ≤ 1% of the full rollup's time. The incremental result
must equal a full recompute: after ``propagate``, ``recompute_all`` finds nothing to change."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import breadth_first_order

from ..setup import Timer
from . import _bom

NEEDS = ("world", "catalogue")
GOAL = 0.01
MAX_ANCESTORS = 10_000


def _component(g: dict[str, np.ndarray]) -> tuple[int, int, int]:
    """(product id, ancestors, direct parents) of the component with the most ancestors ≤ MAX_ANCESTORS."""
    n = g["ids"].size
    up = sparse.csr_matrix((np.ones(g["parent"].size), (g["child"], g["parent"])), shape=(n, n))
    direct = np.bincount(g["child"], minlength=n)
    used = np.flatnonzero(direct)
    popular = used[np.argsort(-direct[used], kind="stable")][:300]
    rng = np.random.default_rng(11)
    sample = np.unique(np.concatenate([popular, rng.choice(used, min(300, used.size), replace=False)]))
    best = (-1, -1)
    for node in sample.tolist():
        ancestors = breadth_first_order(up, node, directed=True, return_predecessors=False).size - 1
        if best[1] < ancestors <= MAX_ANCESTORS:
            best = (node, ancestors)
    return int(g["ids"][best[0]]), best[1], int(direct[best[0]])


def run(*, scale: str, log=print) -> dict:
    from cnan.catalogue import rollup
    from cnan.catalogue.models import Product

    _bom.ensure_rollups(log)
    g = _bom.read_graph()
    pk, ancestors, direct = _component(g)
    original = Product.objects.get(pk=pk).price
    log(f"  component {pk}: {direct} direct parents, {ancestors} ancestors; price {original}")
    rounds = 3 if scale == "smoke" else 2
    full, incremental, changed, mismatched, worst = [], [], [], [], 0.0
    try:
        for k in range(rounds):
            Product.objects.filter(pk=pk).update(price=(original * Decimal(f"1.{2 * k + 1}")).quantize(Decimal("1")))
            with Timer() as t:
                rollup.recompute_all()
            full.append(t.seconds)
            Product.objects.filter(pk=pk).update(price=(original * Decimal(f"1.{2 * k + 2}")).quantize(Decimal("1")))
            with Timer() as t:
                changed.append(rollup.propagate([pk]))
            incremental.append(t.seconds)
            # the incremental update must equal a full recompute: compare, then let the full one fix it
            figures = rollup.compute_all()
            stored_cost, stored_imported = _bom.stored_figures(figures.ids)
            worst = max(
                worst,
                float(np.max(np.abs(stored_cost - figures.cost))),
                float(np.max(np.abs(stored_imported - figures.imported))),
            )
            left = rollup.recompute_all()
            mismatched.append(left)
            log(
                f"  round {k + 1}: full {full[-1]:.3f}s, propagate {incremental[-1]:.4f}s "
                f"({changed[-1]} products changed); full recompute afterwards changed {left}"
            )
    finally:
        Product.objects.filter(pk=pk).update(price=original)
        rollup.propagate([pk])
    full_s, incr_s = min(full), min(incremental)
    consistent = max(mismatched) == 0
    ratio = incr_s / full_s
    return {
        "n": {
            "products": int(g["ids"].size),
            "component": pk,
            "ancestors": ancestors,
            "direct_parents": direct,
            "changed": max(changed),
            "incremental_equals_full": consistent,
            "mismatched_after_propagate": max(mismatched),
            "max_abs_diff_vnd": round(worst, 4),
        },
        "seconds": {"full_rollup": round(full_s, 3), "propagate": round(incr_s, 4)},
        "ratio": {"propagate_over_full": round(ratio, 4), "goal": GOAL},
        "ok": consistent and ratio <= GOAL,
    }
