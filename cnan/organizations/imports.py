"""Imports of the registry (``core.imports``): production facilities from the template."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.core import imports
from cnan.core.imports import CHOICE, DATE, REFERENCE, TEXT, CellError, Column, ImportSpec, Row
from cnan.core.permissions import has_perm

from . import services
from .models import Facility, IndustrialPark, Organization
from .provinces import Province

FACILITIES = "organizations:facilities"


def _organizations(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, Organization]:
    return {o.code: o for o in Organization.objects.visible_to(user, "view").filter(code__in=codes)}


def _parks(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, IndustrialPark]:
    return {p.code: p for p in IndustrialPark.objects.visible_to(user, "view").filter(code__in=codes)}


FACILITY_COLUMNS = (
    Column("code", gettext_lazy("Facility code"), TEXT, required=True, max_length=32, example="X18-CK1"),
    Column("name", gettext_lazy("Facility name"), TEXT, required=True, max_length=255, example="Xưởng cơ khí số 1"),
    Column(
        "organization",
        gettext_lazy("Owner code"),
        REFERENCE,
        required=True,
        resolve=_organizations,
        help_text=gettext_lazy("The code of the enterprise or unit that owns the facility, e.g. ENT-A."),
        example="ENT-A",
    ),
    Column(
        "kind",
        gettext_lazy("Facility kind"),
        CHOICE,
        choices=Facility.Kind.choices,
        default=Facility.Kind.OTHER,
        help_text=gettext_lazy("Empty: other participating facility."),
        example="other",
    ),
    Column("province", gettext_lazy("Province"), CHOICE, required=True, choices=Province.choices, example="Hà Nội"),
    Column("address", gettext_lazy("Site address"), TEXT, max_length=255, example="Lại Yên, Hoài Đức"),
    Column("decision_number", gettext_lazy("Decision number"), TEXT, max_length=100, example="12/QĐ-BCA"),
    Column("decision_date", gettext_lazy("Decision date"), DATE, example="15/03/2025"),
    Column("decision_issuer", gettext_lazy("Decision issued by"), TEXT, max_length=255, example="Bộ trưởng Bộ Công an"),
    Column(
        "park",
        gettext_lazy("Industrial park code"),
        REFERENCE,
        resolve=_parks,
        help_text=gettext_lazy("Empty if the facility is not in a security industrial park."),
        example="P1",
    ),
    Column("capabilities", gettext_lazy("Capabilities"), TEXT, example="Gia công cơ khí chính xác"),
    Column("capacity", gettext_lazy("Capacity"), TEXT, example="20.000 mũ/năm"),
    Column("recognised_on", gettext_lazy("Recognised on"), DATE, example="01/07/2025"),
    Column("withdrawn_on", gettext_lazy("Recognition withdrawn on"), DATE),
)

# Fields the model's own checks name, and the column that holds them.
_FIELD_COLUMNS = {c.name: c.name for c in FACILITY_COLUMNS}


def _validate_facilities(user: Any, rows: list[Row], params: dict[str, Any]) -> tuple[list[Row], list[CellError]]:
    """Codes repeated in the file or already taken, owners the user may not add facilities to, and the
    model's own rules (a core facility needs its decision …), without writing anything."""
    errors: list[CellError] = []
    first_row: dict[str, int] = {}
    counts = Counter(row["code"] for row in rows)
    taken = set(Facility.objects.filter(code__in=list(counts)).values_list("code", flat=True))
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
        if code in taken:
            row_errors.append(CellError(row.number, "code", _("Another facility already has this code."), code))
        facility = Facility(**{k: v for k, v in row.items() if v is not None})
        if not has_perm(user, "organizations.add_facility", facility):
            row_errors.append(
                CellError(
                    row.number,
                    "organization",
                    _("You may not add facilities to %(org)s.") % {"org": row["organization"]},
                    row["organization"].code,
                )
            )
        try:
            facility.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    row_errors.append(CellError(row.number, _FIELD_COLUMNS.get(field, ""), message))
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(row)
    return clean, errors


def _create_facility(user: Any, row: Row, params: dict[str, Any]) -> None:
    services.facility_create(actor=user, data={k: v for k, v in row.items() if v is not None})


def register() -> None:
    imports.register(
        ImportSpec(
            key=FACILITIES,
            title=lambda: _("Production facilities"),
            permissions=("organizations.add_facility",),
            columns=FACILITY_COLUMNS,
            validate_rows=_validate_facilities,
            commit_row=_create_facility,
            list_url=lambda params: reverse("organizations:facility_list"),
            file_stem="co-so-san-xuat",
        )
    )
