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
