"""Forms of the allocation pages: they check shape only; the services decide (``allocation_start``,
``allocation_accept``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cnan.common.forms import DateInput, PortalForm

from .models import Funding, OrderMode, PriceBasis

MONEY_INPUT = {"inputmode": "decimal"}


class RunStartForm(PortalForm):
    """The year whose consolidated demand is allocated, and an optional budget for the orders."""

    year = forms.IntegerField(label=_("Year of the consolidated demand"), min_value=2000, max_value=2100)
    budget = forms.DecimalField(
        label=_("Budget (VND)"),
        required=False,
        min_value=0,
        max_digits=20,
        decimal_places=0,
        localize=True,
        widget=forms.TextInput(attrs=MONEY_INPUT),
        help_text=_("Leave empty for no budget limit."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)


class AcceptForm(PortalForm):
    """How the adjusted proposal's orders are placed: one order per row with units."""

    number_prefix = forms.CharField(
        label=_("Order number prefix"),
        max_length=50,
        help_text=_("Each order is numbered with this prefix and a running number (e.g. PB-2026-0001)."),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=OrderMode.choices)
    price_basis = forms.ChoiceField(label=_("Price basis"), choices=PriceBasis.choices)
    funding = forms.ChoiceField(label=_("Funding source"), choices=Funding.choices)
    ordered_on = forms.DateField(label=_("Ordered on"), widget=DateInput)
    due_on = forms.DateField(label=_("Delivery due"), widget=DateInput)


class RowForm(forms.Form):
    """One proposal row as the officer adjusts it: its units (0 drops it) and, when it takes the enterprise
    beyond its capacity, the reason."""

    units = forms.IntegerField(
        label=_("Quantity"), min_value=0, widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"})
    )
    reason = forms.CharField(
        label=_("Reason to order beyond capacity"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


RowFormSet = forms.formset_factory(RowForm, extra=0, min_num=0, max_num=10000)


def row_formset(run: Any, data: Any = None) -> Any:
    """One form per row of the run's proposal, in its order, starting from the proposed units."""
    initial = [{"units": p["units"], "reason": ""} for p in run.proposal]
    return RowFormSet(data, initial=initial, prefix="rows")
