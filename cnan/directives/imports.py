"""Import of a document's task list (``core.imports``): one row per numbered task, a sub-task naming its
parent's item number (another row of the file, or a task the document already has). The same columns
cascade one task (``directives:subtasks``, for its lead unit, which may not see the whole document): an
empty parent is that task, and a parent must be that task, one of its sub-tasks or a row of the file.

Every row is checked before anything is written: the units by their codes (those the user may see), the
deadline against the document's date and the parent's deadline, a sub-task's lead under the parent's lead,
the right of the assigning side (the document's unit, or the parent's lead) to assign. The commit creates
the tasks parents first, through ``services.task_create``, in one transaction.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.core import imports
from cnan.core.imports import BOOLEAN, CHOICE, DATE, REFERENCE, TEXT, CellError, Column, ImportSpec, Param, Row
from cnan.core.permissions import has_perm
from cnan.organizations.models import Organization

from . import services
from . import status as rules
from .models import Cycle, DirectiveDocument, Task

TASKS = "directives:tasks"
SUBTASKS = "directives:subtasks"  # the lead unit of a task cascades it, without seeing the whole document
_SEPARATORS = re.compile(r"[,;\n]+")


def _organizations(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, Organization]:
    return {o.code: o for o in Organization.objects.visible_to(user, "view").filter(code__in=codes)}


def _task(user: Any, raw: str) -> Task:
    """The task whose sub-tasks a file cascades: one the user sees, open, whose lead they may assign for."""
    task = Task.objects.visible_to(user, "view").select_related("document", "lead").filter(pk=int(raw)).first()
    if task is None:
        raise ObjectDoesNotExist(raw)
    if not has_perm(user, "directives.add_task", task.lead):
        raise PermissionDenied(_("You may not assign tasks for %(unit)s.") % {"unit": task.lead.name})
    return task


def _document(user: Any, raw: str) -> DirectiveDocument:
    document = DirectiveDocument.objects.visible_to(user, "view").filter(pk=int(raw)).first()
    if document is None:
        raise ObjectDoesNotExist(raw)
    return document


COLUMNS = (
    Column("number", gettext_lazy("Item number"), TEXT, required=True, max_length=32, example="2.1"),
    Column("content", gettext_lazy("Content"), TEXT, required=True, example="Rà soát nhu cầu trang bị"),
    Column(
        "lead",
        gettext_lazy("Lead unit code"),
        REFERENCE,
        required=True,
        resolve=_organizations,
        example="DN-THANGLONG",
    ),
    Column(
        "coordinating",
        gettext_lazy("Coordinating unit codes"),
        TEXT,
        help_text=gettext_lazy("Codes separated by commas or semicolons."),
        example="VKHCN; TTKD",
    ),
    Column(
        "deadline",
        gettext_lazy("Deadline"),
        DATE,
        help_text=gettext_lazy("Empty for a regular task."),
        example="31/12/2026",
    ),
    Column("regular", gettext_lazy("Regular (thường xuyên)"), BOOLEAN, default=False, example="không"),
    Column(
        "reporting_cycle",
        gettext_lazy("Reporting cycle"),
        CHOICE,
        choices=Cycle.choices,
        default=Cycle.QUARTER,
        example="quarter",
    ),
    Column(
        "expected_product",
        gettext_lazy("Expected concrete product"),
        TEXT,
        required=True,
        example="Báo cáo rà soát",
    ),
    Column(
        "priority",
        gettext_lazy("Priority"),
        CHOICE,
        choices=Task.Priority.choices,
        default=Task.Priority.NORMAL,
        example="normal",
    ),
    Column(
        "parent",
        gettext_lazy("Parent item number"),
        TEXT,
        max_length=32,
        help_text=gettext_lazy("For a sub-task: the item number of another row, or of a task of the document."),
        example="2",
    ),
)


def _codes(text: str) -> list[str]:
    return [c.strip() for c in _SEPARATORS.split(text or "") if c.strip()]


def _order(rows: list[Row]) -> list[Row] | None:
    """Parents before their sub-tasks; ``None`` if the file's parent numbers loop."""
    by_number = {row["number"]: row for row in rows}
    done: set[str] = set()
    ordered: list[Row] = []

    def visit(row: Row, path: set[str]) -> bool:
        number = row["number"]
        if number in done:
            return True
        if number in path:
            return False
        parent = row.get("parent")
        if parent in by_number and not visit(by_number[parent], path | {number}):
            return False
        done.add(number)
        ordered.append(row)
        return True

    return ordered if all(visit(row, set()) for row in rows) else None


def _subtree(root: Task, tasks: dict[str, Task]) -> dict[str, Task]:
    """``root`` and those of ``tasks`` under it (by their parent links)."""
    by_parent: dict[int | None, list[Task]] = {}
    for task in tasks.values():
        by_parent.setdefault(task.parent_id, []).append(task)
    found, todo = {root.number: root}, [root]
    while todo:
        for child in by_parent.get(todo.pop().pk, []):
            found[child.number] = child
            todo.append(child)
    return found


