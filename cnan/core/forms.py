"""Forms of the core pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cnan.common.forms import PortalForm


class ImportUploadForm(PortalForm):
    """The file of an import. Only its presence is checked here; ``core.imports`` checks the rest."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) made from the template, or a CSV file in UTF-8."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
