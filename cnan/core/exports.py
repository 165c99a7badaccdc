"""Export of any filtered list to XLSX or CSV: one implementation, used by every list page and the jobs.

Lists register themselves (``register_list``) so that a background job can rebuild the same filtered,
visibility-checked queryset from the owner, the list key and the query string.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = {"xlsx", "csv"}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
CHUNK = 1000


@dataclass(frozen=True)
class ListSpec:
    key: str
    title: Callable[[], str]
    selector: Callable[..., models.QuerySet]
    table_class: type


_lists: dict[str, ListSpec] = {}


def register_list(spec: ListSpec) -> None:
    _lists[spec.key] = spec


def get_list(key: str) -> ListSpec:
    return _lists[key]


def _typed(raw: Any) -> Any:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, dt.datetime):
        return timezone.localtime(raw).replace(tzinfo=None) if timezone.is_aware(raw) else raw
    if isinstance(raw, dt.date | Decimal | int | float):
        return raw
    return None


def table_rows(table_class: type, queryset: models.QuerySet) -> tuple[list[str], Iterator[list[Any]], int]:
    """Headers, a row iterator and the row count. Rows are built chunk by chunk with the table's columns:
    numbers and dates keep their type, everything else is the column's plain-text value."""
    total = queryset.count()
    probe = table_class(queryset.none())
    # Every column, also those hidden on screen (``visible=False``): the export is the complete table.
    columns = [bc for bc in probe.columns.iterall() if not bc.column.exclude_from_export and bc.name != "actions"]
    headers = [str(bc.header) for bc in columns]
    model = queryset.model
    typed_names = set()
    for bc in columns:
        try:
            field = bc.accessor.get_field(model)
        except Exception:  # noqa: BLE001 - non-field accessor
            field = None
        # A choice field exports its label; anything else whose value is a number or a date (a field,
        # or an annotation such as a count) keeps its type.
        if field is None or not field.choices:
            typed_names.add(bc.name)

    def rows() -> Iterator[list[Any]]:
        batch: list[Any] = []
        for obj in queryset.iterator(chunk_size=CHUNK):
            batch.append(obj)
            if len(batch) >= CHUNK:
                yield from _render(batch)
                batch = []
        if batch:
            yield from _render(batch)

    def _render(batch: list[Any]) -> Iterator[list[Any]]:
        # ``order_by=()``: the rows keep the queryset's order (the page's sort); a table built with its
        # default order would re-sort every chunk on its own.
        table = table_class(batch, order_by=())
        names = [bc.name for bc in columns]
        for row in table.rows:
            values = []
            for name in names:
                raw = (
                    _typed(row.table.columns[name].accessor.resolve(row.record, quiet=True))
                    if (name in typed_names)
                    else None
                )
                values.append(raw if raw is not None else _plain(row.get_cell_value(name)))
            yield values

    return headers, rows(), total


def _plain(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "" if text == "—" else text


def write_xlsx(
    out: io.BufferedIOBase | Any,
    *,
    title: str,
    headers: list[str],
    rows: Iterator[list[Any]],
    on_row: Callable[[int], None] | None = None,
) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Sheet1")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    for values in rows:
        cells = []
        for v in values:
            cell = WriteOnlyCell(ws, value=v)
            if isinstance(v, dt.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(v, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(v, Decimal | float):
                cell.number_format = "#,##0.##"
            cells.append(cell)
        ws.append(cells)
        count += 1
        if on_row:
            on_row(count)
    wb.save(out)
    return count


def write_csv(
    out: io.TextIOBase | Any,
    *,
    headers: list[str],
    rows: Iterator[list[Any]],
    on_row: Callable[[int], None] | None = None,
) -> int:
    writer = csv.writer(out)
    writer.writerow(headers)
    count = 0
    for values in rows:
        writer.writerow([_csv_value(v) for v in values])
        count += 1
        if on_row:
            on_row(count)
    return count


def _csv_value(v: Any) -> str:
    if isinstance(v, dt.datetime):
        return v.strftime("%d/%m/%Y %H:%M")
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    return "" if v is None else str(v)


def filename(base: str, fmt: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{base}-{stamp}.{fmt}"


def render_bytes(
    *, fmt: str, title: str, headers: list[str], rows: Iterator[list[Any]], on_row: Callable[[int], None] | None = None
) -> bytes:
    """The whole export as bytes (CSV starts with a BOM so that Excel reads Vietnamese correctly)."""
    if fmt == "xlsx":
        buf = io.BytesIO()
        write_xlsx(buf, title=title, headers=headers, rows=rows, on_row=on_row)
        return buf.getvalue()
    text = io.StringIO()
    write_csv(text, headers=headers, rows=rows, on_row=on_row)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def ordered(table_class: type, queryset: models.QuerySet, sort: str | None) -> models.QuerySet:
    """The queryset in the order the list page shows: ``?sort=`` (unknown columns are ignored), else the
    table's default order."""
    table = table_class(queryset, order_by=sort or None)
    return table.data.data
