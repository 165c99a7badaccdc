"""Fixtures of the catalogue's tests: a small catalogue with a shared sub-assembly and imported parts."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation

import pytest

from cnan.catalogue import services


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def make_product(owner, code, *, price="0", origin="VN", sourcing=None, unit="piece", cls="component", **extra):
    sourcing = sourcing or ("purchased" if origin != "VN" else "made")
    data = {
        "organization": owner,
        "code": code,
        "name": extra.pop("name", f"Sản phẩm {code}"),
        "product_class": cls,
        "sourcing": sourcing,
        "supplier": extra.pop("supplier", "Nhà cung cấp" if sourcing == "purchased" else ""),
        "origin_country": origin,
        "unit": unit,
        "price": Decimal(price),
        **extra,
    }
    return services.product_create(actor=None, data=data)


def add_line(parent, component, quantity="1", **extra):
    revision = parent.current_revision
    if revision is None:
        revision = services.revision_create(actor=None, product=parent)
        parent.refresh_from_db()
    data = {"component": component, "quantity": Decimal(quantity), "unit": extra.pop("unit", component.unit), **extra}
    return services.bomline_create(actor=None, revision=revision, data=data)


@pytest.fixture
def catalogue(world):
    """ENT-A makes a vest (V) from a plate kit (K, shared with the helmet H) and an imported fabric (F, DE);
    the kit holds an imported sensor (S, JP) and domestic steel (ST, in kg); ENT-B makes the helmet.

    V (price 10,000,000) = 2 × K + 3 m of F      K (no price) = 1 × S + 2.5 kg ST
    H (price 4,000,000, ENT-B) = 1 × K            S = 1,000,000 (JP)   ST = 100,000 / kg   F = 200,000 / m (DE)
    """
    a, b = world.ent_a, world.ent_b
    sensor = make_product(a, "S", price="1000000", origin="JP")
    steel = make_product(a, "ST", price="100000", unit="kg")
    fabric = make_product(a, "F", price="200000", origin="DE", unit="m")
    kit = make_product(a, "K")
    vest = make_product(a, "V", price="10000000", cls="support_tool")
    helmet = make_product(b, "H", price="4000000", cls="support_tool")
    add_line(kit, sensor, "1")
    add_line(kit, steel, "2.5")
    for p in (kit, vest, helmet):
        p.refresh_from_db()
    add_line(vest, kit, "2")
    add_line(vest, fabric, "3")
    add_line(helmet, kit, "1")
    for p in (sensor, steel, fabric, kit, vest, helmet):
        p.refresh_from_db()
    return SimpleNamespace(sensor=sensor, steel=steel, fabric=fabric, kit=kit, vest=vest, helmet=helmet, world=world)
