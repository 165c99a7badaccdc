"""Import of a demand plan's lines (``core.imports``, key ``supply:demand``, parameter ``plan``): one row per
need — a catalogue product (optional, by code, among those the user may see), its product class (code or
label, Vietnamese or English), product group (code or name), the required specification, quantity, reference
unit value, needed-by date and the force it equips.

Every row is checked before anything is written: the plan (one the user may change, still a draft or
returned), the class against the product's, a class and a unit value when no product gives them, the model's
own rules (the needed-by date). Errors are (row, column, value, message in the user's language); the commit
writes every line through ``services.line_create`` in one transaction, or none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.catalogue.models import Product, ProductClass
from cnan.common.text import fold
from cnan.core import imports
from cnan.core.imports import CHOICE, DATE, DECIMAL, INTEGER, REFERENCE, TEXT, CellError, Column, ImportSpec, Param, Row
from cnan.core.permissions import has_perm
from cnan.organizations.models import ProductGroup

from . import services
from .models import DemandLine, DemandPlan, ForceType

DEMAND = "supply:demand"


def _plan(user: Any, raw: str) -> DemandPlan:
    plan = DemandPlan.objects.visible_to(user, "view").select_related("unit").filter(pk=int(raw)).first()
    if plan is None:
        raise ObjectDoesNotExist(raw)
    if not has_perm(user, "supply.change_demandplan", plan):
        raise PermissionDenied
    return plan


def _products(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, Product]:
    return {p.code: p for p in Product.objects.visible_to(user, "view").filter(code__in=codes)}


def _groups(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, ProductGroup]:
    """Groups by code, or by name in either language (diacritics and case ignored)."""
    wanted = {fold(c): c for c in codes}
    found: dict[str, ProductGroup] = {}
    for group in ProductGroup.objects.all():
        for key in (group.code, group.name, group.name_en):
            raw = wanted.get(fold(key)) if key else None
            if raw is not None:
                found.setdefault(raw, group)
    return found


COLUMNS = (
    Column(
        "product",
        gettext_lazy("Product code"),
        REFERENCE,
        resolve=_products,
        help_text=gettext_lazy("Optional: a catalogue product you may see; otherwise the class and group."),
        example="",
    ),
    Column(
        "product_class",
        gettext_lazy("Product class"),
        CHOICE,
        choices=ProductClass.choices,
        help_text=gettext_lazy("Required without a product code; with one, the product's class."),
        example="support_tool",
    ),
    Column(
        "product_group",
        gettext_lazy("Product group"),
        REFERENCE,
        resolve=_groups,
        help_text=gettext_lazy("The code or the name of the product group."),
        example="",
    ),
    Column(
        "specification",
        gettext_lazy("Required specification"),
        TEXT,
        required=True,
        example="Áo giáp chống đạn cấp bảo vệ III theo TCVN",
    ),
    Column("quantity", gettext_lazy("Quantity"), INTEGER, required=True, min_value=1, example="100"),
    Column(
        "unit_value",
        gettext_lazy("Reference unit value (VND)"),
        DECIMAL,
        decimal_places=0,
        min_value=Decimal(0),
        help_text=gettext_lazy("In đồng. Required without a product code; with one, its price by default."),
        example="12.000.000",
    ),
    Column("needed_by", gettext_lazy("Needed by"), DATE, required=True, example="30/06/2026"),
    Column(
        "force_type",
        gettext_lazy("Force equipped"),
        CHOICE,
        required=True,
        choices=ForceType.choices,
        example="rapid_response",
    ),
)

_FIELDS = tuple(c.name for c in COLUMNS)


def _line_data(row: Row) -> dict[str, Any]:
    data = {name: row[name] for name in _FIELDS if name in row and row[name] not in (None, "")}
    product = data.get("product")
    if product is not None and "unit_value" not in data and product.price is not None:
        data["unit_value"] = product.price.quantize(Decimal(1))  # the catalogue price, in whole đồng
    return data


def _validate(user: Any, rows: list[Row], params: dict[str, Any]) -> tuple[list[Row], list[CellError]]:
    plan = DemandPlan.objects.select_related("unit").get(pk=params["plan"].pk)  # its state now
    errors: list[CellError] = []
    clean: list[Row] = []
    refusal = None
    if not has_perm(user, "supply.change_demandplan", plan):
        refusal = _("You may not change the demand plans of %(unit)s.") % {"unit": plan.unit.name}
    elif plan.state not in services.EDITABLE:
        refusal = _("The plan is %(state)s: its lines change only after it is returned.") % {
            "state": plan.get_state_display()
        }
    for row in rows:
        row_errors: list[CellError] = []
        if refusal:
            row_errors.append(CellError(row.number, "", refusal))
        product: Product | None = row.get("product") or None
        product_class = row.get("product_class") or ""
        if product is None:
            if not product_class:
                row_errors.append(
                    CellError(row.number, "product_class", _("Give the product class, or a product code."))
                )
            if row.get("unit_value") is None:
                row_errors.append(CellError(row.number, "unit_value", _("Give the unit value, or a product code.")))
        else:
            if row.get("unit_value") is None and product.price is None:
                row_errors.append(
                    CellError(row.number, "unit_value", _("The product has no price: give the unit value."))
                )
            if product_class and product.product_class != product_class:
                row_errors.append(
                    CellError(
                        row.number,
                        "product_class",
                        _("The product %(code)s is of another class (%(class)s).")
                        % {"code": product.code, "class": product.get_product_class_display()},
                        product_class,
                    )
                )
        if not row_errors:
            candidate = DemandLine(plan=plan, **_line_data(row))
            if product is not None:
                candidate.product_class = candidate.product_class or product.product_class
            try:
                candidate.clean()
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    column = field if field in _FIELDS else ""
                    for message in messages:
                        row_errors.append(CellError(row.number, column, message, row.get(column, "") if column else ""))
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(row)
    return clean, errors


def _commit_row(user: Any, row: Row, params: dict[str, Any]) -> DemandLine:
    plan = DemandPlan.objects.get(pk=params["plan"].pk)
    return services.line_create(actor=user, plan=plan, data=_line_data(row))


def register() -> None:
    imports.register(
        ImportSpec(
            key=DEMAND,
            title=lambda: _("Lines of a demand plan"),
            permissions=("supply.change_demandplan",),
            columns=COLUMNS,
            params=(Param("plan", _plan),),
            validate_rows=_validate,
            commit_row=_commit_row,
            heading=lambda params: str(params["plan"]),
            list_url=lambda params: params["plan"].get_absolute_url(),
            file_stem="nhu-cau-trang-bi",
        )
    )
