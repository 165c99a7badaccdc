"""The self-reliance dashboard's choices: a year (or all years) and, for an export, which table and format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

TABLES = {
    "class": _("By product class"),
    "unit": _("By customer unit"),
    "year": _("By year"),
}


class DashboardForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    export = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", "---------"), ("xlsx", "XLSX"), ("csv", "CSV")]
    )
    table = forms.ChoiceField(label=_("Table"), required=False, choices=[("", "---------"), *TABLES.items()])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("export") and not data.get("table"):
            self.add_error("table", _("Choose the table to export."))
        return data
