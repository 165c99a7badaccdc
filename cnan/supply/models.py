"""Supply and import substitution (issue #7, DOMAIN.md §1.2): the operational units' equipment demand for a
year, the enterprises' capacity per product group, production orders (ordering, task assignment, plan
assignment, bidding) with their deliveries, acceptance and the using unit's feedback, and the imported
purchases that are the baseline. The domestic share of the force's equipment is computed from these
(``supply.selectors.self_reliance``); the allocation optimiser (``supply.allocation``) proposes orders."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_countries.fields import CountryField

from cnan.catalogue.models import HOME_COUNTRY, Product, ProductClass
from cnan.common.models import TimestampedModel
from cnan.core.classification import ClassifiedModel
from cnan.core.querysets import RestrictedQuerySet
from cnan.organizations.models import Organization, ProductGroup


class ForceType(models.TextChoices):
    """The force a demand line equips; the seeds rank the first three first."""

    SECURITY_INTELLIGENCE = "security_intelligence", _("Security and intelligence forces")
    SPECIAL_FORCES = "special_forces", _("Special forces")
    RAPID_RESPONSE = "rapid_response", _("Rapid-response units")
    INVESTIGATION = "investigation", _("Investigation forces")
    PUBLIC_ORDER = "public_order", _("Public-order and traffic police")
    FIRE_RESCUE = "fire_rescue", _("Fire-fighting and rescue")
    OTHER = "other", _("Other units")


# priority tier of each force type (1 first): the optimiser's weights (``allocation.TIER_WEIGHTS``)
FORCE_TIERS: dict[str, int] = {
    ForceType.SECURITY_INTELLIGENCE: 1,
    ForceType.SPECIAL_FORCES: 1,
    ForceType.RAPID_RESPONSE: 1,
    ForceType.INVESTIGATION: 2,
    ForceType.FIRE_RESCUE: 2,
    ForceType.PUBLIC_ORDER: 3,
    ForceType.OTHER: 4,
}


class DemandPlan(ClassifiedModel, TimestampedModel):
    """An operational unit's equipment needs for a year: drafted and submitted by the unit, returned or
    consolidated by the Department."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        CONSOLIDATED = "consolidated", _("Consolidated")

    unit = models.ForeignKey(
        Organization, verbose_name=_("operational unit"), on_delete=models.PROTECT, related_name="demand_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT, editable=False)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "unit__path"

    class Meta:
        verbose_name = _("demand plan")
        verbose_name_plural = _("demand plans")
        permissions = [("consolidate_demandplan", _("Return or consolidate the units' demand plans"))]
        ordering = ["-year", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="sup_plan_one_per_unit_year")]

    def get_absolute_url(self) -> str:
        return reverse("supply:plan_detail", kwargs={"pk": self.pk})

    def __str__(self) -> str:
        return f"{self.unit.code} · {self.year}"


