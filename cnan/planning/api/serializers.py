"""Serializers of the planning API. The derived state (a plan's status and decision, a period's dates and
state, a report's version and state) is read-only and moves only through the services; every reference
accepts only what the user may see, and an owner (a plan's owner, a report's enterprise) only an organisation
where the user holds the permission."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cnan.organizations import selectors as org_selectors
from cnan.organizations.models import Organization

from .. import services
from ..models import (
    Indicator,
    PeriodKind,
    Plan,
    PlanEvent,
    Report,
    ReportEvent,
    ReportingPeriod,
    ReportValue,
    Scenario,
    Target,
)

CLASSIFICATION = list(services.CLASSIFICATION_FIELDS)
FIGURE: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}


@extend_schema_field(OpenApiTypes.INT)
class OwnerField(serializers.PrimaryKeyRelatedField):
    """An organisation where the user holds ``perm`` (a record's current one, ``attr``, stays acceptable)."""

    def __init__(self, *, perm: str, attr: str, **kwargs: Any) -> None:
        self.perm, self.attr = perm, attr
        super().__init__(**kwargs)

    def get_queryset(self):
        instance = getattr(self.parent, "instance", None)
        choices = org_selectors.organization_choices(user=self.context["user"], perm=self.perm)
        current = getattr(instance, self.attr, None) if instance is not None else None
        if current:
            choices = (choices | Organization.objects.filter(pk=current)).distinct()
        return choices


@extend_schema_field(OpenApiTypes.INT)
class VisibleField(serializers.PrimaryKeyRelatedField):
    """A record the user may see (an invisible one answers "does not exist", as for a wrong id)."""

    def __init__(self, *, model: type, **kwargs: Any) -> None:
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["user"], "view")


def _code(source: str) -> serializers.CharField:
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


