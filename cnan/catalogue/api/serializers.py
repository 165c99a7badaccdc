"""Serializers of the catalogue API. Reads show the stored figures (``ProductRollup``); writes carry the
fields the services accept (``services.*_FIELDS``); references accept only what the user may see."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cnan.organizations import selectors as org_selectors
from cnan.organizations.models import Organization

from .. import services
from ..models import BOMLine, BOMRevision, CatalogueEdition, CatalogueEntry, Product, RollupHistory

CLASSIFICATION = list(services.CLASSIFICATION_FIELDS)
MONEY = {"max_digits": 20, "decimal_places": 2, "read_only": True, "allow_null": True}
RATE = {"max_digits": 5, "decimal_places": 2, "read_only": True, "allow_null": True}


@extend_schema_field({"type": "string", "minLength": 2, "maxLength": 2, "example": "VN"})
class CountryCodeField(CountryField):
    """A country as its ISO 3166-1 alpha-2 code (documented as a code: the list is the registry's)."""


def visible_products(user: Any):
    return Product.objects.visible_to(user, "view")


class OwnerField(serializers.PrimaryKeyRelatedField):
    """An organisation where the user holds ``perm``; on an update the record's current owner stays acceptable."""

    def __init__(self, *, perm: str, **kwargs):
        self.perm = perm
        super().__init__(**kwargs)

    def get_queryset(self):
        choices = org_selectors.organization_choices(user=self.context["user"], perm=self.perm)
        instance = getattr(self.parent, "instance", None)
        current = getattr(instance, "organization_id", None) if instance is not None else None
        if current:
            choices = (choices | Organization.objects.filter(pk=current)).distinct()
        return choices


@extend_schema_field(OpenApiTypes.INT)
class VisibleProductField(serializers.PrimaryKeyRelatedField):
    """A product the user may see (an invisible one answers "does not exist", as for a wrong id)."""

    def get_queryset(self):
        return visible_products(self.context["user"])


# --- products ---------------------------------------------------------------------------------------


class ProductSerializer(serializers.ModelSerializer):
    """A product with its stored rolled-up figures (never computed for the request)."""

    organization_code = serializers.CharField(source="organization.code", read_only=True)
    group_code = serializers.CharField(source="group.code", read_only=True, default=None, allow_null=True)
    origin_country = CountryCodeField()
    is_imported = serializers.BooleanField(read_only=True)
    unit_cost = serializers.DecimalField(source="rollup.unit_cost", **MONEY)
    imported_value = serializers.DecimalField(source="rollup.imported_value", **MONEY)
    value_basis = serializers.DecimalField(source="rollup.value_basis", **MONEY)
    localisation_rate = serializers.DecimalField(source="rollup.localisation_rate", **RATE)
    depth = serializers.IntegerField(source="rollup.depth", read_only=True, allow_null=True)
    computed_at = serializers.DateTimeField(source="rollup.computed_at", read_only=True, allow_null=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "organization",
            "organization_code",
            "product_class",
            "group",
            "group_code",
            "use",
            "exclusive",
            "strategic_technology",
            "lifecycle",
            "trl",
            "sourcing",
            "supplier",
            "origin_country",
            "is_imported",
            "unit",
            "price",
            "standards",
            "description",
            *CLASSIFICATION,
            "current_revision",
            "unit_cost",
            "imported_value",
            "value_basis",
            "localisation_rate",
            "depth",
            "computed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProductWriteSerializer(serializers.ModelSerializer):
    organization = OwnerField(perm="catalogue.add_product")
    origin_country = CountryCodeField(required=False)

    class Meta:
        model = Product
        fields = list(services.PRODUCT_FIELDS)


class ExplodedLineSerializer(serializers.Serializer):
    """One path of the exploded BOM. ``name`` and ``supplier`` are empty for a component the reader may not
    see (``visible`` false); its figures stay, being part of the visible product's."""

    line = serializers.IntegerField(source="line_id")
    level = serializers.IntegerField()
    parent = serializers.IntegerField(source="parent_id")
    component = serializers.IntegerField(source="component_id")
    code = serializers.CharField()
    name = serializers.CharField()
    visible = serializers.BooleanField()
    quantity = serializers.DecimalField(max_digits=18, decimal_places=6)
    unit = serializers.CharField()
    extended_quantity = serializers.FloatField(help_text="Quantity per unit of the top product, scrap included.")
    component_unit = serializers.CharField()
    sourcing = serializers.CharField()
    origin_country = serializers.CharField()
    is_imported = serializers.BooleanField()
    supplier = serializers.CharField()
    unit_cost = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    imported_value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    localisation_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    extended_cost = serializers.FloatField()
    extended_imported = serializers.FloatField()
    has_children = serializers.BooleanField()
    path = serializers.CharField(help_text="Sort key of the line in the tree (positions of its ancestors).")


def _fixed(value: Decimal | None, places: int) -> str | None:
    return None if value is None else f"{value:.{places}f}"


def exploded_rows(lines: list[Any]) -> list[dict[str, Any]]:
    """What ``ExplodedLineSerializer(lines, many=True).data`` gives, built directly: an explosion can run to
    tens of thousands of lines, and a serializer field per value costs most of the request."""
    return [
        {
            "line": x.line_id,
            "level": x.level,
            "parent": x.parent_id,
            "component": x.component_id,
            "code": x.code,
            "name": x.name,
            "visible": x.visible,
            "quantity": _fixed(x.quantity, 6),
            "unit": x.unit,
            "extended_quantity": x.extended_quantity,
            "component_unit": x.component_unit,
            "sourcing": x.sourcing,
            "origin_country": x.origin_country,
            "is_imported": x.is_imported,
            "supplier": x.supplier,
            "unit_cost": _fixed(x.unit_cost, 2),
            "imported_value": _fixed(x.imported_value, 2),
            "localisation_rate": _fixed(x.localisation_rate, 2),
            "extended_cost": x.extended_cost,
            "extended_imported": x.extended_imported,
            "has_children": x.has_children,
            "path": x.path,
        }
        for x in lines
    ]


class FlatLineSerializer(serializers.Serializer):
    component = serializers.IntegerField(source="component_id")
    code = serializers.CharField()
    name = serializers.CharField()
    visible = serializers.BooleanField()
    unit = serializers.CharField()
    origin_country = serializers.CharField()
    total_quantity = serializers.FloatField()
    unit_cost = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    imported_value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    total_cost = serializers.FloatField()
    total_imported = serializers.FloatField()
    is_leaf = serializers.BooleanField()


class WhereUsedSerializer(serializers.Serializer):
    """A product containing the component at some depth; ``code`` and ``name`` are empty when not visible."""

    product = serializers.IntegerField(source="product_id")
    code = serializers.CharField()
    name = serializers.CharField()
    visible = serializers.BooleanField()
    min_level = serializers.IntegerField()
    localisation_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class RollupHistorySerializer(serializers.ModelSerializer):
    class Meta:
        model = RollupHistory
        fields = ["id", "time", "unit_cost", "value_basis", "imported_value", "localisation_rate"]
        read_only_fields = fields


# --- revisions and lines ------------------------------------------------------------------------------


class BOMLineSerializer(serializers.ModelSerializer):
    """A line; the component's code and name are empty when the reader may not see the component."""

    component_code = serializers.SerializerMethodField()
    component_name = serializers.SerializerMethodField()
    component_visible = serializers.SerializerMethodField()

    class Meta:
        model = BOMLine
        fields = [
            "id",
            "revision",
            "parent",
            "component",
            "component_code",
            "component_name",
            "component_visible",
            "position",
            "quantity",
            "unit",
            "scrap_percent",
            "optional",
            "substitute_for",
            "effective_quantity",
            "reference",
            "note",
        ]
        read_only_fields = fields

    def _visible(self, obj: BOMLine) -> bool:
        visible = self.context.get("visible_components")
        return True if visible is None else obj.component_id in visible

    def get_component_code(self, obj: BOMLine) -> str:
        return obj.component.code if self._visible(obj) else ""

    def get_component_name(self, obj: BOMLine) -> str:
        return obj.component.name if self._visible(obj) else ""

    def get_component_visible(self, obj: BOMLine) -> bool:
        return self._visible(obj)


class BOMLineWriteSerializer(serializers.ModelSerializer):
    """A line of the current, unfrozen revision. ``unit`` defaults to the component's unit."""

    revision = serializers.PrimaryKeyRelatedField(queryset=BOMRevision.objects.none())
    component = VisibleProductField()
    unit = serializers.ChoiceField(choices=BOMLine._meta.get_field("unit").choices, required=False)

    class Meta:
        model = BOMLine
        fields = ["revision", *services.LINE_FIELDS]

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["user"]
        fields["revision"].queryset = BOMRevision.objects.visible_to(user, "view")
        fields["substitute_for"].queryset = BOMLine.objects.visible_to(user, "view")
        if self.instance is not None:  # a line stays in its revision
            fields["revision"].read_only = True
            fields["component"].queryset = (
                visible_products(user) | Product.objects.filter(pk=self.instance.component_id)
            ).distinct()
        return fields


class RevisionSerializer(serializers.ModelSerializer):
    product_code = serializers.CharField(source="product.code", read_only=True)
    is_frozen = serializers.BooleanField(read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = BOMRevision
        fields = [
            "id",
            "product",
            "product_code",
            "number",
            "note",
            "is_frozen",
            "frozen_at",
            "frozen_by",
            "is_current",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_current(self, obj: BOMRevision) -> bool:
        return obj.product.current_revision_id == obj.pk


class RevisionDetailSerializer(RevisionSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "lines"]
        read_only_fields = fields

    @extend_schema_field(BOMLineSerializer(many=True))
    def get_lines(self, obj: BOMRevision) -> list[dict[str, Any]]:
        return BOMLineSerializer(self.context.get("lines", []), many=True, context=self.context).data


class RevisionCreateSerializer(serializers.Serializer):
    """A new revision of ``product``'s BOM, copying ``copy_from`` (default: the current revision)."""

    product = VisibleProductField()
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    copy_from = serializers.PrimaryKeyRelatedField(queryset=BOMRevision.objects.none(), required=False, allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["copy_from"].queryset = BOMRevision.objects.visible_to(self.context["user"], "view")
        return fields


class LineDiffSerializer(serializers.Serializer):
    component = serializers.IntegerField(source="component.pk")
    code = serializers.CharField(source="component.code")
    status = serializers.CharField(help_text="added, removed, changed or same")
    changes = serializers.ListField(child=serializers.CharField(), help_text="The fields that differ.")
    before = BOMLineSerializer(allow_null=True)
    after = BOMLineSerializer(allow_null=True)


# --- what-if --------------------------------------------------------------------------------------------


class PriceChangeSerializer(serializers.Serializer):
    product = VisibleProductField()
    price = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0)


class OriginChangeSerializer(serializers.Serializer):
    product = VisibleProductField()
    country = CountryCodeField()


class ReplacementSerializer(serializers.Serializer):
    old = VisibleProductField(help_text="The component replaced.")
    new = VisibleProductField(help_text="The component put in its place.")
    only_in = VisibleProductField(
        required=False, allow_null=True, default=None, help_text="Only in this product's BOM (default: everywhere)."
    )

    def validate(self, attrs):
        if attrs["old"] == attrs["new"]:
            raise serializers.ValidationError({"new": _("A component cannot be replaced by itself.")})
        return attrs


class WhatIfSerializer(serializers.Serializer):
    prices = PriceChangeSerializer(many=True, required=False, default=list)
    origins = OriginChangeSerializer(many=True, required=False, default=list)
    replacements = ReplacementSerializer(many=True, required=False, default=list)

    def validate(self, attrs):
        if not (attrs["prices"] or attrs["origins"] or attrs["replacements"]):
            raise serializers.ValidationError(_("Give at least one price, origin or replacement."))
        return attrs


class WhatIfRowSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id")
    code = serializers.CharField()
    name = serializers.CharField()
    rate_before = serializers.DecimalField(source="before", max_digits=5, decimal_places=2, allow_null=True)
    rate_after = serializers.DecimalField(source="after", max_digits=5, decimal_places=2, allow_null=True)
    imported_before = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    imported_after = serializers.DecimalField(max_digits=20, decimal_places=2)
    delta = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="Rate after − rate before (percentage points)."
    )


class WhatIfAppliedSerializer(serializers.Serializer):
    lines_changed = serializers.IntegerField(help_text="BOM lines whose component was replaced.")
    products = WhatIfRowSerializer(many=True, help_text="The figures that changed, as the what-if showed them.")


class JobStartedSerializer(serializers.Serializer):
    job = serializers.UUIDField()
    url = serializers.CharField(help_text="The job's page, which shows its progress.")
    status = serializers.CharField()


# --- editions --------------------------------------------------------------------------------------------


class CatalogueEntrySerializer(serializers.ModelSerializer):
    """A product of an edition, with what it was at publication (empty for a draft)."""

    code = serializers.CharField(source="product.code", read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = CatalogueEntry
        fields = [
            "id",
            "product",
            "code",
            "name",
            "product_class",
            "use",
            "lifecycle",
            "exclusive",
            "localisation_rate",
        ]
        read_only_fields = fields

    def get_name(self, obj: CatalogueEntry) -> str:
        visible = self.context.get("visible_products")
        return obj.product.name if visible is None or obj.product_id in visible else ""


class EditionSerializer(serializers.ModelSerializer):
    organization_code = serializers.CharField(source="organization.code", read_only=True)
    is_published = serializers.BooleanField(read_only=True)

    class Meta:
        model = CatalogueEdition
        fields = [
            "id",
            "organization",
            "organization_code",
            "code",
            "title",
            "decision_number",
            "decision_date",
            "note",
            "is_published",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EditionDetailSerializer(EditionSerializer):
    entries = serializers.SerializerMethodField()

    class Meta(EditionSerializer.Meta):
        fields = [*EditionSerializer.Meta.fields, "entries"]
        read_only_fields = fields

    @extend_schema_field(CatalogueEntrySerializer(many=True))
    def get_entries(self, obj: CatalogueEdition) -> list[dict[str, Any]]:
        entries = obj.entries.select_related("product").order_by("product__code")
        entries = list(entries)
        visible = (
            set(
                visible_products(self.context["user"])
                .filter(pk__in=[e.product_id for e in entries])
                .values_list("pk", flat=True)
            )
            if entries
            else set()
        )
        return CatalogueEntrySerializer(entries, many=True, context={**self.context, "visible_products": visible}).data


class EditionWriteSerializer(serializers.ModelSerializer):
    organization = OwnerField(perm="catalogue.add_catalogueedition")

    class Meta:
        model = CatalogueEdition
        fields = list(services.EDITION_FIELDS)


class EditionProductsSerializer(serializers.Serializer):
    products = VisibleProductField(
        many=True, allow_empty=True, help_text="Every product the edition lists (replaces the list)."
    )


class CountSerializer(serializers.Serializer):
    changed = serializers.IntegerField()
