"""Forms of the demand pages: they check shape only; the services decide. Units are those where the user may
declare demand or record purchases, enterprises those where they keep capacity, products those they may see
(an operational unit does not see the enterprises' catalogue records)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cnan.catalogue.models import Product
from cnan.common.forms import DateInput, PortalForm, PortalModelForm
from cnan.organizations.models import Organization, ProductGroup
from cnan.organizations.selectors import organization_choices

from . import services
from .models import DemandLine, DemandPlan, ImportPurchase

MONEY_INPUT = {"inputmode": "decimal"}


def _with_current(qs: Any, current: Any) -> Any:
    if current:
        return (qs | Organization.objects.filter(pk=current)).distinct().order_by("path")
    return qs


def _offer(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - a relation's field
    field.queryset = queryset


def _localise(form: forms.BaseForm, *names: str) -> None:
    """Money typed in the page's number format (1.234.567 in Vietnamese)."""
    for name in names:
        if name in form.fields:
            form.fields[name].localize = True
            form.fields[name].widget.is_localized = True


class ShapeOnlyForm(PortalModelForm):
    """The services run the model's checks (``full_clean``) against what the record was."""

    def _post_clean(self) -> None:
        pass

    def limit_products(self) -> None:
        """Offer only the products the user may see; a record linked to one they may not see keeps it (the
        field is left out)."""
        visible = Product.objects.visible_to(self.user, "view").order_by("code")
        current = getattr(self.instance, "product_id", None)
        if self.instance.pk and current and not visible.filter(pk=current).exists():
            del self.fields["product"]
            return
        _offer(self, "product", visible)


class DemandPlanForm(ShapeOnlyForm):
    class Meta:
        model = DemandPlan
        fields = services.PLAN_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "protected_until": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a plan's unit and year are fixed once it exists
            del self.fields["unit"]
            del self.fields["year"]
        else:
            _offer(self, "unit", organization_choices(user=self.user, perm="supply.add_demandplan"))


class DemandLineForm(ShapeOnlyForm):
    class Meta:
        model = DemandLine
        fields = services.LINE_FIELDS
        widgets = {
            "specification": forms.Textarea(attrs={"rows": 3}),
            "needed_by": DateInput(),
            "protected_until": DateInput(),
            "unit_value": forms.TextInput(attrs=MONEY_INPUT),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Left empty: the next number.")
        self.fields["product"].help_text = _("Optional: a catalogue product; otherwise the class and group.")
        _offer(self, "product_group", ProductGroup.objects.order_by("code"))
        self.limit_products()
        _localise(self, "unit_value")


class ImportPurchaseForm(ShapeOnlyForm):
    class Meta:
        model = ImportPurchase
        fields = services.IMPORT_FIELDS
        widgets = {"value": forms.TextInput(attrs=MONEY_INPUT), "protected_until": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = "change" if self.instance.pk else "add"
        units = organization_choices(user=self.user, perm=f"supply.{action}_importpurchase")
        _offer(self, "unit", _with_current(units, self.instance.unit_id if self.instance.pk else None))
        self.fields["product"].required = False
        self.limit_products()
        _localise(self, "value")


class CapacityForm(PortalForm):
    """An enterprise's capacity for a product group in a year (``services.capacity_set``)."""

    enterprise = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Enterprise"))
    product_group = forms.ModelChoiceField(queryset=ProductGroup.objects.none(), label=_("Product group"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    units = forms.IntegerField(label=_("Units a year"), min_value=0)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        mine = organization_choices(user=user, perm="supply.change_capacity") | organization_choices(
            user=user, perm="supply.add_capacity"
        )
        _offer(self, "enterprise", mine.filter(kind=Organization.Kind.ENTERPRISE).distinct().order_by("path"))
        _offer(self, "product_group", ProductGroup.objects.order_by("code"))


class TransitionForm(PortalForm):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
