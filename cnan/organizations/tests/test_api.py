"""The registry's API (/api/v1/): reads through the selectors, writes through the services, keyset pages."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from cnan.organizations import services
from cnan.organizations.models import ComplexMembership, Facility, Organization, RestructuringEvent

BASE = "/api/v1"


@pytest.fixture
def api(api_as):
    """``api(user)`` → an API client for ``user`` that asks for English messages."""

    def make(user):
        client = api_as(user)
        client.credentials(HTTP_ACCEPT_LANGUAGE="en")
        return client

    return make


def codes(response) -> list[str]:
    return sorted(row["code"] for row in response.json()["results"])


def follow(client, url: str) -> list[dict]:
    """Every page of a keyset-paginated list, checking each page's links."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        pages.append(body)
        url = body["next"]
    return pages


# --- anonymous -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "organizations/",
        "enterprises/",
        "facilities/",
        "parks/",
        "complex-memberships/",
        "restructuring-events/",
        "product-groups/",
    ],
)
def test_anonymous_is_refused(world, api, path):
    response = api(None).get(f"{BASE}/{path}")
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_anonymous_cannot_create(world, api, unchanged):
    with unchanged():
        response = api(None).post(f"{BASE}/organizations/", {"code": "X", "name": "X", "kind": "group"}, format="json")
    assert response.status_code in (401, 403)


# --- organisations -------------------------------------------------------------------------------------


def test_organization_list_shows_every_organisation_to_the_department(world, officer, api):
    response = api(officer).get(f"{BASE}/organizations/")
    assert response.status_code == 200
    assert codes(response) == ["BCA", "DT", "DT-X", "ENT-A", "ENT-B", "H08", "VKHCN"]
    assert response.json()["next"] is None


def test_organization_list_is_scoped_for_an_enterprise_officer(world, ent_a_officer, api):
    assert codes(api(ent_a_officer).get(f"{BASE}/organizations/")) == ["ENT-A"]


def test_organization_retrieve_shows_its_place_in_the_tree(world, officer, api):
    response = api(officer).get(f"{BASE}/organizations/{world.ent_a.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["kind"], body["parent"], body["parent_code"], body["depth"]) == (
        "ENT-A",
        "enterprise",
        world.h08.pk,
        "H08",
        3,
    )
    assert body["tax_code"] == "0100109106"
    assert body["url"] == f"/organizations/enterprises/{world.ent_a.pk}/"


def test_organization_retrieve_outside_the_scope_is_404(world, ent_a_officer, api):
    for org in (world.ent_b, world.h08):
        assert api(ent_a_officer).get(f"{BASE}/organizations/{org.pk}/").status_code == 404


def test_organization_list_applies_the_filterset(world, officer, api):
    client = api(officer)
    assert codes(client.get(f"{BASE}/organizations/", {"kind": ["institute", "partner"]})) == ["DT-X", "VKHCN"]
    assert codes(client.get(f"{BASE}/organizations/", {"within_id": world.h08.pk})) == ["ENT-A", "ENT-B", "H08"]
    assert codes(client.get(f"{BASE}/organizations/", {"q": "thang long"})) == ["ENT-A"]
    assert codes(client.get(f"{BASE}/organizations/", {"domestic": "false"})) == ["DT-X"]


def test_organization_list_with_an_invalid_filter_is_400(world, officer, api):
    response = api(officer).get(f"{BASE}/organizations/", {"kind": "bogus"})
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]
    assert response.json()["kind"] == ["Select a valid choice. bogus is not one of the available choices."]


