"""The audit trail: one record per change, in the same transaction, and append-only in the database."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

import pytest

from cnan.core.models import ObjectChange
from cnan.core.testing import changes_for
from cnan.organizations import services


def test_create_update_delete_write_exactly_one_record_each(world, officer):
    before = ObjectChange.objects.count()
    facility = services.facility_create(
        actor=officer,
        data={
            "organization": world.ent_b,
            "code": "F-NEW",
            "name": "Xưởng mới",
            "kind": "other",
            "province": "da-nang",
        },
    )
    assert ObjectChange.objects.count() == before + 1
    services.facility_update(actor=officer, instance=facility, data={"name": "Xưởng mới (đổi tên)"})
    assert ObjectChange.objects.count() == before + 2
    pk = facility.pk
    services.facility_delete(actor=officer, instance=facility)
    assert ObjectChange.objects.count() == before + 3

    create, update, delete = ObjectChange.objects.filter(object_id=str(pk), content_type__model="facility").order_by(
        "id"
    )
    assert (create.action, update.action, delete.action) == ("create", "update", "delete")
    assert create.before is None and create.after["name"] == "Xưởng mới"
    assert update.changed_fields == ["name"]
    assert update.before["name"] == "Xưởng mới" and update.after["name"] == "Xưởng mới (đổi tên)"
    assert delete.after is None and delete.before["code"] == "F-NEW"
    assert {c.actor_id for c in (create, update, delete)} == {officer.pk}
    assert create.organization_id == world.ent_b.pk


def test_update_without_change_records_nothing(world, officer):
    before = ObjectChange.objects.count()
    services.facility_update(actor=officer, instance=world.facility_b, data={"name": world.facility_b.name})
    assert ObjectChange.objects.count() == before


def test_failed_write_leaves_no_record_and_no_change(world, officer):
    before = ObjectChange.objects.count()
    with pytest.raises(Exception):  # noqa: B017,PT011 - validation error type is the service's business
        services.facility_update(actor=officer, instance=world.facility_a, data={"kind": "core", "decision_number": ""})
    world.facility_a.refresh_from_db()
    assert world.facility_a.decision_number == "12/QĐ-BCA"
    assert ObjectChange.objects.count() == before


def test_record_carries_request_id_from_the_action_context(world, officer):
    from cnan.core.context import action_context

    with action_context(source="api") as ctx:
        services.facility_update(actor=officer, instance=world.facility_b, data={"capacity": "100/năm"})
    change = changes_for(world.facility_b).last()
    assert change.request_id == ctx.request_id
    assert change.source == "api"


def test_record_stores_every_column_as_the_orm_reads_it_back(world, officer):
    """The change record is written with a prepared INSERT, not ``save()``: every column must still come
    back typed (aware time, UUID, IP address, JSON with dates and decimals) on SQLite and PostgreSQL."""
    import datetime
    import uuid
    from decimal import Decimal

    from django.utils import timezone

    from cnan.core import audit
    from cnan.core.context import action_context

    started = timezone.now()
    with action_context(source="web", ip_address="10.1.2.3") as ctx:
        audit.record(
            action=ObjectChange.Action.UPDATE,
            instance=world.facility_b,
            actor=officer,
            before={"established_on": datetime.date(2020, 1, 2), "capital": Decimal("12.50"), "name": "Cũ"},
            after={"established_on": datetime.date(2021, 3, 4), "capital": Decimal("13.75"), "name": "Mới"},
        )
    change = changes_for(world.facility_b).last()
    assert isinstance(change.request_id, uuid.UUID) and change.request_id == ctx.request_id
    assert change.ip_address == "10.1.2.3"
    assert change.actor_id == officer.pk and change.actor_name == officer.username
    assert change.organization_id == world.facility_b.organization_id
    assert started <= change.time <= timezone.now()
    assert change.changed_fields == ["capital", "established_on", "name"]
    assert change.before == {"established_on": "2020-01-02", "capital": "12.50", "name": "Cũ"}
    assert change.after == {"established_on": "2021-03-04", "capital": "13.75", "name": "Mới"}
    assert change.object_repr == str(world.facility_b)


def test_request_ids_grow_with_time():
    """Version-7 ids are appended at the end of the request-id index instead of at random places in it."""
    from cnan.core.context import new_request_id

    ids = [new_request_id() for _ in range(50)]
    assert {i.version for i in ids} == {7}
    assert ids == sorted(ids) and str(ids[0]) < str(ids[-1])


@pytest.mark.django_db(transaction=False)
def test_database_refuses_update_of_a_change_record(world):
    change = ObjectChange.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ObjectChange.objects.filter(pk=change.pk).update(actor_name="tampered")
    change.refresh_from_db()
    assert change.actor_name != "tampered"


def test_database_refuses_delete_of_a_change_record(world):
    count = ObjectChange.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        ObjectChange.objects.filter(pk=ObjectChange.objects.first().pk).delete()
    assert ObjectChange.objects.count() == count


def test_raw_sql_update_is_refused_too(world):
    table = ObjectChange._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET object_repr = %s", ["x"])  # noqa: S608
    assert not ObjectChange.objects.filter(object_repr="x").exists()
