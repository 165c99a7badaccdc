"""The supply API: the units' demand plans and their lines (with the submission workflow), the enterprises'
capacity, imported purchases, production orders with their deliveries, acceptance and feedback, the
allocation optimiser's runs, the matching of the demand against the domestic catalogue and the domestic
share of the force's equipment.

Reads go through ``supply.selectors`` (the visibility rule and the record's classification; an invisible
record answers 404), writes through ``supply.services`` (permission on the side the write acts for,
validation, audit in one transaction): a service's ``ValidationError`` answers 400 with its field errors,
``PermissionDenied`` 403. A call needs its permission somewhere, else 403."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cnan.catalogue.models import ProductClass
from cnan.core.api.permissions import ActionPermission
from cnan.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet, crud_schema
from cnan.organizations.models import Organization

from .. import selectors, services
from ..filters_allocation import MatchFilterSet, RunFilterSet
from ..filters_demand import CapacityFilterSet, DemandLineFilterSet, DemandPlanFilterSet, ImportPurchaseFilterSet
from ..filters_orders import DeliveryFilterSet, FeedbackFilterSet, OrderFilterSet
from ..models import (
    AllocationRun,
    Capacity,
    Delivery,
    DemandLine,
    DemandPlan,
    Feedback,
    ImportPurchase,
    ProductionOrder,
)
from . import serializers as s

CHANGE_PLAN = "supply.change_demandplan"


def _transition_perm(view: Any) -> str:
    """A submission needs the right to change the plan (the unit); a return or a consolidation the
    Department's. An unknown transition is refused by the service (400)."""
    try:
        return services.PLAN_WORKFLOW.get(view.kwargs.get("transition", "")).perm
    except ValidationError:
        return "supply.view_demandplan"


def _found(qs: QuerySet, pk: Any) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


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

    def _fresh(self, obj: Any) -> dict[str, Any]:
        """The record as a reader sees it after a write (annotations and derived state as stored)."""
        fresh = _found(type(self).list_selector(user=self.request.user), obj.pk)
        return self.read_serializer(fresh)

    def read_serializer(self, obj: Any) -> dict[str, Any]:
        return self.get_serializer_class()(obj, context=self.get_serializer_context()).data

    def _created(self, obj: Any) -> Response:
        return Response(self._fresh(obj), status=status.HTTP_201_CREATED)


class _Crud(ScopedModelViewSet):
    permission_classes = [ActionPermission]
    action_permissions: dict[str, Any] = {}
    get_object = _Read.get_object
    _fresh = _Read._fresh

    def read_serializer(self, obj: Any) -> dict[str, Any]:
        return self.read_serializer_class(obj, context=self.get_serializer_context()).data

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


