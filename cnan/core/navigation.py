"""The portal's navigation: fixed areas, each app registers its menu items with the permission they need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .permissions import grants_for


@dataclass(frozen=True)
class Area:
    key: str
    label: Promise
    icon: str


AREAS = [
    Area("organizations", _("Organisations"), "bi-diagram-3"),
    Area("catalogue", _("Products"), "bi-box-seam"),
    Area("planning", _("Planning"), "bi-graph-up-arrow"),
    Area("supply", _("Supply"), "bi-truck"),
    Area("research", _("Science & technology"), "bi-lightbulb"),
    Area("directives", _("Steering"), "bi-flag"),
    Area("certification", _("Certification"), "bi-patch-check"),
    Area("workforce", _("Workforce"), "bi-people"),
    Area("reporting", _("Reports"), "bi-file-earmark-bar-graph"),
    Area("system", _("System"), "bi-gear"),
]


@dataclass(frozen=True)
class MenuItem:
    area: str
    label: Promise
    url_name: str
    perm: str | None = None
    order: int = 100


@dataclass
class MenuArea:
    area: Area
    items: list[tuple[MenuItem, str]] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return bool(self.items)


_items: list[MenuItem] = []


def register(*items: MenuItem) -> None:
    _items.extend(items)


def menu_for(user: Any) -> list[MenuArea]:
    grants = grants_for(user)
    areas = [MenuArea(area=a) for a in AREAS]
    by_key = {m.area.key: m for m in areas}
    for item in sorted(_items, key=lambda i: i.order):
        if item.perm and grants.scope(item.perm) is None:
            continue
        by_key[item.area].items.append((item, reverse(item.url_name)))
    # Areas whose apps are not installed yet stay visible but disabled, except the system area.
    return [m for m in areas if m.available or m.area.key != "system"]
