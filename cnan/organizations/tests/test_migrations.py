"""The data migration 0002_product_groups: forwards it loads the product groups, backwards it removes them.

Run with django-test-migrations' ``migrator``: it rebuilds the schema up to the migration before the one
tested, so these are transactional tests, flushed afterwards like the browser tests (which reload the
reference data they need).
"""

from __future__ import annotations

import pytest

from cnan.core.testing import purge_audit_tables

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("organizations", "0001_initial")
AFTER = ("organizations", "0002_product_groups")
FOCUS_GROUPS = [
    "cong-cu-ho-tro",
    "ptktnv",
    "trang-thiet-bi",
    "quan-trang",
    "pccc-cnch",
    "tau-xuong",
    "an-ninh-mang",
    "du-lieu-ai",
    "sinh-hoc",
]


@pytest.fixture
def clean_after_migrations(transactional_db):
    """Request it before ``migrator``: it empties the audit tables after the migrator has migrated back to
    the latest state (whose post-migrate role sync is audited) and before the flush, which SQLite's
    append-only triggers would otherwise refuse."""
    yield
    purge_audit_tables()


def test_forwards_loads_the_product_groups(clean_after_migrations, migrator):
    old_state = migrator.apply_initial_migration(BEFORE)
    assert old_state.apps.get_model("organizations", "ProductGroup").objects.count() == 0

    new_state = migrator.apply_tested_migration(AFTER)

    groups = new_state.apps.get_model("organizations", "ProductGroup").objects.order_by("ordering")
    assert groups.count() == 12
    assert [g.ordering for g in groups] == list(range(10, 130, 10))
    first = groups.first()
    assert (first.code, first.name, first.name_en, first.is_focus_group) == ("vu-khi", "Vũ khí", "Weapons", False)
    assert sorted(groups.filter(is_focus_group=True).values_list("code", flat=True)) == sorted(FOCUS_GROUPS)


def test_forwards_keeps_a_group_already_there_and_corrects_it(clean_after_migrations, migrator):
    old_state = migrator.apply_initial_migration(BEFORE)
    old_group = old_state.apps.get_model("organizations", "ProductGroup")
    kept = old_group.objects.create(code="vu-khi", name="Vu khi (cũ)", is_focus_group=True, ordering=999)
    other = old_group.objects.create(code="rieng", name="Nhóm riêng", ordering=5)

    new_state = migrator.apply_tested_migration(AFTER)

    groups = new_state.apps.get_model("organizations", "ProductGroup").objects
    assert groups.count() == 13
    corrected = groups.get(code="vu-khi")
    assert (corrected.pk, corrected.name, corrected.is_focus_group, corrected.ordering) == (
        kept.pk,
        "Vũ khí",
        False,
        10,
    )
    assert groups.get(code="rieng").pk == other.pk


def test_backwards_removes_the_loaded_groups_only(clean_after_migrations, migrator):
    old_state = migrator.apply_initial_migration(AFTER)
    old_group = old_state.apps.get_model("organizations", "ProductGroup")
    assert old_group.objects.count() == 12
    old_group.objects.create(code="rieng", name="Nhóm riêng", ordering=5)

    new_state = migrator.apply_tested_migration(BEFORE)

    groups = new_state.apps.get_model("organizations", "ProductGroup").objects
    assert list(groups.values_list("code", flat=True)) == ["rieng"]