def _validate(user: Any, rows: list[Row], params: dict[str, Any]) -> tuple[list[Row], list[CellError]]:
    root: Task | None = params.get("task")
    document: DirectiveDocument = root.document if root is not None else params["document"]
    errors: list[CellError] = []
    existing = {
        t.number: t for t in Task.objects.visible_to(user, "view").filter(document=document).select_related("lead")
    }
    if root is not None:  # a cascade of one task: rows hang under it (an empty parent is the task itself)
        existing = _subtree(root, existing)
        for row in rows:
            if not row.get("parent"):
                row["parent"] = root.number
    taken = set(document.tasks.values_list("number", flat=True))
    counts = Counter(row["number"] for row in rows)
    by_number = {row["number"]: row for row in rows}
    codes = {code for row in rows for code in _codes(row.get("coordinating", ""))}
    units = _organizations(user, codes, params) if codes else {}
    if _order(rows) is None:
        return [], [CellError(rows[0].number, "parent", _("The parent item numbers of the file go round in a loop."))]
    clean: list[Row] = []
    for row in rows:
        row_errors: list[CellError] = []
        number = row["number"]
        if counts[number] > 1:
            row_errors.append(
                CellError(row.number, "number", _("Another row of the file has this item number."), number)
            )
        if number in taken:
            row_errors.append(
                CellError(row.number, "number", _("The document already has a task %(n)s.") % {"n": number}, number)
            )
        coordinating = []
        for code in _codes(row.get("coordinating", "")):
            unit = units.get(code)
            if unit is None:
                row_errors.append(
                    CellError(
                        row.number,
                        "coordinating",
                        _("No unit with the code %(code)s, or you may not see it.") % {"code": code},
                        code,
                    )
                )
            else:
                coordinating.append(unit)
        if row["lead"] in coordinating:
            row_errors.append(
                CellError(row.number, "coordinating", _("The lead unit is not also a coordinating unit."))
            )
        row["coordinating_units"] = coordinating
        # the assigning side: the parent's lead unit (a row of the file or a task of the document), else the document's
        assigner, parent_deadline = document.organization, None
        parent = row.get("parent") or ""
        if parent:
            if parent == number:
                row_errors.append(CellError(row.number, "parent", _("A task cannot be its own parent."), parent))
            elif parent in by_number:
                assigner, parent_deadline = by_number[parent]["lead"], by_number[parent].get("deadline")
            elif parent in existing:
                task = existing[parent]
                assigner, parent_deadline = task.lead, task.effective_deadline
                if task.status in rules.DONE:
                    row_errors.append(
                        CellError(
                            row.number,
                            "parent",
                            _("Task %(task)s is completed: it cannot be split further.") % {"task": task},
                            parent,
                        )
                    )
            else:
                row_errors.append(
                    CellError(
                        row.number,
                        "parent",
                        _("No row of this file nor task of the document has this item number."),
                        parent,
                    )
                )
            lead: Organization = row["lead"]
            if parent in by_number or parent in existing:
                if not (lead.path.startswith(assigner.path) and lead.pk != assigner.pk):
                    row_errors.append(
                        CellError(
                            row.number,
                            "lead",
                            _("A sub-task goes to a unit under %(unit)s, the lead of the parent task.")
                            % {"unit": assigner.name},
                            lead.code,
                        )
                    )
                if row.get("deadline") and parent_deadline and row["deadline"] > parent_deadline:
                    row_errors.append(
                        CellError(
                            row.number,
                            "deadline",
                            _("A sub-task is due no later than its parent (%(date)s).")
                            % {"date": parent_deadline.strftime("%d/%m/%Y")},
                            row["deadline"],
                        )
                    )
        unknown_parent = bool(parent) and parent not in by_number and parent not in existing
        if not unknown_parent and not has_perm(user, "directives.add_task", assigner):
            row_errors.append(
                CellError(
                    row.number,
                    "parent" if parent else "",
                    _("You may not assign tasks for %(unit)s.") % {"unit": assigner.name},
                )
            )
        candidate = Task(document=document, **_task_data(row))
        try:
            candidate.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    row_errors.append(CellError(row.number, field if field in row else "", message, row.get(field, "")))
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(row)
    return clean, errors


def _task_data(row: Row) -> dict[str, Any]:
    data = {
        "number": row["number"],
        "content": row["content"],
        "lead": row["lead"],
        "deadline": row.get("deadline"),  # the model refuses one on a regular task
        "regular": bool(row.get("regular")),
        "reporting_cycle": row.get("reporting_cycle") or Cycle.QUARTER,
        "expected_product": row["expected_product"],
        "priority": row.get("priority") or Task.Priority.NORMAL,
    }
    return data


def _commit(user: Any, rows: list[Row], params: dict[str, Any], progress: Any) -> None:
    root: Task | None = params.get("task")
    document: DirectiveDocument = root.document if root is not None else params["document"]
    existing = {t.number: t for t in Task.objects.filter(document=document)}
    created: dict[str, Task] = {}
    for row in _order(rows) or rows:
        progress(row)
        parent_number = row.get("parent") or ""
        parent = created.get(parent_number) or existing.get(parent_number) if parent_number else None
        data = {**_task_data(row), "coordinating": row.get("coordinating_units") or []}
        created[row["number"]] = services.task_create(actor=user, document=document, data=data, parent=parent)


def register() -> None:
    imports.register(
        ImportSpec(
            key=TASKS,
            title=lambda: _("Tasks of a directive document"),
            permissions=("directives.add_task",),
            columns=COLUMNS,
            params=(Param("document", _document),),
            validate_rows=_validate,
            commit=_commit,
            heading=lambda params: str(params["document"]),
            list_url=lambda params: params["document"].get_absolute_url(),
            file_stem="danh-sach-nhiem-vu",
        )
    )
    imports.register(
        ImportSpec(
            key=SUBTASKS,
            title=lambda: _("Sub-tasks cascading a task"),
            permissions=("directives.add_task",),
            columns=COLUMNS,
            params=(Param("task", _task),),
            validate_rows=_validate,
            commit=_commit,
            heading=lambda params: str(params["task"]),
            list_url=lambda params: params["task"].get_absolute_url(),
            file_stem="nhiem-vu-con",
        )
    )
