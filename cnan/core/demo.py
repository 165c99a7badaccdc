"""The demo world: each app contributes a builder in its ``demo.py``; ``manage.py cnan demo`` runs them in order.

Builders write only through services, deterministically (fixed data, seeded randomness), so two runs
on empty databases give the same world.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

DEMO_PASSWORD = "cnan-demo-2026"  # noqa: S105 - the documented password of the local demo accounts


@dataclass
class DemoWorld:
    """What builders share: the organisations and users made so far, and one seeded random source."""

    actor: Any = None
    orgs: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, organisation)
    rng: random.Random = field(default_factory=lambda: random.Random(20260116))  # noqa: S311 - demo data
    log: Callable[[str], None] = print


@dataclass(frozen=True)
class Builder:
    name: str
    order: int
    build: Callable[[DemoWorld], None]
    present: Callable[[], bool] | None = None  # True when this part of the world is already in the database


_builders: dict[str, Builder] = {}


def register(
    name: str, order: int, present: Callable[[], bool] | None = None
) -> Callable[[Callable[[DemoWorld], None]], Callable[[DemoWorld], None]]:
    def decorator(fn: Callable[[DemoWorld], None]) -> Callable[[DemoWorld], None]:
        _builders[name] = Builder(name=name, order=order, build=fn, present=present)
        return fn

    return decorator


def builders() -> list[Builder]:
    autodiscover_modules("demo")
    return sorted(_builders.values(), key=lambda b: b.order)


def already_loaded() -> bool:
    return any(b.present() for b in builders() if b.present is not None)


def account_lines() -> list[tuple[str, str, str]]:
    """(user name, role, organisation) of every active account with a current role."""
    from django.contrib.auth import get_user_model

    rows = []
    for user in get_user_model().objects.filter(is_active=True).order_by("username"):
        for membership in user.active_memberships():
            rows.append((user.username, str(membership.role), membership.organization.name))
    return rows
