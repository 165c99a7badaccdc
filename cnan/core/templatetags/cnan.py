from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.loader import render_to_string

from ..classification import Classification

register = template.Library()


@register.simple_tag
def classification_badge(obj: Any) -> str:
    level = getattr(obj, "classification", 0) or 0
    if not level:
        return ""
    return render_to_string("components/classification.html", {"level": level, "label": Classification(level).label})


@register.simple_tag(takes_context=True)
def import_url(context: Any, key: str, **params: Any) -> str:
    """``{% import_url "catalogue:bom_lines" product=object.pk as url %}``: the import page of a
    ``core.imports`` spec for the signed-in user, or "" if they may not use it."""
    from .. import imports

    request = context.get("request")
    return imports.url_for(getattr(request, "user", None), key, **params) or ""


@register.filter
def audit_value(value: Any) -> str:
    """A before/after value of a change record, readable (lists joined, empty shown as a dash)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


@register.filter
def vnd(value: Any) -> str:
    """Money in đồng with the locale's thousand separator."""
    if value is None or value == "":
        return "—"
    return f"{intcomma(value)} ₫"


@register.filter
def json_labels(pairs: Any) -> str:
    """``[(label, value, …), …]`` → JSON list of labels (for a chart's ``data-labels``; autoescaped)."""
    import json

    return json.dumps([str(p[0]) for p in pairs or []], ensure_ascii=False)


@register.filter
def json_values(pairs: Any) -> str:
    import json

    return json.dumps([float(p[1]) if p[1] is not None else None for p in pairs or []])
