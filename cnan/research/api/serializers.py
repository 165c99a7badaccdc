"""Serializers of the research API. One serializer per record serves reads and writes: the derived state
(a task's stage, schedule and outcome, a milestone's progress, a filing's status) is read-only and moves
only through the services; every reference accepts only what the user may see, and an owner only an
organisation where the user holds the permission."""

from __future__ import annotations

from typing import Any

from django.core.validators import FileExtensionValidator
from django.urls import reverse
from django.utils.translation import gettext as _

from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from cnan.catalogue.models import Product
from cnan.organizations import selectors as org_selectors
from cnan.organizations.models import Organization, ProductGroup

from .. import services
from ..models import (
    MINUTES_EXTENSIONS,
    BudgetLine,
    BudgetSource,
    Cooperation,
    FilingStatus,
    GateEvent,
    Grade,
    IPFiling,
    Milestone,
    MilestoneReport,
    Output,
    ResearchGroup,
    ResearchTask,
    TechTransfer,
    validate_minutes_size,
)

CLASSIFICATION = list(services.CLASSIFICATION_FIELDS)
MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 0}  # VND, whole đồng


@extend_schema_field({"type": "string", "minLength": 2, "maxLength": 2, "example": "VN"})
class CountryCodeField(CountryField):
    """A country as its ISO 3166-1 alpha-2 code."""


@extend_schema_field(OpenApiTypes.INT)
class OwnerField(serializers.PrimaryKeyRelatedField):
    """An organisation where the user holds ``perm`` (``update_perm`` when changing a record, whose current
    owner, ``attr``, stays acceptable)."""

    def __init__(self, *, perm: str, update_perm: str, attr: str = "organization_id", **kwargs: Any) -> None:
        self.perm, self.update_perm, self.attr = perm, update_perm, attr
        super().__init__(**kwargs)

    def get_queryset(self):
        instance = getattr(self.parent, "instance", None)
        perm = self.perm if instance is None else self.update_perm
        choices = org_selectors.organization_choices(user=self.context["user"], perm=perm)
        current = getattr(instance, self.attr, None) if instance is not None else None
        if current:
            choices = (choices | Organization.objects.filter(pk=current)).distinct()
        return choices


class VisibleManyRelatedField(serializers.ManyRelatedField):
    """Shows only the related records the user may see: those the view prefetched as ``visible_<source>``,
    else read through the visibility rule."""

    def get_attribute(self, instance: Any) -> Any:
        if getattr(instance, "pk", None) is None:
            return []
        name = str(self.source or self.field_name)
        rows = getattr(instance, f"visible_{name}", None)
        if rows is None:
            rows = getattr(instance, name).visible_to(self.context["user"], "view")
        return rows


@extend_schema_field(OpenApiTypes.INT)
class VisibleField(serializers.PrimaryKeyRelatedField):
    """A record the user may see (an invisible one answers "does not exist", as for a wrong id)."""

    def __init__(self, *, model: type, **kwargs: Any) -> None:
        self.model = model
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> VisibleManyRelatedField:
        list_kwargs = {k: v for k, v in kwargs.items() if k in MANY_RELATION_KWARGS}
        return VisibleManyRelatedField(child_relation=cls(*args, **kwargs), **list_kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["user"], "view")


def _code(source: str) -> serializers.CharField:
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


# --- tasks and their budget --------------------------------------------------------------------------


class BudgetLineSerializer(serializers.ModelSerializer):
    """The part of a task's budget from one source in one year: planned and disbursed (VND)."""

    class Meta:
        model = BudgetLine
        fields = ["id", "source", "year", "planned", "disbursed"]
        read_only_fields = ["id"]
        extra_kwargs = {"disbursed": {"required": False}}
        validators: list = []  # one line per source and year: checked by the service, with its message


