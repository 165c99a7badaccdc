"""Change records: snapshots of an object before and after, written by services (never by signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router
from django.utils import timezone

from .context import current, current_request_id

# Never copied into the audit trail, whatever the model.
_ALWAYS_EXCLUDED = {"password", "search_text"}


def snapshot(instance: models.Model, *, many_to_many: bool = True) -> dict[str, Any]:
    """The object's concrete fields (foreign keys as ids) and, unless ``many_to_many`` is false, its
    many-to-many ids (one query per many-to-many field). Values are encoded to JSON when the change
    record is saved (``AuditEncoder``), not here: a snapshot costs no serialisation round trip."""
    excluded = _ALWAYS_EXCLUDED | set(getattr(instance, "audit_exclude", ()))
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.name in excluded:
            continue
        data[f.name] = f.value_from_object(instance)
    if many_to_many and instance.pk is not None:
        for f in instance._meta.many_to_many:
            if f.name in excluded:
                continue
            data[f.name] = m2m_ids(instance, f.name)
    return data


def m2m_ids(instance: models.Model, name: str) -> list[Any]:
    return sorted(getattr(instance, name).values_list("pk", flat=True))


class AuditEncoder(DjangoJSONEncoder):
    """Dates, decimals and UUIDs as Django encodes them; any other value (a country …) as its text."""

    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    before = before or {}
    after = after or {}
    skip = {"updated_at"}
    return sorted(k for k in set(before) | set(after) if k not in skip and before.get(k) != after.get(k))


def _organization_id(instance: models.Model) -> int | None:
    explicit = getattr(instance, "audit_organization_id", None)
    if explicit is not None:
        return explicit
    return getattr(instance, "organization_id", None)


def _classification(instance: models.Model) -> int:
    """The level a change record inherits: the object's own, or what the model says (``audit_classification``)."""
    level = getattr(instance, "audit_classification", None)
    if level is None:
        level = getattr(instance, "classification", 0)
    return int(level or 0)


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "system"
    return getattr(actor, "username", None) or str(actor)


def record(
    *,
    action: str,
    instance: models.Model,
    actor: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    object_id: Any = None,
) -> None:
    """Write one change record. Call inside the service's transaction."""
    ctx = current()
    pk = object_id if object_id is not None else instance.pk
    changed = changed_fields(before, after)
    if before is not None and after is not None:
        # An update keeps the values of the fields it changed, before and after (the full state of
        # the object is the creation record plus the updates); a creation or deletion keeps it all.
        before = {k: before.get(k) for k in changed}
        after = {k: after.get(k) for k in changed}
    _insert(
        {
            "time": timezone.now(),
            "actor_id": actor.pk if getattr(actor, "pk", None) else None,
            "actor_name": _actor_name(actor),
            "request_id": current_request_id(),
            "source": ctx.source if ctx else "command",
            "ip_address": ctx.ip_address if ctx else None,
            "organization_id": _organization_id(instance),
            "content_type_id": ContentType.objects.get_for_model(instance, for_concrete_model=True).pk,
            "object_id": str(pk),
            "object_repr": str(instance)[:255],
            "action": action,
            "classification": _classification(instance),
            "before": before,
            "after": after,
            "changed_fields": changed,
        }
    )


# Per database alias: the INSERT statement, and per column the field whose database preparation the
# value needs (None when the value is passed as it is: text, integers, ids).
_INSERT: dict[str, tuple[str, list[tuple[str, models.Field | None]]]] = {}
_PASSED_AS_IS = (models.CharField, models.IntegerField, models.ForeignKey)


def _insert(values: dict[str, Any]) -> None:
    """INSERT one change record with a statement built once per database.

    Values that need it go through their field's own database preparation (dates, UUIDs, IP addresses,
    JSON with ``AuditEncoder``), exactly as ``save()`` would; what ``save()`` adds besides (compiling
    the statement each time, signals, a model instance) is skipped, because the audit trail must cost
    little next to the write it records (BENCHMARKS.md, ``audit_overhead``). Nothing listens to the
    saving of change records. Every column of the model must be given.
    """
    from .models import ObjectChange

    alias = router.db_for_write(ObjectChange)
    connection = connections[alias]
    cached = _INSERT.get(alias)
    if cached is None:
        meta = ObjectChange._meta
        fields = [f for f in meta.local_concrete_fields if not f.primary_key]
        column_names = [str(f.column) for f in fields]
        qn = connection.ops.quote_name
        # Built from the model's own table and column names only; every value is a parameter.
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            qn(meta.db_table), ", ".join(qn(c) for c in column_names), ", ".join(["%s"] * len(fields))
        )
        columns = [(f.attname, None if isinstance(f, _PASSED_AS_IS) else f) for f in fields]
        cached = _INSERT[alias] = (sql, columns)
    sql, columns = cached
    params = [
        values[name] if field is None else field.get_db_prep_save(values[name], connection) for name, field in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def history(instance: models.Model):
    """The change records of one object, newest first."""
    from .models import ObjectChange

    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    ).select_related("actor")
