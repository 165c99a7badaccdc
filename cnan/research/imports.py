"""Imports of S&T tasks (``core.imports``), so that an institute loads its key tasks in two files:

* ``research:tasks``, one row per task: code, title, level, type, formation, selection, host unit code,
  principal investigator, team, programme code (an existing programme the user may see, or a programme
  row of the same file, created first), start, end, total budget, lump-sum. Each task is proposed through
  ``services.task_create`` (the gates then take it further);
* ``research:budget``, one row per source and year of a task's budget (task code, source, year, planned,
  disbursed): the rows of a task replace its budget lines, through ``services.task_update``, and their
  planned amounts must add up to the task's total.

Every row is checked before anything is written: the codes (taken, repeated in the file), the host (a
unit where the user may propose tasks), the programme, the model's own rules (dates, a programme's period,
a base task at base level), and for a budget the task's stage (before approval), the years, the sources and
the total. Errors are (row, column, value, message in the user's language); the commit writes every row in
one transaction, or none.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.core import imports
from cnan.core.imports import (
    BOOLEAN,
    CHOICE,
    DATE,
    DECIMAL,
    INTEGER,
    REFERENCE,
    TEXT,
    CellError,
    Column,
    ImportSpec,
    Row,
)
from cnan.core.permissions import has_perm
from cnan.organizations.models import Organization

from . import services
from .models import BudgetLine, BudgetSource, Formation, Kind, Level, ResearchTask, Selection

TASKS = "research:tasks"
BUDGET = "research:budget"
_PEOPLE = re.compile(r"\s*[;\n]+\s*")


def _organizations(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, Organization]:
    return {o.code: o for o in Organization.objects.visible_to(user, "view").filter(code__in=codes)}


def _tasks(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, ResearchTask]:
    return {
        t.code: t for t in ResearchTask.objects.visible_to(user, "view").select_related("host").filter(code__in=codes)
    }


def _money(name: str, label: Any, **extra: Any) -> Column:
    return Column(
        name,
        label,
        DECIMAL,
        decimal_places=0,
        min_value=Decimal(0),
        help_text=gettext_lazy("In đồng, e.g. 1.500.000.000."),
        **extra,
    )


TASK_COLUMNS = (
    Column("code", gettext_lazy("Task code"), TEXT, required=True, max_length=40, example="ĐT-BCA-2021-05"),
    Column(
        "title",
        gettext_lazy("Title"),
        TEXT,
        required=True,
        max_length=500,
        example="Nghiên cứu chế tạo áo giáp chống đạn thế hệ mới",
    ),
    Column("level", gettext_lazy("Level"), CHOICE, required=True, choices=Level.choices, example="ministry"),
    Column("kind", gettext_lazy("Type"), CHOICE, required=True, choices=Kind.choices, example="topic"),
    Column(
        "formation", gettext_lazy("Formation"), CHOICE, required=True, choices=Formation.choices, example="commission"
    ),
    Column("selection", gettext_lazy("Selection"), CHOICE, required=True, choices=Selection.choices, example="direct"),
    Column(
        "host",
        gettext_lazy("Host unit code"),
        REFERENCE,
        required=True,
        resolve=_organizations,
        help_text=gettext_lazy("The code of the institute, academy, school or enterprise that hosts the task."),
        example="VKHCN",
    ),
    Column(
        "principal_investigator",
        gettext_lazy("Principal investigator"),
        TEXT,
        required=True,
        max_length=255,
        example="TS. Nguyễn Văn An",
    ),
    Column(
        "team",
        gettext_lazy("Team members"),
        TEXT,
        help_text=gettext_lazy("Names separated by semicolons."),
        example="ThS. Trần Bình; KS. Lê Cường",
    ),
    Column(
        "programme",
        gettext_lazy("Programme code"),
        TEXT,
        max_length=40,
        help_text=gettext_lazy("An existing programme, or a row of this file of the type programme."),
        example="CT-KHCN-2021",
    ),
    Column("key_programme", gettext_lazy("Key programme of the Ministry"), BOOLEAN, default=False, example="có"),
    Column("start_on", gettext_lazy("Start"), DATE, required=True, example="01/01/2021"),
    Column("end_on", gettext_lazy("End"), DATE, required=True, example="31/12/2023"),
    _money("budget_total", gettext_lazy("Total budget (VND)"), required=True, example="4.500.000.000"),
    Column("lump_sum", gettext_lazy("Lump-sum spending (khoán chi)"), BOOLEAN, default=False, example="không"),
    Column("summary", gettext_lazy("Objectives and content"), TEXT, example="Làm chủ công nghệ chế tạo …"),
)

BUDGET_COLUMNS = (
    Column(
        "task",
        gettext_lazy("Task code"),
        REFERENCE,
        required=True,
        resolve=_tasks,
        help_text=gettext_lazy(
            "The rows of a task replace its budget lines; their planned amounts add up to its total."
        ),
        example="ĐT-BCA-2021-05",
    ),
    Column("source", gettext_lazy("Source"), CHOICE, required=True, choices=BudgetSource.choices, example="ministry"),
    Column("year", gettext_lazy("Year"), INTEGER, required=True, min_value=2000, max_value=2100, example="2021"),
    _money("planned", gettext_lazy("Planned (VND)"), required=True, example="3.000.000.000"),
    _money("disbursed", gettext_lazy("Disbursed (VND)"), default=Decimal(0), example="1.250.000.000"),
)

_TASK_FIELDS = tuple(c.name for c in TASK_COLUMNS)


def _amount(value: Decimal) -> str:
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


# --- tasks -------------------------------------------------------------------------------------------


def _task_data(row: Row, programme: ResearchTask | None) -> dict[str, Any]:
    data = {name: row[name] for name in _TASK_FIELDS if name in row and name != "programme"}
    data["team"] = "\n".join(p for p in _PEOPLE.split(row.get("team") or "") if p)
    data["programme"] = programme
    data["budget_total"] = row.get("budget_total") or Decimal(0)
    return data


def _validate_tasks(user: Any, rows: list[Row], params: dict[str, Any]) -> tuple[list[Row], list[CellError]]:
    errors: list[CellError] = []
    counts = Counter(row["code"] for row in rows)
    taken = set(ResearchTask.objects.filter(code__in=list(counts)).values_list("code", flat=True))
    in_file = {row["code"]: row for row in rows if row["kind"] == Kind.PROGRAMME}
    wanted = {row["programme"] for row in rows if row.get("programme")} - set(in_file)
    existing = {
        t.code: t for t in ResearchTask.objects.visible_to(user, "view").filter(code__in=wanted)
    }  # a programme the user may see (else: unknown)
    clean: list[Row] = []
    for row in rows:
        row_errors: list[CellError] = []
        code = row["code"]
        if counts[code] > 1:
            row_errors.append(CellError(row.number, "code", _("Another row of the file has this code."), code))
        if code in taken:
            row_errors.append(CellError(row.number, "code", _("Another S&T task has this code."), code))
        host: Organization = row["host"]
        if not has_perm(user, "research.add_researchtask", host):
            row_errors.append(
                CellError(
                    row.number,
                    "host",
                    _("You may not propose S&T tasks for %(unit)s.") % {"unit": host.name},
                    host.code,
                )
            )
        programme_code = row.get("programme") or ""
        programme: ResearchTask | None = None
        planned_programme: Row | None = None
        if programme_code:
            if programme_code == code:
                row_errors.append(
                    CellError(row.number, "programme", _("A task cannot be its own programme."), programme_code)
                )
            elif programme_code in in_file:
                planned_programme = in_file[programme_code]
            elif programme_code in existing:
                programme = existing[programme_code]
            else:
                row_errors.append(
                    CellError(
                        row.number,
                        "programme",
                        _("No programme with this code in the file or among the tasks you may see."),
                        programme_code,
                    )
                )
        candidate = ResearchTask(**_task_data(row, programme))
        try:
            candidate.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    column = field if field in _TASK_FIELDS else ""
                    row_errors.append(CellError(row.number, column, message, row.get(column, "") if column else ""))
        if planned_programme is not None:  # the model checks a saved programme; one of the file, here
            if row["kind"] == Kind.PROGRAMME:
                row_errors.append(
                    CellError(
                        row.number, "programme", _("A programme is not part of another programme."), programme_code
                    )
                )
            elif row["start_on"] < planned_programme["start_on"] or row["end_on"] > planned_programme["end_on"]:
                row_errors.append(
                    CellError(
                        row.number,
                        "end_on",
                        _("A task of a programme runs within the programme (%(start)s – %(end)s).")
                        % {
                            "start": planned_programme["start_on"].strftime("%d/%m/%Y"),
                            "end": planned_programme["end_on"].strftime("%d/%m/%Y"),
                        },
                        row["end_on"],
                    )
                )
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(row)
    return clean, errors


def _commit_tasks(user: Any, rows: list[Row], params: dict[str, Any], progress: Any) -> None:
    """Programmes first, so that the tasks of a programme of the file find it."""
    created: dict[str, ResearchTask] = {}
    ordered = [r for r in rows if r["kind"] == Kind.PROGRAMME] + [r for r in rows if r["kind"] != Kind.PROGRAMME]
    for row in ordered:
        progress(row)
        code = row.get("programme") or ""
        programme = created.get(code) if code else None
        if code and programme is None:
            programme = ResearchTask.objects.visible_to(user, "view").filter(code=code).first()
        created[row["code"]] = services.task_create(actor=user, data=_task_data(row, programme))


# --- budget ------------------------------------------------------------------------------------------


def _validate_budget(user: Any, rows: list[Row], params: dict[str, Any]) -> tuple[list[Row], list[CellError]]:
    errors: list[CellError] = []
    by_task: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_task[row["task"].pk].append(row)
    bad: set[int] = set()

    def refuse(row: Row, column: str, message: str, value: Any = "") -> None:
        errors.append(CellError(row.number, column, message, value))
        bad.add(id(row))

    for task_rows in by_task.values():
        task: ResearchTask = task_rows[0]["task"]
        for row in task_rows:
            if not has_perm(user, "research.change_researchtask", task.host):
                refuse(
                    row,
                    "task",
                    _("You may not change the S&T tasks of %(unit)s.") % {"unit": task.host.name},
                    task.code,
                )
            elif task.stage not in services.EDITABLE_STAGES:
                refuse(
                    row,
                    "task",
                    _("The task is approved: its dates, budget, level and type change only by an adjustment decision."),
                    task.code,
                )
        seen: set[tuple[str, int]] = set()
        for row in task_rows:
            key = (row["source"], row["year"])
            if key in seen:
                refuse(row, "source", _("Each source appears once per year."), row["source"])
            seen.add(key)
            if not task.start_on.year <= row["year"] <= task.end.year:
                refuse(
                    row,
                    "year",
                    _("The budget year %(year)s is outside the task's years (%(start)s–%(end)s).")
                    % {"year": row["year"], "start": task.start_on.year, "end": task.end.year},
                    row["year"],
                )
            if row["disbursed"] > row["planned"]:
                refuse(
                    row,
                    "disbursed",
                    _("More is disbursed than planned from %(source)s in %(year)s.")
                    % {"source": BudgetLine(source=row["source"]).get_source_display(), "year": row["year"]},
                    row["disbursed"],
                )
        planned = sum((row["planned"] for row in task_rows), Decimal(0))
        if planned != task.budget_total:
            refuse(
                task_rows[0],
                "planned",
                _("Task %(code)s: the total budget (%(total)s) does not match the sum of its sources (%(sum)s).")
                % {"code": task.code, "total": _amount(task.budget_total), "sum": _amount(planned)},
                task_rows[0]["planned"],
            )
    return [row for row in rows if id(row) not in bad], errors


def _commit_budget(user: Any, rows: list[Row], params: dict[str, Any], progress: Any) -> None:
    by_task: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_task[row["task"].pk].append(row)
    for task_rows in by_task.values():
        for row in task_rows:
            progress(row)
        task = ResearchTask.objects.get(pk=task_rows[0]["task"].pk)
        lines: list[Mapping[str, Any]] = [
            {"source": r["source"], "year": r["year"], "planned": r["planned"], "disbursed": r["disbursed"]}
            for r in task_rows
        ]
        services.task_update(actor=user, instance=task, data={}, budget=lines)


def register() -> None:
    imports.register(
        ImportSpec(
            key=TASKS,
            title=lambda: _("S&T tasks"),
            permissions=("research.add_researchtask",),
            columns=TASK_COLUMNS,
            validate_rows=_validate_tasks,
            commit=_commit_tasks,
            list_url=lambda params: reverse("research:task_list"),
            file_stem="nhiem-vu-khcn",
        )
    )
    imports.register(
        ImportSpec(
            key=BUDGET,
            title=lambda: _("Budget of S&T tasks by source and year"),
            permissions=("research.change_researchtask",),
            columns=BUDGET_COLUMNS,
            validate_rows=_validate_budget,
            commit=_commit_budget,
            list_url=lambda params: reverse("research:task_list"),
            file_stem="kinh-phi-nhiem-vu-khcn",
        )
    )
