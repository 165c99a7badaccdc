"""Reads on science, technology and innovation. Every read starts from the visibility rule
(``visible_to``): organisation scope and clearance."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from cnan.catalogue.models import Product
from cnan.core.selectors import apply_filterset

from .models import (
    BudgetLine,
    Cooperation,
    GateEvent,
    IPFiling,
    Milestone,
    MilestoneReport,
    Output,
    ResearchGroup,
    ResearchTask,
    TechTransfer,
)


def _get(qs: QuerySet, pk: Any) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def task_list(*, user: Any, filters: Any = None) -> QuerySet[ResearchTask]:
    from .filters import ResearchTaskFilterSet

    qs = ResearchTask.objects.visible_to(user, "view").select_related("host", "programme")
    return apply_filterset(ResearchTaskFilterSet, filters, qs)


def task_get(*, user: Any, pk: Any) -> ResearchTask:
    return _get(ResearchTask.objects.visible_to(user, "view").select_related("host", "programme"), pk)


def programme_tasks(*, user: Any, programme: ResearchTask) -> QuerySet[ResearchTask]:
    """The tasks of a programme the user may see, in the order of a timeline."""
    return task_list(user=user).filter(programme=programme).order_by("start_on", "code")


def budget_lines(*, user: Any, task: ResearchTask) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.visible_to(user, "view").filter(task=task).order_by("year", "source")


def gate_events(*, user: Any, task: ResearchTask) -> QuerySet[GateEvent]:
    return GateEvent.objects.visible_to(user, "view").filter(task=task).select_related("actor").order_by("time", "id")


def gate_event_get(*, user: Any, pk: Any) -> GateEvent:
    """A gate event whose task the user may see (its minutes are classified as the task)."""
    event = _get(GateEvent.objects.select_related("task"), pk)
    if not ResearchTask.objects.visible_to(user, "view").filter(pk=event.task_id).exists():
        raise Http404
    return event


def milestone_list(*, user: Any, filters: Any = None) -> QuerySet[Milestone]:
    from .filters import MilestoneFilterSet

    qs = (
        Milestone.objects.visible_to(user, "view")
        .filter(task__in=ResearchTask.objects.visible_to(user, "view"))
        .select_related("task", "task__host")
    )
    return apply_filterset(MilestoneFilterSet, filters, qs)


def milestone_get(*, user: Any, pk: Any) -> Milestone:
    return _get(milestone_list(user=user), pk)


def milestone_reports(*, user: Any, task: ResearchTask) -> QuerySet[MilestoneReport]:
    return (
        MilestoneReport.objects.visible_to(user, "view")
        .filter(milestone__task=task)
        .select_related("milestone", "actor")
        .order_by("-reported_on", "-id")
    )


def output_list(*, user: Any, filters: Any = None) -> QuerySet[Output]:
    """Outputs of the tasks the user may see; ``product_visible`` says whether the user may also see the
    catalogue product an output became (its name is shown only then)."""
    from .filters import OutputFilterSet

    qs = (
        Output.objects.visible_to(user, "view")
        .filter(task__in=ResearchTask.objects.visible_to(user, "view"))
        .select_related("task", "task__host", "product")
        .annotate(product_visible=Exists(Product.objects.visible_to(user, "view").filter(pk=OuterRef("product_id"))))
    )
    return apply_filterset(OutputFilterSet, filters, qs)


def output_get(*, user: Any, pk: Any) -> Output:
    return _get(output_list(user=user), pk)


def filing_list(*, user: Any, filters: Any = None) -> QuerySet[IPFiling]:
    from .filters import FilingFilterSet

    qs = IPFiling.objects.visible_to(user, "view").select_related("owner", "task", "output")
    return apply_filterset(FilingFilterSet, filters, qs)


def filing_get(*, user: Any, pk: Any) -> IPFiling:
    return _get(filing_list(user=user), pk)


def transfer_list(*, user: Any, filters: Any = None) -> QuerySet[TechTransfer]:
    from .filters import TransferFilterSet

    qs = TechTransfer.objects.visible_to(user, "view").select_related("organization", "task", "product")
    return apply_filterset(TransferFilterSet, filters, qs)


def transfer_get(*, user: Any, pk: Any) -> TechTransfer:
    return _get(transfer_list(user=user), pk)


def cooperation_list(*, user: Any, filters: Any = None) -> QuerySet[Cooperation]:
    from .filters import CooperationFilterSet

    qs = Cooperation.objects.visible_to(user, "view").select_related("organization")
    return apply_filterset(CooperationFilterSet, filters, qs)


def cooperation_get(*, user: Any, pk: Any) -> Cooperation:
    return _get(cooperation_list(user=user), pk)


def group_list(*, user: Any, filters: Any = None) -> QuerySet[ResearchGroup]:
    from .filters import GroupFilterSet

    qs = ResearchGroup.objects.visible_to(user, "view").select_related("organization")
    return apply_filterset(GroupFilterSet, filters, qs).distinct()


def group_get(*, user: Any, pk: Any) -> ResearchGroup:
    return _get(group_list(user=user), pk)


def group_tasks(*, user: Any, group: ResearchGroup) -> QuerySet[ResearchTask]:
    """The group's tasks the user may see (their outputs and filings follow from them)."""
    return task_list(user=user).filter(groups=group).order_by("-start_on", "code")
