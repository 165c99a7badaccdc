"""Reads for the S&T dashboard, each figure one GROUP BY query over the selectors (the same visible rows as the
lists): the pipeline of tasks by stage and level, the budget planned and disbursed by year and by source, the
late tasks and milestones, the outputs that reached production and the IP filings by status."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from . import selectors
from .models import BudgetLine, BudgetSource, FilingStatus, Level, Milestone, ResearchTask, Schedule, Stage


@dataclass
class Group:
    key: Any
    label: str
    count: int = 0
    url: str = ""


@dataclass
class PipelineRow:
    """One stage: its tasks by level (``cells``: level → count, in the order of ``Level``)."""

    key: str
    label: str
    cells: list[tuple[str, int]] = field(default_factory=list)
    total: int = 0


@dataclass
class Money:
    key: Any
    label: str
    planned: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)
    url: str = ""

    @property
    def rate(self) -> Decimal | None:
        """Disbursed as a share of planned (%), one decimal."""
        if not self.planned:
            return None
        return (self.disbursed * 100 / self.planned).quantize(Decimal("0.1"))


def _tasks(user: Any, filters: Any = None) -> QuerySet[ResearchTask]:
    return selectors.task_list(user=user, filters=filters).order_by()


def pipeline(*, user: Any, filters: Any = None) -> list[PipelineRow]:
    """Every stage (zero rows included) × every level: one query."""
    counts = {
        (r["stage"], r["level"]): r["n"]
        for r in _tasks(user, filters).values("stage", "level").annotate(n=Count("id")).order_by()
    }
    rows = []
    for stage, label in Stage.choices:
        cells = [(level, counts.get((stage, level), 0)) for level in Level.values]
        rows.append(PipelineRow(key=stage, label=str(label), cells=cells, total=sum(n for _l, n in cells)))
    return rows


def level_totals(rows: list[PipelineRow]) -> list[Group]:
    """The pipeline's column totals (computed from its rows, no query)."""
    totals = {level: 0 for level in Level.values}
    for row in rows:
        for level, n in row.cells:
            totals[level] += n
    return [Group(key=level, label=str(label), count=totals[level]) for level, label in Level.choices]


def _budget(user: Any, filters: Any = None) -> QuerySet[BudgetLine]:
    """The budget lines of the tasks the user may see (the task list's rows)."""
    return BudgetLine.objects.visible_to(user, "view").filter(task__in=_tasks(user, filters).values("pk")).order_by()


def budget_by_year(*, user: Any, filters: Any = None) -> list[Money]:
    rows = _budget(user, filters).values("year").annotate(planned=Sum("planned"), disbursed=Sum("disbursed"))
    return [
        Money(key=r["year"], label=str(r["year"]), planned=r["planned"] or 0, disbursed=r["disbursed"] or 0)
        for r in sorted(rows, key=lambda r: r["year"])
    ]


def budget_by_source(*, user: Any, filters: Any = None) -> list[Money]:
    """Every source (zero ones included), in the order of ``BudgetSource``."""
    rows = {
        r["source"]: r
        for r in _budget(user, filters).values("source").annotate(planned=Sum("planned"), disbursed=Sum("disbursed"))
    }
    return [
        Money(
            key=source,
            label=str(label),
            planned=(rows.get(source) or {}).get("planned") or Decimal(0),
            disbursed=(rows.get(source) or {}).get("disbursed") or Decimal(0),
        )
        for source, label in BudgetSource.choices
    ]


def budget_total(rows: list[Money]) -> Money:
    return Money(
        key="total",
        label="",
        planned=sum((r.planned for r in rows), Decimal(0)),
        disbursed=sum((r.disbursed for r in rows), Decimal(0)),
    )


def schedule_counts(*, user: Any, filters: Any = None) -> dict[str, int]:
    """Tasks under contract or in progress, on time and late: one query."""
    row = _tasks(user, filters).aggregate(
        on_time=Count("id", filter=Q(schedule=Schedule.ON_TIME)), late=Count("id", filter=Q(schedule=Schedule.LATE))
    )
    return {"on_time": row["on_time"] or 0, "late": row["late"] or 0}


def late_tasks(*, user: Any, filters: Any = None, limit: int = 10) -> list[ResearchTask]:
    """The late tasks, the earliest end first."""
    return list(
        selectors.task_list(user=user, filters=filters)
        .filter(schedule=Schedule.LATE)
        .order_by("current_end_on", "end_on", "code")[:limit]
    )


def late_milestones(*, user: Any, limit: int = 10) -> tuple[int, list[Milestone]]:
    """The late milestones (``MilestoneFilterSet``'s ``late``): how many, and the longest overdue first."""
    qs = selectors.milestone_list(user=user, filters={"late": "true"})
    return qs.count(), list(qs.order_by("due_on", "task__code", "number")[:limit])


def outputs(*, user: Any) -> dict[str, int]:
    """Outputs: all, those that reached production, and of those the ones linked to a catalogue product (one
    query)."""
    row = (
        selectors.output_list(user=user)
        .order_by()
        .aggregate(
            total=Count("id"),
            production=Count("id", filter=Q(in_production=True)),
            linked=Count("id", filter=Q(in_production=True, product__isnull=False)),
        )
    )
    return {k: v or 0 for k, v in row.items()}


def outputs_in_production(*, user: Any, limit: int = 10) -> list[Any]:
    return list(
        selectors.output_list(user=user, filters={"in_production": "true"}).order_by("-delivered_on", "title")[:limit]
    )


def filings_by_status(*, user: Any, filters: Any = None) -> list[Group]:
    """Every status (zero ones included) with its count: one query."""
    counts = {
        r["status"]: r["n"]
        for r in selectors.filing_list(user=user, filters=filters).order_by().values("status").annotate(n=Count("id"))
    }
    return [Group(key=value, label=str(label), count=counts.get(value, 0)) for value, label in FilingStatus.choices]
