"""Serializers of the supply API. One serializer per record serves reads and writes: the derived state (a
plan's state, a line's tier, an order's status, a delivery's acceptance, a run's proposal) is read-only and
moves only through the services; every reference accepts only what the user may see, and an owner (a
plan's or an import's unit, an order's customer, a capacity's enterprise) only an organisation where the
user holds the permission."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cnan.catalogue.models import Product, ProductClass
from cnan.organizations import selectors as org_selectors
from cnan.organizations.models import Organization, ProductGroup

from .. import selectors, services
from ..models import (
    AllocationRun,
    Capacity,
    Delivery,
    DemandLine,
    DemandPlan,
    Feedback,
    Funding,
    ImportPurchase,
    OrderMode,
    PlanEvent,
    PriceBasis,
    ProductionOrder,
)

CLASSIFICATION = list(services.CLASSIFICATION_FIELDS)
MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 0}  # VND, whole đồng


@extend_schema_field({"type": "string", "minLength": 2, "maxLength": 2, "example": "CN"})
class CountryCodeField(CountryField):
    """A country as its ISO 3166-1 alpha-2 code."""


@extend_schema_field(OpenApiTypes.INT)
class OwnerField(serializers.PrimaryKeyRelatedField):
    """An organisation where the user holds ``perm`` (``update_perm`` when changing a record, whose current
    owner, ``attr``, stays acceptable)."""

    def __init__(self, *, perm: str, update_perm: str | None = None, attr: str = "unit_id", **kwargs: Any) -> None:
        self.perm, self.update_perm, self.attr = perm, update_perm or perm, attr
        super().__init__(**kwargs)

    def get_queryset(self):
        instance = getattr(self.parent, "instance", None)
        perm = self.perm if instance is None else self.update_perm
        choices = org_selectors.organization_choices(user=self.context["user"], perm=perm)
        current = getattr(instance, self.attr, None) if instance is not None else None
        if current:
            choices = (choices | Organization.objects.filter(pk=current)).distinct()
        return choices


@extend_schema_field(OpenApiTypes.INT)
class VisibleField(serializers.PrimaryKeyRelatedField):
    """A record the user may see (an invisible one answers "does not exist", as for a wrong id): through
    ``selector`` when its visibility follows its parent's (a line its plan's, a delivery its order's)."""

    def __init__(self, *, model: type, selector: Any = None, **kwargs: Any) -> None:
        self.model, self.selector = model, selector
        super().__init__(**kwargs)

    def get_queryset(self):
        if self.selector is not None:
            return self.selector(user=self.context["user"])
        return self.model.objects.visible_to(self.context["user"], "view")


def _code(source: str) -> serializers.CharField:
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


class _Stays:
    """A reference that cannot move once the record exists (a line's plan, a plan's unit and year)."""

    fixed: tuple[str, ...] = ()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = getattr(self, "instance", None)
        if instance is not None:
            errors = {}
            for name in self.fixed:
                if name in attrs and attrs[name] != getattr(instance, name):
                    errors[name] = [_("This cannot be changed once the record exists.")]
            if errors:
                raise serializers.ValidationError(errors)
        return super().validate(attrs)  # type: ignore[misc]


# --- demand ----------------------------------------------------------------------------------------------


class DemandPlanSerializer(_Stays, serializers.ModelSerializer):
    """An operational unit's equipment needs for a year; its state moves through the transitions
    (``plans/{id}/transitions/{transition}/``)."""

    fixed = ("unit", "year")
    unit = OwnerField(perm="supply.add_demandplan", update_perm="supply.change_demandplan")
    unit_code = _code("unit.code")
    line_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    total_value = serializers.DecimalField(
        max_digits=24, decimal_places=0, read_only=True, default=None, allow_null=True, help_text="Of its lines."
    )

    class Meta:
        model = DemandPlan
        fields = [
            "id",
            "unit",
            "unit_code",
            "year",
            "state",
            "note",
            "line_count",
            "total_value",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "state", "created_at", "updated_at"]
        validators: list = []  # one plan per unit and year: checked by the service, with its message


class PlanEventSerializer(serializers.ModelSerializer):
    actor_name = _code("actor.full_name")

    class Meta:
        model = PlanEvent
        fields = ["id", "transition", "from_state", "to_state", "actor", "actor_name", "time", "comment"]
        read_only_fields = fields


class PlanTransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Why (required to return a plan)."
    )


