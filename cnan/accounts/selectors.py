from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet

from cnan.core.selectors import apply_filterset

from .filters import UserFilterSet
from .models import Membership, Role, User


def user_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[User]:
    qs = User.objects.visible_to(user, "view").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.current().select_related("organization", "role"),
            to_attr="current_memberships",
        )
    )
    return apply_filterset(UserFilterSet, filters, qs)


def user_get(*, user: Any, pk: Any) -> User:
    return User.objects.visible_to(user, "view").get(pk=pk)


def user_memberships(*, user: Any, subject: User) -> QuerySet[Membership]:
    return (
        Membership.objects.visible_to(user, "view")
        .filter(user=subject)
        .select_related("organization", "role")
        .order_by("-valid_to", "organization__path")
    )


def role_list() -> QuerySet[Role]:
    return Role.objects.all()


def user_is_locked_out(*, subject: User) -> bool:
    """Whether sign-in is currently refused for this user name after repeated failures (django-axes)."""
    from django.conf import settings
    from django.utils import timezone

    from axes.models import AccessAttempt

    if not settings.AXES_ENABLED:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        username=subject.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).exists()


def user_has_authenticator(*, subject: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=subject, confirmed=True).exists()
