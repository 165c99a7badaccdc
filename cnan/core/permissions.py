"""The one visibility rule (DESIGN.md §3): organisation scope and clearance.

A user holds memberships ``(organisation, role)``. A role maps to permission codenames and either covers
the membership organisation's subtree or, for ministry-level roles, every organisation. A record is
visible for an action when the user holds the action's permission with a scope that covers the record's
organisation, and the user's clearance is at least the record's classification.

The rule is written once and read two ways: as a queryset filter (:func:`visible_q`, used by
``RestrictedQuerySet.visible_to``) and as an object check (:func:`has_perm`). Pages, API, exports,
search, dashboards and reports all go through one of the two.

Models opt in by declaring ``scope_lookup``: the ORM path from the model to ``Organization.path``
(``"path"`` for an organisation itself, ``"organization__path"`` for a record owned by one). A lookup
crossing a many-valued relation sets ``scope_multivalued = True``. A record that belongs to several
organisations at once (an assigned task: the assigning unit, the lead, the coordinating units) declares a
tuple of lookups; it is visible when any of them is in scope.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .classification import user_clearance


@dataclass(frozen=True)
class Scope:
    """Where a permission applies: everywhere, or in the subtrees rooted at ``paths``."""

    everywhere: bool = False
    paths: frozenset[str] = field(default_factory=frozenset)

    def covers(self, path: str | None) -> bool:
        if self.everywhere:
            return True
        if not path:
            return False
        return any(path.startswith(prefix) for prefix in self.paths)

    def merge(self, other: Scope) -> Scope:
        if self.everywhere or other.everywhere:
            return Scope(everywhere=True)
        return Scope(paths=_minimal_prefixes(self.paths | other.paths))


def _minimal_prefixes(paths: Iterable[str]) -> frozenset[str]:
    """Drop paths already covered by a shorter prefix, so filters stay small."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return frozenset(kept)


@dataclass(frozen=True)
class Grants:
    """A user's permissions with their scopes, computed once per request (see ``accounts.User``)."""

    perms: dict[str, Scope] = field(default_factory=dict)
    role_codes: frozenset[str] = field(default_factory=frozenset)

    def scope(self, perm: str) -> Scope | None:
        return self.perms.get(perm)


NO_GRANTS = Grants()


def grants_for(user: Any) -> Grants:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NO_GRANTS
    getter = getattr(user, "get_grants", None)
    return getter() if getter else NO_GRANTS


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def may_list(user: Any, model: type[models.Model]) -> bool:
    """Whether the user may open the list of this model at all (holds its view permission somewhere)."""
    if getattr(model, "reference_data", False):
        return _signed_in(user)
    return grants_for(user).scope(perm_name(model, "view")) is not None


def perm_name(model: type[models.Model], action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def is_scoped(model: type[models.Model]) -> bool:
    return getattr(model, "scope_lookup", None) is not None


def has_classification(model: type[models.Model]) -> bool:
    try:
        model._meta.get_field("classification")
    except Exception:  # noqa: BLE001 - FieldDoesNotExist
        return False
    return True


def scope_q(user: Any, perm: str, lookup: str | tuple[str, ...] | None) -> Q | None:
    """Organisation-scope part of the rule for ``perm``, as a filter on ``lookup`` (a path to
    ``Organization.path``). ``None`` means nowhere; an empty ``Q()`` means everywhere."""
    scope = grants_for(user).scope(perm)
    if scope is None:
        return None
    if scope.everywhere:
        return Q()
    if lookup is None or not scope.paths:
        return None
    lookups = (lookup,) if isinstance(lookup, str) else tuple(lookup)
    return reduce(
        operator.or_,
        (Q(**{f"{path}__startswith": prefix}) for path in lookups for prefix in sorted(scope.paths)),
    )


def visible_q(user: Any, model: type[models.Model], action: str = "view") -> Q | None:
    """The rule as a filter; ``None`` means the user may see nothing of this model for this action.

    Reference data (``reference_data = True``: product groups, …) is readable by every signed-in user."""
    if action == "view" and getattr(model, "reference_data", False):
        return Q() if _signed_in(user) else None
    condition = scope_q(user, perm_name(model, action), getattr(model, "scope_lookup", None))
    if condition is None:
        return None
    if has_classification(model):
        condition &= Q(classification__lte=user_clearance(user))
    return condition


def object_scope_paths(obj: models.Model) -> list[str]:
    """The organisation paths an object belongs to (a model may override with ``get_scope_paths``)."""
    custom = getattr(obj, "get_scope_paths", None)
    if custom is not None:
        return [p for p in custom() if p]
    lookup = getattr(type(obj), "scope_lookup", None)
    if not lookup:
        return []
    paths: list[str] = []
    for one in (lookup,) if isinstance(lookup, str) else lookup:
        values: list[Any] = [obj]
        for part in one.split("__"):
            next_values: list[Any] = []
            for value in values:
                if value is None:
                    continue
                try:
                    attr: Any = getattr(value, part, None)
                except ValueError:  # a many-to-many manager of a record not saved yet: nothing there yet
                    continue
                if attr is not None and callable(getattr(attr, "all", None)):
                    next_values.extend(attr.all())
                else:
                    next_values.append(attr)
            values = next_values
        paths.extend(v for v in values if isinstance(v, str) and v and v not in paths)
    return paths


def has_perm(user: Any, perm: str, obj: models.Model | None = None) -> bool:
    """The rule as an object check. Without ``obj``: does the user hold ``perm`` anywhere."""
    scope = grants_for(user).scope(perm)
    if scope is None:
        if obj is not None and getattr(type(obj), "reference_data", False) and perm.split(".")[-1].startswith("view_"):
            return _signed_in(user)
        return False
    if obj is None:
        return True
    if getattr(obj, "classification", 0) > user_clearance(user):
        return False
    if scope.everywhere:
        return True
    return any(scope.covers(path) for path in object_scope_paths(obj))


def can(user: Any, action: str, obj: models.Model) -> bool:
    return has_perm(user, perm_name(type(obj), action), obj)


def require(actor: Any, perm: str, obj: models.Model | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may; ``actor=None`` is the system (management commands)."""
    if actor is None:
        return
    if not has_perm(actor, perm, obj):
        raise PermissionDenied(_("You do not have permission to perform this action."))
