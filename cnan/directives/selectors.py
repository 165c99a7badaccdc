"""Reads on steering and directives. Every read starts from the visibility rule (``visible_to``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cnan.core.selectors import apply_filterset

from .models import DirectiveDocument, Evidence, Meeting, ProgressReport, SteeringCommittee, Task, TaskAdjustment


def _get(qs: QuerySet, pk: Any) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def committee_list(*, user: Any, filters: Any = None) -> QuerySet[SteeringCommittee]:
    from .filters import CommitteeFilterSet

    qs = SteeringCommittee.objects.visible_to(user, "view").select_related("organization")
    return apply_filterset(CommitteeFilterSet, filters, qs)


def committee_get(*, user: Any, pk: Any) -> SteeringCommittee:
    return _get(committee_list(user=user), pk)


def document_list(*, user: Any, filters: Any = None) -> QuerySet[DirectiveDocument]:
    from .filters import DocumentFilterSet

    qs = DirectiveDocument.objects.visible_to(user, "view").select_related("organization", "committee")
    return apply_filterset(DocumentFilterSet, filters, qs)


def document_get(*, user: Any, pk: Any) -> DirectiveDocument:
    return _get(
        DirectiveDocument.objects.visible_to(user, "view").select_related("organization", "committee", "meeting"), pk
    )


def task_list(*, user: Any, filters: Any = None) -> QuerySet[Task]:
    from .filters import TaskFilterSet

    qs = Task.objects.visible_to(user, "view").select_related("document", "lead", "assigned_by", "parent")
    return apply_filterset(TaskFilterSet, filters, qs)


def task_get(*, user: Any, pk: Any) -> Task:
    return _get(Task.objects.visible_to(user, "view").select_related("document", "lead", "assigned_by", "parent"), pk)


def report_list(*, user: Any, task: Task) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.visible_to(user, "view")
        .filter(task=task)
        .prefetch_related("evidence", "events")
        .order_by("-reported_on", "-id")
    )


def meeting_list(*, user: Any, committee: SteeringCommittee) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user, "view").filter(committee=committee).order_by("-held_on", "-id")


def meeting_get(*, user: Any, pk: Any) -> Meeting:
    return _get(Meeting.objects.visible_to(user, "view").select_related("committee"), pk)


def report_get(*, user: Any, pk: Any) -> ProgressReport:
    return _get(
        ProgressReport.objects.visible_to(user, "view")
        .select_related("task", "task__document")
        .prefetch_related("evidence", "events"),
        pk,
    )


def adjustment_list(*, user: Any, task: Task) -> QuerySet[TaskAdjustment]:
    """The decisions on a task, for whoever may see the task (they explain its current deadline)."""
    return TaskAdjustment.objects.filter(task=task).order_by("decided_on", "id")


def evidence_get(*, user: Any, pk: Any) -> Evidence:
    return _get(Evidence.objects.visible_to(user, "view").select_related("report"), pk)