class PlanEvent(models.Model):
    """A transition of a demand plan (submitted, returned, consolidated), by whom, when, why."""

    plan = models.ForeignKey(DemandPlan, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    time = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    decision_number = models.CharField(max_length=100, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "plan__unit__path"

    class Meta:
        verbose_name = _("demand plan event")
        verbose_name_plural = _("demand plan events")
        ordering = ["plan", "time", "id"]

    def __str__(self) -> str:
        return f"{self.transition} · {self.time:%d/%m/%Y %H:%M}"


class DemandLine(ClassifiedModel, TimestampedModel):
    """One need of a plan: a catalogue product, or a product class (and group) with the specification
    required; quantity, needed-by date, the force it equips (its priority tier)."""

    plan = models.ForeignKey(DemandPlan, verbose_name=_("demand plan"), on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveSmallIntegerField(_("no."))
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product_class = models.CharField(_("product class"), max_length=32, choices=ProductClass.choices)
    product_group = models.ForeignKey(
        ProductGroup, verbose_name=_("product group"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    specification = models.TextField(_("required specification"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_value = models.DecimalField(
        _("reference unit value (VND)"),
        max_digits=18,
        decimal_places=0,
        validators=[MinValueValidator(0)],
        help_text=_("What one unit costs bought in: the basis of the domestic share by value."),
    )
    needed_by = models.DateField(_("needed by"))
    force_type = models.CharField(_("force equipped"), max_length=24, choices=ForceType.choices)
    tier = models.PositiveSmallIntegerField(_("priority tier"), editable=False, default=4)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "plan__unit__path"

    class Meta:
        verbose_name = _("demand line")
        verbose_name_plural = _("demand lines")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="sup_line_number_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="sup_line_quantity_positive"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("supply:plan_detail", kwargs={"pk": self.plan_id}) + f"#line-{self.pk}"

    def __str__(self) -> str:
        return f"{self.plan} · {self.number}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        product = self.product if self.product_id else None
        if product is not None and product.product_class != self.product_class:
            errors["product_class"] = [_("The product is of another class.")]
        if self.plan_id and self.needed_by and self.needed_by.year > self.plan.year + 1:
            errors["needed_by"] = [_("A need of the plan's year is needed by the end of the following year at last.")]
        if errors:
            raise ValidationError(errors)


class Capacity(TimestampedModel):
    """What an enterprise can make of a product group in a year (units)."""

    enterprise = models.ForeignKey(
        Organization, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="capacities"
    )
    product_group = models.ForeignKey(
        ProductGroup, verbose_name=_("product group"), on_delete=models.PROTECT, related_name="capacities"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    units = models.PositiveIntegerField(_("units a year"))

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "enterprise__path"

    class Meta:
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        ordering = ["year", "enterprise__code", "product_group__code"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "product_group", "year"], name="sup_capacity_unique")
        ]

    def get_absolute_url(self) -> str:
        return reverse("supply:capacity_list")

    def __str__(self) -> str:
        return f"{self.enterprise.code} · {self.product_group} · {self.year}"


class ImportPurchase(ClassifiedModel, TimestampedModel):
    """Equipment the force bought from abroad: the baseline the domestic share is measured against."""

    unit = models.ForeignKey(
        Organization, verbose_name=_("purchasing unit"), on_delete=models.PROTECT, related_name="import_purchases"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product_class = models.CharField(_("product class"), max_length=32, choices=ProductClass.choices)
    description = models.CharField(_("description"), max_length=500)
    country = CountryField(_("country of origin"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    value = models.DecimalField(_("value (VND)"), max_digits=18, decimal_places=0, validators=[MinValueValidator(0)])

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "unit__path"
    search_fields = ("description",)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("imported purchase")
        verbose_name_plural = _("imported purchases")
        ordering = ["-year", "unit__code"]

    def get_absolute_url(self) -> str:
        return reverse("supply:import_detail", kwargs={"pk": self.pk})

    def __str__(self) -> str:
        return f"{self.description} ({self.year})"

    def clean(self) -> None:
        super().clean()
        if self.country and str(self.country) == HOME_COUNTRY:
            raise ValidationError({"country": _("An imported purchase comes from another country.")})
        product = self.product if self.product_id else None
        if product is not None and product.product_class != self.product_class:
            raise ValidationError({"product_class": _("The product is of another class.")})


class OrderMode(models.TextChoices):
    """How the State places the order (DOMAIN.md §1.2)."""

    ORDERING = "ordering", _("Ordering (đặt hàng)")
    TASK = "task", _("Task assignment (giao nhiệm vụ)")
    PLAN = "plan", _("Plan assignment (giao kế hoạch)")
    BIDDING = "bidding", _("Bidding (đấu thầu)")


class PriceBasis(models.TextChoices):
    FIXED = "fixed", _("Fixed price")
    ESTIMATE = "estimate", _("Approved cost estimate")
    COST_PLUS = "cost_plus", _("Cost plus approved margin")
    BID = "bid", _("Winning bid")


class Funding(models.TextChoices):
    STATE = "state", _("State budget")
    MINISTRY = "ministry", _("Ministry of Public Security budget")
    UNIT = "unit", _("Unit's own funds")
    OTHER = "other", _("Other lawful sources")


class ProductionOrder(ClassifiedModel, TimestampedModel):
    """An order for an enterprise to make a product for a customer unit. Seen by both sides."""

    class Status(models.TextChoices):
        PLACED = "placed", _("Placed")
        IN_PRODUCTION = "in_production", _("In production")
        DELIVERED = "delivered", _("Fully delivered")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(
        _("number"), max_length=64, unique=True, error_messages={"unique": _("Another order has this number.")}
    )
    mode = models.CharField(_("mode"), max_length=16, choices=OrderMode.choices)
    customer = models.ForeignKey(
        Organization, verbose_name=_("customer unit"), on_delete=models.PROTECT, related_name="orders_placed"
    )
    enterprise = models.ForeignKey(
        Organization, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="orders_received"
    )
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="orders")
    demand_line = models.ForeignKey(
        DemandLine,
        verbose_name=_("demand line"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("unit price (VND)"), max_digits=18, decimal_places=0, validators=[MinValueValidator(0)]
    )
    price_basis = models.CharField(_("price basis"), max_length=16, choices=PriceBasis.choices)
    funding = models.CharField(_("funding source"), max_length=16, choices=Funding.choices)
    ordered_on = models.DateField(_("ordered on"))
    due_on = models.DateField(_("delivery due"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLACED, editable=False, db_index=True
    )
    allocation_run = models.ForeignKey(
        "AllocationRun",
        verbose_name=_("allocation run"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="orders",
        help_text=_("The optimiser's proposal this order was placed from, if any."),
    )
    over_capacity_reason = models.TextField(
        _("reason to order beyond capacity"),
        blank=True,
        help_text=_("Needed when the order takes the enterprise beyond its capacity for the product group."),
    )

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("customer__path", "enterprise__path")
    search_fields = ("number", "over_capacity_reason")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("production order")
        verbose_name_plural = _("production orders")
        ordering = ["-ordered_on", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="sup_order_quantity_positive"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("ordered_on")), name="sup_order_dates_in_order"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("supply:order_detail", kwargs={"pk": self.pk})

    def __str__(self) -> str:
        return f"{self.number} — {self.product.code}"

    @property
    def value(self) -> Decimal:
        return self.unit_price * self.quantity

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.ordered_on and self.due_on and self.due_on < self.ordered_on:
            errors["due_on"] = [_("Delivery cannot be due before the order is placed.")]
        if self.product_id and self.product.is_imported:
            errors["product"] = [_("A production order is for a product made in Việt Nam.")]
        if self.enterprise_id and self.enterprise.kind != Organization.Kind.ENTERPRISE:
            errors["enterprise"] = [_("Orders go to a security-industry enterprise.")]
        if self.mode == OrderMode.BIDDING and self.price_basis != PriceBasis.BID:
            errors["price_basis"] = [_("An order won by bidding is priced at the winning bid.")]
        if errors:
            raise ValidationError(errors)


class Delivery(TimestampedModel):
    """Units of an order handed over; counted in the domestic share once the customer accepts them."""

    order = models.ForeignKey(
        ProductionOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="deliveries"
    )
    delivered_on = models.DateField(_("delivered on"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)
    acceptance_number = models.CharField(
        _("acceptance record (nghiệm thu)"), max_length=100, blank=True, editable=False
    )
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("order__customer__path", "order__enterprise__path")

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        permissions = [("accept_delivery", _("Accept deliveries for the customer unit (nghiệm thu)"))]
        ordering = ["order", "delivered_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="sup_delivery_quantity_positive")]

    def get_absolute_url(self) -> str:
        return reverse("supply:order_detail", kwargs={"pk": self.order_id}) + f"#delivery-{self.pk}"

    def __str__(self) -> str:
        return f"{self.order.number} · {self.delivered_on:%d/%m/%Y} · {self.quantity}"


class Feedback(TimestampedModel):
    """The using unit's word on the quality of a delivery."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="feedback"
    )
    given_on = models.DateField(_("given on"), default=timezone.localdate)
    rating = models.PositiveSmallIntegerField(
        _("rating (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("delivery__order__customer__path", "delivery__order__enterprise__path")

    class Meta:
        verbose_name = _("quality feedback")
        verbose_name_plural = _("quality feedback")
        ordering = ["delivery", "given_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="sup_feedback_rating_range")
        ]

    def get_absolute_url(self) -> str:
        return reverse("supply:order_detail", kwargs={"pk": self.delivery.order_id}) + f"#delivery-{self.delivery_id}"

    def __str__(self) -> str:
        return f"{self.delivery} · {self.rating}/5"

    def clean(self) -> None:
        super().clean()
        if self.rating is not None and self.rating <= 2 and not self.comment.strip():
            raise ValidationError({"comment": _("Say what was wrong: a low rating needs a comment.")})


class AllocationRun(TimestampedModel):
    """One run of the optimiser over a year's consolidated demand: its inputs, the proposal beside the
    greedy baseline, each line's explanation; an officer adjusts it and turns it into orders."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Turned into orders")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    budget = models.DecimalField(
        _("budget (VND)"), max_digits=20, decimal_places=0, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED, editable=False)
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    optimal = models.BooleanField(_("proven optimal"), default=False, editable=False)
    seconds = models.FloatField(_("solve time (s)"), default=0, editable=False)
    share = models.FloatField(_("domestic share by value"), null=True, blank=True, editable=False)
    weighted_share = models.FloatField(_("weighted domestic share"), null=True, blank=True, editable=False)
    greedy_share = models.FloatField(_("greedy domestic share by value"), null=True, blank=True, editable=False)
    greedy_weighted_share = models.FloatField(_("greedy weighted share"), null=True, blank=True, editable=False)
    spend = models.DecimalField(
        _("spend (VND)"), max_digits=20, decimal_places=0, null=True, blank=True, editable=False
    )
    # [{line, product, enterprise, units, unit_price, greedy_units}] and [{line, code, …}]
    proposal = models.JSONField(_("proposal"), default=list, editable=False)
    reasons = models.JSONField(_("explanations"), default=list, editable=False)
    skipped = models.JSONField(_("lines left out"), default=list, editable=False)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = None  # the Department's: seen by who holds ``supply.view_allocationrun`` everywhere

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-created_at"]

    def get_absolute_url(self) -> str:
        return reverse("supply:run_detail", kwargs={"pk": self.pk})

    def __str__(self) -> str:
        return f"{self.year} · {self.created_at:%d/%m/%Y %H:%M}"
