"""The multi-level bill of materials of one product as an XLSX sheet (indented levels, extended figures)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from django_countries import countries
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .models import Product, Sourcing, Unit
from .selectors import ExplodedLine

MONEY = "#,##0"
QUANTITY = "#,##0.######"


def headers() -> list[str]:
    return [
        pgettext("BOM", "Level"),
        _("Code"),
        _("Name"),
        _("Quantity per parent"),
        _("Unit"),
        _("Extended quantity"),
        _("Component unit"),
        _("Unit cost (VND)"),
        _("Extended cost (VND)"),
        _("Country of origin"),
        _("Imported value per unit (VND)"),
        _("Extended imported value (VND)"),
        _("Sourcing"),
        _("Supplier"),
    ]


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def workbook(product: Product, lines: list[ExplodedLine]) -> bytes:
    """One sheet: the product, then every line of its standard configuration through every level, each
    indented by its level, with the totals of the first level (the product's rolled-up figures)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=product.code[:31] or "BOM")
    ws.freeze_panes = "A3"
    bold = Font(bold=True)

    def cell(value: Any, *, fmt: str | None = None, indent: int = 0, font: Font | None = None) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=value)
        if fmt:
            c.number_format = fmt
        if indent:
            c.alignment = Alignment(indent=indent)
        if font:
            c.font = font
        return c

    ws.append([cell(f"{product.code} — {product.display_name}", font=bold)])
    ws.append([cell(h, font=bold) for h in headers()])
    ws.append(
        [
            cell(0),
            cell(product.code, font=bold),
            cell(product.display_name, font=bold),
            cell(1, fmt=QUANTITY),
            cell(_label(Unit, product.unit)),
            cell(1, fmt=QUANTITY),
            cell(_label(Unit, product.unit)),
        ]
    )
    total_cost = total_imported = 0.0
    for line in lines:
        indent = line.level
        hidden = _("(a component you may not see)")
        if line.level == 1:
            total_cost += line.extended_cost
            total_imported += line.extended_imported
        ws.append(
            [
                cell(line.level),
                cell(line.code if line.visible else "—", indent=indent),
                cell(line.name if line.visible else hidden, indent=indent),
                cell(float(line.quantity), fmt=QUANTITY),
                cell(_label(Unit, line.unit)),
                cell(line.extended_quantity, fmt=QUANTITY),
                cell(_label(Unit, line.component_unit)),
                cell(float(line.unit_cost) if line.unit_cost is not None else None, fmt=MONEY),
                cell(line.extended_cost, fmt=MONEY),
                cell(str(countries.name(line.origin_country)) if line.visible else ""),
                cell(float(line.imported_value) if line.imported_value is not None else None, fmt=MONEY),
                cell(line.extended_imported, fmt=MONEY),
                cell(_label(Sourcing, line.sourcing) if line.visible else ""),
                cell(line.supplier),
            ]
        )
    ws.append(
        [
            cell(None),
            cell(_("Total of the first level"), font=bold),
            *[cell(None) for _i in range(6)],
            cell(round(total_cost, 2), fmt=MONEY, font=bold),
            cell(None),
            cell(None),
            cell(round(total_imported, 2), fmt=MONEY, font=bold),
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(product: Product) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in product.code)
    return f"bom-{safe}.xlsx"