# --- demand ----------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Demand plans",
        description="The operational units' equipment needs per year that the user may see, each with its "
        "number of lines and their value (of the lines the user may see). Paged by cursor.",
    ),
    retrieve=extend_schema(summary="A demand plan"),
    create=extend_schema(summary="Start a unit's demand plan for a year (one per unit and year)"),
    update=extend_schema(summary="Replace a plan's note and classification (while a draft or returned)"),
    partial_update=extend_schema(summary="Change a plan's note or classification (while a draft or returned)"),
    destroy=extend_schema(summary="Delete a draft plan"),
)
class DemandPlanViewSet(_Crud):
    """An operational unit's demand for a year and its workflow: the unit submits it, the Department
    returns it with a comment or consolidates it."""

    queryset = DemandPlan.objects.none()
    filterset_class = DemandPlanFilterSet
    read_serializer_class = s.DemandPlanSerializer
    write_serializer_class = s.DemandPlanSerializer
    list_selector = staticmethod(lambda *, user: selectors.plan_search(user=user))
    action_permissions = {"transition": _transition_perm, "events": {"GET": "supply.view_demandplan"}}

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
        + ". The unit submits a draft or returned plan with lines; the Department returns a submitted plan "
        "(a `comment` says why) or consolidates it. Answers the plan in its new state; a transition the state "
        "does not allow, or a return without a comment, answers 400, one of another role 403.",
        parameters=[OpenApiParameter("transition", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=s.PlanTransitionSerializer,
        responses={200: s.DemandPlanSerializer},
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
        serializer = s.PlanTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_transition(
            actor=request.user, plan=plan, action=transition or "", comment=serializer.validated_data["comment"]
        )
        return Response(self._fresh(plan))

    @extend_schema(summary="The plan's workflow events", responses=s.PlanEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        plan = self.get_object()
        return Response(s.PlanEventSerializer(selectors.plan_events(user=request.user, plan=plan), many=True).data)


@crud_schema("demand line", listed="Demand lines", delete_note=" (while its plan is a draft or returned)")
class DemandLineViewSet(_Crud):
    """The lines of the plans the user may see. Adding, changing or deleting a line needs the right to change
    its plan, and the plan a draft or returned."""

    queryset = DemandLine.objects.none()
    filterset_class = DemandLineFilterSet
    read_serializer_class = s.DemandLineSerializer
    write_serializer_class = s.DemandLineSerializer
    list_selector = staticmethod(selectors.line_list)
    action_permissions = {name: CHANGE_PLAN for name in ("create", "update", "partial_update", "destroy")}

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        plan = data.pop("plan")
        return services.line_create(actor=actor, plan=plan, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        data.pop("plan", None)
        return services.line_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.line_delete(actor=actor, instance=instance)


@extend_schema_view(
    list=extend_schema(summary="The enterprises' capacity per product group and year"),
    retrieve=extend_schema(summary="A capacity"),
    create=extend_schema(
        summary="Set an enterprise's capacity for a product group and year",
        description="Created, or changed in place when the enterprise already has one for the group and year "
        "(answers 201 or 200).",
    ),
)
class CapacityViewSet(mixins.CreateModelMixin, _Read):
    """What the enterprises can make; each enterprise keeps its own."""

    queryset = Capacity.objects.none()
    filterset_class = CapacityFilterSet
    serializer_class = s.CapacitySerializer
    list_selector = staticmethod(selectors.capacity_list)
    action_permissions = {"create": "supply.change_capacity"}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = Capacity.objects.filter(
            enterprise=data["enterprise"], product_group=data["product_group"], year=data["year"]
        ).exists()
        capacity = services.capacity_set(actor=request.user, **data)
        return Response(self._fresh(capacity), status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


@crud_schema("imported purchase", listed="Imported purchases")
class ImportPurchaseViewSet(_Crud):
    """Equipment the units bought from abroad: the baseline of the domestic share."""

    queryset = ImportPurchase.objects.none()
    filterset_class = ImportPurchaseFilterSet
    read_serializer_class = s.ImportPurchaseSerializer
    write_serializer_class = s.ImportPurchaseSerializer
    list_selector = staticmethod(selectors.import_list)

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.import_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.import_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.import_delete(actor=actor, instance=instance)


# --- orders, deliveries, feedback --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Production orders", description="Orders placed by or with the user's units."),
    retrieve=extend_schema(summary="A production order"),
    create=extend_schema(
        summary="Place a production order for a customer unit",
        description="An order against a demand line needs the plan consolidated and no more than the line has "
        "left. One that takes the enterprise beyond its capacity for the product group that year is refused "
        "(400 on `over_capacity_reason`, with the figures) unless `over_capacity_reason` says why.",
    ),
)
class ProductionOrderViewSet(mixins.CreateModelMixin, _Read):
    """Orders (ordering, task assignment, plan assignment, bidding), seen by the customer and the
    enterprise."""

    queryset = ProductionOrder.objects.none()
    filterset_class = OrderFilterSet
    serializer_class = s.ProductionOrderSerializer
    list_selector = staticmethod(selectors.order_list)
    action_permissions = {"cancel": "supply.change_productionorder"}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.order_create(actor=request.user, data=dict(serializer.validated_data))
        return self._created(order)

    @extend_schema(
        summary="Cancel an order (the customer), with the reason",
        description="Only an order nothing of which was delivered.",
        request=s.ReasonSerializer,
        responses={200: s.ProductionOrderSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def cancel(self, request, pk=None):
        order = self.get_object()
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.order_cancel(actor=request.user, instance=order, reason=serializer.validated_data["reason"])
        return Response(self._fresh(order))


@extend_schema_view(
    list=extend_schema(
        summary="Deliveries",
        description="Deliveries of the orders the user may see; `?order=` gives one order's.",
        parameters=[OpenApiParameter("order", OpenApiTypes.INT, description="An order's id")],
    ),
    retrieve=extend_schema(summary="A delivery"),
    create=extend_schema(
        summary="Record units of an order handed over (the enterprise)",
        description="Never more than the order has left, never in the future or before the order.",
    ),
)
class DeliveryViewSet(mixins.CreateModelMixin, _Read):
    """Units handed over under an order; the customer accepts them (nghiệm thu)."""

    queryset = Delivery.objects.none()
    filterset_class = DeliveryFilterSet
    serializer_class = s.DeliverySerializer
    list_selector = staticmethod(selectors.delivery_list)
    action_permissions = {"accept": "supply.accept_delivery"}

    def get_queryset(self):
        qs = super().get_queryset()
        order = self.request.query_params.get("order") if self.action == "list" else None
        if order:
            if not order.isdigit():
                raise ValidationError({"order": [_("Enter a whole number.")]})
            qs = qs.filter(order_id=int(order))
        return qs

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        order = data.pop("order")
        delivery = services.delivery_create(actor=request.user, order=order, data=data)
        return self._created(delivery)

    @extend_schema(
        summary="Accept a delivery for the customer unit (nghiệm thu)",
        description="From then on it counts in the domestic share.",
        request=s.AcceptSerializer,
        responses={200: s.DeliverySerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def accept(self, request, pk=None):
        delivery = self.get_object()
        serializer = s.AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        delivery = services.delivery_accept(actor=request.user, delivery=delivery, **serializer.validated_data)
        return Response(self._fresh(delivery))


@extend_schema_view(
    list=extend_schema(summary="Quality feedback on deliveries"),
    create=extend_schema(
        summary="Give feedback on an accepted delivery (the customer unit)",
        description="A rating of 2 or less needs a comment.",
    ),
)
class FeedbackViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The using units' word on what they received."""

    queryset = Feedback.objects.none()
    filterset_class = FeedbackFilterSet
    serializer_class = s.FeedbackSerializer
    permission_classes = [ActionPermission]

    def get_queryset(self):
        user = self.request.user
        return selectors.feedback_list(user=user).filter(delivery__order__in=selectors.order_list(user=user))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["user"] = self.request.user
        return context

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        delivery = data.pop("delivery")
        feedback = services.feedback_create(actor=request.user, delivery=delivery, data=data)
        fresh = _found(self.get_queryset(), feedback.pk)
        return Response(s.FeedbackSerializer(fresh, context=self.get_serializer_context()).data, status=201)


# --- the optimiser ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Runs of the allocation optimiser"),
    retrieve=extend_schema(summary="A run: its proposal, the greedy baseline and the explanations"),
    create=extend_schema(
        summary="Start the optimiser over a year's consolidated demand",
        description="Queues a job (its progress at `/api/v1/jobs/{job}/`); the run holds the proposal once done.",
    ),
)
class AllocationRunViewSet(mixins.CreateModelMixin, _Read):
    """The Department's runs of the optimiser, and turning a proposal into orders."""

    queryset = AllocationRun.objects.none()
    serializer_class = s.AllocationRunSerializer
    list_selector = staticmethod(selectors.run_list)
    filterset_class = RunFilterSet
    action_permissions = {"accept": "supply.change_allocationrun"}

    def get_serializer_class(self):
        return s.RunAcceptSerializer if self.action == "accept" else s.AllocationRunSerializer

    def create(self, request, *args, **kwargs):
        serializer = s.AllocationRunSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        budget = serializer.validated_data.get("budget")
        run = services.allocation_start(
            actor=request.user,
            year=serializer.validated_data["year"],
            budget=Decimal(budget) if budget is not None else None,
        )
        fresh = _found(selectors.run_list(user=request.user), run.pk)
        return Response(s.AllocationRunSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Turn the proposal, as adjusted, into orders",
        description="One order per row with units, for the line's unit, numbered `<number_prefix>-0001` on; a "
        "row beyond the enterprise's capacity needs its `over_capacity_reason`. All or nothing: any refused "
        "row refuses the whole (400).",
        request=s.RunAcceptSerializer,
        responses={201: s.ProductionOrderSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def accept(self, request, pk=None):
        run = self.get_object()
        serializer = s.RunAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        rows = data.pop("rows")
        reasons = {k: row["over_capacity_reason"] for k, row in enumerate(rows) if row["over_capacity_reason"]}
        orders = services.allocation_accept(actor=request.user, run=run, rows=rows, reasons=reasons, **data)
        fresh = selectors.order_list(user=request.user).filter(pk__in=[o.pk for o in orders]).order_by("number")
        body = s.ProductionOrderSerializer(fresh, many=True, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


# --- matching and the domestic share ------------------------------------------------------------------------


class MatchView(generics.ListAPIView):
    """Each demand line the user may see against the domestic products that can supply it."""

    queryset = DemandLine.objects.none()
    permission_classes = [ActionPermission]
    required_perm = "supply.consolidate_demandplan"  # the consolidating Department, as on the page
    filterset_class = MatchFilterSet
    serializer_class = s.MatchSerializer

    def get_queryset(self):
        return selectors.line_list(user=self.request.user)

    @extend_schema(
        summary="The matching of the demand against the domestic catalogue",
        description="Each visible demand line (filter by `year`, `plan`, `unit`, `product_class`, `status`) with the "
        "products made in Việt Nam, certified or in serial production, that match it, each enterprise's "
        "capacity left for the plan's year, and the line's status: `domestic` (capacity covers it), "
        "`partial`, `imports` (no domestic product, bought abroad before) or `none`. Paged by cursor.",
    )
    def get(self, request, *args, **kwargs):
        qs = self.filter_queryset(self.get_queryset())
        wanted = request.query_params.get("status")  # computed per line: the lines of that status are kept
        if wanted:
            kept = [m.line.pk for m in selectors.match_lines(user=request.user, lines=qs) if m.status == wanted]
            qs = qs.filter(pk__in=kept)
        page = self.paginate_queryset(qs)
        lines = page if page is not None else list(qs)
        body = s.MatchSerializer(selectors.match_lines(user=request.user, lines=lines), many=True).data
        return self.get_paginated_response(body) if page is not None else Response(body)


class SelfRelianceView(generics.GenericAPIView):
    """The domestic share of the force's equipment, of what the user may see."""

    queryset = ImportPurchase.objects.none()
    permission_classes = [ActionPermission]
    required_perm = "supply.view_delivery"
    filter_backends: list = []
    pagination_class = None
    serializer_class = s.SelfRelianceSerializer

    @extend_schema(
        summary="The domestic share by value and by count",
        description="Accepted deliveries (quantity × the order's unit price, each delivery once) against imported "
        "purchases, grouped `by` product class, customer unit or year, optionally for one `year` (the year a "
        "delivery was accepted, the year of a purchase). Shares are fractions (0–1), null without any figure.",
        parameters=[
            OpenApiParameter("by", OpenApiTypes.STR, enum=["product_class", "unit", "year"]),
            OpenApiParameter("year", OpenApiTypes.INT),
        ],
    )
    def get(self, request, *args, **kwargs):
        query = s.SelfRelianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        by, year = query.validated_data["by"], query.validated_data["year"]
        rows = selectors.self_reliance(user=request.user, by=by, year=year)
        labels = self._labels(by, [r.key for r in rows])
        total = selectors.ShareRow("total", Decimal(0), 0, Decimal(0), 0)
        out = []
        for r in rows:
            total.domestic_value += r.domestic_value
            total.domestic_count += r.domestic_count
            total.import_value += r.import_value
            total.import_count += r.import_count
            out.append(self._row(r, labels.get(r.key)))
        body = {"by": by, "year": year, "rows": out, "total": self._row(total, None)}
        return Response(s.SelfRelianceSerializer(body).data)

    def _labels(self, by: str, keys: list[Any]) -> dict[Any, str]:
        if by == "product_class":
            return {k: str(ProductClass(k).label) for k in keys if k in ProductClass.values}
        if by == "unit":
            visible = Organization.objects.visible_to(self.request.user, "view").filter(pk__in=keys)
            return {o.pk: f"{o.code} — {o.name}" for o in visible}
        return {k: str(k) for k in keys}

    @staticmethod
    def _row(r: Any, label: str | None) -> dict[str, Any]:
        return {
            "key": None if r.key is None else str(r.key),
            "label": label,
            "domestic_value": r.domestic_value,
            "domestic_count": r.domestic_count,
            "import_value": r.import_value,
            "import_count": r.import_count,
            "share_value": r.share_value,
            "share_count": r.share_count,
        }
