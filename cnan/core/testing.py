"""Test helpers shared by every app's tests (no models; imported only by tests)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection


def login(client: Any, user: Any) -> Any:
    """Sign ``user`` in on a Django or DRF test client, second factor included when the role needs it."""
    client.force_login(user)
    if getattr(user, "requires_second_factor", False):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def changes_for(instance: Any):
    """The change records of one object, oldest first."""
    from cnan.core.models import ObjectChange

    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True), object_id=str(instance.pk)
    ).order_by("id")


def purge_audit_tables() -> None:
    """Empty the append-only tables the only way possible: lift the guard, delete, restore the guard.

    Used after live-server (transactional) tests on SQLite, whose flush deletes rows one by one and
    would be refused by the append-only trigger. PostgreSQL's flush truncates, which the row trigger
    does not see."""
    if connection.vendor != "sqlite":
        return
    tables = ("core_objectchange", "core_recordaccess")
    with connection.cursor() as cursor:
        for table in tables:
            for op in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            for op in ("UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
                )


STATE_APPS = (
    "accounts",
    "organizations",
    "catalogue",
    "directives",
    "research",
    "planning",
    "supply",
    "core",
    "authtoken",
    "otp_totp",
    "axes",
)


def database_state(app_labels: tuple[str, ...] = STATE_APPS) -> dict[str, list[tuple]]:
    """Every row of these apps' tables (many-to-many links included), for "nothing changed" checks.

    Compare the value before and after a refused request: equal means no row was added, changed or removed
    (the audit trail included)."""
    from django.apps import apps

    state: dict[str, list[tuple]] = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.app_label in app_labels and not opts.proxy:
            state[opts.label] = list(model._base_manager.order_by("pk").values_list())
    return state


def import_xlsx(key: str, rows: list[dict[str, Any]], *, header: list[str] | None = None) -> bytes:
    """An XLSX for the import ``key`` as a person fills in its template: the header row of the column
    labels (in the active language), then ``rows`` (column name → cell value)."""
    import io

    from openpyxl import Workbook

    from cnan.core import imports

    spec = imports.get(key)
    names = [c.name for c in spec.columns]
    wb = Workbook()
    ws = wb.active
    ws.append(header or [str(c.label) for c in spec.columns])
    for row in rows:
        ws.append([row.get(name) for name in names])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
