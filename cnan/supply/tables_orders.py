"""The tables of the orders' lists (the same columns on screen and in XLSX/CSV exports)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

import django_tables2 as tables

from cnan.core.tables import PortalTable

from .models import Delivery, Feedback, ProductionOrder
from .tables_demand import money

NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
STATUS_COLOURS = {
    ProductionOrder.Status.PLACED: "secondary",
    ProductionOrder.Status.IN_PRODUCTION: "primary",
    ProductionOrder.Status.DELIVERED: "success",
    ProductionOrder.Status.CANCELLED: "dark",
}


def _name(value) -> str:
    """A party by its name, as the demand lists and the other areas' lists show organisations."""
    return value.name if value is not None else "—"


class OrderTable(PortalTable):
    order = tables.Column(
        verbose_name=pgettext_lazy("production order", "Order"),
        accessor="number",
        order_by=("number",),
        linkify=("supply:order_detail", {"pk": tables.A("pk")}),
        attrs={"td": {"class": "col-name"}},
    )
    mode = tables.Column(verbose_name=_("Mode"))
    customer = tables.Column(verbose_name=_("Customer unit"), order_by=("customer__name",))
    enterprise = tables.Column(verbose_name=_("Enterprise"), order_by=("enterprise__name",))
    product = tables.Column(verbose_name=_("Product"), order_by=("product__code",))
    product_class = tables.Column(
        verbose_name=_("Product class"), accessor="product__product_class", order_by=("product__product_class",)
    )
    year = tables.Column(verbose_name=_("Year"), attrs=NUMBER)
    quantity = tables.Column(verbose_name=_("Quantity"), attrs=NUMBER)
    unit_price = tables.Column(verbose_name=_("Unit price (VND)"), attrs=NUMBER)
    value = tables.Column(verbose_name=_("Value (VND)"), empty_values=(), orderable=False, attrs=NUMBER)
    price_basis = tables.Column(verbose_name=_("Price basis"), visible=False)
    funding = tables.Column(verbose_name=_("Funding source"))
    ordered_on = tables.DateColumn(verbose_name=_("Ordered on"), format="d/m/Y")
    due_on = tables.DateColumn(verbose_name=_("Delivery due"), format="d/m/Y")
    status = tables.Column(verbose_name=_("Status"))
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = ProductionOrder
        fields = (
            "order",
            "mode",
            "customer",
            "enterprise",
            "product",
            "product_class",
            "year",
            "quantity",
            "unit_price",
            "value",
            "price_basis",
            "funding",
            "ordered_on",
            "due_on",
            "status",
            "classification",
        )
        order_by = ("-ordered_on",)

    def render_order(self, record):
        return str(record)

    def value_order(self, record):
        return str(record)

    def render_customer(self, value):
        return _name(value)

    def value_customer(self, value):
        return _name(value)

    def render_enterprise(self, value):
        return _name(value)

    def value_enterprise(self, value):
        return _name(value)

    def render_product(self, value):
        return value.name

    def value_product(self, value):
        return value.name

    def render_product_class(self, record):
        return record.product.get_product_class_display()

    def value_product_class(self, record):
        return record.product.get_product_class_display()

    def render_year(self, value):
        return str(value)  # a year, not a number with a thousands separator

    def value_year(self, value):
        return value

    def render_unit_price(self, value):
        return money(value)

    def render_value(self, record):
        return money(record.value)

    def value_value(self, record):
        return record.value

    def render_status(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}" data-status="{}">{}</span>',
            STATUS_COLOURS.get(record.status, "secondary"),
            record.status,
            record.get_status_display(),
        )

    def value_status(self, record):
        return record.get_status_display()


class DeliveryTable(PortalTable):
    delivery = tables.Column(
        verbose_name=_("Delivery"),
        accessor="order__number",  # text: the export takes the column's value (``value_delivery``)
        order_by=("delivered_on",),
        linkify=lambda record: record.get_absolute_url(),
        attrs={"td": {"class": "col-name"}},
    )
    order = tables.Column(
        verbose_name=pgettext_lazy("production order", "Order"), order_by=("order__number",), linkify=True
    )
    customer = tables.Column(
        verbose_name=_("Customer unit"), accessor="order__customer", order_by=("order__customer__name",)
    )
    enterprise = tables.Column(
        verbose_name=_("Enterprise"), accessor="order__enterprise", order_by=("order__enterprise__name",)
    )
    product = tables.Column(verbose_name=_("Product"), accessor="order__product", order_by=("order__product__code",))
    delivered_on = tables.DateColumn(verbose_name=_("Delivered on"), format="d/m/Y")
    quantity = tables.Column(verbose_name=_("Quantity"), attrs=NUMBER)
    value = tables.Column(verbose_name=_("Value (VND)"), attrs=NUMBER)
    accepted_on = tables.DateColumn(verbose_name=_("Accepted on"), format="d/m/Y")
    acceptance_number = tables.Column(verbose_name=_("Acceptance record"))
    note = tables.Column(verbose_name=_("Note"), orderable=False, visible=False)

    class Meta(PortalTable.Meta):
        model = Delivery
        fields = (
            "delivery",
            "order",
            "customer",
            "enterprise",
            "product",
            "delivered_on",
            "quantity",
            "value",
            "accepted_on",
            "acceptance_number",
            "note",
        )
        order_by = ("-delivered_on",)

    def render_delivery(self, record):
        return str(record)

    def value_delivery(self, record):
        return str(record)

    def render_order(self, value):
        return value.number

    def value_order(self, value):
        return value.number

    def render_customer(self, value):
        return _name(value)

    def value_customer(self, value):
        return _name(value)

    def render_enterprise(self, value):
        return _name(value)

    def value_enterprise(self, value):
        return _name(value)

    def render_product(self, value):
        return value.name

    def value_product(self, value):
        return value.name

    def render_value(self, value):
        return money(value)


class FeedbackTable(PortalTable):
    delivery = tables.Column(
        verbose_name=_("Delivery"),
        order_by=("delivery__delivered_on",),
        linkify=lambda record: record.get_absolute_url(),
        attrs={"td": {"class": "col-name"}},
    )
    customer = tables.Column(
        verbose_name=_("Customer unit"),
        accessor="delivery__order__customer",
        order_by=("delivery__order__customer__name",),
    )
    enterprise = tables.Column(
        verbose_name=_("Enterprise"),
        accessor="delivery__order__enterprise",
        order_by=("delivery__order__enterprise__name",),
    )
    product = tables.Column(
        verbose_name=_("Product"), accessor="delivery__order__product", order_by=("delivery__order__product__code",)
    )
    given_on = tables.DateColumn(verbose_name=_("Given on"), format="d/m/Y")
    rating = tables.Column(verbose_name=_("Rating (1–5)"), attrs=NUMBER)
    comment = tables.Column(verbose_name=_("Comment"), orderable=False)

    class Meta(PortalTable.Meta):
        model = Feedback
        fields = ("delivery", "customer", "enterprise", "product", "given_on", "rating", "comment")
        order_by = ("-given_on",)

    def render_delivery(self, value):
        return str(value)

    def value_delivery(self, value):
        return str(value)

    def render_customer(self, value):
        return _name(value)

    def value_customer(self, value):
        return _name(value)

    def render_enterprise(self, value):
        return _name(value)

    def value_enterprise(self, value):
        return _name(value)

    def render_product(self, value):
        return value.name

    def value_product(self, value):
        return value.name

    def render_comment(self, value):
        return value if len(value) <= 140 else value[:139] + "…"
