"""The query forms of the achievement pages (GET parameters): they check shape only; an unknown indicator, a
year out of range or a period number the kind does not have is a 400 with the form's message."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cnan.organizations.models import Organization

from . import selectors
from .models import Indicator, PeriodKind, check_period_number

EXPORTS = [("", "—"), ("xlsx", "XLSX")]


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


class AchievementForm(forms.Form):
    """``?indicator=&year=&period_kind=&period_number=&units=&export=xlsx``."""

    indicator: forms.ModelChoiceField[Indicator] = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), required=False
    )
    year = _year_field()
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, required=False)
    period_number = forms.IntegerField(label=_("Period number"), min_value=1, max_value=12, required=False)
    units: forms.ModelMultipleChoiceField[Organization] = forms.ModelMultipleChoiceField(
        label=_("Enterprises"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("None chosen: every enterprise you may see with a target or a value."),
    )
    export = forms.ChoiceField(choices=EXPORTS, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicator_field = cast(forms.ModelChoiceField, self.fields["indicator"])
        units_field = cast(forms.ModelMultipleChoiceField, self.fields["units"])
        indicator_field.queryset = selectors.indicator_list(user=user, active_only=True)
        units_field.queryset = (
            Organization.objects.visible_to(user, "view").filter(kind=Organization.Kind.ENTERPRISE).order_by("code")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year") is None:
            data["year"] = timezone.localdate().year
        data["period_kind"] = data.get("period_kind") or PeriodKind.YEAR
        if data.get("period_number") is None:
            data["period_number"] = 1
        if "period_number" not in self.errors:
            problem = check_period_number(data["period_kind"], data["period_number"])
            if problem:
                self.add_error("period_number", problem)
        return data


class YearForm(forms.Form):
    """``?year=`` (this year when not given)."""

    year = _year_field()

    def clean_year(self) -> int:
        year = self.cleaned_data.get("year")
        return year if year is not None else timezone.localdate().year


class DashboardForm(YearForm):
    """``?year=&indicator=`` (the indicator of the bar chart and the trend; revenue when not given)."""

    indicator: forms.ModelChoiceField[Indicator] = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["indicator"])
        field.queryset = selectors.indicator_list(user=user, active_only=True)
