"""The research API: S&T tasks with their budget, gates, roadmap and reports; outputs, IP filings,
technology transfers, cooperation agreements and research groups.

Reads go through ``research.selectors`` (the visibility rule and the record's classification; an invisible
record answers 404), writes through ``research.services`` (permission on the side the write acts for,
validation, audit, derived state in one transaction): a service's ``ValidationError`` answers 400 with its
field errors, ``PermissionDenied`` 403. Gate minutes are downloaded through the task's visibility, never
from a media address."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from cnan.core import services as core_services
from cnan.core.api.pagination import KeysetPagination
from cnan.core.api.permissions import ActionPermission
from cnan.core.api.viewsets import ScopedModelViewSet, crud_schema

from .. import selectors, services
from ..filters import (
    CooperationFilterSet,
    FilingFilterSet,
    GroupFilterSet,
    OutputFilterSet,
    ResearchTaskFilterSet,
    TransferFilterSet,
)
from ..models import (
    Cooperation,
    GateEvent,
    IPFiling,
    Milestone,
    Output,
    ResearchGroup,
    ResearchTask,
    TechTransfer,
)
from . import serializers as s

MANAGE = "research.manage_researchtask"
CHANGE_TASK = "research.change_researchtask"


def _gate_perm(view: Any) -> str:
    """A gate is passed by the role that owns it (the managing body or the host); an unknown gate is
    refused by the service (400)."""
    try:
        return services.TASK_WORKFLOW.get(view.kwargs.get("gate", "")).perm
    except ValidationError:
        return "research.view_researchtask"


class _Base(ScopedModelViewSet):
    permission_classes = [ActionPermission]
    action_permissions: dict[str, Any] = {}
    getter: Callable[..., Any]

    def get_object(self):
        obj = type(self).getter(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj


# --- tasks ---------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="S&T tasks",
        description="Every S&T task the user may see (hosted by their units, or in a programme they host), with "
        "the stage its gates reached and the schedule the services derive. Paged by cursor.",
    ),
    retrieve=extend_schema(summary="An S&T task"),
    create=extend_schema(
        summary="Propose an S&T task, with its budget by source and year",
        description="The host proposes; the planned amounts of `budget` add up to `budget_total`.",
    ),
    update=extend_schema(summary="Replace a task's fields (the host)"),
    partial_update=extend_schema(
        summary="Change some of a task's fields (the host)",
        description="Once approved, its dates, budget, level and type change only through a gate.",
    ),
    destroy=extend_schema(summary="Withdraw a proposal, or delete a task not selected"),
)
class ResearchTaskViewSet(_Base):
    """S&T tasks (programmes, topics, projects …) and the gates of their lifecycle."""

    queryset = ResearchTask.objects.none()
    filterset_class = ResearchTaskFilterSet
    read_serializer_class = s.ResearchTaskSerializer
    write_serializer_class = s.ResearchTaskSerializer
    pagination_class = KeysetPagination  # cursor paging: page 1,000 costs what page 1 costs
    list_selector = staticmethod(selectors.task_list)
    getter = staticmethod(selectors.task_get)
    action_permissions = {
        "gate_pass": _gate_perm,
        "milestones": CHANGE_TASK,
        "budget": {"GET": "research.view_budgetline", "POST": MANAGE},
        "gates": {"GET": "research.view_gateevent"},
    }

    def _read(self, task: ResearchTask) -> dict[str, Any]:
        fresh = selectors.task_get(user=self.request.user, pk=task.pk)  # the derived state as stored
        return s.ResearchTaskSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        budget = data.pop("budget", None)
        task = services.task_create(actor=request.user, data=data, budget=budget)
        return Response(self._read(task), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        task = self.get_object()
        serializer = self.get_serializer(task, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        budget = data.pop("budget", None)  # given: replaces the lines; absent: they stay
        task = services.task_update(actor=request.user, instance=task, data=data, budget=budget)
        return Response(self._read(task))

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.task_delete(actor=actor, instance=instance)

    # --- gates

    @extend_schema(summary="The gates the task passed", responses=s.GateEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def gates(self, request, pk=None):
        task = self.get_object()
        return Response(s.GateEventSerializer(selectors.gate_events(user=request.user, task=task), many=True).data)

    @extend_schema(
        summary="Pass a gate",
        description="`gate` is one of: "
        + ", ".join(f"`{t.name}`" for t in services.TASK_WORKFLOW.transitions)
        + ". The managing body (the Department) passes review, reject, approve, contract, adjust, pause, resume, "
        "terminate, the official acceptance and the liquidation; the host passes start, base acceptance, "
        "register and apply. Sent as multipart/form-data when it carries the minutes. Answers the task with its "
        "new stage; a gate refused by the task's state or missing its decision data answers 400 with field "
        "errors, a gate owned by another role 403.",
        parameters=[OpenApiParameter("gate", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request={"multipart/form-data": s.GatePassSerializer, "application/json": s.GatePassSerializer},
        responses={200: s.ResearchTaskSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"gates/(?P<gate>[a-z_]+)",
        url_name="gate-pass",
        filter_backends=[],
        pagination_class=None,
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def gate_pass(self, request, pk=None, gate=None):
        task = self.get_object()
        serializer = s.GatePassSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = services.gate_pass(actor=request.user, task=task, gate=gate or "", **serializer.validated_data)
        return Response(self._read(task))

    # --- roadmap

    @extend_schema(
        methods=["GET"], summary="The task's roadmap", responses=s.MilestoneSerializer(many=True), filters=False
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a milestone to the roadmap (the host)",
        request=s.MilestoneSerializer,
        responses={201: s.MilestoneSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def milestones(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            rows = selectors.milestone_list(user=request.user).filter(task=task)
            return Response(s.MilestoneSerializer(rows, many=True).data)
        serializer = s.MilestoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone = services.milestone_create(actor=request.user, task=task, data=dict(serializer.validated_data))
        fresh = selectors.milestone_get(user=request.user, pk=milestone.pk)
        return Response(s.MilestoneSerializer(fresh).data, status=status.HTTP_201_CREATED)

    # --- budget

    @extend_schema(
        methods=["GET"], summary="The task's budget by source and year", responses=s.ResearchBudgetSerializer
    )
    @extend_schema(
        methods=["POST"],
        summary="Record what has been disbursed from a source in a year (the managing body)",
        request=s.DisbursementSerializer,
        responses={200: s.BudgetLineSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def budget(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            lines = list(selectors.budget_lines(user=request.user, task=task))
            body = {
                "lines": lines,
                "planned": sum((line.planned for line in lines), 0),
                "disbursed": sum((line.disbursed for line in lines), 0),
            }
            return Response(s.ResearchBudgetSerializer(body).data)
        serializer = s.DisbursementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line = services.disbursement_record(actor=request.user, task=task, **serializer.validated_data)
        return Response(s.BudgetLineSerializer(line).data)


# --- milestones and their reports ---------------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(summary="A milestone of a task's roadmap"),
    update=extend_schema(summary="Replace a milestone's fields (the host)"),
    partial_update=extend_schema(summary="Change some of a milestone's fields (the host)"),
    destroy=extend_schema(summary="Delete a milestone without reports (the host)"),
)
class MilestoneViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """A milestone (listed and added under its task); changing the roadmap needs the right to change the
    task at its host."""

    queryset = Milestone.objects.none()
    serializer_class = s.MilestoneSerializer
    permission_classes = [ActionPermission]
    action_permissions = {
        "update": CHANGE_TASK,
        "partial_update": CHANGE_TASK,
        "destroy": CHANGE_TASK,
        "reports": {"GET": "research.view_milestonereport", "POST": "research.add_milestonereport"},
    }
    filter_backends: list = []
    pagination_class = None

    def get_object(self):
        milestone = selectors.milestone_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, milestone)
        return milestone

    def update(self, request, *args, **kwargs):
        milestone = self.get_object()
        serializer = s.MilestoneSerializer(milestone, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        saved = services.milestone_update(actor=request.user, instance=milestone, data=dict(serializer.validated_data))
        return Response(s.MilestoneSerializer(saved).data)

    def destroy(self, request, *args, **kwargs):
        services.milestone_delete(actor=request.user, instance=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        summary="The reports against the milestone",
        responses=s.MilestoneReportSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Report how far the milestone is (the host, while the task is in progress)",
        description="Progress does not go back; a report of 100 % marks the milestone done on its date and names "
        "the output delivered.",
        request=s.MilestoneReportSerializer,
        responses={201: s.MilestoneReportSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def reports(self, request, pk=None):
        milestone = self.get_object()
        if request.method == "GET":
            rows = selectors.milestone_reports(user=request.user, task=milestone.task).filter(milestone=milestone)
            return Response(s.MilestoneReportSerializer(rows, many=True).data)
        serializer = s.MilestoneReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.milestone_report(
            actor=request.user, milestone=milestone, data=dict(serializer.validated_data)
        )
        return Response(s.MilestoneReportSerializer(report).data, status=status.HTTP_201_CREATED)


# --- outputs, filings, transfers, cooperation, groups -----------------------------------------------------


@crud_schema("task's output", listed="Outputs of S&T tasks")
class OutputViewSet(_Base):
    """Prototypes, products, processes, software, standards and publications of the tasks."""

    queryset = Output.objects.none()
    filterset_class = OutputFilterSet
    read_serializer_class = s.OutputSerializer
    write_serializer_class = s.OutputSerializer
    list_selector = staticmethod(selectors.output_list)
    getter = staticmethod(selectors.output_get)

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        task = data.pop("task")
        return services.output_create(actor=actor, task=task, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        data.pop("task", None)
        return services.output_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.output_delete(actor=actor, instance=instance)


@crud_schema("IP filing", listed="IP filings")
class IPFilingViewSet(_Base):
    """Applications for inventions, utility solutions, industrial designs and software copyrights."""

    queryset = IPFiling.objects.none()
    filterset_class = FilingFilterSet
    read_serializer_class = s.IPFilingSerializer
    write_serializer_class = s.IPFilingSerializer
    list_selector = staticmethod(selectors.filing_list)
    getter = staticmethod(selectors.filing_get)
    action_permissions = {"advance": "research.change_ipfiling"}

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.filing_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.filing_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.filing_delete(actor=actor, instance=instance)

    @extend_schema(
        summary="Move the filing to its next status",
        description="filed → formality examination → published → substantive examination → granted (a software "
        "copyright is granted from its formality examination), or refused / withdrawn before that.",
        request=s.FilingAdvanceSerializer,
        responses={200: s.IPFilingSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def advance(self, request, pk=None):
        filing = self.get_object()
        serializer = s.FilingAdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        filing = services.filing_advance(actor=request.user, instance=filing, **serializer.validated_data)
        fresh = selectors.filing_get(user=request.user, pk=filing.pk)
        return Response(s.IPFilingSerializer(fresh, context=self.get_serializer_context()).data)


@crud_schema("technology transfer", listed="Technology transfers")
class TechTransferViewSet(_Base):
    """Technology transfers into, out of and within the industry."""

    queryset = TechTransfer.objects.none()
    filterset_class = TransferFilterSet
    read_serializer_class = s.TechTransferSerializer
    write_serializer_class = s.TechTransferSerializer
    list_selector = staticmethod(selectors.transfer_list)
    getter = staticmethod(selectors.transfer_get)

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.transfer_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.transfer_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.transfer_delete(actor=actor, instance=instance)


@crud_schema("cooperation agreement", listed="Cooperation agreements")
class CooperationViewSet(_Base):
    """Cooperation agreements with domestic and foreign partners."""

    queryset = Cooperation.objects.none()
    filterset_class = CooperationFilterSet
    read_serializer_class = s.CooperationSerializer
    write_serializer_class = s.CooperationSerializer
    list_selector = staticmethod(selectors.cooperation_list)
    getter = staticmethod(selectors.cooperation_get)

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.cooperation_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.cooperation_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.cooperation_delete(actor=actor, instance=instance)


@crud_schema("research group", listed="Research groups")
class ResearchGroupViewSet(_Base):
    """Research groups of schools, academies and institutes."""

    queryset = ResearchGroup.objects.none()
    filterset_class = GroupFilterSet
    read_serializer_class = s.ResearchGroupSerializer
    write_serializer_class = s.ResearchGroupSerializer

    def _shape(self, qs):
        visible = ResearchTask.objects.visible_to(self.request.user, "view").only("pk")
        return qs.prefetch_related("product_groups", Prefetch("tasks", queryset=visible, to_attr="visible_tasks"))

    def get_queryset(self):
        return self._shape(selectors.group_list(user=self.request.user))

    def get_object(self):
        group = self._shape(selectors.group_list(user=self.request.user)).filter(pk=self.kwargs["pk"]).first()
        if group is None:
            raise Http404
        self.check_object_permissions(self.request, group)
        return group

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.group_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.group_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.group_delete(actor=actor, instance=instance)


# --- gate minutes ----------------------------------------------------------------------------------------


class GateMinutesView(generics.GenericAPIView):
    """A gate's minutes, for whoever may see the task (its classification included); 404 for anyone else."""

    queryset = GateEvent.objects.none()
    permission_classes = [ActionPermission]
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        summary="Download a gate's minutes",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request, pk=None):
        event = selectors.gate_event_get(user=request.user, pk=pk)
        if not event.minutes:
            raise Http404
        core_services.record_read(user=request.user, instance=event.task)
        return FileResponse(event.minutes.open("rb"), as_attachment=True, filename=os.path.basename(event.minutes.name))
