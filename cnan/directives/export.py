"""A directive's task table as an XLSX sheet in the follow-up layout officials use: a title row with the
document's number and title, then one row per task (sub-tasks after their parent, their item indented)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .models import DirectiveDocument, Task


def headers() -> list[str]:
    return [
        _("Item"),
        _("Content"),
        _("Lead unit"),
        _("Coordinating units"),
        _("Deadline"),
        _("Expected concrete product"),
        _("Status"),
        _("Progress (%)"),
        _("Latest report"),
    ]


def workbook(document: DirectiveDocument, rows: Iterable[tuple[Task, int, str]]) -> bytes:
    """``rows``: (task, depth, latest report narrative), in the page's order."""
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\\/*?:\[\]]", "-", document.number)[:31] or "Sheet1"
    ws.append([f"{document.number} — {document.title}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers()))
    ws.append(
        [
            _("Issued on %(date)s by %(issuer)s; situation on %(today)s")
            % {
                "date": document.issued_on.strftime("%d/%m/%Y"),
                "issuer": document.issuer,
                "today": timezone.localdate().strftime("%d/%m/%Y"),
            }
        ]
    )
    ws.append(headers())
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for task, depth, narrative in rows:
        deadline = (
            task.effective_deadline
            if task.effective_deadline
            else _("Regular (%(cycle)s)") % {"cycle": task.get_reporting_cycle_display().lower()}
        )
        ws.append(
            [
                ("    " * depth) + task.number,
                task.content,
                task.lead.name,
                ", ".join(o.name for o in task.coordinating.all()),
                deadline,
                task.expected_product,
                task.get_status_display(),
                task.progress,
                narrative,
            ]
        )
        row = ws.max_row
        ws.cell(row=row, column=5).number_format = "DD/MM/YYYY"
        for col in (2, 4, 6, 9):
            ws.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHI", (8, 50, 28, 28, 14, 36, 18, 12, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def filename(document: DirectiveDocument) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", document.number).strip("-") or "document"
    return f"{base}-tasks-{timezone.localtime():%Y%m%d}.xlsx"
