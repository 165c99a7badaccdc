"""Forms of the reports' pages: opening a period, starting a report, the grid of values (numbers read and
shown in the user's language), the reason of a correction. They check shape only; the services decide."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.common.forms import PortalForm, PortalModelForm
from cnan.organizations.models import Organization

from .models import Indicator, ReportingPeriod, ReportValue, Scenario, value_problem

SCENARIOS = tuple(Scenario.values)


class PeriodOpenForm(PortalModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["kind", "year", "number", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "text", "placeholder": "dd/mm/yyyy"})}
        help_texts = {
            "number": gettext_lazy("The month, quarter or half-year within the year (1 for the year)."),
            "due_on": gettext_lazy(
                "The dates follow Decree 09/2019: a period ends on the 14th of its last month and starts on "
                "the 15th of the month before its first month. The report is due after the period ends."
            ),
        }

    def validate_unique(self) -> None:
        """The service refuses a period opened twice, with its own message."""


def member_enterprises(user: Any) -> Any:
    """The enterprises ``user`` belongs to (and those under them) that they may see: a report is filed by a
    member of its enterprise."""
    paths = [
        m.organization.path
        for m in getattr(user, "active_memberships", list)()
        if m.organization.kind == Organization.Kind.ENTERPRISE
    ]
    if not paths:
        return Organization.objects.none()
    condition = None
    from django.db.models import Q

    for path in paths:
        condition = Q(path__startswith=path) if condition is None else condition | Q(path__startswith=path)
    return (
        Organization.objects.visible_to(user, "view")
        .filter(condition, kind=Organization.Kind.ENTERPRISE)
        .order_by("code")
    )


class ReportAddForm(PortalForm):
    enterprise = forms.ModelChoiceField(queryset=Organization.objects.none(), label=gettext_lazy("Enterprise"))
    period = forms.ModelChoiceField(queryset=ReportingPeriod.objects.none(), label=gettext_lazy("Period"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enterprises = member_enterprises(user)
        enterprise_field: Any = self.fields["enterprise"]
        period_field: Any = self.fields["period"]
        enterprise_field.queryset = enterprises
        period_field.queryset = ReportingPeriod.objects.visible_to(user, "view").filter(
            state=ReportingPeriod.State.OPEN
        )
        if enterprises.count() == 1:
            enterprise_field.initial = enterprises.first()


class CorrectForm(PortalForm):
    reason = forms.CharField(label=gettext_lazy("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}))


class TransitionForm(PortalForm):
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- numbers in the user's language ---------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _separators() -> tuple[str, str]:
    """(thousands, decimal) of the active language: ``.`` and ``,`` in Vietnamese, ``,`` and ``.`` in English."""
    return str(formats.get_format("THOUSAND_SEPARATOR")), str(formats.get_format("DECIMAL_SEPARATOR"))


def parse_number(text: str) -> Decimal:
    """A number typed in the active language (``1.234,5`` in Vietnamese, ``1,234.5`` in English): digit groups
    in threes or none, one decimal separator. ``ValueError`` with the message otherwise."""
    thousands, decimal = _separators()
    raw = _SPACES.sub("", text)
    t, d = re.escape(thousands), re.escape(decimal)
    pattern = rf"^[+-]?(\d{{1,3}}({t}\d{{3}})+|\d+)({d}\d+)?$"
    if not re.match(pattern, raw):
        raise ValueError(_("Enter a number written as %(example)s.") % {"example": format_number(Decimal("1234.5"))})
    try:
        return Decimal(raw.replace(thousands, "").replace(decimal, "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError(_("Enter a number.")) from exc


def format_number(value: Decimal | None) -> str:
    """A stored figure as the active language writes it, without trailing zeros (``1.234,5`` / ``1,234.5``)."""
    if value is None:
        return ""
    plain = Decimal(f"{value.normalize():f}")
    return str(formats.number_format(plain, use_l10n=True, force_grouping=True))


def cell_name(indicator: Indicator, scenario: str) -> str:
    return f"v-{indicator.pk}-{scenario}"


def document_name(indicator: Indicator) -> str:
    return f"d-{indicator.pk}"


class ReportValuesForm(PortalForm):
    """One text input per indicator × scenario and one source document per indicator. ``changes`` are the
    rows for ``services.report_values_set`` that differ from the stored figures (an emptied cell removes its
    figure); ``grid`` is what the page shows, each number echoed in the user's language."""

    def __init__(
        self,
        data: Any = None,
        *,
        indicators: list[Indicator],
        current: dict[tuple[int, str], ReportValue],
    ) -> None:
        super().__init__(data)
        self.indicators = indicators
        self.current = current
        self.parsed: dict[str, Decimal | None] = {}
        for indicator in indicators:
            for scenario in SCENARIOS:
                self.fields[cell_name(indicator, scenario)] = forms.CharField(required=False, max_length=40)
            self.fields[document_name(indicator)] = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for indicator in self.indicators:
            for scenario in SCENARIOS:
                name = cell_name(indicator, scenario)
                text = (cleaned.get(name) or "").strip()
                if not text:
                    self.parsed[name] = None
                    continue
                try:
                    number = parse_number(text)
                except ValueError as exc:
                    self.add_error(name, str(exc))
                    continue
                problem = value_problem(indicator, number.quantize(Decimal("0.0001")))
                if problem:
                    self.add_error(name, problem)
                    continue
                self.parsed[name] = number
        return cleaned

    def changes(self) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        for indicator in self.indicators:
            document = (self.cleaned_data.get(document_name(indicator)) or "").strip()
            for scenario in SCENARIOS:
                given = self.parsed.get(cell_name(indicator, scenario))
                stored = self.current.get((indicator.pk, scenario))
                if given is None and stored is None:
                    continue
                if (
                    given is not None
                    and stored is not None
                    and given == stored.value
                    and document == stored.source_document
                ):
                    continue
                rows.append((indicator, scenario, given, ReportValue.Source.FORM, document))
        return rows

    def grid(self) -> list[dict[str, Any]]:
        rows = []
        for indicator in self.indicators:
            cells: list[dict[str, Any]] = []
            documents: list[str] = []
            for scenario in SCENARIOS:
                name = cell_name(indicator, scenario)
                stored = self.current.get((indicator.pk, scenario))
                if stored is not None and stored.source_document:
                    documents.append(stored.source_document)
                if self.is_bound:
                    if name in self.parsed and self.parsed[name] is not None:
                        shown = format_number(self.parsed[name])
                    else:
                        shown = self.data.get(name, "")
                else:
                    shown = format_number(stored.value) if stored is not None else ""
                cells.append({"name": name, "value": shown, "errors": self.errors.get(name, [])})
            doc = document_name(indicator)
            rows.append(
                {
                    "indicator": indicator,
                    "label": indicator_label(indicator),
                    "cells": cells,
                    "document": {
                        "name": doc,
                        "value": self.data.get(doc, "") if self.is_bound else (documents[0] if documents else ""),
                    },
                }
            )
        return rows


def indicator_label(indicator: Indicator) -> str:
    """The indicator's name in the active language (the English name when the page is in English)."""
    if translation.get_language() == "en" and indicator.name_en:
        return indicator.name_en
    return indicator.name
