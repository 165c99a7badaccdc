"""Reads of core records, each starting from the visibility rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from .filters import ObjectChangeFilterSet
from .models import ImportBatch, Job, Notification, ObjectChange


def apply_filterset(filterset_class: type, data: Mapping[str, Any] | None, queryset: QuerySet) -> QuerySet:
    """Apply a FilterSet the same way for pages, API and jobs; invalid input raises ``ValidationError``."""
    if not data:
        return queryset
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        errors = {name: [e["message"] for e in errs] for name, errs in filterset.errors.get_json_data().items()}
        raise ValidationError(errors)
    return filterset.qs


def objectchange_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[ObjectChange]:
    qs = ObjectChange.objects.visible_to(user, "view").select_related("actor", "content_type", "organization")
    return apply_filterset(ObjectChangeFilterSet, filters, qs)


def objectchange_get(*, user: Any, pk: Any) -> ObjectChange:
    return objectchange_list(user=user).get(pk=pk)


def job_list(*, user: Any) -> QuerySet[Job]:
    return Job.objects.for_user(user)


def job_get(*, user: Any, pk: Any) -> Job:
    return Job.objects.for_user(user).get(pk=pk)


def notification_list(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.for_user(user)


def notification_unread_count(*, user: Any) -> int:
    return Notification.objects.for_user(user).unread().count()


def import_batch_get(*, user: Any, pk: Any) -> ImportBatch:
    """One of the user's own import batches (nobody else's)."""
    return ImportBatch.objects.for_user(user).select_related("job").get(pk=pk)
