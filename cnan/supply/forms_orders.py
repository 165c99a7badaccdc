"""Forms of the orders' pages: they check shape only; the services decide (capacity, the demand line's
quantity, what is left to deliver, who acts for which side). Units offered are those where the user may act;
products, demand lines and enterprises are those the user may see."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cnan.catalogue.models import HOME_COUNTRY, Product
from cnan.common.forms import DateInput, PortalForm, PortalModelForm
from cnan.organizations.models import Organization
from cnan.organizations.selectors import organization_choices

from . import selectors, services
from .models import Delivery, DemandPlan, Feedback, ProductionOrder

MONEY_INPUT = {"inputmode": "decimal"}


class ShapeOnlyForm(PortalModelForm):
    def _post_clean(self) -> None:
        # The service validates the record (``full_clean``); the form only checks the shape of the input.
        pass


class OrderForm(ShapeOnlyForm):
    """A new production order. The reason to exceed capacity stays hidden until the service refuses the
    order with the capacity figures (``reveal_reason``), or when one was typed already."""

    class Meta:
        model = ProductionOrder
        fields = services.ORDER_FIELDS
        widgets = {
            "unit_price": forms.TextInput(attrs=MONEY_INPUT),
            "over_capacity_reason": forms.HiddenInput,
            "ordered_on": DateInput,
            "due_on": DateInput,
        }

    def __init__(self, *args: Any, line: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit_price"].localize = True
        self.fields["unit_price"].widget.is_localized = True
        self._choice("customer").queryset = organization_choices(user=self.user, perm="supply.add_productionorder")
        self._choice("enterprise").queryset = Organization.objects.visible_to(self.user, "view").filter(
            kind=Organization.Kind.ENTERPRISE
        )
        products = (
            Product.objects.visible_to(self.user, "view")
            .filter(origin_country=HOME_COUNTRY)
            .select_related("organization")
            .order_by("code")
        )
        if line is not None:
            products = products.filter(product_class=line.product_class)
            if line.product_group_id:
                products = products.filter(group_id=line.product_group_id)
        self._choice("product").queryset = products
        self._choice("demand_line").queryset = (
            selectors.line_list(user=self.user)
            .filter(plan__state=DemandPlan.State.CONSOLIDATED)
            .order_by("-plan__year", "plan__unit__code", "number")
        )
        self.fields["over_capacity_reason"].required = False
        if self.data.get(self.add_prefix("over_capacity_reason"), "").strip():
            self.reveal_reason()

    def _choice(self, name: str) -> forms.ModelChoiceField:
        return cast(forms.ModelChoiceField, self.fields[name])

    def reveal_reason(self) -> None:
        field = self.fields["over_capacity_reason"]
        field.widget = forms.Textarea(attrs={"rows": 3, "class": "form-control border-warning"})
        field.label = _("Reason for exceeding capacity")


class OrderCancelForm(PortalForm):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 3}))


class DeliveryForm(ShapeOnlyForm):
    class Meta:
        model = Delivery
        fields = services.DELIVERY_FIELDS
        widgets = {"delivered_on": DateInput, "note": forms.Textarea(attrs={"rows": 2})}


class DeliveryAcceptForm(PortalForm):
    accepted_on = forms.DateField(label=_("Accepted on"), widget=DateInput)
    acceptance_number = forms.CharField(label=_("Acceptance record number"), max_length=100)


class FeedbackForm(ShapeOnlyForm):
    class Meta:
        model = Feedback
        fields = ("given_on", "rating", "comment")
        widgets = {"given_on": DateInput, "comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].widget = forms.Select(choices=[("", "—")] + [(n, str(n)) for n in range(5, 0, -1)])
        self.fields["rating"].widget.attrs["class"] = "form-select"