class ResearchTaskSerializer(serializers.ModelSerializer):
    """An S&T task with the state the gates keep (stage, current end, outcome, grade) and the schedule the
    services derive (on time / late). ``budget`` (write-only) gives its lines by source and year: their
    planned amounts add up to the total; they are read at ``tasks/{id}/budget/``."""

    host = OwnerField(perm="research.add_researchtask", update_perm="research.change_researchtask", attr="host_id")
    host_code = _code("host.code")
    programme = VisibleField(model=ResearchTask, required=False, allow_null=True)
    programme_code = _code("programme.code")
    end = serializers.DateField(read_only=True, help_text="The current end: as adjusted, else as contracted.")
    budget = BudgetLineSerializer(
        many=True,
        required=False,
        write_only=True,
        help_text="The budget by source and year (replaces the lines; only before the task is approved).",
    )

    class Meta:
        model = ResearchTask
        fields = [
            "id",
            "code",
            "title",
            "level",
            "kind",
            "formation",
            "selection",
            "host",
            "host_code",
            "principal_investigator",
            "team",
            "programme",
            "programme_code",
            "key_programme",
            "summary",
            "start_on",
            "end_on",
            "current_end_on",
            "end",
            "budget_total",
            "lump_sum",
            "stage",
            "schedule",
            "outcome",
            "grade",
            "budget",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "current_end_on", "stage", "schedule", "outcome", "grade", "created_at", "updated_at"]


class ResearchBudgetSerializer(serializers.Serializer):
    lines = BudgetLineSerializer(many=True, read_only=True)
    planned = serializers.DecimalField(**MONEY, read_only=True)
    disbursed = serializers.DecimalField(**MONEY, read_only=True)


class DisbursementSerializer(serializers.Serializer):
    """What has been disbursed so far from one source in one year (no more than planned)."""

    source = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.source
        help_text="A budget source: " + ", ".join(BudgetSource.values) + "."
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    disbursed = serializers.DecimalField(**MONEY, min_value=0)

    def validate_source(self, value: str) -> str:
        if value not in BudgetSource.values:
            raise serializers.ValidationError(_("“%(value)s” is not a budget source.") % {"value": value[:50]})
        return value


# --- gates ---------------------------------------------------------------------------------------------


class GateEventSerializer(serializers.ModelSerializer):
    """A gate the task passed: the decision (number, date), the council, the minutes (downloaded through
    the visibility rule), who passed it and when."""

    label = serializers.SerializerMethodField()  # type: ignore[assignment]  # a field, not Field.label
    actor_name = _code("actor.full_name")
    minutes = serializers.SerializerMethodField(help_text="Where the minutes are downloaded, if there are any.")

    class Meta:
        model = GateEvent
        fields = [
            "id",
            "task",
            "transition",
            "label",
            "from_state",
            "to_state",
            "actor",
            "actor_name",
            "time",
            "comment",
            "decision_number",
            "decided_on",
            "council",
            "minutes",
        ]
        read_only_fields = fields

    def get_label(self, obj: GateEvent) -> str:
        if obj.transition == "propose":
            return _("Proposed")
        try:
            return str(services.TASK_WORKFLOW.get(obj.transition).label)
        except Exception:  # noqa: BLE001 - an event of a gate that no longer exists keeps its name
            return obj.transition

    def get_minutes(self, obj: GateEvent) -> str | None:
        return reverse("research-gate-minutes", kwargs={"pk": obj.pk}) if obj.minutes else None


class GatePassSerializer(serializers.Serializer):
    """What a gate records. Each gate asks for its part: a decision number and date (every gate of the
    managing body), the council and its minutes (review, base and official acceptance), a comment (a
    refusal, a pause, a failure), a grade (a passed official acceptance of a national or ministry task),
    a new end (an adjustment)."""

    decision_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    council = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The council's members, one per line."
    )
    minutes = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        validators=[FileExtensionValidator(MINUTES_EXTENSIONS), validate_minutes_size],
        help_text="The council's minutes (PDF, Word, images, ZIP; 20 MB at most).",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True, default="")
    new_end_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="An adjustment's new end."
    )


# --- roadmap -------------------------------------------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer):
    """A step of the roadmap; its progress and completion come from the reports."""

    task_code = _code("task.code")
    late = serializers.SerializerMethodField(help_text="Done after its due date, or not done and past it.")

    class Meta:
        model = Milestone
        fields = [
            "id",
            "task",
            "task_code",
            "number",
            "content",
            "expected_output",
            "due_on",
            "progress",
            "done_on",
            "late",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "task", "progress", "done_on", "created_at", "updated_at"]
        extra_kwargs = {"number": {"required": False, "help_text": "Empty: the next number."}}
        validators: list = []  # a number once per task: checked by the service, with its message

    def get_late(self, obj: Milestone) -> bool:
        return obj.is_late()


class MilestoneReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = MilestoneReport
        fields = ["id", "milestone", "reported_on", "percent", "narrative", "output_delivered", "actor", "created_at"]
        read_only_fields = ["id", "milestone", "actor", "created_at"]