class _Stays:
    """References that cannot move once the record exists (a plan's kind and owner)."""

    fixed: tuple[str, ...] = ()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = getattr(self, "instance", None)
        if instance is not None:
            errors = {
                name: [_("This cannot be changed once the record exists.")]
                for name in self.fixed
                if name in attrs and attrs[name] != getattr(instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().validate(attrs)  # type: ignore[misc]


# --- indicators ------------------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator (chỉ tiêu): its unit, direction and how values add up (a weighted average names its
    weight, a ratio its numerator and denominator)."""

    weight = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all(), required=False, allow_null=True)
    numerator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all(), required=False, allow_null=True)
    denominator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Indicator
        fields = ["id", *services.INDICATOR_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list = []  # the code's uniqueness: checked when saved, with the model's message
        extra_kwargs = {"code": {"validators": []}}


# --- plans and targets -------------------------------------------------------------------------------------


class PlanSerializer(_Stays, serializers.ModelSerializer):
    """A planning instrument; its status moves through ``plans/{id}/transitions/{action}/``."""

    fixed = ("kind", "owner")
    owner = OwnerField(perm="planning.add_plan", attr="owner_id")
    owner_code = _code("owner.code")
    parent = VisibleField(model=Plan, required=False, allow_null=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "kind",
            "code",
            "name",
            "parent",
            "owner",
            "owner_code",
            "start_year",
            "end_year",
            "vision_year",
            "status",
            "decision_number",
            "decided_on",
            "note",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "decision_number", "decided_on", "created_at", "updated_at"]
        validators: list = []
        extra_kwargs = {"code": {"validators": []}}


class PlanningEventSerializer(serializers.ModelSerializer):
    actor_name = _code("actor.full_name")

    class Meta:
        model = PlanEvent
        fields = [
            "id",
            "transition",
            "from_state",
            "to_state",
            "actor",
            "actor_name",
            "time",
            "comment",
            "decision_number",
        ]
        read_only_fields = fields


class PlanningReportEventSerializer(PlanningEventSerializer):
    class Meta(PlanningEventSerializer.Meta):
        model = ReportEvent


class PlanningPlanTransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required to approve or adjust."
    )
    decided_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Idem.")


class TargetSerializer(serializers.ModelSerializer):
    """What a plan expects of a unit for an indicator in a period. Setting a target that exists (same plan,
    unit, indicator and period) changes its value."""

    plan = VisibleField(model=Plan)
    plan_code = _code("plan.code")
    unit = VisibleField(model=Organization)
    unit_code = _code("unit.code")
    indicator = VisibleField(model=Indicator)
    indicator_code = _code("indicator.code")
    value = serializers.DecimalField(**FIGURE)

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "plan_code",
            "unit",
            "unit_code",
            "indicator",
            "indicator_code",
            "year",
            "period_kind",
            "period_number",
            "value",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list = []


# --- periods and reports ---------------------------------------------------------------------------------


class PeriodSerializer(serializers.ModelSerializer):
    """A reporting period; its dates follow the Decree 09/2019 cut-offs (the 14th of its last month)."""

    class Meta:
        model = ReportingPeriod
        fields = ["id", "kind", "year", "number", "starts_on", "ends_on", "due_on", "state", "created_at"]
        read_only_fields = ["id", "starts_on", "ends_on", "state", "created_at"]
        validators: list = []  # one period per kind, year and number: checked by the service


class PlanningReportSerializer(serializers.ModelSerializer):
    """An enterprise's periodic report (version n; a correction is version n+1)."""

    enterprise = OwnerField(perm="planning.add_report", attr="enterprise_id")
    enterprise_code = _code("enterprise.code")
    period = VisibleField(model=ReportingPeriod)
    period_label = serializers.CharField(source="period.__str__", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "enterprise",
            "enterprise_code",
            "period",
            "period_label",
            "version",
            "state",
            "previous",
            "correction_reason",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "state", "previous", "correction_reason", "created_at", "updated_at"]
        validators: list = []


class ReportValueSerializer(serializers.ModelSerializer):
    indicator_code = _code("indicator.code")

    class Meta:
        model = ReportValue
        fields = ["id", "indicator", "indicator_code", "scenario", "value", "source", "source_document", "note"]
        read_only_fields = fields


class ValueRowSerializer(serializers.Serializer):
    """One figure to set; ``value`` null removes it."""

    indicator = serializers.IntegerField()
    scenario = serializers.ChoiceField(choices=Scenario.choices)
    value = serializers.CharField(allow_null=True, allow_blank=True, help_text="A number; null removes it.")
    source_document = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PlanningReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the accepted report is corrected.")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required to return.")


# --- figures --------------------------------------------------------------------------------------------------


class AchievementQuerySerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.ChoiceField(choices=PeriodKind.choices, default=PeriodKind.YEAR)
    number = serializers.IntegerField(min_value=1, max_value=12, default=1)


class AchievementRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(allow_null=True)
    unit_code = serializers.CharField(allow_null=True)
    plan = serializers.DecimalField(**FIGURE, allow_null=True, help_text="KH")
    actual = serializers.DecimalField(**FIGURE, allow_null=True, help_text="TH, the value of record")
    scenario = serializers.CharField(allow_null=True)
    achievement_pct = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    last_year = serializers.DecimalField(**FIGURE, allow_null=True)
    vs_last_year_pct = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    verdict = serializers.CharField(allow_null=True, help_text="exceeded, met or not_met")


class AchievementSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    indicator_code = serializers.CharField()
    year = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.IntegerField()
    rows = AchievementRowSerializer(many=True)
    total = AchievementRowSerializer()
    industry_target = serializers.DecimalField(**FIGURE, allow_null=True)


class SOEQuerySerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class SOEClassificationSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    enterprise_code = serializers.CharField()
    year = serializers.IntegerField()
    grade = serializers.CharField(help_text="A, B or C")
    met_count = serializers.IntegerField()
    rows = AchievementRowSerializer(many=True, help_text="One per evaluation indicator (unit is the enterprise).")
    indicators = serializers.ListField(child=serializers.CharField(), help_text="The rows' indicator codes.")
