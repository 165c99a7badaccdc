from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import navigation, selectors


def portal(request: HttpRequest) -> dict[str, Any]:
    """Shell context: menu, the user's organisations and roles, unread notifications, deployment profile."""
    cached = getattr(request, "_cnan_portal_context", None)
    if cached is not None:  # a page may render templates with context processors more than once
        return cached
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"cnan_profile": settings.CNAN_PROFILE}
    if user is None or not user.is_authenticated:
        return context
    context.update(
        {
            "menu": navigation.menu_for(user),
            "current_memberships": user.active_memberships(),
            "unread_notifications": selectors.notification_unread_count(user=user),
        }
    )
    request._cnan_portal_context = context  # type: ignore[attr-defined]
    return context
