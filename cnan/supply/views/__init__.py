"""Thin views over the supply selectors and services, one module per area (see ``cnan.supply.urls``)."""


def register_pages() -> None:
    from . import allocation, dashboard, demand, orders

    for area in (dashboard, demand, orders, allocation):
        area.register_pages()
