"""Forms of the plans area: they check shape only; the services decide (permissions, the plan's state, the
model's rules, the value's sense for its indicator)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cnan.common.forms import DateInput, PortalForm, PortalModelForm
from cnan.organizations.models import Organization
from cnan.organizations.selectors import organization_choices

from . import services
from .models import Indicator, Plan, Target


class ShapeOnlyForm(PortalModelForm):
    """The services run the model's checks (``full_clean``) against what the record was."""

    def _post_clean(self) -> None:
        pass


def _offer(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - a relation's field
    field.queryset = queryset


def _localise(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        if name in form.fields:
            form.fields[name].localize = True
            form.fields[name].widget.is_localized = True


class IndicatorForm(ShapeOnlyForm):
    class Meta:
        model = Indicator
        fields = services.INDICATOR_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Indicator.objects.order_by("order", "code")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        for name in ("weight", "numerator", "denominator"):
            _offer(self, name, others)
        _localise(self, "scale")


class PlanForm(ShapeOnlyForm):
    class Meta:
        model = Plan
        fields = (*services.PLAN_FIELDS, *services.CLASSIFICATION_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "protected_until": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a plan's kind and owner are fixed once it exists
            del self.fields["kind"]
            del self.fields["owner"]
        else:
            owners = organization_choices(user=self.user, perm="planning.add_plan").filter(
                kind__in=(Organization.Kind.DEPARTMENT, Organization.Kind.ENTERPRISE)
            )
            _offer(self, "owner", owners)
        parents = Plan.objects.visible_to(self.user, "view").filter(kind__in=(Plan.Kind.PROJECT, Plan.Kind.FIVE_YEAR))
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        _offer(self, "parent", parents.order_by("-start_year", "code"))


class TargetForm(ShapeOnlyForm):
    """A target of a plan (``services.target_set``); once it exists only its value and note change."""

    class Meta:
        model = Target
        fields = ("unit", "indicator", "year", "period_kind", "period_number", "value", "note")
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "value": forms.TextInput(attrs={"inputmode": "decimal"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("unit", "indicator", "year", "period_kind", "period_number"):
                del self.fields[name]
        else:
            _offer(self, "unit", Organization.objects.visible_to(self.user, "view").order_by("path"))
            _offer(self, "indicator", Indicator.objects.filter(active=True).order_by("order", "code"))
            self.fields["unit"].help_text = _("The plan's owner for its own total, or a unit under it.")
        _localise(self, "value")


class PlanTransitionForm(PortalForm):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=100)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())
