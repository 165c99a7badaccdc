"""Generic write helpers used by the audited services in ``core``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(
    *,
    instance: M,
    fields: Iterable[str],
    data: Mapping[str, Any],
    current_m2m: Mapping[str, Iterable[Any]] | None = None,
) -> tuple[M, list[str]]:
    """Set the listed ``fields`` that appear in ``data`` and differ; return the instance and the changed names.

    Many-to-many fields are accepted too: they are compared as sets (against ``current_m2m`` when the
    caller has already read them) and left for the caller to write after the row is saved.
    Nothing is saved here; the caller (an audited service) validates and saves.
    """
    changed: list[str] = []
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        value = data[name]
        if field.many_to_many:
            if current_m2m is not None and name in current_m2m:
                current = set(current_m2m[name])
            else:
                current = {obj.pk for obj in getattr(instance, name).all()} if instance.pk else set()
            wanted = {getattr(obj, "pk", obj) for obj in value}
            if current != wanted:
                changed.append(name)
            continue
        attname = getattr(field, "attname", name) if field.is_relation else name
        new = getattr(value, "pk", value) if field.is_relation else value
        if getattr(instance, attname) != new:
            setattr(instance, attname, new)
            changed.append(name)
    return instance, changed