class DemandLineSerializer(_Stays, serializers.ModelSerializer):
    """One need of a plan: a catalogue product, or a product class (and group) with its specification. The
    priority tier follows the force equipped."""

    fixed = ("plan",)
    plan = VisibleField(model=DemandPlan)
    plan_year = serializers.IntegerField(source="plan.year", read_only=True)
    unit_code = _code("plan.unit.code")
    product = VisibleField(model=Product, required=False, allow_null=True)
    product_code = _code("product.code")
    product_class = serializers.ChoiceField(choices=ProductClass.choices, required=False, allow_blank=True)
    product_group = serializers.PrimaryKeyRelatedField(
        queryset=ProductGroup.objects.all(), required=False, allow_null=True
    )
    unit_value = serializers.DecimalField(
        **MONEY, min_value=0, required=False, allow_null=True, help_text="Empty: the product's catalogue price."
    )

    class Meta:
        model = DemandLine
        fields = [
            "id",
            "plan",
            "plan_year",
            "unit_code",
            "number",
            "product",
            "product_code",
            "product_class",
            "product_group",
            "specification",
            "quantity",
            "unit_value",
            "needed_by",
            "force_type",
            "tier",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "tier", "created_at", "updated_at"]
        extra_kwargs = {"number": {"required": False, "allow_null": True, "help_text": "Empty: the next number."}}
        validators: list = []  # a number once per plan: checked by the service, with its message

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is None and not attrs.get("product_class") and not attrs.get("product"):
            raise serializers.ValidationError({"product_class": [_("Name a product or a product class.")]})
        if self.instance is None and attrs.get("unit_value") is None and not attrs.get("product"):
            raise serializers.ValidationError({"unit_value": [_("This field is required.")]})
        for name in ("product_class", "unit_value", "number"):
            if name in attrs and attrs[name] in ("", None):
                attrs.pop(name)  # empty: the service's default (the product's class and price, the next number)
        return attrs


class CapacitySerializer(serializers.ModelSerializer):
    """What an enterprise can make of a product group in a year; setting it again changes it in place."""

    enterprise = OwnerField(perm="supply.change_capacity", attr="enterprise_id")
    enterprise_code = _code("enterprise.code")
    product_group = serializers.PrimaryKeyRelatedField(queryset=ProductGroup.objects.all())
    product_group_name = _code("product_group.name")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    units = serializers.IntegerField(min_value=0)

    class Meta:
        model = Capacity
        fields = [
            "id",
            "enterprise",
            "enterprise_code",
            "product_group",
            "product_group_name",
            "year",
            "units",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list = []  # one row per enterprise, group and year: the service changes it in place


class ImportPurchaseSerializer(serializers.ModelSerializer):
    """Equipment bought from abroad: the baseline the domestic share is measured against."""

    unit = OwnerField(perm="supply.add_importpurchase", update_perm="supply.change_importpurchase")
    unit_code = _code("unit.code")
    product = VisibleField(model=Product, required=False, allow_null=True)
    product_code = _code("product.code")
    product_class = serializers.ChoiceField(choices=ProductClass.choices, required=False, allow_blank=True)
    country = CountryCodeField()

    class Meta:
        model = ImportPurchase
        fields = [
            "id",
            "unit",
            "unit_code",
            "year",
            "product",
            "product_code",
            "product_class",
            "description",
            "country",
            "quantity",
            "value",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("product_class"):
            attrs.pop("product_class", None)
            product = attrs.get("product")
            if product is not None:
                attrs["product_class"] = product.product_class
            elif self.instance is None:
                raise serializers.ValidationError({"product_class": [_("Name a product or a product class.")]})
        return attrs


# --- orders, deliveries, feedback --------------------------------------------------------------------------


class ProductionOrderSerializer(serializers.ModelSerializer):
    """An order for an enterprise to make a product for a customer unit. One that takes the enterprise beyond
    its capacity for the product group is refused with the figures unless ``over_capacity_reason`` is given."""

    customer = OwnerField(perm="supply.add_productionorder", attr="customer_id")
    customer_code = _code("customer.code")
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=Organization.Kind.ENTERPRISE)
    )
    enterprise_code = _code("enterprise.code")
    product = VisibleField(model=Product)
    product_code = _code("product.code")
    demand_line = VisibleField(model=DemandLine, selector=selectors.line_list, required=False, allow_null=True)
    value = serializers.DecimalField(max_digits=24, decimal_places=0, read_only=True)

    class Meta:
        model = ProductionOrder
        fields = [
            "id",
            "number",
            "mode",
            "customer",
            "customer_code",
            "enterprise",
            "enterprise_code",
            "product",
            "product_code",
            "demand_line",
            "year",
            "quantity",
            "unit_price",
            "value",
            "price_basis",
            "funding",
            "ordered_on",
            "due_on",
            "status",
            "over_capacity_reason",
            "allocation_run",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "allocation_run", "created_at", "updated_at"]
        validators: list = []  # the number once: the model's unique check, through the service


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why the order is cancelled.")


