"""Thin views over the planning selectors and services, one module per area (see ``cnan.planning.urls``)."""


def register_pages() -> None:
    from . import achievement, plans, reports

    for area in (achievement, plans, reports):
        area.register_pages()
