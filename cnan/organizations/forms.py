"""Forms check shape only; the services decide. Owner/parent choices follow the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cnan.common.forms import PortalForm, PortalModelForm

from . import selectors, services
from .models import ComplexMembership, Facility, IndustrialPark, Organization, ParkPhase, RestructuringEvent


def _with_current(qs, current_pk):
    """Choices the user may use, plus the record's current value (which may be outside them)."""
    if current_pk:
        return (qs | Organization.objects.filter(pk=current_pk)).distinct().order_by("path")
    return qs


class OrganizationForm(PortalModelForm):
    parent = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label=_("Parent organisation"),
        required=False,
        help_text=_(
            "The managing agency (cơ quan chủ quản). Empty makes a new root, "
            "which only ministry-wide administrators may create."
        ),
    )

    class Meta:
        model = Organization
        fields = services.ORGANIZATION_FIELDS

    # Declared (not from the model) so that an address typed without a scheme is read as https.
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https", max_length=200)

    field_order = [
        "code",
        "name",
        "short_name",
        "name_en",
        "kind",
        "parent",
        "legal_form",
        "tax_code",
        "charter_capital",
        "state_ownership",
        "parent_corporation",
        "product_groups",
        "province",
        "address",
        "country",
        "phone",
        "email",
        "website",
    ]
    perm = "organizations.add_organization"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("website", self.instance.website)
        choices = selectors.organization_choices(user=self.user, perm=self.perm)
        if self.instance.pk:
            choices = _with_current(choices.exclude(path__startswith=self.instance.path), self.instance.parent_id)
            self.fields["parent"].initial = self.instance.parent_id
        self.fields["parent"].queryset = choices
        if "kind" in self.fields:
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != Organization.Kind.ENTERPRISE
            ]


class EnterpriseForm(OrganizationForm):
    perm = "organizations.add_enterprise"

    class Meta:
        model = Organization
        fields = services.ENTERPRISE_FIELDS
        field_classes = {"charter_capital": forms.DecimalField, "state_ownership": forms.DecimalField}
        widgets = {
            "product_groups": forms.CheckboxSelectMultiple,
            "charter_capital": forms.TextInput,
            "state_ownership": forms.TextInput,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The form validates a new record as what it will be: an enterprise (its model checks depend on it).
        self.instance.kind = Organization.Kind.ENTERPRISE
        self.fields["charter_capital"].localize = True
        self.fields["state_ownership"].localize = True
        self.fields["legal_form"].required = True
        corporations = Organization.objects.visible_to(self.user, "view").filter(kind=Organization.Kind.ENTERPRISE)
        if self.instance.pk:
            corporations = corporations.exclude(pk=self.instance.pk)
        self.fields["parent_corporation"].queryset = corporations.order_by("code")


class FacilityForm(PortalModelForm):
    class Meta:
        model = Facility
        fields = services.FACILITY_FIELDS
        widgets = {
            "product_groups": forms.CheckboxSelectMultiple,
            "capabilities": forms.Textarea(attrs={"rows": 3}),
            "capacity": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = selectors.organization_choices(user=self.user, perm="organizations.add_facility")
        self.fields["organization"].queryset = _with_current(owners, self.instance.organization_id)
        # The parks the editor may see, and the facility's current park (which may be another unit's).
        parks = IndustrialPark.objects.visible_to(self.user, "view")
        if self.instance.park_id:
            parks = (parks | IndustrialPark.objects.filter(pk=self.instance.park_id)).distinct()
        self.fields["park"].queryset = parks


class IndustrialParkForm(PortalModelForm):
    class Meta:
        model = IndustrialPark
        fields = services.PARK_FIELDS
        widgets = {"area_ha": forms.TextInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_ha"].localize = True
        managers = selectors.organization_choices(user=self.user, perm="organizations.add_industrialpark")
        self.fields["organization"].queryset = _with_current(managers, self.instance.organization_id)


class ParkPhaseForm(PortalModelForm):
    class Meta:
        model = ParkPhase
        fields = services.PHASE_FIELDS
        widgets = {"area_ha": forms.TextInput, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_ha"].localize = True


class ComplexMembershipForm(PortalModelForm):
    class Meta:
        model = ComplexMembership
        fields = services.COMPLEX_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = selectors.organization_choices(user=self.user, perm="organizations.add_complexmembership")
        self.fields["organization"].queryset = _with_current(orgs, self.instance.organization_id)


class RestructuringEventForm(PortalModelForm):
    class Meta:
        model = RestructuringEvent
        fields = services.RESTRUCTURING_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.SelectMultiple(attrs={"size": 6}),
            "results": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leads = selectors.organization_choices(user=self.user, perm="organizations.add_restructuringevent")
        self.fields["organization"].queryset = _with_current(leads, self.instance.organization_id)
        visible = Organization.objects.visible_to(self.user, "view").filter(
            kind__in=[Organization.Kind.ENTERPRISE, Organization.Kind.INSTITUTE, Organization.Kind.TESTING_CENTRE]
        )
        self.fields["sources"].queryset = visible
        self.fields["results"].queryset = visible


class TreeFilterForm(PortalForm):
    q = forms.CharField(label=_("Find in the tree"), required=False)