class DeliverySerializer(serializers.ModelSerializer):
    """Units of an order handed over by the enterprise; counted in the domestic share once the customer
    accepts them (``deliveries/{id}/accept/``)."""

    order = VisibleField(model=ProductionOrder, selector=selectors.order_list)
    order_number = _code("order.number")
    accepted = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "order",
            "order_number",
            "delivered_on",
            "quantity",
            "note",
            "accepted",
            "accepted_on",
            "acceptance_number",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "accepted_on", "acceptance_number", "created_at", "updated_at"]

    def get_accepted(self, obj: Delivery) -> bool:
        return obj.accepted_on is not None


class AcceptSerializer(serializers.Serializer):
    accepted_on = serializers.DateField()
    acceptance_number = serializers.CharField(max_length=100, allow_blank=True)


class FeedbackSerializer(serializers.ModelSerializer):
    """The using unit's word on the quality of an accepted delivery (a rating of 2 or less needs a comment)."""

    delivery = VisibleField(model=Delivery, selector=selectors.delivery_list)
    order_number = _code("delivery.order.number")
    actor_name = _code("actor.full_name")

    class Meta:
        model = Feedback
        fields = ["id", "delivery", "order_number", "given_on", "rating", "comment", "actor", "actor_name"]
        read_only_fields = ["id", "actor"]
        extra_kwargs = {"given_on": {"required": False}}


# --- allocation runs ---------------------------------------------------------------------------------------


class AllocationRunSerializer(serializers.ModelSerializer):
    """A run of the optimiser over a year's consolidated demand: queued, then its proposal beside the greedy
    baseline, each line's explanation and the lines left out."""

    job: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    job_status = _code("job.status")
    budget = serializers.DecimalField(max_digits=20, decimal_places=0, min_value=0, required=False, allow_null=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100)

    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "year",
            "budget",
            "state",
            "job",
            "job_status",
            "optimal",
            "seconds",
            "share",
            "weighted_share",
            "greedy_share",
            "greedy_weighted_share",
            "spend",
            "proposal",
            "reasons",
            "skipped",
            "created_at",
        ]
        read_only_fields = [f for f in fields if f not in ("year", "budget")]


class AcceptRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    enterprise = serializers.IntegerField()
    product = serializers.IntegerField()
    units = serializers.IntegerField(min_value=0)
    over_capacity_reason = serializers.CharField(required=False, allow_blank=True, default="")


class RunAcceptSerializer(serializers.Serializer):
    """The proposal as the officer adjusted it, and the terms of the orders it becomes."""

    rows = AcceptRowSerializer(many=True, allow_empty=False)
    ordered_on = serializers.DateField()
    due_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=OrderMode.choices)
    price_basis = serializers.ChoiceField(choices=PriceBasis.choices)
    funding = serializers.ChoiceField(choices=Funding.choices)
    number_prefix = serializers.CharField(max_length=40)


# --- matching and the domestic share ------------------------------------------------------------------------


class CandidateSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product.pk")
    product_code = serializers.CharField(source="product.code")
    product_name = serializers.CharField(source="product.name")
    enterprise = serializers.IntegerField(source="enterprise.pk")
    enterprise_code = serializers.CharField(source="enterprise.code")
    capacity = serializers.IntegerField(allow_null=True)
    booked = serializers.IntegerField()
    left = serializers.IntegerField()


class MatchSerializer(serializers.Serializer):
    """A demand line against the domestic products that can supply it: ``domestic`` (capacity covers the
    line), ``partial``, ``imports`` (bought abroad before) or ``none`` (a candidate for an S&T task)."""

    id = serializers.IntegerField(source="line.pk")
    plan = serializers.IntegerField(source="line.plan_id")
    year = serializers.IntegerField(source="line.plan.year")
    unit_code = serializers.CharField(source="line.plan.unit.code")
    number = serializers.IntegerField(source="line.number")
    product_class = serializers.CharField(source="line.product_class")
    quantity = serializers.IntegerField(source="line.quantity")
    status = serializers.CharField()
    imported_before = serializers.BooleanField()
    candidates = CandidateSerializer(many=True)


class ShareRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)  # type: ignore[assignment]  # a field, not Field.label
    domestic_value = serializers.DecimalField(max_digits=24, decimal_places=0)
    domestic_count = serializers.IntegerField()
    import_value = serializers.DecimalField(max_digits=24, decimal_places=0)
    import_count = serializers.IntegerField()
    share_value = serializers.FloatField(allow_null=True)
    share_count = serializers.FloatField(allow_null=True)


class SelfRelianceSerializer(serializers.Serializer):
    """The domestic share of the force's equipment (accepted deliveries against imported purchases) by value
    and by count, per group and in total."""

    by = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    rows = ShareRowSerializer(many=True)
    total = ShareRowSerializer()


class SelfRelianceQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=["product_class", "unit", "year"], required=False, default="product_class")
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False, allow_null=True, default=None)