def test_organization_create_writes_one_record_as_the_api(world, officer, api, audit):
    with audit() as changes:
        response = api(officer).post(
            f"{BASE}/organizations/",
            {"code": "HV-ANND", "name": "Học viện An ninh nhân dân", "kind": "academy", "parent": world.bca.pk},
            format="json",
        )
    assert response.status_code == 201
    org = Organization.objects.get(code="HV-ANND")
    assert (org.parent_id, org.depth) == (world.bca.pk, 2)
    assert response.json()["id"] == org.pk
    assert response.json()["parent_code"] == "BCA"
    assert changes.summary() == [("organization", str(org.pk), "create")]
    assert (changes[0].actor_id, changes[0].source) == (officer.pk, "api")


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"code": "E2", "name": "E2", "kind": "enterprise"},
            "kind",
            "Create enterprises through /api/v1/enterprises/ with their legal details.",
        ),
        ({"code": "H08", "name": "Trùng", "kind": "group"}, "code", "Another organisation already has this code."),
        ({"code": "a b", "name": "X", "kind": "group"}, "code", "Use letters, digits, dots and dashes only."),
        ({"code": "X", "name": "", "kind": "group"}, "name", "This field may not be blank."),
        ({"code": "X", "name": "X", "kind": "castle"}, "kind", '"castle" is not a valid choice.'),
        ({"code": "X", "name": "X"}, "kind", "This field is required."),
    ],
)
def test_organization_create_with_bad_input_is_400_and_writes_nothing(
    world, officer, api, unchanged, payload, field, message
):
    with unchanged():
        response = api(officer).post(f"{BASE}/organizations/", {**payload, "parent": world.bca.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_organization_create_refused_by_the_service_is_400_and_writes_nothing(world, officer, api, unchanged):
    with unchanged():
        response = api(officer).post(
            f"{BASE}/organizations/",
            {"code": "C9", "name": "C9", "kind": "department", "parent": world.bca.pk,
             "valid_from": "2020-01-01", "valid_to": "2019-01-01"},
            format="json",
        )  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"valid_to": ["The dissolution date cannot be before the establishment date."]}


def test_enterprise_officer_cannot_create_organisations(world, ent_a_officer, api, unchanged):
    with unchanged():
        response = api(ent_a_officer).post(
            f"{BASE}/organizations/",
            {"code": "X", "name": "X", "kind": "group", "parent": world.ent_a.pk},
            format="json",
        )
    assert response.status_code == 403


def test_organization_patch_updates_and_records_once(world, officer, api, audit):
    with audit() as changes:
        response = api(officer).patch(
            f"{BASE}/organizations/{world.institute.pk}/", {"short_name": "VKHCN-BCA"}, format="json"
        )
    assert response.status_code == 200
    assert response.json()["short_name"] == "VKHCN-BCA"
    assert changes.summary() == [("organization", str(world.institute.pk), "update")]
    assert changes[0].changed_fields == ["short_name"]


def test_organization_patch_with_a_new_parent_moves_it(world, officer, api):
    response = api(officer).patch(
        f"{BASE}/organizations/{world.institute.pk}/", {"parent": world.h08.pk}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["parent"], response.json()["depth"]) == (world.h08.pk, 3)


def test_organization_patch_under_own_sub_unit_is_400(world, officer, api, unchanged):
    with unchanged():
        response = api(officer).patch(
            f"{BASE}/organizations/{world.h08.pk}/", {"parent": world.ent_a.pk}, format="json"
        )
    assert response.status_code == 400
    assert response.json() == {"parent": ["An organisation cannot be moved under one of its own sub-units."]}


def test_organization_delete_writes_one_record(world, officer, api, audit):
    pk = world.institute.pk
    with audit() as changes:
        response = api(officer).delete(f"{BASE}/organizations/{pk}/")
    assert response.status_code == 204
    assert not Organization.objects.filter(pk=pk).exists()
    assert changes.summary() == [("organization", str(pk), "delete")]


def test_organization_delete_with_sub_units_is_400(world, officer, api, unchanged):
    with unchanged():
        response = api(officer).delete(f"{BASE}/organizations/{world.h08.pk}/")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Cục Công nghiệp an ninh (H08) still has sub-units: move or delete them first."]
    }


# --- keyset pagination ---------------------------------------------------------------------------------


@pytest.fixture
def many_units(world):
    """Twelve more units under the institute: 19 organisations in all."""
    return [
        services.organization_create(
            actor=None,
            parent=world.institute,
            data={"code": f"PTN-{i:02d}", "name": f"Phòng thí nghiệm {i}", "kind": "operational_unit"},
        )  # fmt: skip
        for i in range(1, 13)
    ]


def test_cursor_pages_cover_every_row_once_in_key_order(world, officer, api, many_units):
    pages = follow(api(officer), f"{BASE}/organizations/?limit=5")
    sizes = [len(p["results"]) for p in pages]
    ids = [row["id"] for p in pages for row in p["results"]]
    assert sizes == [5, 5, 5, 4]
    assert ids == sorted(Organization.objects.values_list("pk", flat=True))
    assert pages[0]["previous"] is None
    assert all(p["previous"] for p in pages[1:])
    assert all("cursor=" in urlsplit(p["next"]).query and "limit=5" in p["next"] for p in pages[:-1])


