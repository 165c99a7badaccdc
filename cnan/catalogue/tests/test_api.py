"""The catalogue API (/api/v1/catalogue/): stored figures, explosion, where-used, what-if, BOM writes, editions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cnan.catalogue import services
from cnan.catalogue.models import BOMLine, CatalogueEdition, Product
from cnan.core.models import Job, ObjectChange
from cnan.core.testing import database_state

from .conftest import add_line, make_product

BASE = "/api/v1/catalogue"


@pytest.fixture
def api(api_as):
    def make(user):
        client = api_as(user)
        client.credentials(HTTP_ACCEPT_LANGUAGE="en")
        return client

    return make


@pytest.fixture
def ent_b_officer(world, make_user):
    return make_user("enterprise_officer", world.ent_b)


def new_changes(since: int) -> list[tuple[str, str]]:
    return list(ObjectChange.objects.filter(id__gt=since).order_by("id").values_list("content_type__model", "action"))


def last_change_id() -> int:
    return ObjectChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- anonymous ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "products/"),
        ("get", "products/{vest}/"),
        ("get", "products/{vest}/explosion/"),
        ("get", "products/{vest}/where-used/"),
        ("post", "whatif/"),
        ("post", "whatif/apply/"),
        ("post", "rollup/recompute/"),
        ("get", "editions/"),
        ("post", "revisions/"),
        ("post", "lines/"),
    ],
)
def test_anonymous_is_refused(catalogue, api, method, path):
    before = database_state()
    response = getattr(api(None), method)(f"{BASE}/{path.format(vest=catalogue.vest.pk)}", {}, format="json")
    assert response.status_code in (401, 403)
    assert database_state() == before


# --- products and their stored figures ----------------------------------------------------------------------


def test_product_list_shows_the_stored_figures(catalogue, officer, api):
    response = api(officer).get(f"{BASE}/products/")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert sorted(rows) == ["F", "H", "K", "S", "ST", "V"]
    vest, kit, helmet = rows["V"], rows["K"], rows["H"]
    assert (vest["imported_value"], vest["localisation_rate"], vest["value_basis"]) == (
        "2600000.00",
        "74.00",
        "10000000.00",
    )
    assert (kit["unit_cost"], kit["imported_value"], kit["localisation_rate"], kit["depth"]) == (
        "1250000.00",
        "1000000.00",
        "20.00",
        1,
    )
    assert helmet["localisation_rate"] == "75.00"
    assert (vest["depth"], vest["organization_code"], vest["origin_country"]) == (2, "ENT-A", "VN")
    assert rows["S"]["is_imported"] is True and rows["S"]["origin_country"] == "JP"
    assert vest["current_revision"] == catalogue.vest.current_revision_id


def test_product_list_applies_the_filterset(catalogue, officer, api):
    client = api(officer)

    def codes(**params):
        response = client.get(f"{BASE}/products/", params)
        assert response.status_code == 200, response.json()
        return sorted(row["code"] for row in response.json()["results"])

    assert codes(imported="true") == ["F", "S"]
    assert codes(product_class="support_tool") == ["H", "V"]
    assert codes(rate_min="70", rate_max="99") == ["H", "V"]
    assert codes(origin_country="jp") == ["S"]
    assert codes(organization=catalogue.world.ent_b.pk) == ["H"]


def test_product_list_pages_by_cursor(catalogue, officer, api):
    client = api(officer)
    seen, url = [], f"{BASE}/products/?limit=4"
    while url:
        body = client.get(url).json()
        assert "count" not in body
        seen += [row["code"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == ["F", "H", "K", "S", "ST", "V"] and len(seen) == 6


def test_product_list_queries_do_not_grow_with_the_rows(catalogue, officer, api, django_assert_num_queries):
    client = api(officer)
    client.get(f"{BASE}/products/")  # the user's grants are read once
    with django_assert_num_queries(1):  # the page, with owner, group and rollup joined
        assert len(client.get(f"{BASE}/products/").json()["results"]) == 6
    for i in range(10):
        make_product(catalogue.world.ent_b, f"X{i}", price="5", origin="KR")
    with django_assert_num_queries(1):
        assert len(client.get(f"{BASE}/products/").json()["results"]) == 16


def test_product_create_rolls_up_and_audits(world, officer, api):
    since = last_change_id()
    response = api(officer).post(
        f"{BASE}/products/",
        {
            "organization": world.ent_a.pk,
            "code": "CAM-01",
            "name": "Camera giám sát",
            "product_class": "technical_means",
            "sourcing": "purchased",
            "supplier": "Hanbit",
            "origin_country": "KR",
            "price": "12000000",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["code"], body["unit_cost"], body["imported_value"], body["localisation_rate"]) == (
        "CAM-01",
        "12000000.00",
        "12000000.00",
        "0.00",
    )
    assert new_changes(since) == [("product", "create")]
    assert ObjectChange.objects.order_by("-id").first().source == "api"


def test_product_create_refused_by_the_model_is_400(world, officer, api):
    before = database_state()
    response = api(officer).post(
        f"{BASE}/products/",
        {
            "organization": world.ent_a.pk,
            "code": "X",
            "name": "X",
            "product_class": "component",
            "origin_country": "JP",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["origin_country"]
    assert database_state() == before


def test_product_patch_of_a_price_updates_the_figures_up_the_tree(catalogue, officer, api):
    response = api(officer).patch(f"{BASE}/products/{catalogue.sensor.pk}/", {"price": "2000000"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["unit_cost"] == "2000000.00"
    vest = api(officer).get(f"{BASE}/products/{catalogue.vest.pk}/").json()
    assert (vest["imported_value"], vest["localisation_rate"]) == ("4600000.00", "54.00")


def test_product_in_use_cannot_be_deleted(catalogue, officer, api):
    before = database_state()
    response = api(officer).delete(f"{BASE}/products/{catalogue.sensor.pk}/")
    assert response.status_code in (400, 409), response.content
    assert database_state() == before


def test_product_history_lists_each_change_of_the_figures(catalogue, officer, api):
    client = api(officer)
    client.patch(f"{BASE}/products/{catalogue.sensor.pk}/", {"price": "2000000"}, format="json")
    body = client.get(f"{BASE}/products/{catalogue.vest.pk}/history/").json()
    rates = [row["localisation_rate"] for row in body["results"]]
    assert rates[-2:] == ["74.00", "54.00"]


# --- explosion, flattened, import sources, where-used ----------------------------------------------------------


def test_explosion_lists_every_line_with_quantities_per_top_unit(catalogue, officer, api):
    response = api(officer).get(f"{BASE}/products/{catalogue.vest.pk}/explosion/")
    assert response.status_code == 200
    rows = [
        (r["level"], r["code"], r["quantity"], r["unit"], r["extended_quantity"], r["origin_country"])
        for r in response.json()
    ]
    assert rows == [
        (1, "K", "2.000000", "piece", 2.0, "VN"),
        (2, "S", "1.000000", "piece", 2.0, "JP"),
        (2, "ST", "2.500000", "kg", 5.0, "VN"),
        (1, "F", "3.000000", "m", 3.0, "DE"),
    ]
    kit = response.json()[0]
    assert (kit["name"], kit["unit_cost"], kit["imported_value"], kit["localisation_rate"], kit["visible"]) == (
        "Sản phẩm K",
        "1250000.00",
        "1000000.00",
        "20.00",
        True,
    )
    assert kit["has_children"] is True and kit["extended_imported"] == 2000000.0


def test_explosion_stops_at_max_level(catalogue, officer, api):
    client = api(officer)
    rows = client.get(f"{BASE}/products/{catalogue.vest.pk}/explosion/", {"max_level": 1}).json()
    assert [r["code"] for r in rows] == ["K", "F"]
    assert client.get(f"{BASE}/products/{catalogue.vest.pk}/explosion/", {"max_level": 0}).status_code == 400


def build_tree(owner, prefix: str, width: int, depth: int) -> Product:
    """A product with ``width`` components per level, ``depth`` levels deep (every leaf imported)."""
    leaf_no = {"n": 0}

    def make(level: int) -> Product:
        leaf_no["n"] += 1
        code = f"{prefix}-{level}-{leaf_no['n']}"
        if level == depth:
            return make_product(owner, code, price="1000", origin="KR")
        node = make_product(owner, code)
        for _ in range(width):
            add_line(node, make(level + 1), "2")
            node.refresh_from_db()
        return node

    return make(0)


def test_explosion_runs_the_same_queries_for_a_small_and_a_large_bom(
    catalogue, officer, api, django_assert_num_queries
):
    client = api(officer)
    big = build_tree(catalogue.world.ent_a, "BIG", width=3, depth=4)  # 3 + 9 + 27 + 81 lines
    client.get(f"{BASE}/products/{catalogue.vest.pk}/")  # the user's grants are read once
    with django_assert_num_queries(2):  # the product, the explosion
        small = client.get(f"{BASE}/products/{catalogue.vest.pk}/explosion/").json()
    with django_assert_num_queries(2):
        large = client.get(f"{BASE}/products/{big.pk}/explosion/").json()
    assert (len(small), len(large)) == (4, 120)
    assert max(r["level"] for r in large) == 4
    assert large[-1]["extended_quantity"] == 16.0


def test_flattened_and_import_sources(catalogue, officer, api):
    client = api(officer)
    flat = {r["code"]: r for r in client.get(f"{BASE}/products/{catalogue.vest.pk}/flattened/").json()}
    assert {code: r["total_quantity"] for code, r in flat.items()} == {"K": 2.0, "S": 2.0, "ST": 5.0, "F": 3.0}
    sources = client.get(f"{BASE}/products/{catalogue.vest.pk}/import-sources/").json()
    assert [(r["code"], r["total_imported"]) for r in sources] == [("S", 2000000.0), ("F", 600000.0)]


def test_where_used_of_the_sensor(catalogue, officer, api):
    rows = api(officer).get(f"{BASE}/products/{catalogue.sensor.pk}/where-used/").json()
    assert [(r["code"], r["min_level"], r["localisation_rate"]) for r in rows] == [
        ("K", 1, "20.00"),
        ("H", 2, "75.00"),
        ("V", 2, "74.00"),
    ]


# --- visibility ---------------------------------------------------------------------------------------------


def test_an_enterprise_officer_sees_its_own_products_only(catalogue, ent_b_officer, api):
    client = api(ent_b_officer)
    assert [r["code"] for r in client.get(f"{BASE}/products/").json()["results"]] == ["H"]
    for path in ("", "explosion/", "where-used/", "history/", "revisions/"):
        assert client.get(f"{BASE}/products/{catalogue.vest.pk}/{path}").status_code == 404
    assert client.get(f"{BASE}/products/{catalogue.helmet.pk}/").json()["localisation_rate"] == "75.00"


def test_the_kit_is_masked_in_the_helmet_of_another_enterprise(catalogue, ent_b_officer, api):
    client = api(ent_b_officer)
    rows = client.get(f"{BASE}/products/{catalogue.helmet.pk}/explosion/").json()
    assert [(r["code"], r["visible"], r["name"]) for r in rows] == [("", False, ""), ("", False, ""), ("", False, "")]
    assert rows[0]["unit_cost"] == "1250000.00"  # its figures are part of the helmet's
    revision = client.get(f"{BASE}/revisions/{catalogue.helmet.current_revision_id}/").json()
    assert [
        (line["component_code"], line["component_visible"], line["component_name"]) for line in revision["lines"]
    ] == [("", False, "")]
    used = client.get(f"{BASE}/products/{catalogue.kit.pk}/where-used/")
    assert used.status_code == 404


def test_where_used_masks_the_products_the_reader_may_not_see(catalogue, ent_a_officer, api):
    rows = api(ent_a_officer).get(f"{BASE}/products/{catalogue.sensor.pk}/where-used/").json()
    assert [(r["code"], r["visible"]) for r in rows] == [("K", True), ("", False), ("V", True)]


def test_an_officer_of_another_enterprise_cannot_write_on_the_vest(catalogue, ent_b_officer, api):
    client = api(ent_b_officer)
    before = database_state()
    assert client.patch(f"{BASE}/products/{catalogue.vest.pk}/", {"price": "1"}, format="json").status_code == 404
    response = client.post(
        f"{BASE}/lines/",
        {"revision": catalogue.vest.current_revision_id, "component": catalogue.helmet.pk, "quantity": "1"},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["revision"]
    assert client.post(f"{BASE}/revisions/{catalogue.vest.current_revision_id}/freeze/").status_code == 404
    assert database_state() == before


# --- revisions and lines ------------------------------------------------------------------------------------


def test_a_loop_is_refused_with_400(catalogue, officer, api):
    before = database_state()
    response = api(officer).post(
        f"{BASE}/lines/",
        {"revision": catalogue.sensor.current_revision_id or _start(catalogue.sensor), "component": catalogue.vest.pk,
         "quantity": "1"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {
        "component": ["This line would make the bill of materials loop back on itself: S → V → K → S."]
    }
    # the revision started for the test is the only difference
    assert database_state()["catalogue.BOMLine"] == before["catalogue.BOMLine"]


def _start(product: Product) -> int:
    revision = services.revision_create(actor=None, product=product)
    return revision.pk


def test_line_create_update_delete_roll_up_and_audit(catalogue, officer, api):
    client = api(officer)
    revision = catalogue.vest.current_revision_id
    since = last_change_id()
    response = client.post(
        f"{BASE}/lines/",
        {"revision": revision, "component": catalogue.steel.pk, "quantity": "500", "unit": "g"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    line = response.json()
    assert (line["component_code"], line["effective_quantity"], line["parent"]) == ("ST", 0.5, catalogue.vest.pk)
    assert client.get(f"{BASE}/products/{catalogue.vest.pk}/").json()["unit_cost"] == "3150000.00"

    response = client.patch(f"{BASE}/lines/{line['id']}/", {"quantity": "1000"}, format="json")
    assert response.status_code == 200 and response.json()["effective_quantity"] == 1.0
    assert client.delete(f"{BASE}/lines/{line['id']}/").status_code == 204
    assert new_changes(since) == [("bomline", "create"), ("bomline", "update"), ("bomline", "delete")]
    assert client.get(f"{BASE}/products/{catalogue.vest.pk}/").json()["unit_cost"] == "3100000.00"


def test_line_with_a_unit_that_does_not_convert_is_400(catalogue, officer, api):
    response = api(officer).post(
        f"{BASE}/lines/",
        {"revision": catalogue.vest.current_revision_id, "component": catalogue.steel.pk, "quantity": "1", "unit": "m"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["unit"]


def test_revision_create_freeze_and_compare(catalogue, officer, api):
    client = api(officer)
    first = catalogue.kit.current_revision_id
    frozen = client.post(f"{BASE}/revisions/{first}/freeze/")
    assert frozen.status_code == 200 and frozen.json()["is_frozen"] is True
    refused = client.post(
        f"{BASE}/lines/", {"revision": first, "component": catalogue.fabric.pk, "quantity": "1"}, format="json"
    )
    assert refused.status_code == 400

    created = client.post(f"{BASE}/revisions/", {"product": catalogue.kit.pk, "note": "Bỏ thép"}, format="json")
    assert created.status_code == 201, created.json()
    second = created.json()
    assert (second["number"], second["is_current"], len(second["lines"])) == (2, True, 2)
    steel_line = next(line for line in second["lines"] if line["component_code"] == "ST")
    assert client.delete(f"{BASE}/lines/{steel_line['id']}/").status_code == 204

    diff = client.get(f"{BASE}/revisions/{first}/compare/", {"with": second["id"]}).json()
    assert [(d["code"], d["status"]) for d in diff] == [("ST", "removed"), ("S", "same")]
    assert client.get(f"{BASE}/revisions/{first}/compare/").json() == diff  # with the current revision
    revisions = client.get(f"{BASE}/products/{catalogue.kit.pk}/revisions/").json()
    assert [(r["number"], r["is_frozen"], r["is_current"]) for r in revisions] == [(2, False, True), (1, True, False)]
    assert client.post(f"{BASE}/revisions/{first}/freeze/").status_code == 400


# --- what-if ------------------------------------------------------------------------------------------------


@pytest.fixture
def domestic_sensor(catalogue):
    return make_product(catalogue.world.ent_a, "SVN", price="1000000")


def test_whatif_replacing_the_imported_sensor_raises_the_rates_and_writes_nothing(
    catalogue, domestic_sensor, officer, api
):
    before = database_state()
    response = api(officer).post(
        f"{BASE}/whatif/",
        {"replacements": [{"old": catalogue.sensor.pk, "new": domestic_sensor.pk, "only_in": None}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    rows = {r["code"]: r for r in response.json()}
    assert (rows["V"]["rate_before"], rows["V"]["rate_after"], rows["V"]["delta"]) == ("74.00", "94.00", "20.00")
    assert (rows["V"]["imported_before"], rows["V"]["imported_after"]) == ("2600000.00", "600000.00")
    assert rows["K"]["rate_after"] == "100.00"
    assert rows["H"]["rate_after"] == "100.00"
    assert database_state() == before


def test_whatif_of_a_price_and_an_origin(catalogue, officer, api):
    response = api(officer).post(
        f"{BASE}/whatif/",
        {"prices": [{"product": catalogue.fabric.pk, "price": "0"}], "origins": [{"product": catalogue.sensor.pk,
         "country": "VN"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert {r["code"]: r["rate_after"] for r in response.json()}["V"] == "100.00"


def test_whatif_needs_a_change_and_visible_products(catalogue, ent_b_officer, api):
    client = api(ent_b_officer)
    assert client.post(f"{BASE}/whatif/", {}, format="json").status_code == 400
    response = client.post(
        f"{BASE}/whatif/", {"prices": [{"product": catalogue.sensor.pk, "price": "1"}]}, format="json"
    )
    assert response.status_code == 400


def test_whatif_apply_writes_audited_changes(catalogue, domestic_sensor, officer, api):
    since = last_change_id()
    response = api(officer).post(
        f"{BASE}/whatif/apply/",
        {"replacements": [{"old": catalogue.sensor.pk, "new": domestic_sensor.pk}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["lines_changed"] == 1
    assert new_changes(since) == [("bomline", "update")]
    assert ObjectChange.objects.order_by("-id").first().actor == officer
    line = BOMLine.objects.get(revision=catalogue.kit.current_revision_id, component=domestic_sensor)
    assert line.quantity == Decimal(1)
    vest = api(officer).get(f"{BASE}/products/{catalogue.vest.pk}/").json()
    assert vest["localisation_rate"] == "94.00"


def test_whatif_apply_on_a_frozen_bom_starts_a_new_revision(catalogue, domestic_sensor, officer, api):
    services.revision_freeze(actor=None, revision=catalogue.kit.current_revision)
    response = api(officer).post(
        f"{BASE}/whatif/apply/",
        {"replacements": [{"old": catalogue.sensor.pk, "new": domestic_sensor.pk}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    catalogue.kit.refresh_from_db()
    assert catalogue.kit.current_revision.number == 2


def test_whatif_apply_without_the_right_on_every_product_changes_nothing(
    catalogue, domestic_sensor, ent_a_officer, api
):
    """ENT-A's officer may change the kit but not ENT-B's prices: all or nothing."""
    own = make_product(catalogue.world.ent_a, "P-A", price="1")
    before = database_state()
    response = api(ent_a_officer).post(
        f"{BASE}/whatif/apply/",
        {"prices": [{"product": own.pk, "price": "2"}, {"product": catalogue.helmet.pk, "price": "2"}]},
        format="json",
    )
    assert response.status_code == 400  # the helmet is not even visible to ENT-A
    assert database_state() == before


def test_whatif_apply_is_refused_to_a_reader(catalogue, domestic_sensor, make_user, api):
    reader = make_user("lab_officer", catalogue.world.ent_a)
    before = database_state()
    response = api(reader).post(
        f"{BASE}/whatif/apply/",
        {"replacements": [{"old": catalogue.sensor.pk, "new": domestic_sensor.pk}]},
        format="json",
    )
    assert response.status_code == 403
    assert database_state() == before


# --- recompute ----------------------------------------------------------------------------------------------


def test_recompute_starts_a_job(catalogue, officer, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(officer).post(f"{BASE}/rollup/recompute/")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job"])
    assert response.json()["url"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert (job.owner, job.kind, job.status) == (officer, "rollup", "succeeded")


def test_recompute_is_refused_to_an_enterprise_officer(catalogue, ent_a_officer, api):
    assert api(ent_a_officer).post(f"{BASE}/rollup/recompute/").status_code == 403
    assert not Job.objects.exists()


# --- editions -----------------------------------------------------------------------------------------------


def test_edition_create_set_products_and_publish(catalogue, officer, api):
    client = api(officer)
    response = client.post(
        f"{BASE}/editions/",
        {"organization": catalogue.world.h08.pk, "code": "2025", "title": "Danh mục sản phẩm CNAN 2025"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    edition = response.json()["id"]
    response = client.post(
        f"{BASE}/editions/{edition}/set-products/",
        {"products": [catalogue.vest.pk, catalogue.helmet.pk]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert [e["code"] for e in response.json()["entries"]] == ["H", "V"]
    assert response.json()["entries"][0]["localisation_rate"] is None

    published = client.post(f"{BASE}/editions/{edition}/publish/")
    assert published.status_code == 200
    assert published.json()["is_published"] is True
    assert [(e["code"], e["localisation_rate"]) for e in published.json()["entries"]] == [
        ("H", "75.00"),
        ("V", "74.00"),
    ]
    assert client.patch(f"{BASE}/editions/{edition}/", {"title": "Khác"}, format="json").status_code == 400
    assert client.delete(f"{BASE}/editions/{edition}/").status_code == 400
    listed = client.get(f"{BASE}/editions/", {"published": "true"}).json()["results"]
    assert [e["code"] for e in listed] == ["2025"]
    assert CatalogueEdition.objects.get().entries.count() == 2


def test_editions_are_the_departments(catalogue, ent_a_officer, api):
    client = api(ent_a_officer)
    response = client.post(
        f"{BASE}/editions/",
        {"organization": catalogue.world.h08.pk, "code": "2026", "title": "Dự thảo"},
        format="json",
    )
    assert response.status_code == 403


def test_the_explosion_is_exactly_what_its_documented_serializer_gives(catalogue, make_user):
    from cnan.catalogue import selectors
    from cnan.catalogue.api import serializers as s

    user = make_user("department_officer", catalogue.world.h08)
    other = make_user("enterprise_officer", catalogue.world.ent_b)
    for reader, product in ((user, catalogue.vest), (other, catalogue.helmet)):
        lines = selectors.explode(user=reader, product=product)
        assert s.exploded_rows(lines) == s.ExplodedLineSerializer(lines, many=True).data
