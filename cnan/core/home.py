"""Home-page widgets: apps register a template and a context function; core renders what the user may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Widget:
    key: str
    template: str
    context: Callable[[Any], dict[str, Any] | None]  # returns None when the user may not see the widget
    order: int = 100
    width: int = 6  # Bootstrap columns out of 12


_widgets: dict[str, Widget] = {}


def register(widget: Widget) -> None:
    _widgets[widget.key] = widget


def widgets_for(user: Any) -> list[tuple[Widget, dict[str, Any]]]:
    shown = []
    for widget in sorted(_widgets.values(), key=lambda w: (w.order, w.key)):
        context = widget.context(user)
        if context is not None:
            shown.append((widget, context))
    return shown
