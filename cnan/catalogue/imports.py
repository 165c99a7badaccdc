"""Imports of the catalogue (``core.imports``): a product list, and one product's bill of materials.

A product row whose code already exists updates that product (a price list, a change of origin); a new
code creates one. A BOM file becomes a new revision of the product's bill of materials, replacing the
current lines as a whole; loops and units that do not convert are refused row by row before anything
is written.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from django_countries import countries

from cnan.core import imports
from cnan.core.imports import (
    BOOLEAN,
    CHOICE,
    DECIMAL,
    INTEGER,
    PERCENT,
    REFERENCE,
    TEXT,
    CellError,
    Column,
    ImportSpec,
    Param,
    Row,
)
from cnan.core.permissions import has_perm
from cnan.organizations.models import Organization, ProductGroup

from . import services
from .models import BOMLine, Lifecycle, Product, ProductClass, Sourcing, Unit, Use, unit_factor

PRODUCTS = "catalogue:products"
BOM = "catalogue:bom"


def _organizations(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, Organization]:
    return {o.code: o for o in Organization.objects.visible_to(user, "view").filter(code__in=codes)}


def _groups(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, ProductGroup]:
    return {g.code: g for g in ProductGroup.objects.filter(code__in=codes)}


def _products(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, Product]:
    return {p.code: p for p in Product.objects.visible_to(user, "view").filter(code__in=codes)}


def _countries() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in countries]


PRODUCT_COLUMNS = (
    Column("code", gettext_lazy("Product code"), TEXT, required=True, max_length=64, example="CCHT-KHIEN-01"),
    Column("name", gettext_lazy("Product name"), TEXT, required=True, max_length=255, example="Khiên chống đạn"),
    Column("name_en", gettext_lazy("English name"), TEXT, max_length=255, example="Ballistic shield"),
    Column(
        "organization",
        gettext_lazy("Owner code"),
        REFERENCE,
        required=True,
        resolve=_organizations,
        help_text=gettext_lazy("The enterprise that makes the product, or the unit that registers a purchased part."),
        example="ENT-A",
    ),
    Column(
        "product_class",
        gettext_lazy("Class"),
        CHOICE,
        required=True,
        choices=ProductClass.choices,
        example="support_tool",
    ),
    Column("group", gettext_lazy("Product group code"), REFERENCE, resolve=_groups),
    Column("use", gettext_lazy("Use"), CHOICE, choices=Use.choices, default=Use.SPECIALISED, example="dual_use"),
    Column("exclusive", gettext_lazy("Exclusive (monopoly)"), BOOLEAN, default=False, example="không"),
    Column(
        "lifecycle",
        gettext_lazy("Lifecycle"),
        CHOICE,
        choices=Lifecycle.choices,
        default=Lifecycle.SERIAL,
        example="serial",
    ),
    Column("trl", gettext_lazy("Technology readiness level"), INTEGER, min_value=1, max_value=9, example="7"),
    Column(
        "sourcing", gettext_lazy("Sourcing"), CHOICE, choices=Sourcing.choices, default=Sourcing.MADE, example="made"
    ),
    Column("supplier", gettext_lazy("Supplier"), TEXT, max_length=255, help_text=gettext_lazy("For a purchased part.")),
    Column(
        "origin_country",
        gettext_lazy("Country of origin"),
        CHOICE,
        choices=_countries,
        default="VN",
        help_text=gettext_lazy("ISO code (VN, JP, DE …) or the country's name; empty: Viet Nam."),
        example="VN",
    ),
    Column("unit", gettext_lazy("Unit"), CHOICE, choices=Unit.choices, default=Unit.PIECE, example="piece"),
    Column(
        "price",
        gettext_lazy("Price (VND)"),
        DECIMAL,
        decimal_places=2,
        min_value=Decimal(0),
        default=Decimal(0),
        example="12.500.000",
    ),
    Column("standards", gettext_lazy("Standards"), TEXT, max_length=255, example="TCVN 7699"),
    Column("description", gettext_lazy("Description"), TEXT),
)


def _product_data(row: Row) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None and k in services.PRODUCT_FIELDS}


def _validate_products(user: Any, rows: list[Row], params: dict[str, Any]) -> tuple[list[Row], list[CellError]]:
    errors: list[CellError] = []
    counts = Counter(row["code"] for row in rows)
    first_row: dict[str, int] = {}
    existing = {p.code: p for p in Product.objects.filter(code__in=list(counts)).select_related("organization")}
    visible = set(
        Product.objects.visible_to(user, "change").filter(code__in=list(counts)).values_list("code", flat=True)
    )
    clean: list[Row] = []
    for row in rows:
        row_errors: list[CellError] = []
        code = row["code"]
        if counts[code] > 1 and code in first_row:
            row_errors.append(
                CellError(
                    row.number, "code", _("This code is already used in row %(row)s.") % {"row": first_row[code]}, code
                )
            )
        first_row.setdefault(code, row.number)
        current = existing.get(code)
        if current is not None and code not in visible:
            row_errors.append(CellError(row.number, "code", _("Another product already has this code."), code))
        product = Product(**_product_data(row))
        if current is None and not has_perm(user, "catalogue.add_product", product):
            row_errors.append(
                CellError(
                    row.number,
                    "organization",
                    _("You may not add products to %(org)s.") % {"org": row["organization"]},
                    row["organization"].code,
                )
            )
        try:
            product.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    row_errors.append(CellError(row.number, field if field in row else "", message))
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(row)
    return clean, errors


def _save_product(user: Any, row: Row, params: dict[str, Any]) -> None:
    data = _product_data(row)
    current = Product.objects.filter(code=row["code"]).first()
    if current is None:
        services.product_create(actor=user, data=data)
    else:
        services.product_update(actor=user, instance=current, data=data)


# --- one product's bill of materials ------------------------------------------------------------------


def _target_product(user: Any, raw: str) -> Product:
    product = Product.objects.visible_to(user, "view").filter(pk=int(raw)).first()
    if product is None:
        raise ObjectDoesNotExist(raw)
    if not has_perm(user, services.CHANGE_BOM, product):
        raise PermissionDenied
    return product


BOM_COLUMNS = (
    Column("position", pgettext_lazy("BOM", "Position"), INTEGER, min_value=0, example="10"),
    Column(
        "component",
        gettext_lazy("Component code"),
        REFERENCE,
        required=True,
        resolve=_products,
        help_text=gettext_lazy("The code of a product of the catalogue."),
        example="LK-PIN-01",
    ),
    Column("quantity", gettext_lazy("Quantity"), DECIMAL, required=True, decimal_places=6, example="2,5"),
    Column(
        "unit",
        gettext_lazy("Unit"),
        CHOICE,
        choices=Unit.choices,
        help_text=gettext_lazy("Empty: the component's own unit."),
        example="kg",
    ),
    Column(
        "scrap_percent",
        gettext_lazy("Scrap allowance (%)"),
        PERCENT,
        min_value=Decimal(0),
        max_value=Decimal(100),
        default=Decimal(0),
        example="2",
    ),
    Column("optional", gettext_lazy("Optional"), BOOLEAN, default=False, example="không"),
    Column(
        "substitute_for",
        gettext_lazy("Substitute for (component code)"),
        TEXT,
        max_length=64,
        help_text=gettext_lazy("The component of another row of this file that this row may replace."),
    ),
    Column("reference", gettext_lazy("Reference"), TEXT, max_length=100),
    Column("note", gettext_lazy("Note"), TEXT, max_length=255),
)


def _validate_bom(user: Any, rows: list[Row], params: dict[str, Any]) -> tuple[list[Row], list[CellError]]:
    product: Product = params["product"]
    errors: list[CellError] = []
    clean: list[Row] = []
    main_rows = {row["component"].code: row.number for row in rows if not row.get("substitute_for")}
    for row in rows:
        row_errors: list[CellError] = []
        component: Product = row["component"]
        if row["quantity"] is not None and row["quantity"] <= 0:
            row_errors.append(
                CellError(row.number, "quantity", _("The quantity must be greater than zero."), row["quantity"])
            )
        unit = row.get("unit") or component.unit
        if unit_factor(unit, component.unit) is None:
            row_errors.append(
                CellError(
                    row.number,
                    "unit",
                    _("%(unit)s does not convert to %(component_unit)s, the unit of %(component)s.")
                    % {
                        "unit": Unit(unit).label,
                        "component_unit": Unit(component.unit).label,
                        "component": component.code,
                    },
                    unit,
                )
            )
        try:
            services.check_no_cycle(product, component)
        except ValidationError as exc:
            for message in exc.message_dict.get("component", []):
                row_errors.append(CellError(row.number, "component", message, component.code))
        target = row.get("substitute_for")
        if target and target not in main_rows:
            row_errors.append(
                CellError(
                    row.number,
                    "substitute_for",
                    _("No other row of this file has the component %(code)s.") % {"code": target},
                    target,
                )
            )
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(row)
    return clean, errors


def _commit_bom(user: Any, rows: list[Row], params: dict[str, Any], progress: Any) -> None:
    product: Product = params["product"]
    revision = services.revision_create(
        actor=user, product=product, note=_("Imported from a spreadsheet"), copy_from=None, empty=True
    )
    created: dict[str, BOMLine] = {}
    # Main lines first, then the substitutes that refer to them.
    for row in sorted(rows, key=lambda r: bool(r.get("substitute_for"))):
        progress(row)
        data = {
            "component": row["component"],
            "quantity": row["quantity"],
            "unit": row.get("unit") or row["component"].unit,
            "scrap_percent": row.get("scrap_percent") or Decimal(0),
            "optional": bool(row.get("optional")),
            "reference": row.get("reference") or "",
            "note": row.get("note") or "",
        }
        if row.get("position") is not None:
            data["position"] = row["position"]
        if row.get("substitute_for"):
            data["substitute_for"] = created[row["substitute_for"]]
        line = services.bomline_create(actor=user, revision=revision, data=data)
        if not row.get("substitute_for"):
            created.setdefault(row["component"].code, line)


def register() -> None:
    imports.register(
        ImportSpec(
            key=PRODUCTS,
            title=lambda: _("Products of the catalogue"),
            permissions=("catalogue.add_product",),
            columns=PRODUCT_COLUMNS,
            validate_rows=_validate_products,
            commit_row=_save_product,
            list_url=lambda params: reverse("catalogue:product_list"),
            file_stem="danh-muc-san-pham",
        )
    )
    imports.register(
        ImportSpec(
            key=BOM,
            title=lambda: _("Bill of materials"),
            permissions=(services.CHANGE_BOM,),
            columns=BOM_COLUMNS,
            params=(Param("product", _target_product),),
            validate_rows=_validate_bom,
            commit=_commit_bom,
            heading=lambda params: str(params["product"]),
            list_url=lambda params: params["product"].get_absolute_url(),
            file_stem="dinh-muc-vat-tu",
        )
    )
