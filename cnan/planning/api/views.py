"""The planning API (/api/v1/planning/): the indicators, the plans with their workflow and events, their
targets, the reporting periods, the enterprises' periodic reports with their values, workflow and corrections,
plan against actual and the state-enterprise classification.

Reads go through ``planning.selectors`` (the visibility rule; an invisible record answers 404), writes
through ``planning.services`` (permission on the side the write acts for, validation, audit in one
transaction): a service's ``ValidationError`` answers 400 with its messages, ``PermissionDenied`` 403. A call
needs its permission somewhere, else 403; without credentials 401."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from cnan.core.api.permissions import ActionPermission
from cnan.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet, crud_schema
from cnan.organizations.models import Organization

from .. import selectors, services
from ..models import Indicator, Plan, Report, ReportingPeriod, ReportValue, Target
from . import serializers as s
from .filters import IndicatorFilterSet, PeriodFilterSet, PlanFilterSet, ReportFilterSet, TargetFilterSet

VIEW_FIGURES = "planning.view_report"


def _workflow_perm(workflow: Any, fallback: str) -> Any:
    """What a transition needs (its own permission); an unknown one is refused by the service (400)."""

    def rule(view: Any) -> str:
        try:
            return workflow.get(view.kwargs.get("transition", "")).perm
        except ValidationError:
            return fallback

    return rule


def _found(qs: QuerySet, pk: Any) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


class SignedInReads(ActionPermission):
    """Reference data (indicators, periods) is read by every signed-in user; writes as ``ActionPermission``."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)


