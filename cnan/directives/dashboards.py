"""Reads for the follow-up dashboard: tasks counted by status, by red/amber/green, by directive and by lead
unit (one GROUP BY each, over ``selectors.task_list``: the same visible rows as the task list), the units with
the most overdue tasks, and the tasks whose pace will miss their deadline (``filters.slipping_q``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from . import selectors
from .filters import RAG, rag_q, slipping_q
from .models import Status, Task

DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)


@dataclass
class Group:
    key: Any
    label: str
    count: int
    done: int = 0
    overdue: int = 0
    slipping: int = 0
    title: str = ""


def _tasks(user: Any, filters: Any = None) -> QuerySet[Task]:
    return selectors.task_list(user=user, filters=filters).order_by()


def by_status(*, user: Any, filters: Any = None) -> list[Group]:
    """Every status, in the order officials read them, with its count (zero included)."""
    counts = {row["status"]: row["n"] for row in _tasks(user, filters).values("status").annotate(n=Count("id"))}
    return [Group(key=value, label=str(label), count=counts.get(value, 0)) for value, label in Status.choices]


def by_rag(*, user: Any, filters: Any = None) -> list[Group]:
    """Red / amber / green (``filters.rag_q``), in one query."""
    row = _tasks(user, filters).aggregate(**{colour: Count("id", filter=rag_q(colour)) for colour, _l in RAG})
    return [Group(key=colour, label=str(label), count=row[colour] or 0) for colour, label in RAG]


def _counts() -> dict[str, Any]:
    return {
        "n": Count("id"),
        "done": Count("id", filter=Q(status__in=DONE)),
        "overdue": Count("id", filter=Q(status=Status.OVERDUE)),
        "slipping": Count("id", filter=slipping_q()),
    }


def by_document(*, user: Any, filters: Any = None) -> list[Group]:
    rows = (
        _tasks(user, filters)
        .values("document_id", "document__number", "document__title", "document__issued_on")
        .annotate(**_counts())
        .order_by("-document__issued_on", "document__number")
    )
    return [
        Group(
            key=r["document_id"],
            label=r["document__number"],
            title=r["document__title"],
            count=r["n"],
            done=r["done"],
            overdue=r["overdue"],
            slipping=r["slipping"],
        )
        for r in rows
    ]


def by_lead(*, user: Any, filters: Any = None) -> list[Group]:
    rows = _tasks(user, filters).values("lead_id", "lead__name").annotate(**_counts()).order_by("-n", "lead__name")
    return [
        Group(
            key=r["lead_id"],
            label=r["lead__name"],
            count=r["n"],
            done=r["done"],
            overdue=r["overdue"],
            slipping=r["slipping"],
        )
        for r in rows
    ]


def most_overdue(*, user: Any, filters: Any = None, limit: int = 10) -> list[Group]:
    """The lead units with the most overdue tasks."""
    rows = (
        _tasks(user, filters)
        .filter(status=Status.OVERDUE)
        .values("lead_id", "lead__name")
        .annotate(n=Count("id"))
        .order_by("-n", "lead__name")[:limit]
    )
    return [Group(key=r["lead_id"], label=r["lead__name"], count=r["n"], overdue=r["n"]) for r in rows]


def slipping(*, user: Any, filters: Any = None, limit: int = 20) -> list[Task]:
    """Open tasks whose forecast completion falls after their current deadline, the nearest deadline first,
    each with ``days_late`` (forecast completion − current deadline)."""
    tasks = list(
        selectors.task_list(user=user, filters=filters)
        .filter(slipping_q())
        .order_by("effective_deadline", "id")[:limit]
    )
    for t in tasks:
        # No forecast date when there is no pace at all (nothing reported, the deadline near).
        t.days_late = (t.forecast_on - t.effective_deadline).days if t.forecast_on and t.effective_deadline else None
    return tasks


def total(*, user: Any, filters: Any = None) -> int:
    return _tasks(user, filters).count()
