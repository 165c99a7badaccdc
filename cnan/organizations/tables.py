from __future__ import annotations

from django.utils.translation import gettext_lazy as _

import django_tables2 as tables

from cnan.core.tables import PortalTable

from .models import ComplexMembership, Enterprise, Facility, IndustrialPark, Organization, RestructuringEvent


def _names(items) -> str:
    return ", ".join(str(i) for i in items)


class OrganizationTable(PortalTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    parent = tables.Column(verbose_name=_("Parent organisation"), linkify=True, order_by=("parent__name",))
    province = tables.Column(verbose_name=_("Province"))
    country = tables.Column(verbose_name=_("Country"), accessor="country__name", order_by=("country",))
    valid_from = tables.DateColumn(verbose_name=_("Established on"), format="d/m/Y")
    classification = tables.Column(verbose_name=_("Classification"))

    class Meta(PortalTable.Meta):
        model = Organization
        fields = ("code", "name", "kind", "parent", "province", "country", "valid_from", "classification")
        order_by = ("code",)


class EnterpriseTable(PortalTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    name = tables.Column(verbose_name=_("Name"), linkify=True, attrs={"td": {"class": "col-name"}})
    legal_form = tables.Column(verbose_name=_("Legal form"))
    tax_code = tables.Column(verbose_name=_("Tax code"), visible=False)
    province = tables.Column(verbose_name=_("Province"))
    charter_capital = tables.Column(verbose_name=_("Charter capital (VND)"), attrs={"td": {"class": "text-end"}})
    state_ownership = tables.Column(verbose_name=_("State ownership (%)"), attrs={"td": {"class": "text-end"}})
    parent_corporation = tables.Column(
        verbose_name=_("Parent corporation"), linkify=True, order_by=("parent_corporation__name",), visible=False
    )
    product_groups = tables.ManyToManyColumn(verbose_name=_("Product groups"), orderable=False, visible=False)
    complex_role = tables.Column(verbose_name=_("Complex"), accessor="current_complex_memberships", orderable=False)
    facility_count = tables.Column(verbose_name=_("Facilities"), attrs={"td": {"class": "text-end"}})

    class Meta(PortalTable.Meta):
        model = Enterprise
        fields = (
            "code",
            "name",
            "legal_form",
            "tax_code",
            "province",
            "charter_capital",
            "state_ownership",
            "parent_corporation",
            "product_groups",
            "complex_role",
            "facility_count",
        )
        order_by = ("code",)

    def render_charter_capital(self, value):
        from django.contrib.humanize.templatetags.humanize import intcomma

        return intcomma(value)

    def render_complex_role(self, value):
        return _names(m.get_role_display() for m in value) or "—"

    def value_complex_role(self, value):
        return _names(m.get_role_display() for m in value)

    def value_product_groups(self, value):
        return _names(value.all())


class FacilityTable(PortalTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    organization = tables.Column(verbose_name=_("Owner"), linkify=True, order_by=("organization__name",))
    province = tables.Column(verbose_name=_("Province"))
    park = tables.Column(verbose_name=_("Industrial park"), linkify=True, order_by=("park__name",))
    decision_number = tables.Column(verbose_name=_("Establishing decision"))
    product_groups = tables.ManyToManyColumn(verbose_name=_("Product groups"), orderable=False)
    withdrawn_on = tables.DateColumn(verbose_name=_("Withdrawn on"), format="d/m/Y")

    class Meta(PortalTable.Meta):
        model = Facility
        fields = (
            "code",
            "name",
            "kind",
            "organization",
            "province",
            "park",
            "decision_number",
            "product_groups",
            "withdrawn_on",
        )
        order_by = ("code",)

    def value_product_groups(self, value):
        return _names(value.all())


class IndustrialParkTable(PortalTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    organization = tables.Column(verbose_name=_("Managing unit"), linkify=True, order_by=("organization__name",))
    province = tables.Column(verbose_name=_("Province"))
    area_ha = tables.Column(verbose_name=_("Area (ha)"), attrs={"td": {"class": "text-end"}})
    status = tables.Column(verbose_name=_("Status"))
    approved_on = tables.DateColumn(verbose_name=_("Approved on"), format="d/m/Y")
    phase_count = tables.Column(verbose_name=_("Phases"), attrs={"td": {"class": "text-end"}})
    facility_count = tables.Column(verbose_name=_("Facilities"), attrs={"td": {"class": "text-end"}})

    class Meta(PortalTable.Meta):
        model = IndustrialPark
        fields = (
            "code",
            "name",
            "organization",
            "province",
            "area_ha",
            "status",
            "approved_on",
            "phase_count",
            "facility_count",
        )
        order_by = ("code",)


class ComplexMembershipTable(PortalTable):
    organization = tables.Column(verbose_name=_("Organisation"), linkify=True, order_by=("organization__name",))
    role = tables.Column(verbose_name=_("Role in the complex"), linkify=lambda record: record.get_absolute_url())
    admitted_on = tables.DateColumn(verbose_name=_("Admitted on"), format="d/m/Y")
    left_on = tables.DateColumn(verbose_name=_("Left on"), format="d/m/Y")
    decision_number = tables.Column(verbose_name=_("Decision"))

    class Meta(PortalTable.Meta):
        model = ComplexMembership
        fields = ("organization", "role", "admitted_on", "left_on", "decision_number")
        order_by = ("-admitted_on",)


class RestructuringEventTable(PortalTable):
    effective_on = tables.DateColumn(verbose_name=_("Effective on"), format="d/m/Y")
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    organization = tables.Column(verbose_name=_("Lead organisation"), linkify=True, order_by=("organization__name",))
    decision_number = tables.Column(verbose_name=_("Decision"))
    sources = tables.Column(verbose_name=_("Before"), orderable=False)
    results = tables.Column(verbose_name=_("After"), orderable=False)

    class Meta(PortalTable.Meta):
        model = RestructuringEvent
        fields = ("effective_on", "title", "kind", "organization", "decision_number", "sources", "results")
        order_by = ("-effective_on",)

    def render_sources(self, value):
        return _names(o.code for o in value.all()) or "—"

    def value_sources(self, value):
        return _names(o.code for o in value.all())

    def render_results(self, value):
        return _names(o.code for o in value.all()) or "—"

    def value_results(self, value):
        return _names(o.code for o in value.all())