class _Read(ScopedReadOnlyViewSet):
    permission_classes = [ActionPermission]
    action_permissions: dict[str, Any] = {}

    def get_object(self):
        obj = _found(self.get_queryset(), self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["user"] = self.request.user
        return context

    def read_serializer(self, obj: Any) -> dict[str, Any]:
        cls = getattr(self, "read_serializer_class", None) or self.serializer_class
        return cls(obj, context=self.get_serializer_context()).data

    def _fresh(self, obj: Any) -> dict[str, Any]:
        """The record as the reader sees it after a write."""
        return self.read_serializer(_found(type(self).list_selector(user=self.request.user), obj.pk))


class _Crud(ScopedModelViewSet):
    permission_classes = [ActionPermission]
    action_permissions: dict[str, Any] = {}
    get_object = _Read.get_object
    read_serializer = _Read.read_serializer
    _fresh = _Read._fresh

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.service_create(actor=request.user, data=dict(serializer.validated_data))
        return Response(self._fresh(obj), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        obj = self.service_update(actor=request.user, instance=instance, data=dict(serializer.validated_data))
        return Response(self._fresh(obj))


# --- indicators ---------------------------------------------------------------------------------------------


@crud_schema("indicator", listed="Indicators", delete_note=" (never used by a target or a reported value)")
class IndicatorViewSet(_Crud):
    """The indicators (chỉ tiêu), read by every signed-in user, kept by the Department."""

    queryset = Indicator.objects.none()
    permission_classes = [SignedInReads]
    filterset_class = IndicatorFilterSet
    read_serializer_class = s.IndicatorSerializer
    write_serializer_class = s.IndicatorSerializer
    list_selector = staticmethod(selectors.indicator_list)

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.indicator_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.indicator_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.indicator_delete(actor=actor, instance=instance)


# --- plans --------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Plans", description="Planning instruments the user may see (`?year=` covering it)."),
    retrieve=extend_schema(summary="A plan"),
    create=extend_schema(summary="Start a plan (a draft) of an organisation where the user may"),
    update=extend_schema(summary="Replace a plan's fields (while a draft or adjusted)"),
    partial_update=extend_schema(summary="Change some of a plan's fields (while a draft or adjusted)"),
    destroy=extend_schema(summary="Delete a draft plan (its targets go with it)"),
)
class PlanViewSet(_Crud):
    """The industry's instruments and the enterprises' plans and strategies, with their workflow: the owner
    submits, the Department approves (decision number and date; refused while the units' targets do not
    carry the plan's), publishes, adjusts (a decision)."""

    queryset = Plan.objects.none()
    filterset_class = PlanFilterSet
    read_serializer_class = s.PlanSerializer
    write_serializer_class = s.PlanSerializer
    list_selector = staticmethod(selectors.plan_list)
    action_permissions = {
        "transition": _workflow_perm(services.PLAN_WORKFLOW, "planning.view_plan"),
        "events": {"GET": "planning.view_plan"},
    }

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.plan_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.plan_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.plan_delete(actor=actor, instance=instance)

    @extend_schema(
        summary="Move the plan through its workflow",
        description="`transition` is one of: "
        + ", ".join(f"`{t.name}`" for t in services.PLAN_WORKFLOW.transitions)
        + ". `approve` and `adjust` need `decision_number` and `decided_on`. Answers the plan in its new "
        "state; a transition the state does not allow answers 400, one of another role 403.",
        parameters=[OpenApiParameter("transition", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=s.PlanningPlanTransitionSerializer,
        responses={200: s.PlanSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"transitions/(?P<transition>[a-z_]+)",
        url_name="transition",
        filter_backends=[],
        pagination_class=None,
    )
    def transition(self, request, pk=None, transition=None):
        plan = self.get_object()
        serializer = s.PlanningPlanTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_transition(
            actor=request.user, plan=plan, action=transition or "", **serializer.validated_data
        )
        return Response(self._fresh(plan))

    @extend_schema(summary="The plan's workflow events", responses=s.PlanningEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        plan = self.get_object()
        return Response(s.PlanningEventSerializer(selectors.plan_events(user=request.user, plan=plan), many=True).data)


@crud_schema("target", listed="Targets", delete_note=" (while its plan is a draft or adjusted)")
class TargetViewSet(_Crud):
    """The plans' targets the user may see (`?plan=`, `unit`, `indicator`, `year`). Setting one needs the
    right to change its plan's targets, and the plan a draft or adjusted; creating a target that exists
    changes its value."""

    queryset = Target.objects.none()
    filterset_class = TargetFilterSet
    read_serializer_class = s.TargetSerializer
    write_serializer_class = s.TargetSerializer
    list_selector = staticmethod(selectors.target_list)
    action_permissions = {
        "create": "planning.change_target",
        "update": "planning.change_target",
        "partial_update": "planning.change_target",
        "destroy": "planning.delete_target",
    }

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.target_set(actor=actor, **data)

    @transaction.atomic
    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        keys = ("plan", "unit", "indicator", "year", "period_kind", "period_number")
        merged = {name: getattr(instance, name) for name in (*keys, "value", "note")} | data
        if any(merged[k] != getattr(instance, k) for k in keys):
            # moving a target is deleting it and setting another
            services.target_delete(actor=actor, instance=instance)
        return services.target_set(actor=actor, **merged)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.target_delete(actor=actor, instance=instance)


# --- periods ------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Reporting periods"),
    retrieve=extend_schema(summary="A reporting period"),
    create=extend_schema(
        summary="Open a reporting period (the Department)",
        description="Its dates follow the Decree 09/2019 cut-offs; the reports are due (`due_on`) after it ends.",
    ),
)
class PeriodViewSet(mixins.CreateModelMixin, _Read):
    """The months, quarters, half-years and years the Department opens for the enterprises' reports."""

    queryset = ReportingPeriod.objects.none()
    permission_classes = [SignedInReads]
    filterset_class = PeriodFilterSet
    serializer_class = s.PeriodSerializer
    list_selector = staticmethod(selectors.period_list)
    action_permissions = {"create": "planning.open_reportingperiod", "close": "planning.open_reportingperiod"}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = services.period_open(actor=request.user, **serializer.validated_data)
        return Response(self._fresh(period), status=status.HTTP_201_CREATED)

    @extend_schema(summary="Close a period: reports are no longer taken", request=None, filters=False)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request, pk=None):
        period = services.period_close(actor=request.user, period=self.get_object())
        return Response(self._fresh(period))


# --- reports ----------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Periodic reports", description="The enterprises' reports the user may see."),
    retrieve=extend_schema(summary="A periodic report"),
    create=extend_schema(
        summary="Start an enterprise's report for an open period (version 1, a draft; a member of it)",
    ),
)
class ReportViewSet(mixins.CreateModelMixin, _Read):
    """An enterprise files its report, sets its values and submits it; the Department returns it with a
    comment or accepts it (locked); a correction of an accepted report is a new version with a reason."""

    queryset = Report.objects.none()
    filterset_class = ReportFilterSet
    serializer_class = s.PlanningReportSerializer
    list_selector = staticmethod(selectors.report_list)
    action_permissions = {
        "transition": _workflow_perm(services.REPORT_WORKFLOW, "planning.view_report"),
        "values": {"GET": "planning.view_report", "PUT": "planning.change_report"},
        "events": {"GET": "planning.view_report"},
        "correct": "planning.add_report",
    }

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.report_create(actor=request.user, enterprise=data["enterprise"], period=data["period"])
        extra = {k: data[k] for k in s.CLASSIFICATION if k in data}
        if extra:
            report = services.report_update(actor=request.user, instance=report, data=extra)
        return Response(self._fresh(report), status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The report's values",
        responses=s.ReportValueSerializer(many=True),
        filters=False,
    )
    @extend_schema(
        methods=["PUT"],
        summary="Set the report's values, all or nothing (while a draft or returned)",
        description="A list of `{indicator, scenario, value, source_document}`; `value` null removes the figure. "
        "Every row is checked first: any refused row refuses the whole (400, `values` lists one message per "
        "row). Answers the report's values.",
        request=s.ValueRowSerializer(many=True),
        responses={200: s.ReportValueSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get", "put"], filter_backends=[], pagination_class=None)
    def values(self, request, pk=None):
        report = self.get_object()
        if request.method == "PUT":
            rows = s.ValueRowSerializer(data=request.data, many=True)
            rows.is_valid(raise_exception=True)
            wanted = {r["indicator"] for r in rows.validated_data}
            known = {i.pk: i for i in Indicator.objects.filter(pk__in=wanted)}
            services.report_values_set(
                actor=request.user,
                report=report,
                values=[
                    services.ValueRow(
                        indicator=known.get(r["indicator"], r["indicator"]),
                        scenario=r["scenario"],
                        value=r["value"],
                        source=ReportValue.Source.API,
                        source_document=r["source_document"],
                    )
                    for r in rows.validated_data
                ],
            )
        values = selectors.report_values(user=request.user, report=report)
        return Response(s.ReportValueSerializer(values, many=True).data)

    @extend_schema(
        summary="Move the report through its workflow",
        description="`transition` is one of: "
        + ", ".join(f"`{t.name}`" for t in services.REPORT_WORKFLOW.transitions)
        + ". The enterprise submits (refused listing the required indicators missing); the Department returns "
        "(a `comment` says why) or accepts (the report is locked; the version it corrects is superseded).",
        parameters=[OpenApiParameter("transition", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=s.CommentSerializer,
        responses={200: s.PlanningReportSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"transitions/(?P<transition>[a-z_]+)",
        url_name="transition",
        filter_backends=[],
        pagination_class=None,
    )
    def transition(self, request, pk=None, transition=None):
        report = self.get_object()
        serializer = s.CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_transition(
            actor=request.user, report=report, action=transition or "", comment=serializer.validated_data["comment"]
        )
        return Response(self._fresh(report))

    @extend_schema(
        summary="The report's workflow events", responses=s.PlanningReportEventSerializer(many=True), filters=False
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        report = self.get_object()
        events = selectors.report_events(user=request.user, report=report)
        return Response(s.PlanningReportEventSerializer(events, many=True).data)

    @extend_schema(
        summary="Correct an accepted report: a new version (a draft) with its values copied and the reason",
        request=s.PlanningReasonSerializer,
        responses={201: s.PlanningReportSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def correct(self, request, pk=None):
        report = self.get_object()
        serializer = s.PlanningReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = services.report_correct(
            actor=request.user, report=report, reason=serializer.validated_data["reason"]
        )
        return Response(self._fresh(correction), status=status.HTTP_201_CREATED)


# --- figures ------------------------------------------------------------------------------------------------


def _row(row: Any) -> dict[str, Any]:
    return {
        "unit": row.unit.pk if row.unit is not None else None,
        "unit_code": row.unit.code if row.unit is not None else None,
        "plan": row.plan,
        "actual": row.actual,
        "scenario": row.scenario,
        "achievement_pct": row.achievement_pct,
        "last_year": row.last_year,
        "vs_last_year_pct": row.vs_last_year_pct,
        "verdict": row.verdict,
    }


class AchievementView(generics.GenericAPIView):
    """Plan against actual for an indicator in a period, per enterprise and for the industry."""

    queryset = Report.objects.none()
    permission_classes = [ActionPermission]
    required_perm = VIEW_FIGURES
    filter_backends: list = []
    pagination_class = None
    serializer_class = s.AchievementSerializer

    @extend_schema(
        summary="Plan against actual (KH / TH) for an indicator in a period",
        description="Per enterprise the user sees: the target of the annual plan in force, the value of record "
        "(the latest accepted report: audited over actual over estimate), TH/KH %, last year's and the verdict "
        "(`exceeded`, `met` at exactly 100.0 %, `not_met`; inverted for lower-is-better). The total adds the "
        "enterprises up with the indicator's aggregation (a ratio from its summed parts).",
        parameters=[
            OpenApiParameter("indicator", OpenApiTypes.INT, required=True),
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=["year", "half_year", "quarter", "month"]),
            OpenApiParameter("number", OpenApiTypes.INT),
        ],
    )
    def get(self, request, *args, **kwargs):
        query = s.AchievementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        indicator = _found(selectors.indicator_list(user=request.user), q["indicator"])
        from ..models import check_period_number

        problem = check_period_number(q["kind"], q["number"])
        if problem:
            raise ValidationError({"number": problem})
        result = selectors.achievement(
            request.user, indicator=indicator, year=q["year"], period_kind=q["kind"], period_number=q["number"]
        )
        body = {
            "indicator": indicator.pk,
            "indicator_code": indicator.code,
            "year": result.year,
            "kind": result.period_kind,
            "number": result.period_number,
            "rows": [_row(r) for r in result.rows],
            "total": _row(result.total),
            "industry_target": result.industry_target,
        }
        return Response(s.AchievementSerializer(body).data)


class SOEClassificationView(generics.GenericAPIView):
    """A state enterprise's annual grade from the five evaluation indicators."""

    queryset = Report.objects.none()
    permission_classes = [ActionPermission]
    required_perm = VIEW_FIGURES
    filter_backends: list = []
    pagination_class = None
    serializer_class = s.SOEClassificationSerializer

    @extend_schema(
        summary="The enterprise's classification (A, B or C) for a year",
        description="A: all five evaluation indicators met or exceeded; B: the performance of assigned tasks "
        "and at least three met; C otherwise (an indicator without a plan or an actual counts as not met).",
        parameters=[
            OpenApiParameter("enterprise", OpenApiTypes.INT, required=True),
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
        ],
    )
    def get(self, request, *args, **kwargs):
        query = s.SOEQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        visible = Organization.objects.visible_to(request.user, "view").filter(kind=Organization.Kind.ENTERPRISE)
        enterprise = _found(visible, q["enterprise"])
        result = selectors.soe_classification(request.user, enterprise, q["year"])
        body = {
            "enterprise": enterprise.pk,
            "enterprise_code": enterprise.code,
            "year": result.year,
            "grade": result.grade,
            "met_count": result.met_count,
            "rows": [_row(r) for r in result.rows],
            "indicators": [r.indicator.code for r in result.rows],
        }
        return Response(s.SOEClassificationSerializer(body).data)
