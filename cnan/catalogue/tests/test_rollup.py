"""The localisation-rate engine against a brute-force expansion, on hand-made and random DAGs."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cnan.catalogue import rollup, services
from cnan.catalogue.models import BOMLine, Product, ProductRollup
from cnan.core.testing import database_state

from .conftest import add_line, make_product

# --- brute force ------------------------------------------------------------------------------------


def brute_force(product_ids: list[int]) -> dict[int, tuple[Fraction, Fraction, Fraction | None, Fraction]]:
    """(cost, imported, rate %) of each product by plain recursion over the ORM, in exact fractions."""
    products = {p.pk: p for p in Product.objects.filter(pk__in=product_ids)}
    lines: dict[int, list[tuple[int, Fraction]]] = {}
    for line in BOMLine.objects.select_related("revision__product", "component"):
        if line.revision.product.current_revision_id != line.revision_id or line.optional or line.substitute_for_id:
            continue
        qty = Fraction(line.quantity) * Fraction(1 + line.scrap_percent / 100)
        if line.unit != line.component.unit:
            from cnan.catalogue.models import unit_factor

            qty *= Fraction(unit_factor(line.unit, line.component.unit))
        lines.setdefault(line.parent_id, []).append((line.component_id, qty))

    memo: dict[int, tuple[Fraction, Fraction]] = {}

    def walk(pid: int) -> tuple[Fraction, Fraction]:
        if pid in memo:
            return memo[pid]
        p = products.get(pid) or Product.objects.get(pk=pid)
        price = Fraction(p.price)
        if pid in lines:
            # Assemblies are kept to the whole đồng (see catalogue.rollup).
            cost = Fraction(round(sum((q * walk(c)[0] for c, q in lines[pid]), Fraction(0))))
            imported = Fraction(round(sum((q * walk(c)[1] for c, q in lines[pid]), Fraction(0))))
            if p.is_imported:
                imported = price if price > 0 else cost
        else:
            cost = price
            imported = price if p.is_imported else Fraction(0)
        memo[pid] = (cost, imported)
        return memo[pid]

    out = {}
    for pid in product_ids:
        cost, imported = walk(pid)
        basis = Fraction(products[pid].price) or cost
        rate = None if basis <= 0 else min(max((basis - imported) / basis, Fraction(0)), Fraction(1)) * 100
        out[pid] = (cost, imported, rate, basis)
    return out


def assert_matches_brute_force() -> None:
    ids = list(Product.objects.values_list("pk", flat=True))
    expected = brute_force(ids)
    stored = {r.product_id: r for r in ProductRollup.objects.all()}
    assert set(stored) == set(ids)
    for pid, (cost, imported, rate, basis) in expected.items():
        r = stored[pid]
        # Floating point may round a sum that is exactly half a đồng the other way: one đồng of slack.
        assert abs(float(r.unit_cost) - float(cost)) <= 1 + 1e-9 * float(cost), pid
        assert abs(float(r.imported_value) - float(imported)) <= 1 + 1e-9 * float(imported), pid
        if rate is None:
            assert r.localisation_rate is None
        else:
            assert r.localisation_rate is not None
            assert Decimal(0) <= r.localisation_rate <= Decimal(100)
            assert abs(float(r.localisation_rate) - float(rate)) <= 0.006 + 100 / float(basis), pid


def assert_stored_equals_full_recompute() -> None:
    figures = rollup.compute_all()
    for r in ProductRollup.objects.all():
        full = figures.of(r.product_id)
        assert r.unit_cost == full["unit_cost"]
        assert r.imported_value == full["imported_value"]
        assert r.localisation_rate == full["localisation_rate"]
        assert r.depth == full["depth"]


# --- hand-made cases --------------------------------------------------------------------------------


def test_the_worked_example(catalogue):
    r = {x.product.code: x for x in ProductRollup.objects.select_related("product")}
    # K = S (1,000,000, JP) + 2.5 kg steel at 100,000: cost 1,250,000, imported 1,000,000, no price → 20 %.
    assert (r["K"].unit_cost, r["K"].imported_value, r["K"].localisation_rate) == (
        Decimal("1250000.00"),
        Decimal("1000000.00"),
        Decimal("20.00"),
    )
    # V = 2 K + 3 m of fabric (200,000, DE): imported 2 × 1,000,000 + 600,000 against its price 10,000,000.
    assert r["V"].unit_cost == Decimal("3100000.00")
    assert r["V"].imported_value == Decimal("2600000.00")
    assert r["V"].value_basis == Decimal("10000000.00")
    assert r["V"].localisation_rate == Decimal("74.00")
    assert r["V"].depth == 2
    assert r["H"].localisation_rate == Decimal("75.00")
    assert r["S"].localisation_rate == Decimal("0.00")
    assert r["ST"].localisation_rate == Decimal("100.00")
    assert_matches_brute_force()


def test_price_change_updates_every_ancestor_and_only_them(catalogue, django_assert_max_num_queries):
    before = {r.product_id: r.computed_at for r in ProductRollup.objects.all()}
    services.product_update(actor=None, instance=catalogue.sensor, data={"price": Decimal("2000000")})
    after = {r.product.code: r for r in ProductRollup.objects.select_related("product")}
    assert after["K"].imported_value == Decimal("2000000.00")
    assert after["V"].imported_value == Decimal("4600000.00")
    assert after["H"].localisation_rate == Decimal("50.00")
    # Products outside the sensor's where-used were not rewritten.
    for code in ("ST", "F"):
        assert after[code].computed_at == before[after[code].product_id]
    assert_matches_brute_force()


def test_origin_change_propagates(catalogue):
    services.product_update(
        actor=None, instance=catalogue.sensor, data={"origin_country": "VN", "sourcing": "made", "supplier": ""}
    )
    r = ProductRollup.objects.get(product=catalogue.kit)
    assert r.imported_value == Decimal("0.00")
    assert r.localisation_rate == Decimal("100.00")
    assert ProductRollup.objects.get(product=catalogue.vest).imported_value == Decimal("600000.00")


def test_optional_and_substitute_lines_are_left_out(catalogue):
    domestic = make_product(catalogue.world.ent_a, "S-VN", price="1500000")
    kit_line = catalogue.kit.current_revision.lines.get(component=catalogue.sensor)
    add_line(catalogue.kit, domestic, "1", substitute_for=kit_line)
    add_line(catalogue.kit, make_product(catalogue.world.ent_a, "OPT", price="999", origin="US"), "4", optional=True)
    assert ProductRollup.objects.get(product=catalogue.kit).unit_cost == Decimal("1250000.00")
    assert_matches_brute_force()


def test_units_convert_and_scrap_is_added(catalogue):
    grams = make_product(catalogue.world.ent_a, "G", price="100000", unit="kg", origin="CN")
    line = add_line(catalogue.kit, grams, "500", unit="g", scrap_percent=Decimal("10"))
    assert line.effective_quantity == pytest.approx(0.55)
    assert ProductRollup.objects.get(product=catalogue.kit).imported_value == Decimal("1055000.00")
    assert_matches_brute_force()


def test_foreign_assembly_is_imported_whole(catalogue):
    services.product_update(
        actor=None,
        instance=catalogue.kit,
        data={"origin_country": "KR", "sourcing": "purchased", "supplier": "Hanwha", "price": Decimal("2000000")},
    )
    r = ProductRollup.objects.get(product=catalogue.kit)
    assert r.imported_value == Decimal("2000000.00")
    assert r.localisation_rate == Decimal("0.00")
    assert_matches_brute_force()


def test_imported_value_above_price_gives_zero_not_negative(catalogue):
    services.product_update(actor=None, instance=catalogue.helmet, data={"price": Decimal("500000")})
    assert ProductRollup.objects.get(product=catalogue.helmet).localisation_rate == Decimal("0.00")


def test_product_without_value_has_no_rate(world):
    empty = make_product(world.ent_a, "E0")
    assert ProductRollup.objects.get(product=empty).localisation_rate is None


def test_sweep_refuses_a_loop():
    with pytest.raises(rollup.CycleError):
        rollup.sweep(
            price=np.ones(2),
            foreign=np.zeros(2, dtype=bool),
            parents=np.array([0, 1]),
            children=np.array([1, 0]),
            quantity=np.ones(2),
        )


def test_recompute_all_repairs_and_then_writes_nothing(catalogue):
    ProductRollup.objects.filter(product=catalogue.vest).update(localisation_rate=Decimal("1.00"))
    ProductRollup.objects.filter(product=catalogue.steel).delete()
    assert rollup.recompute_all() == 2
    assert ProductRollup.objects.get(product=catalogue.vest).localisation_rate == Decimal("74.00")
    assert rollup.recompute_all() == 0
    assert_matches_brute_force()


def test_history_keeps_each_change(catalogue):
    services.product_update(actor=None, instance=catalogue.fabric, data={"price": Decimal("100000")})
    rates = list(catalogue.vest.rollup_history.order_by("time", "id").values_list("localisation_rate", flat=True))
    assert rates[-1] == Decimal("77.00")
    assert Decimal("74.00") in rates


# --- random DAGs ------------------------------------------------------------------------------------

ORIGINS = ["VN", "VN", "VN", "JP", "DE"]


@st.composite
def dags(draw):
    n = draw(st.integers(min_value=2, max_value=9))
    nodes = [
        (
            draw(st.sampled_from(ORIGINS)),
            draw(st.sampled_from([0, 0, 1000, 25000, 1_000_000, 7_500_000])),
        )
        for _ in range(n)
    ]
    # Lines only from a higher index to a lower one: a DAG, with shared components.
    edges = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=1, max_value=n - 1),
                st.integers(min_value=0, max_value=n - 1),
                st.sampled_from(["1", "2", "0.5", "3.25", "12"]),
                st.sampled_from(["0", "5", "12.5"]),
            ).filter(lambda e: e[1] < e[0]),
            max_size=14,
            unique_by=lambda e: (e[0], e[1]),
        )
    )
    return nodes, edges


def build(world, nodes, edges, *, order=None):
    products = []
    for i, (origin, price) in enumerate(nodes):
        products.append(make_product(world.ent_a, f"N{i}", price=str(price), origin=origin))
    for parent, child, qty, scrap in order(edges) if order else edges:
        products[parent].refresh_from_db()
        add_line(products[parent], products[child], qty, scrap_percent=Decimal(scrap))
    return products


PROPERTY = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


@PROPERTY
@given(graph=dags())
def test_stored_rollup_equals_brute_force_on_random_dags(world, graph):
    with transaction.atomic():
        build(world, *graph)
        assert_matches_brute_force()
        assert_stored_equals_full_recompute()
        transaction.set_rollback(True)


@PROPERTY
@given(graph=dags(), data=st.data())
def test_incremental_updates_equal_a_full_recompute(world, graph, data):
    with transaction.atomic():
        products = build(world, *graph)
        for _step in range(data.draw(st.integers(min_value=1, max_value=4))):
            action = data.draw(st.sampled_from(["price", "origin", "quantity", "delete"]))
            lines = list(BOMLine.objects.all())
            if action in ("quantity", "delete") and lines:
                line = data.draw(st.sampled_from(lines))
                if action == "delete":
                    services.bomline_delete(actor=None, instance=line)
                else:
                    services.bomline_update(
                        actor=None, instance=line, data={"quantity": Decimal(data.draw(st.sampled_from(["1", "7"])))}
                    )
            else:
                product = data.draw(st.sampled_from(products))
                product.refresh_from_db()
                if action == "price":
                    price = Decimal(data.draw(st.sampled_from([0, 10, 40_000, 3_000_000])))
                    services.product_update(actor=None, instance=product, data={"price": price})
                else:
                    origin = data.draw(st.sampled_from(["VN", "US"]))
                    change = {"origin_country": origin, "sourcing": "made" if origin == "VN" else "purchased"}
                    change["supplier"] = "" if origin == "VN" else "Acme"
                    services.product_update(actor=None, instance=product, data=change)
        assert_stored_equals_full_recompute()
        assert_matches_brute_force()
        transaction.set_rollback(True)


def _ancestors_or_self(pid: int) -> set[int]:
    found, todo = {pid}, [pid]
    while todo:
        node = todo.pop()
        for parent in BOMLine.objects.filter(component_id=node).values_list("parent_id", flat=True):
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


@PROPERTY
@given(graph=dags(), data=st.data())
def test_a_line_that_closes_a_loop_is_always_refused(world, graph, data):
    with transaction.atomic():
        products = build(world, *graph)
        child = data.draw(st.sampled_from(products))
        # Adding any ancestor (or the product itself) as a component of ``child`` closes a loop.
        ancestor_id = data.draw(st.sampled_from(sorted(_ancestors_or_self(child.pk))))
        ancestor = Product.objects.get(pk=ancestor_id)
        child.refresh_from_db()
        if child.current_revision is None:
            services.revision_create(actor=None, product=child)
            child.refresh_from_db()
        before = database_state()
        with pytest.raises(ValidationError) as info:
            services.bomline_create(
                actor=None,
                revision=child.current_revision,
                data={"component": ancestor, "quantity": Decimal(1), "unit": ancestor.unit},
            )
        assert database_state() == before
        message = " ".join(info.value.message_dict["component"])
        assert ancestor.code in message
        assert ("cannot be a component of itself" in message) == (ancestor.pk == child.pk)
        if ancestor.pk != child.pk:
            assert message.index(child.code) < message.rindex(ancestor.code)
        transaction.set_rollback(True)


def test_the_bulk_write_path_stores_the_same_rows(catalogue, monkeypatch):
    """On PostgreSQL many rows are written through COPY (here forced from one row); the rows and the history
    entries are those of the row-by-row path."""
    monkeypatch.setattr(rollup, "COPY_MIN_ROWS", 1)
    expected = {
        r.product_id: (r.unit_cost, r.imported_value, r.value_basis, r.localisation_rate, r.depth)
        for r in ProductRollup.objects.all()
    }
    ProductRollup.objects.all().delete()
    history_before = catalogue.vest.rollup_history.count()
    assert rollup.recompute_all() == len(expected)
    stored = {
        r.product_id: (r.unit_cost, r.imported_value, r.value_basis, r.localisation_rate, r.depth)
        for r in ProductRollup.objects.all()
    }
    assert stored == expected
    assert catalogue.vest.rollup_history.count() == history_before + 1
    # Twice in one transaction (the staging table is dropped and made again).
    services.product_update(actor=None, instance=catalogue.sensor, data={"price": Decimal("3000000")})
    services.product_update(actor=None, instance=catalogue.fabric, data={"price": Decimal("1")})
    assert ProductRollup.objects.get(product=catalogue.vest).imported_value == Decimal("6000003.00")
    assert_stored_equals_full_recompute()