def test_cursor_page_is_stable_when_rows_are_added(world, officer, api, many_units):
    client = api(officer)
    first = client.get(f"{BASE}/organizations/", {"limit": 2}).json()
    second = client.get(first["next"]).json()
    services.organization_create(actor=None, parent=world.bca, data={"code": "NEW", "name": "Mới", "kind": "group"})
    again = client.get(first["next"]).json()
    assert [r["id"] for r in again["results"]] == [r["id"] for r in second["results"]]
    assert [r["id"] for r in first["results"]] + [r["id"] for r in second["results"]] == sorted(
        Organization.objects.values_list("pk", flat=True)
    )[:4]


def test_cursor_pagination_respects_the_filters(world, officer, api, many_units):
    pages = follow(api(officer), f"{BASE}/organizations/?limit=5&within_id={world.institute.pk}")
    assert [len(p["results"]) for p in pages] == [5, 5, 3]
    assert all(f"within_id={world.institute.pk}" in p["next"] for p in pages[:-1])


def test_cursor_pagination_of_facilities(world, officer, api):
    for i in range(5):
        services.facility_create(
            actor=None,
            data={"organization": world.ent_b, "code": f"FB-{i}", "name": f"Xưởng {i}", "kind": "other",
                  "province": "da-nang"},
        )  # fmt: skip
    pages = follow(api(officer), f"{BASE}/facilities/?limit=2")
    assert [len(p["results"]) for p in pages] == [2, 2, 2, 1]
    assert sorted(r["code"] for p in pages for r in p["results"]) == [
        "FA", "FB", "FB-0", "FB-1", "FB-2", "FB-3", "FB-4",
    ]  # fmt: skip


# --- enterprises ---------------------------------------------------------------------------------------


def enterprise_payload(world, **overrides):
    payload = {
        "code": "ENT-N",
        "name": "Công ty Thiết bị mới",
        "parent": world.h08.pk,
        "legal_form": "jsc",
        "tax_code": "0100000035",
        "state_ownership": "30.00",
        "charter_capital": "5000000000",
        "province": "ha-noi",
        "product_groups": ["an-ninh-mang", "quan-trang"],
    }
    payload.update(overrides)
    return payload


def test_enterprise_list_holds_only_enterprises(world, officer, api):
    response = api(officer).get(f"{BASE}/enterprises/")
    assert codes(response) == ["ENT-A", "ENT-B"]


def test_enterprise_list_filters_by_state_ownership(world, officer, api):
    assert codes(api(officer).get(f"{BASE}/enterprises/", {"state_ownership_min": 60})) == ["ENT-A"]
    assert codes(api(officer).get(f"{BASE}/enterprises/", {"state_ownership_max": 60})) == ["ENT-B"]


def test_enterprise_retrieve_of_another_kind_is_404(world, officer, api):
    assert api(officer).get(f"{BASE}/enterprises/{world.h08.pk}/").status_code == 404


