"""bom_explode: the largest top assembly exploded with quantities, cost and origin, through the API
(``/api/v1/catalogue/products/{id}/explosion/``) and the selector behind it, against the raw recursive CTE
on the same database (goal: ≤ 2× raw CTE; number of SQL queries independent of the BOM size)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

from ..setup import best_of
from . import _bom

NEEDS = ("world", "catalogue")
GOAL = 2.0
URL = "/api/v1/catalogue/products/{pk}/explosion/"


@contextmanager
def _counting():
    """Count the SQL statements run (an execute wrapper: CaptureQueriesContext would format each statement
    with its parameters, which fails on SQLite for the selector's printf pattern — see the report)."""
    box = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        box["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield box


def _raw_cte(pk: int) -> list[tuple]:
    """The same explosion in one hand-written recursive query: every path in BOM order, with the quantity
    per top unit and each component's code, name, origin, price and stored figures."""
    if connection.vendor == "postgresql":
        key = "lpad(CAST(l.position AS TEXT), 6, '0') || lpad(CAST(l.id AS TEXT), 10, '0')"
    else:
        key = "printf('%06d%010d', l.position, l.id)"
    sql = f"""
        WITH RECURSIVE ex(line_id, level, component_id, quantity, ext, path) AS (
            SELECT l.id, 1, l.component_id, l.quantity, l.effective_quantity, {key}
            FROM {_bom.L} l JOIN {_bom.P} p ON p.current_revision_id = l.revision_id
            WHERE l.parent_id = %s AND l.effective_quantity > 0
            UNION ALL
            SELECT l.id, ex.level + 1, l.component_id, l.quantity, ex.ext * l.effective_quantity,
                   ex.path || '.' || {key}
            FROM ex JOIN {_bom.L} l ON l.parent_id = ex.component_id
            JOIN {_bom.P} p ON p.current_revision_id = l.revision_id
            WHERE l.effective_quantity > 0
        )
        SELECT ex.line_id, ex.level, ex.component_id, ex.quantity, ex.ext, c.code, c.name, c.unit,
               c.origin_country, c.price, r.unit_cost, r.imported_value, r.localisation_rate, ex.path
        FROM ex JOIN {_bom.P} c ON c.id = ex.component_id LEFT JOIN {_bom.R} r ON r.product_id = c.id
        ORDER BY ex.path
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchall()


def _api_available(pk: int) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(URL.format(pk=pk))
    except Resolver404:
        return False
    return True


def _small_assembly(top_pk: int):
    """A made product two levels deep with a handful of exploded lines (for the query count)."""
    from cnan.catalogue.models import Product

    return (
        Product.objects.filter(sourcing="made", rollup__depth=2, code__startswith="BENCH-P-")
        .exclude(pk=top_pk)
        .order_by("pk")
        .first()
    )


def run(*, scale: str, log=print) -> dict:
    from django.test import Client

    from cnan.catalogue import selectors

    from .lists import _auditor

    _bom.ensure_rollups(log)
    user = _auditor()
    top = _bom.largest()
    small = _small_assembly(top.pk)
    repeats = 5 if scale == "smoke" else 3

    raw_rows = _raw_cte(top.pk)
    exploded = selectors.explode(user=user, product=top)
    if len(exploded) != len(raw_rows) or [x.line_id for x in exploded] != [r[0] for r in raw_rows]:
        raise RuntimeError(f"the selector's explosion ({len(exploded)}) differs from the raw CTE ({len(raw_rows)})")
    log(f"  largest assembly {top.code}: {len(raw_rows)} exploded lines; small assembly {small.code}")
    seconds = {
        "raw_cte": best_of(repeats, lambda: _raw_cte(top.pk)),
        "selector": best_of(repeats, lambda: selectors.explode(user=user, product=top)),
    }
    queries = {}
    for label, product in (("small", small), ("largest", top)):
        with _counting() as count:
            selectors.explode(user=user, product=product)
        queries[f"selector_{label}"] = count["n"]

    api = _api_available(top.pk)
    api_lines = None
    if api:
        client = Client()
        client.force_login(user)

        def get(pk):
            response = client.get(URL.format(pk=pk))
            if response.status_code != 200:
                raise RuntimeError(f"{URL.format(pk=pk)} answered {response.status_code}")
            return response

        body = get(top.pk).json()
        api_lines = len(body if isinstance(body, list) else body.get("lines", body.get("results", [])))
        seconds["api"] = best_of(repeats, lambda: get(top.pk))
        for label, product in (("small", small), ("largest", top)):
            get(product.pk)  # warm the session and permission caches
            with _counting() as count:
                get(product.pk)
            queries[f"api_{label}"] = count["n"]
    else:
        log("  the explosion API endpoint does not exist yet: measuring the selector only")
    measured = "api" if api else "selector"
    ratio = {
        "selector_over_raw_cte": round(seconds["selector"] / seconds["raw_cte"], 2),
        "goal": GOAL,
    }
    if api:
        ratio["api_over_raw_cte"] = round(seconds["api"] / seconds["raw_cte"], 2)
    constant = queries[f"{measured}_small"] == queries[f"{measured}_largest"]
    log(f"  queries {queries}; {measured} / raw = {seconds[measured] / seconds['raw_cte']:.2f}")
    return {
        "n": {
            "exploded_lines": len(raw_rows),
            "api_lines": api_lines,
            "measured": measured,
            **queries,
        },
        "seconds": {k: round(v, 4) for k, v in seconds.items()},
        "ratio": ratio,
        "ok": constant and seconds[measured] / seconds["raw_cte"] <= GOAL,
    }
