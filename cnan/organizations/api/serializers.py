from __future__ import annotations

from django.utils.translation import gettext as _

from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from .. import selectors, services
from ..models import (
    ComplexMembership,
    Enterprise,
    Facility,
    IndustrialPark,
    Organization,
    ParkPhase,
    ProductGroup,
    RestructuringEvent,
)

CLASSIFICATION = list(services.CLASSIFICATION_FIELDS)


class ScopedOrganizationField(serializers.PrimaryKeyRelatedField):
    """An organisation reference limited to those where the user holds ``perm`` (writes) or may see."""

    def __init__(self, *, perm: str | None = None, **kwargs):
        self.perm = perm
        super().__init__(**kwargs)

    def get_queryset(self):
        user = self.context["user"]
        if self.perm:
            choices = selectors.organization_choices(user=user, perm=self.perm)
        else:
            choices = Organization.objects.visible_to(user, "view")
        # On an update, the record's current value stays acceptable (a PUT of what the API shows).
        instance = getattr(self.parent, "instance", None)
        current = getattr(instance, f"{self.source}_id", None) if instance is not None and self.source else None
        if current:
            choices = (choices | Organization.objects.filter(pk=current)).distinct()
        return choices


class ProductGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductGroup
        fields = ["id", "code", "name", "name_en", "is_focus_group"]


class OrganizationSerializer(serializers.ModelSerializer):
    country = CountryField()
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "name_en",
            "kind",
            "parent",
            "parent_code",
            "depth",
            "province",
            "address",
            "country",
            "phone",
            "email",
            "website",
            "valid_from",
            "valid_to",
            "description",
            *CLASSIFICATION,
            "legal_form",
            "tax_code",
            "charter_capital",
            "state_ownership",
            "parent_corporation",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class OrganizationWriteSerializer(serializers.ModelSerializer):
    country = CountryField(required=False)
    parent = ScopedOrganizationField(perm="organizations.add_organization", allow_null=True, required=False)

    class Meta:
        model = Organization
        fields = ["parent", *services.ORGANIZATION_FIELDS]

    def validate_kind(self, value):
        if value == Organization.Kind.ENTERPRISE:
            raise serializers.ValidationError(
                _("Create enterprises through /api/v1/enterprises/ with their legal details.")
            )
        return value


class EnterpriseSerializer(OrganizationSerializer):
    product_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta(OrganizationSerializer.Meta):
        model = Enterprise
        fields = [*OrganizationSerializer.Meta.fields, "product_groups"]
        read_only_fields = fields


class EnterpriseWriteSerializer(serializers.ModelSerializer):
    country = CountryField(required=False)
    parent = ScopedOrganizationField(perm="organizations.add_enterprise", allow_null=True, required=False)
    parent_corporation = ScopedOrganizationField(allow_null=True, required=False)
    product_groups = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=ProductGroup.objects.all(), required=False
    )

    class Meta:
        model = Enterprise
        fields = ["parent", *services.ENTERPRISE_FIELDS]


class FacilitySerializer(serializers.ModelSerializer):
    organization_code = serializers.CharField(source="organization.code", read_only=True)
    product_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "organization",
            "organization_code",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "province",
            "address",
            "park",
            "capabilities",
            "capacity",
            "product_groups",
            "recognised_on",
            "withdrawn_on",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FacilityWriteSerializer(serializers.ModelSerializer):
    organization = ScopedOrganizationField(perm="organizations.add_facility")
    product_groups = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=ProductGroup.objects.all(), required=False
    )

    class Meta:
        model = Facility
        fields = list(services.FACILITY_FIELDS)

    def get_fields(self):
        fields = super().get_fields()
        parks = IndustrialPark.objects.visible_to(self.context["user"], "view")
        current = getattr(self.instance, "park_id", None)
        if current:  # the facility's current park stays acceptable, even if it is another unit's
            parks = (parks | IndustrialPark.objects.filter(pk=current)).distinct()
        fields["park"].queryset = parks
        return fields


class ParkPhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParkPhase
        fields = ["id", "name", "area_ha", "status", "started_on", "completed_on", "description"]


class IndustrialParkSerializer(serializers.ModelSerializer):
    phases = ParkPhaseSerializer(many=True, read_only=True)

    class Meta:
        model = IndustrialPark
        fields = [
            "id",
            "code",
            "name",
            "organization",
            "province",
            "address",
            "area_ha",
            "approval_decision",
            "approved_on",
            "status",
            "description",
            *CLASSIFICATION,
            "phases",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class IndustrialParkWriteSerializer(serializers.ModelSerializer):
    organization = ScopedOrganizationField(perm="organizations.add_industrialpark")

    class Meta:
        model = IndustrialPark
        fields = list(services.PARK_FIELDS)


class ComplexMembershipSerializer(serializers.ModelSerializer):
    organization_code = serializers.CharField(source="organization.code", read_only=True)

    class Meta:
        model = ComplexMembership
        fields = [
            "id",
            "organization",
            "organization_code",
            "role",
            "admitted_on",
            "left_on",
            "decision_number",
            "decision_date",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ComplexMembershipWriteSerializer(serializers.ModelSerializer):
    organization = ScopedOrganizationField(perm="organizations.add_complexmembership")

    class Meta:
        model = ComplexMembership
        fields = list(services.COMPLEX_FIELDS)
        validators: list = []  # uniqueness is the service's (and the database's) business


class RestructuringEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = RestructuringEvent
        fields = [
            "id",
            "kind",
            "organization",
            "title",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "effective_on",
            "product_group",
            "sources",
            "results",
            "description",
            *CLASSIFICATION,
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RestructuringEventWriteSerializer(serializers.ModelSerializer):
    organization = ScopedOrganizationField(perm="organizations.add_restructuringevent")
    sources = ScopedOrganizationField(many=True, required=False)
    results = ScopedOrganizationField(many=True, required=False)

    class Meta:
        model = RestructuringEvent
        fields = list(services.RESTRUCTURING_FIELDS)
