"""Catalogue services: audited writes, refusals that change nothing, revisions, what-if, editions, jobs."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from cnan.catalogue import selectors, services
from cnan.catalogue.models import BOMLine, BOMRevision, Product, ProductRollup
from cnan.core.models import Job, ObjectChange
from cnan.core.testing import changes_for, database_state

from .conftest import make_product


@contextmanager
def nothing_written(exc, match=None):
    before = database_state()
    with pytest.raises(exc, match=match) as info:
        yield info
    assert database_state() == before, "a refused write changed the database"


def line_data(component, quantity="1", **extra):
    return {"component": component, "quantity": Decimal(quantity), "unit": component.unit, **extra}


def test_product_create_is_audited_and_rolled_up(world, make_user):
    officer = make_user("enterprise_officer", world.ent_a)
    product = make_product(world.ent_a, "NEW-1", price="5000")
    assert changes_for(product).filter(action=ObjectChange.Action.CREATE).count() == 1
    assert ProductRollup.objects.get(product=product).localisation_rate == Decimal("100.00")
    made = services.product_create(
        actor=officer,
        data={
            "organization": world.ent_a,
            "code": "NEW-2",
            "name": "Khiên chống đạn",
            "product_class": "support_tool",
            "price": Decimal("1"),
        },
    )
    assert changes_for(made).get().actor == officer


def test_an_enterprise_cannot_add_products_to_another(world, make_user):
    officer = make_user("enterprise_officer", world.ent_b)
    with nothing_written(PermissionDenied):
        services.product_create(
            actor=officer,
            data={"organization": world.ent_a, "code": "X", "name": "X", "product_class": "equipment"},
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"price": Decimal("-1")}, "price"),
        ({"trl": 12}, "trl"),
        ({"unit": "parsec"}, "unit"),
        ({"product_class": "toy"}, "product_class"),
        ({"sourcing": "purchased", "origin_country": "JP", "supplier": ""}, "supplier"),
        ({"sourcing": "made", "origin_country": "JP"}, "origin_country"),
        ({"classification": 1, "classification_basis": "Điều 3"}, "classification"),
    ],
)
def test_bad_product_input_is_refused_and_changes_nothing(world, data, field):
    base = {"organization": world.ent_a, "code": "BAD", "name": "Sai", "product_class": "equipment", **data}
    with nothing_written(ValidationError) as info:
        services.product_create(actor=None, data=base)
    assert field in info.value.message_dict


def test_duplicate_code_is_refused(catalogue):
    with nothing_written(ValidationError, match="Another product already has this code"):
        make_product(catalogue.world.ent_a, "V")


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"quantity": Decimal("0")}, "quantity", None),
        ({"quantity": Decimal("-2")}, "quantity", None),
        ({"unit": "kg"}, "unit", "does not convert"),
        ({"unit": "furlong"}, "unit", None),
        ({"scrap_percent": Decimal("120")}, "scrap_percent", None),
    ],
)
def test_bad_line_input_is_refused_and_changes_nothing(catalogue, extra, field, message):
    data = {**line_data(catalogue.sensor), **extra}
    with nothing_written(ValidationError) as info:
        services.bomline_create(actor=None, revision=catalogue.vest.current_revision, data=data)
    assert field in info.value.message_dict
    if message:
        assert message in " ".join(info.value.message_dict[field])


def test_a_product_in_its_own_bom_is_refused(catalogue):
    with nothing_written(ValidationError, match="V cannot be a component of itself"):
        services.bomline_create(actor=None, revision=catalogue.vest.current_revision, data=line_data(catalogue.vest))


def test_a_loop_is_refused_naming_it(catalogue):
    # V contains K; K containing V would loop: K → V → K.
    with nothing_written(ValidationError) as info:
        services.bomline_create(actor=None, revision=catalogue.kit.current_revision, data=line_data(catalogue.vest))
    assert info.value.message_dict["component"] == [
        "This line would make the bill of materials loop back on itself: K → V → K."
    ]


def test_a_longer_loop_is_named_whole(catalogue):
    # S is inside K inside V: S containing V closes S → V → K → S.
    services.product_update(
        actor=None, instance=catalogue.sensor, data={"sourcing": "made", "origin_country": "VN", "supplier": ""}
    )
    revision = services.revision_create(actor=None, product=catalogue.sensor)
    with nothing_written(ValidationError) as info:
        services.bomline_create(actor=None, revision=revision, data=line_data(catalogue.vest))
    assert "S → V → K → S" in info.value.message_dict["component"][0]


def test_line_changes_are_audited_and_propagate(catalogue):
    line = catalogue.vest.current_revision.lines.get(component=catalogue.fabric)
    services.bomline_update(actor=None, instance=line, data={"quantity": Decimal("1")})
    assert changes_for(line).filter(action=ObjectChange.Action.UPDATE).count() == 1
    assert ProductRollup.objects.get(product=catalogue.vest).imported_value == Decimal("2200000.00")
    pk = line.pk
    services.bomline_delete(actor=None, instance=line)
    assert ObjectChange.objects.filter(object_id=str(pk), action=ObjectChange.Action.DELETE).count() == 1
    assert ProductRollup.objects.get(product=catalogue.vest).imported_value == Decimal("2000000.00")


def test_another_enterprise_cannot_edit_the_bom(catalogue, make_user):
    officer = make_user("enterprise_officer", catalogue.world.ent_b)
    line = catalogue.vest.current_revision.lines.first()
    with nothing_written(PermissionDenied):
        services.bomline_update(actor=officer, instance=line, data={"quantity": Decimal("9")})
    with nothing_written(PermissionDenied):
        services.bomline_create(
            actor=officer, revision=catalogue.vest.current_revision, data=line_data(catalogue.steel)
        )


def test_frozen_revision_refuses_changes_and_a_new_revision_copies_it(catalogue):
    revision = services.revision_freeze(actor=None, revision=catalogue.vest.current_revision)
    assert revision.is_frozen
    with nothing_written(ValidationError, match="frozen"):
        services.bomline_create(actor=None, revision=revision, data=line_data(catalogue.steel))
    with nothing_written(ValidationError, match="already frozen"):
        services.revision_freeze(actor=None, revision=revision)
    second = services.revision_create(actor=None, product=catalogue.vest, note="thay vải")
    catalogue.vest.refresh_from_db()
    assert catalogue.vest.current_revision == second
    assert second.number == 2
    assert sorted(second.lines.values_list("component__code", "quantity")) == sorted(
        revision.lines.values_list("component__code", "quantity")
    )
    # The old revision stays a baseline, the figures did not move.
    with nothing_written(ValidationError, match="frozen"):
        services.bomline_delete(actor=None, instance=revision.lines.first())
    assert ProductRollup.objects.get(product=catalogue.vest).localisation_rate == Decimal("74.00")


def test_compare_revisions(catalogue):
    first = catalogue.vest.current_revision
    services.revision_freeze(actor=None, revision=first)
    second = services.revision_create(actor=None, product=catalogue.vest)
    fabric_line = second.lines.get(component=catalogue.fabric)
    services.bomline_update(actor=None, instance=fabric_line, data={"quantity": Decimal("4")})
    services.bomline_delete(actor=None, instance=second.lines.get(component=catalogue.kit))
    services.bomline_create(actor=None, revision=second, data=line_data(catalogue.steel, "2"))
    diff = {d.component.code: (d.status, d.changes) for d in selectors.compare_revisions(first, second)}
    assert diff == {"K": ("removed", []), "ST": ("added", []), "F": ("changed", ["quantity"])}


def test_whatif_writes_nothing_and_apply_commits(catalogue, make_user):
    domestic = make_product(catalogue.world.ent_a, "S-VN", price="1200000")
    user = make_user("department_officer", catalogue.world.h08)
    before = database_state()
    rows = selectors.whatif(user=user, replacements=[(catalogue.sensor.pk, domestic.pk, None)])
    assert database_state() == before
    by_code = {r.code: r for r in rows}
    # K: 1,200,000 + 250,000 domestic → 100 %; V: imported only the fabric 600,000 → 94 %.
    assert (by_code["K"].before, by_code["K"].after) == (Decimal("20.00"), Decimal("100.00"))
    assert (by_code["V"].before, by_code["V"].after) == (Decimal("74.00"), Decimal("94.00"))
    assert by_code["H"].after == Decimal("100.00")

    price_rows = selectors.whatif(user=user, prices={catalogue.fabric.pk: Decimal("100000")})
    assert {r.code: r.after for r in price_rows}["V"] == Decimal("77.00")
    assert database_state() == before

    changed = services.whatif_apply(actor=user, replacements=[(catalogue.sensor, domestic, None)])
    assert changed == 1  # the kit's line; the vest and the helmet follow through the kit
    assert ProductRollup.objects.get(product=catalogue.vest).localisation_rate == Decimal("94.00")
    assert not BOMLine.objects.filter(component=catalogue.sensor).exists()


def test_whatif_apply_on_a_frozen_revision_starts_a_new_one(catalogue):
    domestic = make_product(catalogue.world.ent_a, "S-VN", price="1200000")
    frozen = services.revision_freeze(actor=None, revision=catalogue.kit.current_revision)
    services.whatif_apply(actor=None, replacements=[(catalogue.sensor, domestic, None)])
    catalogue.kit.refresh_from_db()
    assert catalogue.kit.current_revision.number == frozen.number + 1
    assert frozen.lines.filter(component=catalogue.sensor).exists()


def test_whatif_apply_refused_for_another_enterprise_changes_nothing(catalogue, make_user):
    domestic = make_product(catalogue.world.ent_b, "S-VN", price="1200000")
    officer = make_user("enterprise_officer", catalogue.world.ent_b)
    with nothing_written(PermissionDenied):
        services.whatif_apply(actor=officer, replacements=[(catalogue.sensor, domestic, None)])


def test_whatif_lists_only_visible_products(catalogue, make_user):
    officer = make_user("enterprise_officer", catalogue.world.ent_b)
    rows = selectors.whatif(user=officer, prices={catalogue.sensor.pk: Decimal("0")})
    assert [r.code for r in rows] == ["H"]


def test_unit_change_of_a_used_component_must_convert(catalogue):
    with nothing_written(ValidationError, match="do not convert"):
        services.product_update(actor=None, instance=catalogue.steel, data={"unit": "m"})
    services.product_update(actor=None, instance=catalogue.steel, data={"unit": "g", "price": Decimal("100")})
    line = BOMLine.objects.get(component=catalogue.steel)
    assert line.effective_quantity == pytest.approx(2500)
    assert ProductRollup.objects.get(product=catalogue.kit).unit_cost == Decimal("1250000.00")


def test_a_component_in_use_cannot_be_deleted(catalogue):
    with nothing_written(ValidationError, match="cannot be deleted"):
        services.product_delete(actor=None, instance=catalogue.sensor)


def test_deleting_a_product_removes_its_bom(catalogue):
    services.product_delete(actor=None, instance=catalogue.helmet)
    assert not Product.objects.filter(code="H").exists()
    assert not BOMRevision.objects.filter(product_id=catalogue.helmet.pk).exists()


def test_selectors_explode_flatten_and_where_used(catalogue, make_user):
    user = make_user("department_officer", catalogue.world.h08)
    lines = selectors.explode(user=user, product=catalogue.vest)
    assert [(x.level, x.code, x.extended_quantity) for x in lines] == [
        (1, "K", 2.0),
        (2, "S", 2.0),
        (2, "ST", 5.0),
        (1, "F", 3.0),
    ]
    flat = {f.code: f.total_quantity for f in selectors.flatten(lines)}
    assert flat == {"K": 2.0, "S": 2.0, "ST": 5.0, "F": 3.0}
    sources = [(s.code, s.total_imported) for s in selectors.import_sources(lines)]
    assert sources == [("S", 2_000_000.0), ("F", 600_000.0)]
    used = {(w.code, w.min_level) for w in selectors.where_used(user=user, product=catalogue.sensor)}
    assert used == {("K", 1), ("V", 2), ("H", 2)}


def test_components_another_enterprise_may_not_see_are_masked(catalogue, make_user):
    officer = make_user("enterprise_officer", catalogue.world.ent_b)
    lines = selectors.explode(user=officer, product=catalogue.helmet)
    kit = lines[0]
    assert (kit.code, kit.visible, kit.name) == ("", False, "")
    assert kit.unit_cost == Decimal("1250000.00")
    assert [w.visible for w in selectors.where_used(user=officer, product=catalogue.sensor)].count(True) == 1


def test_recompute_job_runs_with_progress(catalogue, make_user, django_capture_on_commit_callbacks):
    user = make_user("department_officer", catalogue.world.h08)
    ProductRollup.objects.filter(product=catalogue.vest).update(localisation_rate=Decimal("3"))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.rollup_recompute_start(actor=user)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress == 100
    assert ProductRollup.objects.get(product=catalogue.vest).localisation_rate == Decimal("74.00")


def test_recompute_needs_the_permission(catalogue, make_user):
    officer = make_user("enterprise_officer", catalogue.world.ent_a)
    with nothing_written(PermissionDenied):
        services.rollup_recompute_start(actor=officer)


def test_only_the_current_draft_revision_is_editable(catalogue):
    first = catalogue.vest.current_revision
    services.revision_create(actor=None, product=catalogue.vest)
    with nothing_written(ValidationError, match="Only the current revision"):
        services.bomline_create(actor=None, revision=first, data=line_data(catalogue.steel))


def test_edition_publish_freezes_entries(catalogue):
    edition = services.edition_create(
        actor=None, data={"organization": catalogue.world.h08, "code": "2026", "title": "Danh mục 2026"}
    )
    with nothing_written(ValidationError, match="without products"):
        services.edition_publish(actor=None, edition=edition)
    services.edition_set_products(actor=None, edition=edition, products=[catalogue.vest, catalogue.helmet])
    services.edition_publish(actor=None, edition=edition)
    entry = edition.entries.get(product=catalogue.vest)
    assert (entry.product_class, entry.localisation_rate) == ("support_tool", Decimal("74.00"))
    edition.refresh_from_db()
    with nothing_written(ValidationError, match="published"):
        services.edition_set_products(actor=None, edition=edition, products=[])