def test_enterprise_create_normalises_and_records_once(world, officer, api, audit):
    with audit() as changes:
        response = api(officer).post(
            f"{BASE}/enterprises/", enterprise_payload(world, tax_code="0100000035 "), format="json"
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["tax_code"], body["charter_capital"]) == ("enterprise", "0100000035", "5000000000")
    assert sorted(body["product_groups"]) == ["an-ninh-mang", "quan-trang"]
    ent = Organization.objects.get(code="ENT-N")
    assert ent.parent_id == world.h08.pk
    assert changes.summary() == [("organization", str(ent.pk), "create")]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tax_code": "0100000036"}, "tax_code"),
        ({"tax_code": " 0100109106"}, "tax_code"),  # already ENT-A's
        ({"tax_code": ""}, "tax_code"),
        ({"legal_form": "state_llc", "state_ownership": "51"}, "state_ownership"),
        ({"state_ownership": "101"}, "state_ownership"),
        ({"parent_corporation": "H08"}, "parent_corporation"),
        ({"product_groups": ["khong-co"]}, "product_groups"),
        ({"charter_capital": "-5"}, "charter_capital"),
    ],
)
def test_enterprise_create_with_bad_input_is_400_and_writes_nothing(world, officer, api, unchanged, overrides, field):
    if overrides.get("parent_corporation") == "H08":
        overrides = {**overrides, "parent_corporation": world.h08.pk}
    with unchanged():
        response = api(officer).post(f"{BASE}/enterprises/", enterprise_payload(world, **overrides), format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert all(isinstance(m, str) and m for m in response.json()[field])


def test_enterprise_create_invalid_tax_code_message(world, officer, api):
    response = api(officer).post(
        f"{BASE}/enterprises/", enterprise_payload(world, tax_code="0100000036"), format="json"
    )
    assert response.json()["tax_code"][0].startswith("0100000036 is not a valid Vietnamese tax code")


def test_enterprise_officer_patches_its_enterprise_only(world, ent_a_officer, api, audit, unchanged):
    client = api(ent_a_officer)
    with audit() as changes:
        own = client.patch(f"{BASE}/enterprises/{world.ent_a.pk}/", {"phone": "024 3999 0000"}, format="json")
    assert own.status_code == 200
    assert own.json()["phone"] == "024 3999 0000"
    assert changes.summary() == [("organization", str(world.ent_a.pk), "update")]
    with unchanged():
        other = client.patch(f"{BASE}/enterprises/{world.ent_b.pk}/", {"phone": "0236"}, format="json")
    assert other.status_code == 404


def test_enterprise_officer_cannot_create_or_delete_enterprises(world, ent_a_officer, api, unchanged):
    client = api(ent_a_officer)
    with unchanged():
        created = client.post(f"{BASE}/enterprises/", enterprise_payload(world, parent=world.ent_a.pk), format="json")
        deleted = client.delete(f"{BASE}/enterprises/{world.ent_a.pk}/")
    assert (created.status_code, deleted.status_code) == (403, 403)


def test_enterprise_officer_does_not_see_the_other_enterprise(world, ent_a_officer, api):
    client = api(ent_a_officer)
    assert codes(client.get(f"{BASE}/enterprises/")) == ["ENT-A"]
    assert client.get(f"{BASE}/enterprises/{world.ent_b.pk}/").status_code == 404


# --- facilities ----------------------------------------------------------------------------------------


def facility_payload(org, **overrides):
    payload = {"organization": org.pk, "code": "FN", "name": "Xưởng mới", "kind": "other", "province": "ha-noi"}
    payload.update(overrides)
    return payload


def test_enterprise_officer_lists_and_creates_its_facilities(world, ent_a_officer, api, audit):
    client = api(ent_a_officer)
    assert codes(client.get(f"{BASE}/facilities/")) == ["FA"]
    with audit() as changes:
        response = client.post(
            f"{BASE}/facilities/",
            facility_payload(world.ent_a, product_groups=["quan-trang"]),
            format="json",
        )
    assert response.status_code == 201, response.json()
    facility = Facility.objects.get(code="FN")
    assert (response.json()["organization_code"], response.json()["product_groups"]) == ("ENT-A", ["quan-trang"])
    assert changes.summary() == [("facility", str(facility.pk), "create")]


def test_enterprise_officer_cannot_create_a_facility_for_the_other_enterprise(world, ent_a_officer, api, unchanged):
    with unchanged():
        response = api(ent_a_officer).post(f"{BASE}/facilities/", facility_payload(world.ent_b), format="json")
    assert response.status_code in (400, 403)
    assert list(response.json()) == ["organization"]


def test_enterprise_officer_cannot_move_its_facility_to_the_other_enterprise(world, ent_a_officer, api, unchanged):
    with unchanged():
        response = api(ent_a_officer).patch(
            f"{BASE}/facilities/{world.facility_a.pk}/", {"organization": world.ent_b.pk}, format="json"
        )
    assert response.status_code in (400, 403)


def test_enterprise_officer_cannot_touch_the_other_enterprises_facility(world, ent_a_officer, api, unchanged):
    client = api(ent_a_officer)
    url = f"{BASE}/facilities/{world.facility_b.pk}/"
    with unchanged():
        assert client.get(url).status_code == 404
        assert client.patch(url, {"name": "X"}, format="json").status_code == 404
        assert client.delete(url).status_code == 404


def test_core_facility_without_decision_is_400_and_writes_nothing(world, officer, api, unchanged):
    with unchanged():
        response = api(officer).post(f"{BASE}/facilities/", facility_payload(world.ent_a, kind="core"), format="json")
    assert response.status_code == 400
    assert response.json() == {
        "decision_number": [
            "A core facility needs the number and date of the Minister's establishing or approving decision."
        ]
    }


def test_core_facility_of_a_partner_is_400(world, officer, api, unchanged):
    payload = facility_payload(world.partner, kind="core", decision_number="1/QĐ", decision_date="2024-01-01")
    with unchanged():
        response = api(officer).post(f"{BASE}/facilities/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


def test_facility_with_a_malformed_date_is_400(world, officer, api, unchanged):
    with unchanged():
        response = api(officer).post(
            f"{BASE}/facilities/", facility_payload(world.ent_a, recognised_on="31/02/2024"), format="json"
        )
    assert response.status_code == 400
    assert list(response.json()) == ["recognised_on"]


def test_facility_put_replaces_the_details_it_sends(world, ent_a_officer, api, audit):
    """The park (managed by H08, invisible to the enterprise) is not sent, and stays."""
    payload = facility_payload(
        world.ent_a,
        code="FA",
        name="Xưởng cơ khí chính xác",
        kind="core",
        decision_number="12/QĐ-BCA",
        decision_date="2020-01-02",
        capacity="20.000 mũ/năm",
    )
    with audit() as changes:
        response = api(ent_a_officer).put(f"{BASE}/facilities/{world.facility_a.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["name"], response.json()["park"]) == ("Xưởng cơ khí chính xác", world.park.pk)
    assert changes.summary() == [("facility", str(world.facility_a.pk), "update")]
    assert changes[0].changed_fields == ["capacity", "name"]


def test_facility_delete_by_its_enterprise_officer(world, ent_a_officer, api, audit):
    pk = world.facility_a.pk
    with audit() as changes:
        response = api(ent_a_officer).delete(f"{BASE}/facilities/{pk}/")
    assert response.status_code == 204
    assert changes.summary() == [("facility", str(pk), "delete")]


def test_facility_list_filter_and_invalid_filter(world, officer, api):
    client = api(officer)
    assert codes(client.get(f"{BASE}/facilities/", {"kind": "core"})) == ["FA"]
    assert codes(client.get(f"{BASE}/facilities/", {"organization_id": world.ent_b.pk})) == ["FB"]
    bad = client.get(f"{BASE}/facilities/", {"park_id": "abc"})
    assert bad.status_code == 400
    assert list(bad.json()) == ["park_id"]


# --- parks -------------------------------------------------------------------------------------------


def test_park_retrieve_nests_its_phases(world, officer, api):
    services.park_phase_create(actor=None, park=world.park, data={"name": "Giai đoạn I", "area_ha": "8.57"})
    response = api(officer).get(f"{BASE}/parks/{world.park.pk}/")
    assert response.status_code == 200
    assert [(p["name"], p["area_ha"]) for p in response.json()["phases"]] == [("Giai đoạn I", "8.57")]


def test_park_create_update_delete(world, officer, api, audit):
    client = api(officer)
    with audit() as changes:
        created = client.post(
            f"{BASE}/parks/",
            {"organization": world.h08.pk, "code": "P2", "name": "Khu 2", "province": "bac-ninh", "area_ha": "12.5"},
            format="json",
        )
        pk = created.json()["id"]
        updated = client.patch(f"{BASE}/parks/{pk}/", {"status": "operating"}, format="json")
        deleted = client.delete(f"{BASE}/parks/{pk}/")
    assert (created.status_code, updated.status_code, deleted.status_code) == (201, 200, 204)
    assert updated.json()["status"] == "operating"
    assert changes.summary() == [
        ("industrialpark", str(pk), "create"),
        ("industrialpark", str(pk), "update"),
        ("industrialpark", str(pk), "delete"),
    ]


def test_park_with_tenants_cannot_be_deleted(world, officer, api, unchanged):
    with unchanged():
        response = api(officer).delete(f"{BASE}/parks/{world.park.pk}/")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Khu CNAN Lại Yên cannot be deleted while other records refer to it: Xưởng cơ khí."]
    }


def test_enterprise_officer_sees_no_park_of_the_department(world, ent_a_officer, api):
    client = api(ent_a_officer)
    assert client.get(f"{BASE}/parks/").json()["results"] == []
    assert client.get(f"{BASE}/parks/{world.park.pk}/").status_code == 404


# --- complex memberships -------------------------------------------------------------------------------


def test_nucleus_membership_is_created_for_a_unit_with_a_core_facility(world, officer, api, audit):
    with audit() as changes:
        response = api(officer).post(
            f"{BASE}/complex-memberships/",
            {"organization": world.ent_a.pk, "role": "nucleus", "admitted_on": "2024-07-01"},
            format="json",
        )
    assert response.status_code == 201
    membership = ComplexMembership.objects.get()
    assert response.json()["organization_code"] == "ENT-A"
    assert changes.summary() == [("complexmembership", str(membership.pk), "create")]


def test_nucleus_membership_without_core_facility_is_400(world, officer, api, unchanged):
    with unchanged():
        response = api(officer).post(
            f"{BASE}/complex-memberships/",
            {"organization": world.ent_b.pk, "role": "nucleus", "admitted_on": "2024-07-01"},
            format="json",
        )
    assert response.status_code == 400
    assert response.json() == {
        "role": [
            "Công ty Điện tử Sông Hàn has no core facility recognised on 01/07/2024, so it can only be a member, "
            "not part of the nucleus."
        ]
    }


def test_second_open_membership_is_400(world, officer, api, nucleus_a, unchanged):
    with unchanged():
        response = api(officer).post(
            f"{BASE}/complex-memberships/",
            {"organization": world.ent_a.pk, "role": "member", "admitted_on": "2025-01-01"},
            format="json",
        )
    assert response.status_code == 400
    assert list(response.json().values()) == [["This organisation is already a member of the complex."]]


def test_model_non_field_error_uses_the_api_non_field_key(world, officer, api, nucleus_a):
    response = api(officer).post(
        f"{BASE}/complex-memberships/",
        {"organization": world.ent_a.pk, "role": "member", "admitted_on": "2025-01-01"},
        format="json",
    )
    assert response.json() == {"non_field_errors": ["This organisation is already a member of the complex."]}


def test_membership_left_before_admitted_is_400(world, officer, api, unchanged):
    with unchanged():
        response = api(officer).post(
            f"{BASE}/complex-memberships/",
            {"organization": world.ent_b.pk, "role": "member", "admitted_on": "2024-07-01", "left_on": "2024-01-01"},
            format="json",
        )
    assert response.status_code == 400
    assert response.json() == {"left_on": ["An organisation cannot leave before it was admitted."]}


def test_membership_is_closed_and_deleted_through_the_api(world, officer, api, nucleus_a, audit):
    client = api(officer)
    url = f"{BASE}/complex-memberships/{nucleus_a.pk}/"
    with audit() as changes:
        closed = client.patch(url, {"left_on": "2025-12-31"}, format="json")
        deleted = client.delete(url)
    assert (closed.status_code, deleted.status_code) == (200, 204)
    assert closed.json()["left_on"] == "2025-12-31"
    assert not ComplexMembership.objects.exists()
    assert changes.summary() == [
        ("complexmembership", str(nucleus_a.pk), "update"),
        ("complexmembership", str(nucleus_a.pk), "delete"),
    ]


def test_membership_patch_to_nucleus_without_core_facility_is_400(world, officer, api, unchanged):
    membership = services.complex_membership_create(
        actor=None, data={"organization": world.ent_b, "role": "member", "admitted_on": dt.date(2024, 7, 1)}
    )
    with unchanged():
        response = api(officer).patch(
            f"{BASE}/complex-memberships/{membership.pk}/", {"role": "nucleus"}, format="json"
        )
    assert response.status_code == 400
    assert list(response.json()) == ["role"]


def test_complex_membership_list_filters_current(world, officer, api, nucleus_a):
    client = api(officer)
    assert [r["id"] for r in client.get(f"{BASE}/complex-memberships/", {"current": "true"}).json()["results"]] == [
        nucleus_a.pk
    ]
    assert client.get(f"{BASE}/complex-memberships/", {"current": "false"}).json()["results"] == []


# --- restructuring -------------------------------------------------------------------------------------


def event_payload(world, **overrides):
    payload = {
        "kind": "merge",
        "organization": world.h08.pk,
        "title": "Sáp nhập",
        "decision_number": "9/QĐ-BCA",
        "decision_date": "2025-01-01",
        "effective_on": "2025-03-01",
        "sources": [world.ent_a.pk, world.ent_b.pk],
        "results": [world.ent_a.pk],
    }
    payload.update(overrides)
    return payload


def test_merge_is_created_with_its_sources_and_result(world, officer, api, audit):
    with audit() as changes:
        response = api(officer).post(f"{BASE}/restructuring-events/", event_payload(world), format="json")
    assert response.status_code == 201, response.json()
    event = RestructuringEvent.objects.get()
    assert sorted(response.json()["sources"]) == sorted([world.ent_a.pk, world.ent_b.pk])
    assert response.json()["results"] == [world.ent_a.pk]
    assert changes.summary() == [("restructuringevent", str(event.pk), "create")]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"sources": []}, {"sources": ["A merger joins at least two organisations."]}),
        ({"results": []}, {"results": ["A merger results in exactly one organisation."]}),
        ({"effective_on": "2024-12-31"}, {"effective_on": ["An event cannot take effect before its decision."]}),
        (
            {"kind": "form_corporation"},
            {"product_group": ["A corporation is formed around a product group: choose it."]},
        ),
    ],
)
def test_restructuring_with_bad_input_is_400_and_writes_nothing(world, officer, api, unchanged, overrides, expected):
    with unchanged():
        response = api(officer).post(f"{BASE}/restructuring-events/", event_payload(world, **overrides), format="json")
    assert response.status_code == 400
    assert response.json() == expected


