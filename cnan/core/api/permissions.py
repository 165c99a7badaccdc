from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from ..permissions import can, grants_for, may_list, perm_name

_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class ScopedModelPermission(BasePermission):
    """DRF adapter of the one visibility rule: the same permission codenames and scopes as the pages.

    Lists and retrievals are already restricted by the viewset's selector (invisible objects are 404);
    writes need the action's permission somewhere, and on the object itself.
    """

    def _model(self, view: Any):
        queryset = getattr(view, "queryset", None)
        if queryset is not None:
            return queryset.model
        return getattr(view, "model", None)

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        model = self._model(view)
        if model is None:
            return True
        action = "view" if request.method in SAFE_METHODS else _ACTIONS.get(request.method, "change")
        if action == "view":
            return may_list(request.user, model)
        return grants_for(request.user).scope(perm_name(model, action)) is not None

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return can(request.user, _ACTIONS.get(request.method, "change"), obj)


class ActionPermission(ScopedModelPermission):
    """The one rule for viewsets whose writes go through services that check the side they act for: a call
    needs its permission somewhere (else 403); the selector then makes the record visible (else 404) and the
    service checks the permission on the record's side (403).

    ``view.action_permissions`` names what an action needs when it is not the model's own
    ``<action>_<model>``: a codename, a ``{method: codename}`` map, or ``(view) -> codename``; a view without
    a model names it in ``required_perm``."""

    def required(self, request: Any, view: Any) -> str:
        rule = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if callable(rule):
            return rule(view)
        if isinstance(rule, dict) and request.method in rule:
            return rule[request.method]
        if isinstance(rule, str) and request.method not in SAFE_METHODS:
            return rule
        fixed = getattr(view, "required_perm", None)
        if fixed:
            return fixed
        act = "view" if request.method in SAFE_METHODS else _ACTIONS.get(request.method, "change")
        return perm_name(self._model(view), act)

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return grants_for(request.user).scope(self.required(request, view)) is not None

    def has_object_permission(self, request, view, obj) -> bool:
        return True  # the selector made it visible; the service checks the write on the right side
