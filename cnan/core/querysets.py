from __future__ import annotations

from typing import Any

from django.db import models

from .permissions import visible_q


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows the visibility rule: ``Model.objects.visible_to(user, "view")``."""

    def visible_to(self, user: Any, action: str = "view"):
        condition = visible_q(user, self.model, action)
        if condition is None:
            return self.none()
        if getattr(self.model, "scope_multivalued", False):
            return self.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))
        return self.filter(condition)


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