def test_restructuring_source_outside_the_scope_is_400(world, ent_a_officer, make_user, api, unchanged):
    # a user who may record restructuring but sees only ENT-A's subtree
    from django.contrib.auth.models import Permission

    from cnan.accounts.models import Role

    role = Role.objects.create(code="ent-a-planner", name="Planner")
    role.permissions.set(
        Permission.objects.filter(
            content_type__app_label="organizations",
            codename__in=["add_restructuringevent", "view_restructuringevent", "view_organization"],
        )
    )
    planner = make_user("ent-a-planner", world.ent_a)
    payload = event_payload(world, organization=world.ent_a.pk, kind="equitise", sources=[world.ent_b.pk], results=[])
    with unchanged():
        response = api(planner).post(f"{BASE}/restructuring-events/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["sources"]


def test_restructuring_is_updated_and_deleted_through_the_api(world, officer, api, ent_c, audit, unchanged):
    client = api(officer)
    created = client.post(f"{BASE}/restructuring-events/", event_payload(world), format="json").json()
    url = f"{BASE}/restructuring-events/{created['id']}/"
    with unchanged():
        refused = client.patch(url, {"sources": [world.ent_a.pk]}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"sources": ["A merger joins at least two organisations."]}
    with audit() as changes:
        updated = client.patch(url, {"sources": [world.ent_a.pk, world.ent_b.pk, ent_c.pk]}, format="json")
        deleted = client.delete(url)
    assert updated.status_code == 200
    assert sorted(updated.json()["sources"]) == sorted([world.ent_a.pk, world.ent_b.pk, ent_c.pk])
    assert deleted.status_code == 204
    assert changes.summary() == [
        ("restructuringevent", str(created["id"]), "update"),
        ("restructuringevent", str(created["id"]), "delete"),
    ]
    assert changes[0].changed_fields == ["sources"]


def test_restructuring_list_filters_by_involved_organisation(world, officer, api):
    services.restructuring_create(
        actor=None,
        data={"kind": "merge", "organization": world.h08, "title": "Sáp nhập", "decision_number": "9/QĐ",
              "decision_date": dt.date(2025, 1, 1), "effective_on": dt.date(2025, 3, 1),
              "sources": [world.ent_a, world.ent_b], "results": [world.ent_a]},
    )  # fmt: skip
    client = api(officer)
    assert len(client.get(f"{BASE}/restructuring-events/", {"organization_id": world.ent_b.pk}).json()["results"]) == 1
    assert client.get(f"{BASE}/restructuring-events/", {"organization_id": world.institute.pk}).json()["results"] == []


# --- product groups ------------------------------------------------------------------------------------


def test_product_groups_are_listed_whole_for_every_signed_in_user(world, ent_a_officer, api):
    response = api(ent_a_officer).get(f"{BASE}/product-groups/")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert len(body) == 12
    assert body[0] == {"id": body[0]["id"], "code": "vu-khi", "name": "Vũ khí", "name_en": "Weapons",
                       "is_focus_group": False}  # fmt: skip
    assert sum(g["is_focus_group"] for g in body) == 9


def test_product_groups_are_read_only(world, officer, api, unchanged):
    with unchanged():
        response = api(officer).post(f"{BASE}/product-groups/", {"code": "x", "name": "X"}, format="json")
    assert response.status_code == 405
