"""The catalogue's list tables (the same columns on screen and in XLSX/CSV exports)."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

import django_tables2 as tables

from cnan.core.tables import PortalTable

from .models import CatalogueEdition, Product

NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


def money(value: Any) -> str:
    """An amount in đồng in the page's number format (1.234.567 in Vietnamese), "—" when unknown."""
    if value is None or value == "":
        return "—"
    return floatformat(value, "-2g")


def percent(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return floatformat(value, "2")


class ProductTable(PortalTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    name = tables.Column(verbose_name=_("Name"), linkify=True, attrs={"td": {"class": "col-name"}})
    product_class = tables.Column(verbose_name=_("Class"))
    use = tables.Column(verbose_name=_("Use"))
    lifecycle = tables.Column(verbose_name=_("Lifecycle"))
    organization = tables.Column(verbose_name=_("Owner"), linkify=True, order_by=("organization__name",))
    sourcing = tables.Column(verbose_name=_("Sourcing"))
    origin_country = tables.Column(
        verbose_name=_("Country of origin"), accessor="origin_country__name", order_by=("origin_country",)
    )
    unit = tables.Column(verbose_name=_("Unit"))
    price = tables.Column(verbose_name=_("Price (VND)"), attrs=NUMBER)
    localisation_rate = tables.Column(
        verbose_name=_("Localisation rate (%)"), accessor="rollup__localisation_rate", attrs=NUMBER
    )
    imported_value = tables.Column(
        verbose_name=_("Imported value (VND)"), accessor="rollup__imported_value", attrs=NUMBER
    )
    group = tables.Column(verbose_name=_("Product group"), order_by=("group__name",), visible=False)
    supplier = tables.Column(verbose_name=_("Supplier"), visible=False)
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = Product
        fields = (
            "code",
            "name",
            "product_class",
            "use",
            "lifecycle",
            "organization",
            "sourcing",
            "origin_country",
            "unit",
            "price",
            "localisation_rate",
            "imported_value",
            "group",
            "supplier",
            "classification",
        )
        order_by = ("code",)

    def render_organization(self, value):
        return value.name

    def value_organization(self, value):
        return value.name

    def render_price(self, value):
        return money(value)

    def render_localisation_rate(self, value):
        return percent(value)

    def render_imported_value(self, value):
        return money(value)


class EditionTable(PortalTable):
    code = tables.Column(verbose_name=_("Edition"), linkify=True)
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    organization = tables.Column(verbose_name=_("Issued by"), order_by=("organization__name",))
    decision_number = tables.Column(verbose_name=_("Decision number"))
    decision_date = tables.DateColumn(verbose_name=_("Decision date"), format="d/m/Y")
    published_at = tables.DateTimeColumn(verbose_name=_("Published at"), format="d/m/Y H:i")

    class Meta(PortalTable.Meta):
        model = CatalogueEdition
        fields = ("code", "title", "organization", "decision_number", "decision_date", "published_at")
        order_by = ("-code",)

    def render_organization(self, value):
        return value.name

    def value_organization(self, value):
        return value.name
