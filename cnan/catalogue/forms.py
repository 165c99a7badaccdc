"""Forms check shape only; the services decide. Owner choices follow the user's scope; components are picked
by code among the products the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from django_countries import countries

from cnan.common.forms import PortalForm, PortalModelForm
from cnan.organizations.models import Organization
from cnan.organizations.selectors import organization_choices

from . import services
from .models import BOMLine, BOMRevision, CatalogueEdition, Product, Unit


def _with_current(qs, current_pk):
    """Choices the user may use, plus the record's current value (which may be outside them)."""
    if current_pk:
        return (qs | Organization.objects.filter(pk=current_pk)).distinct().order_by("path")
    return qs


class ProductCodeField(forms.ModelChoiceField):
    """A product typed (or picked from a list of suggestions) by its code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("error_messages", {"invalid_choice": _("No product you may see has this code.")})
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "product-codes", "autocomplete": "off"}))
        super().__init__(Product.objects.none(), *args, **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.split(" — ", 1)[0].strip()
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return Product.objects.filter(pk=value).values_list("code", flat=True).first() or value
        return super().prepare_value(value)


def localised(*names: str):
    """Decimal fields typed in the page's number format (1.234,5 in Vietnamese)."""
    return {name: forms.TextInput(attrs={"inputmode": "decimal"}) for name in names}


def localise(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        form.fields[name].localize = True
        form.fields[name].widget.is_localized = True


class ProductForm(PortalModelForm):
    class Meta:
        model = Product
        fields = services.PRODUCT_FIELDS
        widgets = {
            **localised("price"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise(self, "price")
        owners = organization_choices(user=self.user, perm="catalogue.add_product")
        self.fields["organization"].queryset = _with_current(owners, self.instance.organization_id)


class BOMLineForm(PortalModelForm):
    component = ProductCodeField(label=_("Component (code)"))

    class Meta:
        model = BOMLine
        fields = services.LINE_FIELDS
        widgets = {**localised("quantity", "scrap_percent")}

    field_order = ["component", "quantity", "unit", "scrap_percent", "optional", "substitute_for", "position"]

    def __init__(self, *args: Any, revision: BOMRevision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.revision = revision
        self.fields["component"].queryset = Product.objects.visible_to(self.user, "view").exclude(
            pk=revision.product_id
        )
        if self.instance.pk:
            self.initial["component"] = self.instance.component.code
        localise(self, "quantity", "scrap_percent")
        self.fields["unit"].required = False
        self.fields["unit"].choices = [("", _("(the component's unit)")), *Unit.choices]
        self.fields["unit"].help_text = _("Converted to the component's unit when both measure the same thing.")
        lines = revision.lines.filter(substitute_for__isnull=True).select_related("component")
        if self.instance.pk:
            lines = lines.exclude(pk=self.instance.pk)
        self.fields["substitute_for"].queryset = lines
        self.fields["substitute_for"].label_from_instance = lambda line: (
            f"{line.position} · {line.component.code} — {line.component.display_name}"
        )


class RevisionForm(PortalForm):
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class WhatIfForm(PortalForm):
    component = ProductCodeField(label=_("Component (code)"))
    price = forms.DecimalField(
        label=_("New price (VND)"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    origin_country = forms.ChoiceField(label=_("New country of origin"), required=False)
    replacement = ProductCodeField(label=_("Replace it by (code)"), required=False)
    only_in = ProductCodeField(
        label=_("Only in this product (code)"),
        required=False,
        help_text=_("Empty: the replacement applies in every bill of materials that uses the component."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["price"].widget.is_localized = True
        visible = Product.objects.visible_to(user, "view")
        for name in ("component", "replacement", "only_in"):
            self.fields[name].queryset = visible
        self.fields["origin_country"].choices = [("", "—"), *countries]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        if data.get("price") is None and not data.get("origin_country") and not data.get("replacement"):
            raise forms.ValidationError(_("Give a new price, a new country of origin or a replacement."))
        if data.get("replacement") is not None and data["replacement"] == data.get("component"):
            self.add_error("replacement", _("A component cannot replace itself."))
        if data.get("only_in") is not None and data.get("replacement") is None:
            self.add_error("only_in", _("Only a replacement can be limited to one product."))
        return data

    def override(self) -> dict[str, Any]:
        """The changes as the selectors and services take them (objects; ``as_ids`` for the what-if)."""
        data = self.cleaned_data
        component = data["component"]
        return {
            "prices": {component: data["price"]} if data.get("price") is not None else {},
            "origins": {component: data["origin_country"]} if data.get("origin_country") else {},
            "replacements": [(component, data["replacement"], data.get("only_in"))] if data.get("replacement") else [],
        }


class EditionForm(PortalModelForm):
    class Meta:
        model = CatalogueEdition
        fields = services.EDITION_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        issuers = organization_choices(user=self.user, perm="catalogue.add_catalogueedition")
        self.fields["organization"].queryset = _with_current(issuers, self.instance.organization_id)
