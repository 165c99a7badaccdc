"""Shared by the catalogue workloads: the limit reader and sweep (NumPy/SciPy, independent of the engine),
and the designated largest assembly."""

from __future__ import annotations

import itertools

from django.db import connection

import numpy as np
from scipy import sparse

P, L, R = "catalogue_product", "catalogue_bomline", "catalogue_productrollup"


def read_graph() -> dict[str, np.ndarray]:
    """The catalogue as arrays, two queries; prices and origins cast in SQL (the practical limit)."""
    real = "DOUBLE PRECISION" if connection.vendor == "postgresql" else "REAL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, CAST(price AS {real}), CASE WHEN origin_country IN ('', 'VN') THEN 0 ELSE 1 END "  # noqa: S608
            f"FROM {P} ORDER BY id"
        )
        rows = cursor.fetchall()
        cursor.execute(
            f"SELECT l.parent_id, l.component_id, l.effective_quantity FROM {L} l "  # noqa: S608
            f"JOIN {P} p ON p.current_revision_id = l.revision_id WHERE l.effective_quantity > 0"
        )
        edges = cursor.fetchall()
    nodes = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.float64, count=3 * len(rows)).reshape(-1, 3)
    e = np.fromiter(itertools.chain.from_iterable(edges), dtype=np.float64, count=3 * len(edges)).reshape(-1, 3)
    ids = nodes[:, 0].astype(np.int64)
    return {
        "ids": ids,
        "price": nodes[:, 1],
        "foreign": nodes[:, 2] > 0,
        "parent": np.searchsorted(ids, e[:, 0].astype(np.int64)),
        "child": np.searchsorted(ids, e[:, 1].astype(np.int64)),
        "quantity": e[:, 2],
    }


def limit_sweep(g: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Cost and imported value in topological order (Kahn's algorithm, frontier by frontier) with sparse
    matrix products: a node is computed once all its components are. As the engine's formula says, an
    assembly's figures are kept to the whole đồng."""
    n = g["ids"].size
    price, foreign, parent, child = g["price"], g["foreign"], g["parent"], g["child"]
    weights = sparse.csr_matrix((g["quantity"], (parent, child)), shape=(n, n))
    counts = sparse.csr_matrix((np.ones(parent.size), (parent, child)), shape=(n, n))
    remaining = np.bincount(parent, minlength=n).astype(np.float64)
    cost = np.zeros(n)
    imported = np.zeros(n)
    done = np.zeros(n, dtype=bool)
    frontier = remaining == 0
    cost[frontier] = price[frontier]
    imported[frontier] = np.where(foreign[frontier], price[frontier], 0.0)
    levels = 0
    while frontier.any():
        done |= frontier
        remaining -= counts @ frontier.astype(np.float64)
        frontier = (remaining == 0) & ~done
        rows = np.flatnonzero(frontier)
        if not rows.size:
            break
        levels += 1
        sub = weights[rows]
        c = np.rint(sub @ cost)
        basis = np.where(price[rows] > 0, price[rows], c)
        cost[rows] = c
        imported[rows] = np.where(foreign[rows], basis, np.rint(sub @ imported))
    if not done.all():
        raise ValueError("the BOM graph has a cycle")
    basis = np.where(price > 0, price, cost)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(basis > 0, np.clip((basis - imported) / basis, 0.0, 1.0) * 100.0, np.nan)
    return {"cost": cost, "imported": imported, "basis": basis, "rate": rate, "levels": np.array(levels)}


def close(a: np.ndarray, b: np.ndarray, rtol: float = 1e-6, atol: float = 0.0) -> bool:
    return bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def stored_figures(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stored unit cost and imported value of ``ids`` (NaN where none is stored)."""
    real = "DOUBLE PRECISION" if connection.vendor == "postgresql" else "REAL"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT product_id, CAST(unit_cost AS {real}), CAST(imported_value AS {real}) FROM {R}")  # noqa: S608
        rows = cursor.fetchall()
    cost = np.full(ids.size, np.nan)
    imported = np.full(ids.size, np.nan)
    if rows:
        arr = np.array(rows, dtype=np.float64)
        k = np.searchsorted(ids, arr[:, 0].astype(np.int64))
        cost[k], imported[k] = arr[:, 1], arr[:, 2]
    return cost, imported


def largest():
    from cnan.catalogue.models import Product

    from ..catalogue_world import LARGEST_CODE

    return Product.objects.get(code=LARGEST_CODE)


def ensure_rollups(log) -> None:
    """The stored figures must exist (explosion and where-used read them)."""
    from cnan.catalogue import rollup
    from cnan.catalogue.models import Product, ProductRollup

    if ProductRollup.objects.count() < Product.objects.count():
        log("  computing the stored figures first (recompute_all) …")
        rollup.recompute_all()
