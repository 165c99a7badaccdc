"""Form helpers: Bootstrap classes on widgets and ISO date inputs, for every form of the portal."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A native date picker; the value travels as ISO (the page shows the user's locale)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def style_form(form: forms.BaseForm, *, small: bool = False) -> forms.BaseForm:
    """Bootstrap classes on every widget and native date pickers. It does not validate the form (reading
    ``form.errors`` here would validate it before a subclass has narrowed its choices)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.DateInput) and not isinstance(widget, DateInput):
            field.widget = widget = DateInput(attrs=widget.attrs)
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = ""
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select form-select-sm" if small else "form-select"
            if isinstance(widget, forms.SelectMultiple):
                widget.attrs.setdefault("size", min(5, max(2, len(getattr(field, "choices", [])))))
        else:
            css = "form-control form-control-sm" if small else "form-control"
        existing = widget.attrs.get("class", "")
        widget.attrs["class"] = f"{existing} {css}".strip()
    return form


def mark_invalid(form: forms.BaseForm) -> None:
    """After validation: ``is-invalid`` and ``aria-invalid`` on the widgets of fields with errors."""
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()
            attrs["aria-invalid"] = "true"


class PortalFormMixin:
    """Adds Bootstrap classes and ``is-invalid`` to widgets; renders with ``components/form.html``."""

    template_name = "components/form.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        style_form(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        mark_invalid(self)  # type: ignore[arg-type]

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        mark_invalid(self)  # type: ignore[arg-type]


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
