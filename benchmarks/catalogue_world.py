"""The benchmark catalogue: a multi-level BOM graph at the scale asked, built with NumPy and a fixed seed.

Shape (BENCHMARKS.md): about half the items are purchased leaves (prices, units, a third of them of
foreign origin), half are made assemblies spread over 13 levels (more near the bottom), each with one
line to an assembly of the level just below (its height), the others mostly to purchased parts (a few
popular ones used everywhere) and to shared sub-assemblies up to three levels down. The tree expansion
of every assembly (its exploded BOM, repeated sub-assemblies counted each time) is kept under a twentieth
of the scale's "largest exploded BOM", and one designated top assembly, ``BENCH-TOP-LARGEST`` (height
≤ 14, so at most 15 levels of items), is assembled from the largest of them to about that size.

Rows are inserted raw (benchmark data, not audited business writes) but follow the schema: one
``BOMRevision`` per made product and ``Product.current_revision`` pointing to it, ``BOMLine.parent`` =
the revision's product, lines in the component's unit, ``effective_quantity`` = quantity × (1 + scrap/100)
(0 for an optional line), computed with ``Decimal`` as the model does.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

SIZES = {
    "smoke": {"items": 1_000, "edges": 5_000, "largest": 500},
    "national": {"items": 100_000, "edges": 500_000, "largest": 50_000},
    "10x": {"items": 1_000_000, "edges": 5_000_000, "largest": 500_000},
}
LARGEST_CODE = "BENCH-TOP-LARGEST"
LEVELS = 13  # generic assemblies; the designated top sits above them
SEED = 20260117
FOREIGN = ["CN", "US", "RU", "DE", "JP", "KR", "IL", "FR", "IN", "BY"]
LEAF_UNITS = np.array(["piece", "piece", "piece", "piece", "set", "sheet", "roll", "kg", "kg", "m", "l"])
COUNTED = {"piece", "set", "sheet", "roll", "item"}
PIECE_QTY = np.array([1, 1, 1, 1, 2, 2, 3, 4])
SCRAP = np.array(["0", "0", "0", "0", "0", "0", "0", "0", "1.5", "5"])


def build(items: int, edges: int, largest: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """The graph as arrays: node attributes and edges (parent, child, quantity, scrap, optional)."""
    rng = np.random.default_rng(seed)
    n_leaf = items // 2
    n_generic = items - n_leaf - 1
    weights = 0.72 ** np.arange(LEVELS)
    sizes = np.maximum(2, np.floor(weights / weights.sum() * n_generic)).astype(np.int64)
    sizes[0] += n_generic - sizes.sum()
    start = np.concatenate([[n_leaf], n_leaf + np.cumsum(sizes)])  # level k (1..) starts at start[k-1]
    top = items - 1
    level = np.zeros(items, dtype=np.int64)
    for k in range(1, LEVELS + 1):
        level[start[k - 1] : start[k]] = k
    level[top] = LEVELS + 1
    # A few purchased parts are used everywhere (Zipf-like popularity), in a random order of ids.
    popularity = 1.0 / (np.arange(n_leaf) + 20.0) ** 0.9
    leaf_p = np.empty(n_leaf)
    leaf_p[rng.permutation(n_leaf)] = popularity / popularity.sum()
    # Lines per generic assembly: at least two, about edges / assemblies on average.
    lam = max(edges / max(n_generic, 1) - 2, 0.5)
    counts = 2 + rng.poisson(lam, n_generic)
    diff = int(edges - counts.sum())
    if diff:
        pick = rng.choice(n_generic, abs(diff), replace=True)
        np.add.at(counts, pick, 1 if diff > 0 else -1)
        counts = np.maximum(counts, 2)
    cap = max(largest // 20, 40)
    explosion = np.zeros(items, dtype=np.float64)
    parents_all, children_all, optional_all = [], [], []
    for k in range(1, LEVELS + 1):
        lo, hi = start[k - 1], start[k]
        c = counts[lo - n_leaf : hi - n_leaf]
        parent = np.repeat(np.arange(lo, hi), c)
        first = np.zeros(parent.size, dtype=bool)
        first[np.concatenate([[0], np.cumsum(c)[:-1]])] = True
        m = parent.size
        child = np.empty(m, dtype=np.int64)
        to_leaf = (rng.random(m) < 0.78) | (k == 1)
        to_leaf[first] = k == 1
        child[to_leaf] = rng.choice(n_leaf, int(to_leaf.sum()), p=leaf_p)
        made = ~to_leaf
        child_level = np.where(first, k - 1, rng.integers(max(1, k - 3), max(k, 2), size=m))[made]
        child[made] = start[child_level - 1] + np.floor(
            rng.random(child_level.size) * (start[child_level] - start[child_level - 1])
        ).astype(np.int64)
        optional = (rng.random(m) < 0.01) & ~first
        # Keep every assembly's tree expansion under the cap: replace its largest sub-assembly lines
        # by purchased parts until it fits.
        while True:
            contrib = np.where(optional, 0.0, 1.0 + explosion[child])
            size = np.bincount(parent - lo, weights=contrib, minlength=hi - lo)
            over = size > cap
            if not over.any():
                break
            cand = np.flatnonzero(over[parent - lo] & (child >= n_leaf) & ~optional)
            order = np.lexsort((-contrib[cand], parent[cand]))
            cand = cand[order]
            keep = np.ones(cand.size, dtype=bool)
            keep[1:] = parent[cand][1:] != parent[cand][:-1]
            chosen = cand[keep]
            child[chosen] = rng.choice(n_leaf, chosen.size, p=leaf_p)
        explosion[lo:hi] = size
        parents_all.append(parent)
        children_all.append(child)
        optional_all.append(optional)
    # The designated top: the largest assemblies first, then smaller ones, to about ``largest`` lines.
    order = np.lexsort((np.arange(n_leaf, top), -explosion[n_leaf:top])) + n_leaf
    chosen, total = [], 0.0
    for node in order.tolist():
        step = 1.0 + explosion[node]
        if total + step <= largest:
            chosen.append(node)
            total += step
            if total >= largest * 0.995 or len(chosen) >= 200:
                break
    explosion[top] = total
    parents_all.append(np.full(len(chosen), top, dtype=np.int64))
    children_all.append(np.array(chosen, dtype=np.int64))
    optional_all.append(np.zeros(len(chosen), dtype=bool))
    parent = np.concatenate(parents_all)
    child = np.concatenate(children_all)
    optional = np.concatenate(optional_all)

    unit = np.where(np.arange(items) < n_leaf, LEAF_UNITS[rng.integers(0, LEAF_UNITS.size, items)], "piece")
    unit[n_leaf:][rng.random(items - n_leaf) < 0.2] = "set"
    price = np.zeros(items)
    price[:n_leaf] = np.round(np.exp(rng.uniform(np.log(1e3), np.log(2e7), n_leaf)))
    priced_made = rng.random(items - n_leaf) < 0.05
    price[n_leaf:][priced_made] = np.round(np.exp(rng.uniform(np.log(1e5), np.log(1e9), int(priced_made.sum()))))
    origin = np.full(items, "VN", dtype="<U2")
    foreign = rng.random(n_leaf) < 0.35
    origin[:n_leaf][foreign] = np.array(FOREIGN)[rng.integers(0, len(FOREIGN), int(foreign.sum()))]
    counted = np.isin(unit[child], list(COUNTED))
    quantity = np.where(
        counted,
        PIECE_QTY[rng.integers(0, PIECE_QTY.size, child.size)].astype(np.float64),
        np.round(rng.uniform(0.05, 3.0, child.size), 3),
    )
    quantity[(child >= n_leaf) & (rng.random(child.size) < 0.7)] = 1.0
    scrap = SCRAP[rng.integers(0, SCRAP.size, child.size)]
    return {
        "n_leaf": np.array(n_leaf),
        "level": level,
        "explosion": explosion,
        "unit": unit,
        "price": price,
        "origin": origin,
        "org": rng.integers(0, 1 << 30, items),
        "parent": parent,
        "child": child,
        "quantity": quantity,
        "scrap": scrap,
        "optional": optional,
    }


def generate(scale: str, log=print) -> int:
    """Insert the catalogue of ``scale`` unless it is there already; return the number of products."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cnan.catalogue.models import BOMLine, BOMRevision, Product
    from cnan.common.text import fold_join
    from cnan.organizations.models import Organization

    if Product.objects.filter(code=LARGEST_CODE).exists():
        return Product.objects.count()
    size = SIZES[scale]
    g = build(size["items"], size["edges"], size["largest"])
    items, n_leaf = g["level"].size, int(g["n_leaf"])
    log(f"  catalogue graph built: {items} items, {g['parent'].size} lines, largest explosion {g['explosion'][-1]:.0f}")
    orgs = list(Organization.objects.filter(code__startswith="BENCH-ORG-").order_by("pk").values_list("pk", flat=True))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    base_p = (Product.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    base_r = (BOMRevision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    base_l = (BOMLine.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    made_rank = np.full(items, -1, dtype=np.int64)
    made_rank[n_leaf:] = np.arange(items - n_leaf)
    classes = ["weapon", "equipment", "technical_means", "support_tool", "fire_rescue", "patrol_craft"]

    def product_rows():
        for i in range(items):
            leaf = i < n_leaf
            if i == items - 1:
                code, name = LARGEST_CODE, "Tổ hợp thiết bị lớn nhất (benchmark)"
            else:
                code = f"BENCH-P-{i:07d}"
                name = f"Linh kiện mua ngoài {i}" if leaf else f"Cụm lắp ráp cấp {g['level'][i]} số {i}"
            yield (
                base_p + i,
                now,
                now,
                0,
                "",
                code,
                name,
                "",
                "component" if leaf else classes[i % len(classes)],
                "specialised",
                False,
                False,
                "serial",
                "purchased" if leaf else "made",
                f"Nhà cung cấp {i % 97}" if leaf else "",
                str(g["origin"][i]),
                str(g["unit"][i]),
                f"{g['price'][i]:.2f}",
                "",
                "",
                None if leaf else base_r + int(made_rank[i]),
                fold_join(code, name),
                orgs[int(g["org"][i]) % len(orgs)],
            )

    def revision_rows():
        for i in range(n_leaf, items):
            yield (base_r + int(made_rank[i]), now, now, base_p + i, 1, "", None, None)

    effective_cache: dict[tuple[float, str], float] = {}
    parent, child, quantity, scrap, optional = g["parent"], g["child"], g["quantity"], g["scrap"], g["optional"]
    starts = np.flatnonzero(np.concatenate([[True], parent[1:] != parent[:-1]]))
    position = (np.arange(parent.size) - np.repeat(starts, np.diff(np.append(starts, parent.size))) + 1) * 10

    def line_rows():
        for e in range(parent.size):
            q, s = float(quantity[e]), str(scrap[e])
            eff = effective_cache.get((q, s))
            if eff is None:
                eff = effective_cache[(q, s)] = float(Decimal(repr(q)) * (1 + Decimal(s) / 100))
            p, c = int(parent[e]), int(child[e])
            yield (
                base_l + e,
                now,
                now,
                int(position[e]),
                f"{q:.6f}",
                str(g["unit"][c]),
                s,
                bool(optional[e]),
                0.0 if optional[e] else eff,
                "",
                "",
                base_p + c,
                base_p + p,
                base_r + int(made_rank[p]),
                None,
            )

    product_cols = (
        "id, created_at, updated_at, classification, classification_basis, code, name, name_en, product_class, "
        "use, exclusive, strategic_technology, lifecycle, sourcing, supplier, origin_country, unit, price, "
        "standards, description, current_revision_id, search_text, organization_id"
    )
    revision_cols = "id, created_at, updated_at, product_id, number, note, frozen_at, frozen_by_id"
    line_cols = (
        "id, created_at, updated_at, position, quantity, unit, scrap_percent, optional, effective_quantity, "
        "reference, note, component_id, parent_id, revision_id, substitute_for_id"
    )
    with transaction.atomic():
        _insert(connection, Product._meta.db_table, product_cols, product_rows(), log)
        _insert(connection, BOMRevision._meta.db_table, revision_cols, revision_rows(), log)
        _insert(connection, BOMLine._meta.db_table, line_cols, line_rows(), log)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Product, BOMRevision, BOMLine):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                )
                cursor.execute(f"ANALYZE {table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Product.objects.count()


def _insert(connection, table: str, columns: str, rows, log, batch: int = 50_000) -> None:
    """COPY on PostgreSQL, executemany on SQLite, in batches."""
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
                if count % 500_000 == 0:
                    log(f"  {table}: {count}")
    else:
        marks = ", ".join(["%s"] * len(columns.split(",")))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        chunk = []
        with connection.cursor() as cursor:
            for row in rows:
                chunk.append(row)
                if len(chunk) == batch:
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
                    chunk = []
                    if count % 500_000 == 0:
                        log(f"  {table}: {count}")
            if chunk:
                cursor.executemany(sql, chunk)
                count += len(chunk)
    log(f"  {table}: {count} rows")