# --- outputs, filings, transfers, cooperation, groups -----------------------------------------------------


class OutputSerializer(serializers.ModelSerializer):
    """A result of a task (linked to the catalogue product it became)."""

    task = VisibleField(model=ResearchTask)
    task_code = _code("task.code")
    product = VisibleField(model=Product, required=False, allow_null=True)
    product_code = _code("product.code")

    class Meta:
        model = Output
        fields = [
            "id",
            "task",
            "task_code",
            "kind",
            "title",
            "description",
            "product",
            "product_code",
            "in_production",
            "delivered_on",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_task(self, value: ResearchTask) -> ResearchTask:
        if self.instance is not None and value.pk != self.instance.task_id:
            raise serializers.ValidationError(_("An output stays with its task."))
        return value


class IPFilingSerializer(serializers.ModelSerializer):
    """An IP application and its status; a foreign filing of a security invention needs its control in
    Việt Nam recorded first."""

    owner = OwnerField(perm="research.add_ipfiling", update_perm="research.change_ipfiling", attr="owner_id")
    owner_code = _code("owner.code")
    task = VisibleField(model=ResearchTask, required=False, allow_null=True)
    output = VisibleField(model=Output, required=False, allow_null=True)
    country = CountryCodeField(required=False)
    foreign = serializers.BooleanField(read_only=True)
    control_recorded = serializers.BooleanField(read_only=True)

    class Meta:
        model = IPFiling
        fields = [
            "id",
            "owner",
            "owner_code",
            "task",
            "output",
            "kind",
            "title",
            "inventors",
            "country",
            "foreign",
            "application_number",
            "filed_on",
            "status",
            "status_on",
            "grant_number",
            "security_control_required",
            "security_control_decision",
            "security_control_on",
            "control_recorded",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "status_on", "grant_number", "created_at", "updated_at"]


class FilingAdvanceSerializer(serializers.Serializer):
    """The filing's next status and its date (a grant with its certificate number)."""

    status = serializers.ChoiceField(choices=[c for c in FilingStatus.choices if c[0] != FilingStatus.FILED])
    on = serializers.DateField()
    grant_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)


class TechTransferSerializer(serializers.ModelSerializer):
    """A technology transfer; one with a foreign partner or out of the industry is completed only once
    approved."""

    organization = OwnerField(perm="research.add_techtransfer", update_perm="research.change_techtransfer")
    organization_code = _code("organization.code")
    partner_country = CountryCodeField(required=False)
    task = VisibleField(model=ResearchTask, required=False, allow_null=True)
    product = VisibleField(model=Product, required=False, allow_null=True)
    approval_required = serializers.BooleanField(read_only=True)
    approval_recorded = serializers.BooleanField(read_only=True)

    class Meta:
        model = TechTransfer
        fields = [
            "id",
            "organization",
            "organization_code",
            "direction",
            "partner",
            "partner_country",
            "technology",
            "task",
            "product",
            "value",
            "contract_number",
            "signed_on",
            "approval_decision",
            "approved_on",
            "approval_required",
            "approval_recorded",
            "status",
            "completed_on",
            "notes",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class CooperationSerializer(serializers.ModelSerializer):
    """A cooperation agreement; an international one comes into force only once approved."""

    organization = OwnerField(perm="research.add_cooperation", update_perm="research.change_cooperation")
    organization_code = _code("organization.code")
    country = CountryCodeField(required=False)
    international = serializers.BooleanField(read_only=True)

    class Meta:
        model = Cooperation
        fields = [
            "id",
            "organization",
            "organization_code",
            "form",
            "partner",
            "country",
            "international",
            "field",
            "start_on",
            "end_on",
            "activities",
            "approval_decision",
            "approved_on",
            "status",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ResearchGroupSerializer(serializers.ModelSerializer):
    """A research group of a school, academy or institute, with the product groups it targets and its
    S&T tasks (those the reader may see)."""

    organization = OwnerField(perm="research.add_researchgroup", update_perm="research.change_researchgroup")
    organization_code = _code("organization.code")
    product_groups = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=ProductGroup.objects.all())
    tasks = VisibleField(model=ResearchTask, many=True, required=False)

    class Meta:
        model = ResearchGroup
        fields = [
            "id",
            "organization",
            "organization_code",
            "name",
            "lead",
            "members",
            "field",
            "product_groups",
            "tasks",
            "formed_on",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list = []  # a name once per organisation: the model's constraint, through the service
