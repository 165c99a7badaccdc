"""The directives API: steering committees and their meetings, directive documents, the tasks they assign
(sub-tasks cascaded to lower units), progress reports with evidence and their review, adjustments.

Reads go through ``directives.selectors`` (the visibility rule; invisible records answer 404), writes
through ``directives.services`` (permission, validation, audit, derived status in one transaction): a
service's ``ValidationError`` answers 400 with its field errors, ``PermissionDenied`` 403."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import FileResponse

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from cnan.core import services as core_services
from cnan.core.api.pagination import KeysetPagination
from cnan.core.api.permissions import ScopedModelPermission
from cnan.core.api.viewsets import ScopedModelViewSet
from cnan.core.permissions import grants_for, may_list, perm_name

from .. import selectors, services
from ..filters import DocumentFilterSet, TaskFilterSet
from ..models import DirectiveDocument, Evidence, Meeting, ProgressReport, SteeringCommittee, Task, TaskAdjustment
from . import serializers as s

_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class DirectivesPermission(ScopedModelPermission):
    """The one rule: reads need the model's view permission somewhere (the selector then restricts and
    answers 404); writes need the permission somewhere, and the service checks it on the side of the task
    it acts for (403). Custom actions name the (model, action) they need in ``view.action_permissions``."""

    def _needs(self, request, view) -> tuple[Any, str]:
        named = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if named:
            model, act = named
            return model, ("view" if request.method in SAFE_METHODS else act)
        act = "view" if request.method in SAFE_METHODS else _ACTIONS.get(request.method, "change")
        return self._model(view), act

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        model, act = self._needs(request, view)
        if act == "view":
            return may_list(request.user, model)
        return grants_for(request.user).scope(perm_name(model, act)) is not None

    def has_object_permission(self, request, view, obj) -> bool:
        return True  # the selector made it visible; the service checks the write on the right side


class _Base(ScopedModelViewSet):
    permission_classes = [DirectivesPermission]


# --- committees and meetings --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Steering committees"),
    retrieve=extend_schema(summary="A steering committee"),
    create=extend_schema(summary="Record a steering committee"),
    update=extend_schema(summary="Replace a committee's fields"),
    partial_update=extend_schema(summary="Change some of a committee's fields"),
    destroy=extend_schema(summary="Delete a committee (refused while documents refer to it)"),
)
class CommitteeViewSet(_Base):
    """Steering committees (Ban Chỉ đạo) with their standing agency and member units."""

    queryset = SteeringCommittee.objects.none()
    read_serializer_class = s.CommitteeSerializer
    write_serializer_class = s.CommitteeWriteSerializer
    action_permissions = {"meetings": (SteeringCommittee, "change")}

    @staticmethod
    def list_selector(*, user: Any):
        return selectors.committee_list(user=user).prefetch_related("members")

    def get_object(self):
        committee = selectors.committee_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, committee)
        return committee

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.committee_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.committee_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.committee_delete(actor=actor, instance=instance)

    @extend_schema(
        methods=["GET"], summary="The committee's meetings", responses=s.MeetingSerializer(many=True), filters=False
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a meeting of the committee",
        request=s.MeetingSerializer,
        responses={201: s.MeetingSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def meetings(self, request, pk=None):
        committee = self.get_object()
        if request.method == "GET":
            rows = selectors.meeting_list(user=request.user, committee=committee)
            return Response(s.MeetingSerializer(rows, many=True).data)
        serializer = s.MeetingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = services.meeting_create(actor=request.user, committee=committee, data=dict(serializer.validated_data))
        return Response(s.MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary="A meeting of a steering committee"),
    update=extend_schema(summary="Replace a meeting's fields"),
    partial_update=extend_schema(summary="Change some of a meeting's fields"),
    destroy=extend_schema(summary="Delete a meeting (refused while documents came from it)"),
)
class MeetingViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """A committee's meeting (listed and recorded under its committee); changing or deleting it needs the
    right to change the committee."""

    queryset = Meeting.objects.none()
    serializer_class = s.MeetingSerializer
    permission_classes = [DirectivesPermission]
    action_permissions = {
        "update": (SteeringCommittee, "change"),
        "partial_update": (SteeringCommittee, "change"),
        "destroy": (SteeringCommittee, "change"),
    }
    filter_backends: list = []
    pagination_class = None

    def get_object(self):
        meeting = selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, meeting)
        return meeting

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        core_services.record_read(user=request.user, instance=meeting)
        return Response(s.MeetingSerializer(meeting).data)

    def update(self, request, *args, **kwargs):
        meeting = self.get_object()
        serializer = s.MeetingSerializer(meeting, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        saved = services.meeting_update(actor=request.user, instance=meeting, data=dict(serializer.validated_data))
        return Response(s.MeetingSerializer(saved).data)

    def destroy(self, request, *args, **kwargs):
        services.meeting_delete(actor=request.user, instance=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- documents --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Directive documents"),
    retrieve=extend_schema(summary="A directive document"),
    create=extend_schema(summary="Record a directive document"),
    update=extend_schema(summary="Replace a document's fields"),
    partial_update=extend_schema(summary="Change some of a document's fields"),
    destroy=extend_schema(summary="Delete a document (refused while it has tasks)"),
)
class DocumentViewSet(_Base):
    """Resolutions, directives, conclusions, decisions, plans and projects, with the documents they
    implement (a plan implementing a resolution …)."""

    queryset = DirectiveDocument.objects.none()
    filterset_class = DocumentFilterSet
    read_serializer_class = s.DocumentSerializer
    write_serializer_class = s.DocumentWriteSerializer

    def _shape(self, qs):
        visible = DirectiveDocument.objects.visible_to(self.request.user, "view").only("pk")
        return qs.prefetch_related(Prefetch("implements", queryset=visible, to_attr="visible_implements"))

    def get_queryset(self):
        return self._shape(selectors.document_list(user=self.request.user))

    def get_object(self):
        document = selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, document)
        return document

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.document_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.document_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.document_delete(actor=actor, instance=instance)


# --- tasks, their reports and adjustments ---------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Assigned tasks",
        description="Every task the user may see (assigned by, led by or coordinated by their units), with the "
        "status, progress, current deadline and forecast the services keep. `rag` and `slipping` select the "
        "tasks at risk. Paged by cursor.",
    ),
    retrieve=extend_schema(summary="A task with its derived state"),
    create=extend_schema(
        summary="Assign a task, or cascade part of one to a lower unit",
        description="With `parent`, a sub-task: its document is the parent's, its lead a unit under the parent's "
        "lead, its deadline no later than the parent's; it is assigned by the parent's lead unit.",
        request=s.TaskCreateSerializer,
        responses={201: s.TaskSerializer},
    ),
    update=extend_schema(summary="Replace a task's fields (the assigning unit)"),
    partial_update=extend_schema(summary="Change some of a task's fields (the assigning unit)"),
    destroy=extend_schema(summary="Delete a task without reports (the assigning unit)"),
)
class TaskViewSet(_Base):
    """Numbered tasks of a document, each with a lead unit and coordinating units."""

    queryset = Task.objects.none()
    filterset_class = TaskFilterSet
    read_serializer_class = s.TaskSerializer
    write_serializer_class = s.TaskWriteSerializer
    pagination_class = KeysetPagination  # cursor paging: page 1,000 costs what page 1 costs
    action_permissions = {
        "reports": (ProgressReport, "add"),
        "adjustments": (TaskAdjustment, "add"),
    }

    @staticmethod
    def list_selector(*, user: Any):
        return selectors.task_list(user=user).prefetch_related("coordinating")

    def get_serializer_class(self):
        if self.action == "create":
            return s.TaskCreateSerializer
        return super().get_serializer_class()

    def get_object(self):
        task = selectors.task_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, task)
        return task

    def _read(self, task: Task) -> dict[str, Any]:
        return s.TaskSerializer(
            selectors.task_get(user=self.request.user, pk=task.pk), context=self.get_serializer_context()
        ).data

    def create(self, request, *args, **kwargs):
        serializer = s.TaskCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        document, parent = data.pop("document"), data.pop("parent", None)
        task = services.task_create(actor=request.user, document=document, data=data, parent=parent)
        return Response(self._read(task), status=status.HTTP_201_CREATED)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        task = services.task_update(actor=actor, instance=instance, data=data)
        return selectors.task_get(user=actor, pk=task.pk)  # the derived state as refreshed

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.task_delete(actor=actor, instance=instance)

    @extend_schema(
        methods=["GET"],
        summary="The task's progress reports",
        responses=s.ReportSerializer(many=True),
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Report progress, with evidence files",
        description="The lead unit reports (multipart/form-data, files under `files`); the assigning unit then "
        "accepts or returns the report. A report of 100 % names the concrete product delivered.",
        request={"multipart/form-data": s.ReportCreateSerializer},
        responses={201: s.ReportSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filter_backends=[],
        pagination_class=None,
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def reports(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return Response(s.ReportSerializer(selectors.report_list(user=request.user, task=task), many=True).data)
        serializer = s.ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        files = data.pop("files", [])
        report = services.report_submit(actor=request.user, task=task, data=data, files=files)
        return Response(
            s.ReportSerializer(selectors.report_get(user=request.user, pk=report.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        summary="The decisions that moved, paused or resumed the task",
        responses=s.AdjustmentSerializer(many=True),
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a decision on the task (the assigning unit)",
        description="`extend` moves the deadline (`new_deadline`), `pause` pauses the task, `resume` resumes it.",
        request=s.AdjustmentSerializer,
        responses={201: s.AdjustmentSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def adjustments(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            rows = selectors.adjustment_list(user=request.user, task=task)
            return Response(s.AdjustmentSerializer(rows, many=True).data)
        serializer = s.AdjustmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        adjustment = services.adjustment_create(actor=request.user, task=task, data=dict(serializer.validated_data))
        return Response(s.AdjustmentSerializer(adjustment).data, status=status.HTTP_201_CREATED)


# --- the review of a report ---------------------------------------------------------------------------


@extend_schema_view(retrieve=extend_schema(summary="A progress report with its evidence and review"))
class ReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Progress reports: the assigning unit accepts them (a report of 100 % completes the task on its date)
    or returns them with comments."""

    queryset = ProgressReport.objects.none()
    serializer_class = s.ReportSerializer
    permission_classes = [DirectivesPermission]
    action_permissions = {"accept": (ProgressReport, "change"), "return_": (ProgressReport, "change")}
    filter_backends: list = []
    pagination_class = None

    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        core_services.record_read(user=request.user, instance=report)
        return Response(s.ReportSerializer(report).data)

    def get_object(self):
        report = selectors.report_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, report)
        return report

    def _review(self, request, name: str) -> Response:
        report = self.get_object()
        serializer = s.ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.report_review(
            actor=request.user, report=report, action=name, comment=serializer.validated_data["comment"]
        )
        return Response(s.ReportSerializer(selectors.report_get(user=request.user, pk=report.pk)).data)

    @extend_schema(summary="Accept the report", request=s.ReviewSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._review(request, "accept")

    @extend_schema(summary="Return the report with comments", request=s.ReviewSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._review(request, "return")


# --- evidence --------------------------------------------------------------------------------------------


class EvidenceDownloadView(generics.GenericAPIView):
    """An evidence file, for whoever may see it (its classification included); 404 for anyone else."""

    queryset = Evidence.objects.none()
    permission_classes = [DirectivesPermission]
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        summary="Download an evidence file",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request, pk=None):
        evidence = selectors.evidence_get(user=request.user, pk=pk)
        core_services.record_read(user=request.user, instance=evidence)
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)
