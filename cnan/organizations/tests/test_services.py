"""The registry's services: what they write, what they refuse, and the audit trail they leave.

Every refusal is checked with ``refused``: the service raises, no row of the database changed and no
change record was written. Every success is checked with ``audit``: exactly one change record per
changed object.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import pytest

from cnan.accounts.models import Role
from cnan.core.context import action_context
from cnan.organizations import services
from cnan.organizations.models import (
    ComplexMembership,
    Enterprise,
    Facility,
    IndustrialPark,
    Organization,
    ParkPhase,
    RestructuringEvent,
)

K = Organization.Kind
ONLY_ENTERPRISE = "Only an enterprise has this detail."
NO_PERMISSION = "You do not have permission to perform this action."


def reload(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def enterprise_data(**overrides):
    data = {
        "code": "ENT-N",
        "name": "Công ty Thiết bị An ninh mới",
        "legal_form": Organization.LegalForm.JSC,
        "tax_code": "0100000035",
        "state_ownership": Decimal("30"),
        "province": "ha-noi",
    }
    data.update(overrides)
    return data


# --- organisations: create ---------------------------------------------------------------------------


def test_organization_create_places_the_node_under_its_parent(world, officer, audit):
    with audit() as changes:
        unit = services.organization_create(
            actor=officer, parent=world.h08, data={"code": "PX1", "name": "Phòng Kế hoạch", "kind": K.OPERATIONAL_UNIT}
        )

    unit = reload(unit)
    assert unit.parent_id == world.h08.pk
    assert unit.depth == 3
    assert unit.path.startswith(world.h08.path)
    assert reload(world.h08).numchild == 3  # ENT-A, ENT-B and the new unit
    assert changes.summary() == [("organization", str(unit.pk), "create")]
    assert changes[0].actor_id == officer.pk
    assert changes[0].organization_id == unit.pk
    assert changes[0].after["code"] == "PX1"


def test_organization_create_without_parent_makes_a_root(world, officer, audit):
    with audit() as changes:
        root = services.organization_create(
            actor=officer, parent=None, data={"code": "R2", "name": "R", "kind": K.GROUP}
        )

    root = reload(root)
    assert (root.parent_id, root.depth) == (None, 1)
    assert list(Organization.objects.get_root_nodes().values_list("code", flat=True)) == ["BCA", "DT", "R2"]
    assert changes.summary() == [("organization", str(root.pk), "create")]


def test_organization_create_folds_its_text_for_search(world):
    unit = services.organization_create(
        actor=None, parent=world.bca, data={"code": "HV1", "name": "Học viện An ninh Nhân dân", "kind": K.ACADEMY}
    )

    assert reload(unit).search_text == "hv1 hoc vien an ninh nhan dan"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("legal_form", Organization.LegalForm.JSC),
        ("tax_code", "0100000035"),
        ("charter_capital", Decimal("1000")),
        ("state_ownership", Decimal("10")),
    ],
)
def test_organization_create_refuses_enterprise_details_on_other_kinds(world, officer, refused, field, value):
    with refused(ValidationError) as info:
        services.organization_create(
            actor=officer, parent=world.bca, data={"code": "V2", "name": "Viện 2", "kind": K.INSTITUTE, field: value}
        )
    assert info.value.message_dict == {field: [ONLY_ENTERPRISE]}


def test_organization_create_refuses_a_parent_corporation_on_other_kinds(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_create(
            actor=officer,
            parent=world.bca,
            data={"code": "V2", "name": "Viện 2", "kind": K.INSTITUTE, "parent_corporation": world.ent_a},
        )
    assert info.value.message_dict == {"parent_corporation": [ONLY_ENTERPRISE]}


def test_organization_create_with_the_enterprise_kind_applies_the_enterprise_rules(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_create(
            actor=officer, parent=world.h08, data={"code": "E2", "name": "E2", "kind": K.ENTERPRISE}
        )
    assert info.value.message_dict == {
        "legal_form": ["An enterprise needs its legal form."],
        "tax_code": ["A domestic enterprise needs its tax code."],
    }


def test_organization_create_refuses_a_code_already_used(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_create(
            actor=officer, parent=world.bca, data={"code": "H08", "name": "Trùng", "kind": K.DEPARTMENT}
        )
    assert info.value.message_dict == {"code": ["Another organisation already has this code."]}


def test_organization_create_refuses_a_code_with_spaces(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_create(
            actor=officer, parent=world.bca, data={"code": "H 09", "name": "Cục", "kind": K.DEPARTMENT}
        )
    assert info.value.message_dict == {"code": ["Use letters, digits, dots and dashes only."]}


def test_organization_create_refuses_dissolution_before_establishment(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_create(
            actor=officer,
            parent=world.bca,
            data={
                "code": "C9",
                "name": "Cục 9",
                "kind": K.DEPARTMENT,
                "valid_from": dt.date(2020, 1, 1),
                "valid_to": dt.date(2019, 12, 31),
            },
        )
    assert info.value.message_dict == {"valid_to": ["The dissolution date cannot be before the establishment date."]}


def test_enterprise_officer_cannot_add_a_unit_under_its_enterprise(world, ent_a_officer, refused):
    with refused(PermissionDenied, match=NO_PERMISSION):
        services.organization_create(
            actor=ent_a_officer, parent=world.ent_a, data={"code": "X1", "name": "Xưởng 1", "kind": K.OPERATIONAL_UNIT}
        )


@pytest.fixture
def h08_registrar(world, make_user):
    """A user who may add organisations in H08's subtree only (a role that does not apply everywhere)."""
    role = Role.objects.create(code="h08-registrar", name="H08 registrar")
    role.permissions.set(
        Permission.objects.filter(content_type__app_label="organizations", codename="add_organization")
    )
    return make_user("h08-registrar", world.h08)


def test_scoped_registrar_adds_units_inside_its_subtree(world, h08_registrar):
    unit = services.organization_create(
        actor=h08_registrar, parent=world.h08, data={"code": "PX2", "name": "Phòng 2", "kind": K.OPERATIONAL_UNIT}
    )
    assert reload(unit).parent_id == world.h08.pk


def test_scoped_registrar_cannot_add_units_outside_its_subtree(world, h08_registrar, refused):
    with refused(PermissionDenied):
        services.organization_create(
            actor=h08_registrar, parent=world.bca, data={"code": "C10", "name": "Cục 10", "kind": K.DEPARTMENT}
        )


def test_only_a_ministry_wide_officer_creates_a_root(world, h08_registrar, refused):
    with refused(PermissionDenied):
        services.organization_create(
            actor=h08_registrar, parent=None, data={"code": "R3", "name": "R3", "kind": K.GROUP}
        )


# --- organisations: update ---------------------------------------------------------------------------


def test_organization_update_records_the_changed_fields(world, officer, audit):
    with audit() as changes:
        unit = services.organization_update(
            actor=officer, instance=world.institute, data={"name": "Viện KH&CN", "short_name": "VKH"}
        )

    assert (reload(unit).name, reload(unit).short_name) == ("Viện KH&CN", "VKH")
    assert changes.summary() == [("organization", str(world.institute.pk), "update")]
    assert changes[0].changed_fields == ["name", "short_name"]


def test_organization_update_without_a_change_records_nothing(world, officer, audit):
    with audit() as changes:
        services.organization_update(actor=officer, instance=world.institute, data={"name": world.institute.name})
    assert changes == []


def test_organization_update_cannot_turn_a_unit_into_an_enterprise(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_update(actor=officer, instance=world.institute, data={"kind": K.ENTERPRISE})
    assert info.value.message_dict == {
        "kind": ["Register an enterprise through the enterprise form, with its legal details."]
    }


def test_organization_update_refuses_enterprise_details_on_other_kinds(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_update(actor=officer, instance=world.institute, data={"tax_code": "0100000035"})
    assert info.value.message_dict == {"tax_code": [ONLY_ENTERPRISE]}


def test_enterprise_officer_updates_its_own_enterprise(world, ent_a_officer, audit):
    with audit() as changes:
        services.organization_update(actor=ent_a_officer, instance=world.ent_a, data={"phone": "024 3826 0000"})

    assert reload(world.ent_a).phone == "024 3826 0000"
    assert changes.summary() == [("organization", str(world.ent_a.pk), "update")]
    assert changes[0].actor_id == ent_a_officer.pk


def test_enterprise_officer_cannot_update_the_other_enterprise(world, ent_a_officer, refused):
    with refused(PermissionDenied, match=NO_PERMISSION):
        services.organization_update(actor=ent_a_officer, instance=world.ent_b, data={"phone": "0236 000"})


def test_enterprise_officer_cannot_update_its_parent_department(world, ent_a_officer, refused):
    with refused(PermissionDenied):
        services.organization_update(actor=ent_a_officer, instance=world.h08, data={"name": "Cục mới"})


# --- enterprises ---------------------------------------------------------------------------------------


def test_enterprise_create_records_one_change_with_its_product_groups(world, officer, product_group, audit):
    with audit() as changes:
        ent = services.enterprise_create(
            actor=officer, parent=world.h08, data=enterprise_data(product_groups=[product_group])
        )

    ent = reload(ent)
    assert ent.kind == K.ENTERPRISE
    assert ent.parent_id == world.h08.pk
    assert list(ent.product_groups.values_list("code", flat=True)) == ["an-ninh-mang"]
    assert changes.summary() == [("organization", str(ent.pk), "create")]
    assert changes[0].after["product_groups"] == [product_group.pk]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (" 0100000035 ", "0100000035"),
        ("0100109106001", "0100109106-001"),
        ("0100109106-001", "0100109106-001"),
    ],
)
def test_enterprise_create_normalises_the_tax_code(world, given, stored):
    ent = services.enterprise_create(actor=None, parent=world.h08, data=enterprise_data(tax_code=given))
    assert reload(ent).tax_code == stored


@pytest.mark.parametrize("tax_code", ["0100000036", "01000000", "0100109106-01", "ABCDEFGHIJ"])
def test_enterprise_create_refuses_an_invalid_tax_code(world, officer, refused, tax_code):
    with refused(ValidationError) as info:
        services.enterprise_create(actor=officer, parent=world.h08, data=enterprise_data(tax_code=tax_code))
    [message] = info.value.message_dict["tax_code"]
    assert message.startswith(f"{tax_code} is not a valid Vietnamese tax code")
    assert list(info.value.message_dict) == ["tax_code"]


def test_enterprise_create_refuses_a_tax_code_already_registered(world, officer, refused):
    with refused(ValidationError) as info:
        services.enterprise_create(actor=officer, parent=world.h08, data=enterprise_data(tax_code="0100109106"))
    assert info.value.messages == ["Another organisation already has this tax code."]


def test_enterprise_create_refuses_the_same_tax_code_written_differently(world, officer, refused):
    with refused(ValidationError) as info:
        services.enterprise_create(actor=officer, parent=world.h08, data=enterprise_data(tax_code=" 0100109106"))
    assert info.value.messages == ["Another organisation already has this tax code."]


def test_domestic_enterprise_needs_its_tax_code(world, officer, refused):
    with refused(ValidationError) as info:
        services.enterprise_create(actor=officer, parent=world.h08, data=enterprise_data(tax_code=""))
    assert info.value.message_dict == {"tax_code": ["A domestic enterprise needs its tax code."]}


def test_foreign_enterprise_needs_no_tax_code(world, officer):
    ent = services.enterprise_create(
        actor=officer,
        parent=world.partners,
        data=enterprise_data(code="F-DE", tax_code="", country="DE", legal_form=Organization.LegalForm.FOREIGN),
    )
    assert (reload(ent).tax_code, reload(ent).country.code) == ("", "DE")


def test_enterprise_needs_its_legal_form(world, officer, refused):
    with refused(ValidationError) as info:
        services.enterprise_create(actor=officer, parent=world.h08, data=enterprise_data(legal_form=""))
    assert info.value.message_dict == {"legal_form": ["An enterprise needs its legal form."]}


@pytest.mark.parametrize("share", [Decimal("51"), Decimal("99.99"), Decimal("0")])
def test_single_member_llc_must_be_wholly_state_owned(world, officer, refused, share):
    with refused(ValidationError) as info:
        services.enterprise_create(
            actor=officer,
            parent=world.h08,
            data=enterprise_data(legal_form=Organization.LegalForm.STATE_LLC, state_ownership=share),
        )
    assert info.value.message_dict == {
        "state_ownership": ["A single-member LLC with 100% state capital has 100% state ownership."]
    }


@pytest.mark.parametrize("share", [Decimal("100"), None])
def test_single_member_llc_with_full_or_unknown_state_ownership_is_accepted(world, officer, share):
    ent = services.enterprise_create(
        actor=officer,
        parent=world.h08,
        data=enterprise_data(legal_form=Organization.LegalForm.STATE_LLC, state_ownership=share),
    )
    assert reload(ent).state_ownership == share


def test_update_to_single_member_llc_checks_the_state_ownership(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_update(
            actor=officer, instance=world.ent_b, data={"legal_form": Organization.LegalForm.STATE_LLC}
        )
    assert list(info.value.message_dict) == ["state_ownership"]


@pytest.mark.parametrize("share", [Decimal("100.01"), Decimal("-1")])
def test_state_ownership_stays_between_0_and_100(world, officer, refused, share):
    with refused(ValidationError) as info:
        services.enterprise_create(actor=officer, parent=world.h08, data=enterprise_data(state_ownership=share))
    assert list(info.value.message_dict) == ["state_ownership"]


def test_parent_corporation_must_be_an_enterprise(world, officer, refused):
    with refused(ValidationError) as info:
        services.enterprise_create(actor=officer, parent=world.h08, data=enterprise_data(parent_corporation=world.h08))
    assert list(info.value.message_dict) == ["parent_corporation"]
    assert "The parent corporation must be an enterprise." in info.value.message_dict["parent_corporation"]


def test_parent_corporation_may_be_another_enterprise(world, officer, audit):
    with audit() as changes:
        ent = services.enterprise_create(
            actor=officer, parent=world.h08, data=enterprise_data(parent_corporation=world.ent_b)
        )
    assert reload(ent).parent_corporation_id == world.ent_b.pk
    assert list(world.ent_b.subsidiaries.values_list("code", flat=True)) == ["ENT-N"]
    assert changes.summary() == [("organization", str(ent.pk), "create")]


def test_enterprise_cannot_be_its_own_parent_corporation(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_update(actor=officer, instance=world.ent_a, data={"parent_corporation": world.ent_a})
    assert info.value.message_dict == {"parent_corporation": ["An enterprise cannot be its own parent corporation."]}


def test_enterprise_update_normalises_the_tax_code(world, officer, audit):
    with audit() as changes:
        services.organization_update(actor=officer, instance=world.ent_b, data={"tax_code": "0100000010001"})
    assert reload(world.ent_b).tax_code == "0100000010-001"
    assert changes.summary() == [("organization", str(world.ent_b.pk), "update")]
    assert changes[0].before["tax_code"] == "0100000010"
    assert changes[0].after["tax_code"] == "0100000010-001"


def test_enterprise_update_with_the_same_tax_code_written_differently_records_nothing(world, officer, audit):
    with audit() as changes:
        services.organization_update(actor=officer, instance=world.ent_b, data={"tax_code": " 0100000010 "})
    assert changes == []


def test_enterprise_update_cannot_change_its_kind(world, officer, audit):
    with audit() as changes:
        services.organization_update(actor=officer, instance=world.ent_a, data={"kind": K.INSTITUTE})
    assert reload(world.ent_a).kind == K.ENTERPRISE
    assert changes == []


def test_enterprise_update_replaces_its_product_groups(world, officer, product_group, audit):
    with audit() as changes:
        services.organization_update(actor=officer, instance=world.ent_a, data={"product_groups": [product_group]})
    assert list(world.ent_a.product_groups.all()) == [product_group]
    assert changes.summary() == [("organization", str(world.ent_a.pk), "update")]
    assert changes[0].before["product_groups"] == []
    assert changes[0].after["product_groups"] == [product_group.pk]


def test_enterprise_proxy_reads_the_same_rows(world):
    assert list(Enterprise.objects.enterprises().values_list("code", flat=True)) == ["ENT-A", "ENT-B"]


# --- moving organisations ------------------------------------------------------------------------------


@pytest.fixture
def workshop(world):
    """A unit inside ENT-A, so that ENT-A has a subtree."""
    return services.organization_create(
        actor=None, parent=world.ent_a, data={"code": "ENT-A-X1", "name": "Phân xưởng 1", "kind": K.OPERATIONAL_UNIT}
    )


def test_move_takes_the_subtree_along(world, officer, workshop, audit):
    with audit() as changes:
        moved = services.organization_move(actor=officer, instance=world.ent_a, new_parent=world.institute)

    ent_a, workshop = reload(world.ent_a), reload(workshop)
    institute = reload(world.institute)
    assert moved.pk == ent_a.pk
    assert ent_a.parent_id == institute.pk
    assert ent_a.path.startswith(institute.path)
    assert (ent_a.depth, workshop.depth) == (3, 4)
    assert workshop.path.startswith(ent_a.path)
    assert workshop.parent_id == ent_a.pk
    descendants = Organization.objects.get_descendants(institute)
    assert list(descendants.values_list("code", flat=True)) == ["ENT-A", "ENT-A-X1"]
    assert list(Organization.objects.get_children(reload(world.h08)).values_list("code", flat=True)) == ["ENT-B"]
    assert (reload(world.h08).numchild, institute.numchild) == (1, 1)
    assert reload(world.facility_a).organization_id == ent_a.pk
    assert changes.summary() == [("organization", str(ent_a.pk), "update")]
    assert {"parent", "path"} <= set(changes[0].changed_fields)
    assert (changes[0].before["parent"], changes[0].after["parent"]) == (world.h08.pk, institute.pk)


def test_move_under_own_descendant_is_refused(world, officer, workshop, refused):
    with refused(ValidationError) as info:
        services.organization_move(actor=officer, instance=world.h08, new_parent=workshop)
    assert info.value.message_dict == {"parent": ["An organisation cannot be moved under one of its own sub-units."]}


def test_move_under_itself_is_refused(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_move(actor=officer, instance=world.h08, new_parent=world.h08)
    assert list(info.value.message_dict) == ["parent"]


def test_move_to_the_current_parent_records_nothing(world, officer, audit):
    with audit() as changes:
        services.organization_move(actor=officer, instance=world.ent_a, new_parent=world.h08)
    assert reload(world.ent_a).path == world.ent_a.path
    assert changes == []


def test_enterprise_officer_cannot_move_its_enterprise(world, ent_a_officer, refused):
    with refused(PermissionDenied):
        services.organization_move(actor=ent_a_officer, instance=world.ent_a, new_parent=world.institute)


def test_organization_update_with_a_new_parent_moves_it(world, officer, workshop, audit):
    with audit() as changes:
        services.organization_update(actor=officer, instance=world.ent_a, data={"parent": world.bca})

    ent_a = reload(world.ent_a)
    assert (ent_a.parent_id, ent_a.depth) == (world.bca.pk, 2)
    assert reload(workshop).path.startswith(ent_a.path)
    assert changes.summary() == [("organization", str(ent_a.pk), "update")]


def test_organization_update_that_moves_and_edits_records_both(world, officer, audit):
    """The move and the edit are two change records of one request (core records one per helper call)."""
    with action_context(source="web") as ctx, audit() as changes:
        services.organization_update(
            actor=officer, instance=world.institute, data={"parent": world.h08, "name": "Viện (chuyển về Cục)"}
        )
    institute = reload(world.institute)
    assert (institute.parent_id, institute.name) == (world.h08.pk, "Viện (chuyển về Cục)")
    assert changes.summary() == [("organization", str(institute.pk), "update")] * 2
    move, edit = changes
    assert "parent" in move.changed_fields and edit.changed_fields == ["name"]
    assert move.request_id == edit.request_id == ctx.request_id


def test_move_is_undone_when_the_rest_of_the_update_is_refused(world, officer, refused):
    with refused(ValidationError):
        services.organization_update(actor=officer, instance=world.ent_a, data={"parent": world.bca, "legal_form": ""})


# --- deleting organisations ----------------------------------------------------------------------------


def test_delete_is_refused_while_sub_units_exist(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_delete(actor=officer, instance=world.h08)
    assert info.value.messages == ["Cục Công nghiệp an ninh (H08) still has sub-units: move or delete them first."]


def test_delete_is_refused_while_facilities_belong_to_it(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_delete(actor=officer, instance=world.ent_b)
    assert info.value.messages == [
        "Công ty Điện tử Sông Hàn (ENT-B) cannot be deleted while other records refer to it: Nhà máy điện tử."
    ]


def test_delete_of_a_leaf_records_one_change_and_updates_the_parent(world, officer, audit):
    pk = world.institute.pk
    with audit() as changes:
        services.organization_delete(actor=officer, instance=world.institute)

    assert not Organization.objects.filter(pk=pk).exists()
    assert reload(world.bca).numchild == 1
    assert changes.summary() == [("organization", str(pk), "delete")]
    assert changes[0].before["code"] == "VKHCN"
    assert changes[0].after is None


def test_enterprise_officer_cannot_delete_its_enterprise(world, ent_a_officer, refused):
    services.facility_delete(actor=None, instance=world.facility_a)
    with refused(PermissionDenied):
        services.organization_delete(actor=ent_a_officer, instance=world.ent_a)


# --- facilities ----------------------------------------------------------------------------------------


def facility_data(world, **overrides):
    data = {"organization": world.ent_a, "code": "FN", "name": "Xưởng mới", "kind": "other", "province": "ha-noi"}
    data.update(overrides)
    return data


def test_facility_create_records_one_change(world, officer, product_group, audit):
    with audit() as changes:
        facility = services.facility_create(
            actor=officer, data=facility_data(world, product_groups=[product_group], park=world.park)
        )

    facility = reload(facility)
    assert (facility.organization_id, facility.park_id) == (world.ent_a.pk, world.park.pk)
    assert list(facility.product_groups.all()) == [product_group]
    assert changes.summary() == [("facility", str(facility.pk), "create")]
    assert changes[0].organization_id == world.ent_a.pk


@pytest.mark.parametrize(
    "decision",
    [
        {},
        {"decision_number": "15/QĐ-BCA"},
        {"decision_date": dt.date(2021, 5, 1)},
    ],
    ids=["no-decision", "no-date", "no-number"],
)
def test_core_facility_needs_decision_number_and_date(world, officer, refused, decision):
    with refused(ValidationError) as info:
        services.facility_create(actor=officer, data=facility_data(world, kind="core", **decision))
    assert info.value.message_dict == {
        "decision_number": [
            "A core facility needs the number and date of the Minister's establishing or approving decision."
        ]
    }


def test_core_facility_with_its_decision_is_accepted(world, officer):
    facility = services.facility_create(
        actor=officer,
        data=facility_data(world, kind="core", decision_number="15/QĐ-BCA", decision_date=dt.date(2021, 5, 1)),
    )
    assert reload(facility).kind == Facility.Kind.CORE


def test_core_facility_cannot_belong_to_a_partner(world, officer, refused):
    with refused(ValidationError) as info:
        services.facility_create(
            actor=officer,
            data=facility_data(
                world,
                organization=world.partner,
                kind="core",
                decision_number="15/QĐ-BCA",
                decision_date=dt.date(2021, 5, 1),
            ),
        )
    assert info.value.message_dict == {
        "kind": ["A core facility belongs to the Ministry's units or enterprises, not to an outside partner."]
    }


def test_partner_may_own_another_facility(world, officer):
    facility = services.facility_create(actor=officer, data=facility_data(world, organization=world.partner))
    assert reload(facility).organization_id == world.partner.pk


def test_facility_update_cannot_make_a_partners_facility_core(world, officer, refused):
    facility = services.facility_create(actor=None, data=facility_data(world, organization=world.partner))
    with refused(ValidationError) as info:
        services.facility_update(
            actor=officer,
            instance=facility,
            data={"kind": "core", "decision_number": "1/QĐ", "decision_date": dt.date(2022, 1, 1)},
        )
    assert list(info.value.message_dict) == ["kind"]


def test_facility_update_cannot_hand_a_core_facility_to_a_partner(world, officer, refused):
    with refused(ValidationError) as info:
        services.facility_update(actor=officer, instance=world.facility_a, data={"organization": world.partner})
    assert list(info.value.message_dict) == ["kind"]


def test_facility_update_cannot_drop_the_decision_of_a_core_facility(world, officer, refused):
    with refused(ValidationError) as info:
        services.facility_update(actor=officer, instance=world.facility_a, data={"decision_date": None})
    assert list(info.value.message_dict) == ["decision_number"]


def test_facility_recognition_cannot_be_withdrawn_before_it_was_given(world, officer, refused):
    with refused(ValidationError) as info:
        services.facility_update(
            actor=officer,
            instance=world.facility_b,
            data={"recognised_on": dt.date(2022, 1, 1), "withdrawn_on": dt.date(2021, 1, 1)},
        )
    assert info.value.message_dict == {"withdrawn_on": ["Recognition cannot be withdrawn before it was given."]}


def test_facility_code_is_unique(world, officer, refused):
    with refused(ValidationError) as info:
        services.facility_create(actor=officer, data=facility_data(world, code="FB"))
    assert info.value.message_dict == {"code": ["Another facility already has this code."]}


def test_enterprise_officer_adds_a_facility_to_its_enterprise(world, ent_a_officer, audit):
    with audit() as changes:
        facility = services.facility_create(actor=ent_a_officer, data=facility_data(world))
    assert changes.summary() == [("facility", str(facility.pk), "create")]
    assert changes[0].actor_id == ent_a_officer.pk


def test_enterprise_officer_cannot_add_a_facility_to_the_other_enterprise(world, ent_a_officer, refused):
    with refused(PermissionDenied, match=NO_PERMISSION):
        services.facility_create(actor=ent_a_officer, data=facility_data(world, organization=world.ent_b))


def test_enterprise_officer_cannot_hand_its_facility_to_the_other_enterprise(world, ent_a_officer, refused):
    with refused(PermissionDenied):
        services.facility_update(actor=ent_a_officer, instance=world.facility_a, data={"organization": world.ent_b})


def test_enterprise_officer_cannot_change_the_other_enterprises_facility(world, ent_a_officer, refused):
    with refused(PermissionDenied):
        services.facility_update(actor=ent_a_officer, instance=world.facility_b, data={"name": "Đổi tên"})


def test_facility_update_records_one_change(world, ent_a_officer, audit):
    with audit() as changes:
        services.facility_update(actor=ent_a_officer, instance=world.facility_a, data={"capacity": "20.000 mũ/năm"})
    assert reload(world.facility_a).capacity == "20.000 mũ/năm"
    assert changes.summary() == [("facility", str(world.facility_a.pk), "update")]
    assert changes[0].changed_fields == ["capacity"]


def test_facility_delete_records_one_change(world, ent_a_officer, audit):
    pk = world.facility_a.pk
    with audit() as changes:
        services.facility_delete(actor=ent_a_officer, instance=world.facility_a)
    assert not Facility.objects.filter(pk=pk).exists()
    assert changes.summary() == [("facility", str(pk), "delete")]


def test_enterprise_officer_cannot_delete_the_other_enterprises_facility(world, ent_a_officer, refused):
    with refused(PermissionDenied):
        services.facility_delete(actor=ent_a_officer, instance=world.facility_b)


# --- parks and phases ----------------------------------------------------------------------------------


def test_park_create_update_delete_each_record_one_change(world, officer, audit):
    with audit() as created:
        park = services.park_create(
            actor=officer, data={"organization": world.h08, "code": "P2", "name": "Khu 2", "province": "bac-ninh"}
        )
    with audit() as updated:
        services.park_update(actor=officer, instance=park, data={"status": IndustrialPark.Status.OPERATING})
    pk = park.pk
    with audit() as deleted:
        services.park_delete(actor=officer, instance=reload(park))

    assert created.summary() == [("industrialpark", str(pk), "create")]
    assert updated.summary() == [("industrialpark", str(pk), "update")]
    assert updated[0].changed_fields == ["status"]
    assert deleted.summary() == [("industrialpark", str(pk), "delete")]
    assert not IndustrialPark.objects.filter(pk=pk).exists()


def test_park_with_tenant_facilities_cannot_be_deleted(world, officer, refused):
    with refused(ValidationError) as info:
        services.park_delete(actor=officer, instance=world.park)
    assert info.value.messages == ["Khu CNAN Lại Yên cannot be deleted while other records refer to it: Xưởng cơ khí."]


def test_park_area_cannot_be_negative(world, officer, refused):
    with refused(ValidationError) as info:
        services.park_update(actor=officer, instance=world.park, data={"area_ha": Decimal("-1")})
    assert list(info.value.message_dict) == ["area_ha"]


def test_enterprise_officer_cannot_create_a_park(world, ent_a_officer, refused):
    with refused(PermissionDenied):
        services.park_create(
            actor=ent_a_officer,
            data={"organization": world.ent_a, "code": "P3", "name": "Khu 3", "province": "ha-noi"},
        )


def test_park_phase_create_records_one_change_under_the_parks_manager(world, officer, audit):
    with audit() as changes:
        phase = services.park_phase_create(
            actor=officer,
            park=world.park,
            data={"name": "Giai đoạn I", "started_on": dt.date(2019, 1, 1), "completed_on": dt.date(2021, 8, 19)},
        )
    assert list(world.park.phases.values_list("name", flat=True)) == ["Giai đoạn I"]
    assert changes.summary() == [("parkphase", str(phase.pk), "create")]
    assert changes[0].organization_id == world.h08.pk


def test_park_phase_cannot_end_before_it_starts(world, officer, refused):
    with refused(ValidationError) as info:
        services.park_phase_create(
            actor=officer,
            park=world.park,
            data={"name": "Giai đoạn I", "started_on": dt.date(2021, 1, 1), "completed_on": dt.date(2020, 12, 31)},
        )
    assert info.value.message_dict == {"completed_on": ["A phase cannot end before it starts."]}


def test_park_phase_names_are_unique_within_a_park(world, officer, refused):
    services.park_phase_create(actor=None, park=world.park, data={"name": "Giai đoạn I"})
    with refused(ValidationError) as info:
        services.park_phase_create(actor=officer, park=world.park, data={"name": "Giai đoạn I"})
    assert info.value.messages == ["This park already has a phase with this name."]


def test_park_phase_update_checks_the_dates(world, officer, refused):
    phase = services.park_phase_create(actor=None, park=world.park, data={"name": "GĐ II"})
    with refused(ValidationError):
        services.park_phase_update(
            actor=officer,
            instance=phase,
            data={"started_on": dt.date(2025, 1, 1), "completed_on": dt.date(2024, 1, 1)},
        )


def test_park_phase_update_and_delete_record_one_change_each(world, officer, audit):
    phase = services.park_phase_create(actor=None, park=world.park, data={"name": "GĐ II"})
    with audit() as updated:
        services.park_phase_update(
            actor=officer, instance=phase, data={"status": IndustrialPark.Status.UNDER_CONSTRUCTION}
        )
    with audit() as deleted:
        services.park_phase_delete(actor=officer, instance=reload(phase))
    assert updated.summary() == [("parkphase", str(phase.pk), "update")]
    assert deleted.summary() == [("parkphase", str(phase.pk), "delete")]
    assert not ParkPhase.objects.filter(pk=phase.pk).exists()


def test_enterprise_officer_cannot_add_a_park_phase(world, ent_a_officer, refused):
    with refused(PermissionDenied):
        services.park_phase_create(actor=ent_a_officer, park=world.park, data={"name": "GĐ III"})


# --- the security-industrial complex -------------------------------------------------------------------


def membership_data(org, **overrides):
    data = {"organization": org, "role": ComplexMembership.Role.MEMBER, "admitted_on": dt.date(2024, 7, 1)}
    data.update(overrides)
    return data


def test_unit_with_a_core_facility_joins_the_nucleus(world, officer, audit):
    with audit() as changes:
        membership = services.complex_membership_create(
            actor=officer, data=membership_data(world.ent_a, role=ComplexMembership.Role.NUCLEUS)
        )
    assert reload(membership).role == ComplexMembership.Role.NUCLEUS
    assert changes.summary() == [("complexmembership", str(membership.pk), "create")]
    assert changes[0].organization_id == world.ent_a.pk


def test_unit_without_a_core_facility_cannot_join_the_nucleus(world, officer, refused):
    with refused(ValidationError) as info:
        services.complex_membership_create(
            actor=officer, data=membership_data(world.ent_b, role=ComplexMembership.Role.NUCLEUS)
        )
    assert info.value.message_dict == {
        "role": [
            "Công ty Điện tử Sông Hàn has no core facility recognised on 01/07/2024, so it can only be a member, "
            "not part of the nucleus."
        ]
    }


def test_unit_without_a_core_facility_joins_as_a_member(world, officer):
    membership = services.complex_membership_create(actor=officer, data=membership_data(world.ent_b))
    assert reload(membership).role == ComplexMembership.Role.MEMBER


@pytest.mark.parametrize("org_name", ["partner", "partners"])
def test_units_outside_the_ministry_cannot_join_the_nucleus(world, officer, refused, org_name):
    org = getattr(world, org_name)
    services.facility_create(
        actor=None,
        data=facility_data(world, organization=org, code="F-OUT", kind="other"),
    )
    with refused(ValidationError) as info:
        services.complex_membership_create(
            actor=officer, data=membership_data(org, role=ComplexMembership.Role.NUCLEUS)
        )
    assert info.value.message_dict == {"role": ["Only units of the Ministry can be in the nucleus of the complex."]}


def test_core_facility_withdrawn_before_admission_does_not_count(world, officer, refused):
    services.facility_update(
        actor=None,
        instance=world.facility_a,
        data={"recognised_on": dt.date(2020, 1, 2), "withdrawn_on": dt.date(2024, 6, 30)},
    )
    with refused(ValidationError) as info:
        services.complex_membership_create(
            actor=officer, data=membership_data(world.ent_a, role=ComplexMembership.Role.NUCLEUS)
        )
    assert list(info.value.message_dict) == ["role"]


def test_core_facility_recognised_after_admission_does_not_count(world, officer, refused):
    services.facility_update(actor=None, instance=world.facility_a, data={"recognised_on": dt.date(2024, 7, 2)})
    with refused(ValidationError) as info:
        services.complex_membership_create(
            actor=officer, data=membership_data(world.ent_a, role=ComplexMembership.Role.NUCLEUS)
        )
    assert "recognised on 01/07/2024" in info.value.message_dict["role"][0]


def test_core_facility_withdrawn_after_admission_still_counts(world, officer):
    services.facility_update(actor=None, instance=world.facility_a, data={"withdrawn_on": dt.date(2024, 7, 2)})
    membership = services.complex_membership_create(
        actor=officer, data=membership_data(world.ent_a, role=ComplexMembership.Role.NUCLEUS)
    )
    assert membership.pk is not None


def test_only_one_open_membership_per_organisation(world, officer, nucleus_a, refused):
    with refused(ValidationError) as info:
        services.complex_membership_create(
            actor=officer, data=membership_data(world.ent_a, admitted_on=dt.date(2025, 1, 1))
        )
    assert info.value.messages == ["This organisation is already a member of the complex."]


def test_organisation_rejoins_after_leaving(world, officer, nucleus_a):
    services.complex_membership_update(actor=officer, instance=nucleus_a, data={"left_on": dt.date(2025, 1, 1)})
    again = services.complex_membership_create(
        actor=officer, data=membership_data(world.ent_a, admitted_on=dt.date(2025, 2, 1))
    )
    assert list(ComplexMembership.objects.filter(organization=world.ent_a).order_by("admitted_on")) == [
        reload(nucleus_a),
        reload(again),
    ]
    assert list(ComplexMembership.objects.current(on=dt.date(2025, 3, 1))) == [reload(again)]


def test_membership_cannot_end_before_it_starts(world, officer, refused):
    with refused(ValidationError) as info:
        services.complex_membership_create(
            actor=officer, data=membership_data(world.ent_b, left_on=dt.date(2024, 6, 30))
        )
    assert info.value.message_dict == {"left_on": ["An organisation cannot leave before it was admitted."]}


def test_membership_may_end_the_day_it_starts(world, officer):
    membership = services.complex_membership_create(
        actor=officer, data=membership_data(world.ent_b, left_on=dt.date(2024, 7, 1))
    )
    assert reload(membership).left_on == dt.date(2024, 7, 1)


def test_membership_update_to_nucleus_checks_the_core_facility(world, officer, refused):
    membership = services.complex_membership_create(actor=None, data=membership_data(world.ent_b))
    with refused(ValidationError) as info:
        services.complex_membership_update(
            actor=officer, instance=membership, data={"role": ComplexMembership.Role.NUCLEUS}
        )
    assert list(info.value.message_dict) == ["role"]


def test_membership_update_and_delete_record_one_change_each(world, officer, nucleus_a, audit):
    with audit() as updated:
        services.complex_membership_update(actor=officer, instance=nucleus_a, data={"note": "Theo Nghị định 60"})
    with audit() as deleted:
        services.complex_membership_delete(actor=officer, instance=reload(nucleus_a))
    assert updated.summary() == [("complexmembership", str(nucleus_a.pk), "update")]
    assert deleted.summary() == [("complexmembership", str(nucleus_a.pk), "delete")]


def test_enterprise_officer_cannot_admit_its_enterprise(world, ent_a_officer, refused):
    with refused(PermissionDenied):
        services.complex_membership_create(actor=ent_a_officer, data=membership_data(world.ent_a))


# --- restructuring -------------------------------------------------------------------------------------


def event_data(world, kind, **overrides):
    data = {
        "kind": kind,
        "organization": world.h08,
        "title": "Tái cơ cấu",
        "decision_number": "55/QĐ-BCA",
        "decision_date": dt.date(2025, 3, 1),
        "effective_on": dt.date(2025, 4, 1),
    }
    data.update(overrides)
    return data


MERGE = RestructuringEvent.Kind.MERGE
SPLIT = RestructuringEvent.Kind.SPLIT
FORM = RestructuringEvent.Kind.FORM_CORPORATION


def test_merge_records_one_change_with_its_sources_and_result(world, officer, ent_c, audit):
    with audit() as changes:
        event = services.restructuring_create(
            actor=officer,
            data=event_data(
                world, MERGE, organization=world.ent_a, sources=[world.ent_a, world.ent_b], results=[world.ent_a]
            ),
        )
    event = reload(event)
    assert sorted(event.sources.values_list("code", flat=True)) == ["ENT-A", "ENT-B"]
    assert list(event.results.values_list("code", flat=True)) == ["ENT-A"]
    assert changes.summary() == [("restructuringevent", str(event.pk), "create")]
    assert changes[0].after["sources"] == sorted([world.ent_a.pk, world.ent_b.pk])


@pytest.mark.parametrize(
    ("kind", "sources", "results", "errors"),
    [
        (MERGE, ["ent_a"], ["ent_c"], {"sources": ["A merger joins at least two organisations."]}),
        (MERGE, ["ent_a", "ent_b"], [], {"results": ["A merger results in exactly one organisation."]}),
        (MERGE, ["ent_a", "ent_b"], ["ent_a", "ent_c"], {"results": ["A merger results in exactly one organisation."]}),
        (SPLIT, ["ent_a", "ent_b"], ["ent_a", "ent_c"], {"sources": ["A split starts from exactly one organisation."]}),
        (SPLIT, [], ["ent_a", "ent_c"], {"sources": ["A split starts from exactly one organisation."]}),
        (SPLIT, ["ent_a"], ["ent_c"], {"results": ["A split results in at least two organisations."]}),
        (FORM, [], ["ent_c"], {"sources": ["Name the enterprises that join the corporation."]}),
        (FORM, ["ent_a", "ent_b"], [], {"results": ["Name the corporation that is formed."]}),
        (
            MERGE,
            [],
            [],
            {
                "sources": ["A merger joins at least two organisations."],
                "results": ["A merger results in exactly one organisation."],
            },
        ),
    ],
)
def test_restructuring_cardinality_rules(world, officer, ent_c, product_group, refused, kind, sources, results, errors):
    orgs = {"ent_a": world.ent_a, "ent_b": world.ent_b, "ent_c": ent_c}
    with refused(ValidationError) as info:
        services.restructuring_create(
            actor=officer,
            data=event_data(
                world,
                kind,
                product_group=product_group,
                sources=[orgs[o] for o in sources],
                results=[orgs[o] for o in results],
            ),
        )
    assert info.value.message_dict == errors


def test_split_into_two_is_accepted(world, officer, ent_c):
    event = services.restructuring_create(
        actor=officer, data=event_data(world, SPLIT, sources=[world.ent_b], results=[world.ent_b, ent_c])
    )
    assert sorted(event.results.values_list("code", flat=True)) == ["ENT-B", "ENT-C"]


def test_forming_a_corporation_needs_its_product_group(world, officer, ent_c, refused):
    with refused(ValidationError) as info:
        services.restructuring_create(
            actor=officer, data=event_data(world, FORM, sources=[world.ent_a, world.ent_b], results=[ent_c])
        )
    assert info.value.message_dict == {"product_group": ["A corporation is formed around a product group: choose it."]}


def test_forming_a_corporation_with_its_product_group_is_accepted(world, officer, ent_c, product_group):
    event = services.restructuring_create(
        actor=officer,
        data=event_data(world, FORM, product_group=product_group, sources=[world.ent_a, world.ent_b], results=[ent_c]),
    )
    assert reload(event).product_group_id == product_group.pk


def test_restructuring_cannot_take_effect_before_its_decision(world, officer, refused):
    with refused(ValidationError) as info:
        services.restructuring_create(
            actor=officer,
            data=event_data(world, RestructuringEvent.Kind.EQUITISE, effective_on=dt.date(2025, 2, 28)),
        )
    assert info.value.message_dict == {"effective_on": ["An event cannot take effect before its decision."]}


def test_restructuring_may_take_effect_on_the_decision_day(world, officer):
    event = services.restructuring_create(
        actor=officer, data=event_data(world, RestructuringEvent.Kind.EQUITISE, effective_on=dt.date(2025, 3, 1))
    )
    assert reload(event).effective_on == dt.date(2025, 3, 1)


def test_equitisation_has_no_cardinality_rule(world, officer):
    event = services.restructuring_create(actor=officer, data=event_data(world, RestructuringEvent.Kind.EQUITISE))
    assert (event.sources.count(), event.results.count()) == (0, 0)


@pytest.fixture
def merger(world, ent_c):
    return services.restructuring_create(
        actor=None, data=event_data(world, MERGE, sources=[world.ent_a, world.ent_b], results=[ent_c])
    )


def test_restructuring_update_checks_the_stored_sources(world, officer, merger, refused):
    with refused(ValidationError) as info:
        services.restructuring_update(actor=officer, instance=merger, data={"kind": SPLIT})
    assert info.value.message_dict == {
        "sources": ["A split starts from exactly one organisation."],
        "results": ["A split results in at least two organisations."],
    }


def test_restructuring_update_checks_the_new_sources(world, officer, merger, refused):
    with refused(ValidationError) as info:
        services.restructuring_update(actor=officer, instance=merger, data={"sources": [world.ent_a]})
    assert list(info.value.message_dict) == ["sources"]


def test_restructuring_update_and_delete_record_one_change_each(world, officer, merger, ent_c, audit):
    with audit() as updated:
        services.restructuring_update(
            actor=officer, instance=merger, data={"sources": [world.ent_a, world.ent_b, world.institute]}
        )
    assert sorted(merger.sources.values_list("code", flat=True)) == ["ENT-A", "ENT-B", "VKHCN"]
    pk = merger.pk
    with audit() as deleted:
        services.restructuring_delete(actor=officer, instance=reload(merger))
    assert updated.summary() == [("restructuringevent", str(pk), "update")]
    assert updated[0].changed_fields == ["sources"]
    assert deleted.summary() == [("restructuringevent", str(pk), "delete")]
    assert not RestructuringEvent.objects.filter(pk=pk).exists()


def test_enterprise_officer_cannot_record_a_restructuring(world, ent_a_officer, refused):
    with refused(PermissionDenied):
        services.restructuring_create(
            actor=ent_a_officer, data=event_data(world, RestructuringEvent.Kind.EQUITISE, organization=world.ent_a)
        )


# --- classification ------------------------------------------------------------------------------------

SECRET = {"classification": 1, "classification_basis": "Mục 3, Danh mục bí mật nhà nước ngành Công an"}


@pytest.mark.parametrize("level", [1, 2, 3])
def test_unclassified_profile_refuses_classified_records(world, officer, refused, level):
    with refused(ValidationError) as info:
        services.facility_create(actor=None, data=facility_data(world, **{**SECRET, "classification": level}))
    [message] = info.value.message_dict["classification"]
    assert "unclassified profile" in message
    assert "isolated-network deployment" in message


def test_unclassified_profile_refuses_classifying_an_existing_record(world, officer, refused):
    with refused(ValidationError) as info:
        services.organization_update(actor=officer, instance=world.institute, data=SECRET)
    assert "unclassified profile" in info.value.message_dict["classification"][0]


def test_isolated_profile_saves_classified_records_and_stamps_them(world, officer, isolated_profile, audit):
    with audit() as changes:
        facility = services.facility_create(actor=officer, data=facility_data(world, **SECRET))

    facility = reload(facility)
    assert facility.classification == 1
    assert facility.classified_by_id == officer.pk
    assert facility.classified_on == timezone.localdate()
    assert changes.summary() == [("facility", str(facility.pk), "create")]
    assert changes[0].classification == 1


def test_isolated_profile_stamps_the_classification_of_an_update(world, officer, isolated_profile, audit):
    with audit() as changes:
        services.organization_update(actor=officer, instance=world.institute, data=SECRET)
    institute = reload(world.institute)
    assert (institute.classification, institute.classified_by_id) == (1, officer.pk)
    assert institute.classified_on == timezone.localdate()
    assert changes.summary() == [("organization", str(institute.pk), "update")]


def test_declassifying_clears_the_stamp(world, officer, isolated_profile):
    facility = services.facility_create(actor=officer, data=facility_data(world, **SECRET))
    services.facility_update(actor=officer, instance=facility, data={"classification": 0, "classification_basis": ""})
    facility = reload(facility)
    assert (facility.classification, facility.classified_by_id, facility.classified_on) == (0, None, None)


def test_classified_record_needs_its_basis(world, officer, isolated_profile, refused):
    with refused(ValidationError) as info:
        services.facility_create(actor=officer, data=facility_data(world, classification=1))
    assert info.value.message_dict == {
        "classification_basis": ["A classified record must name the item of the secrets list it falls under."]
    }


def test_user_cannot_change_a_record_classified_above_their_clearance(world, officer, isolated_profile, refused):
    facility = services.facility_create(actor=None, data=facility_data(world, **{**SECRET, "classification": 2}))
    with refused(PermissionDenied):
        services.facility_update(actor=officer, instance=facility, data={"name": "Đổi tên"})


def test_user_cannot_delete_a_record_classified_above_their_clearance(world, officer, isolated_profile, refused):
    facility = services.facility_create(actor=None, data=facility_data(world, **{**SECRET, "classification": 2}))
    with refused(PermissionDenied):
        services.facility_delete(actor=officer, instance=facility)


def test_user_cannot_classify_above_their_clearance(world, officer, isolated_profile, refused):
    with refused(PermissionDenied):
        services.facility_update(actor=officer, instance=world.facility_b, data={**SECRET, "classification": 2})


def test_user_cannot_create_a_record_above_their_clearance(world, officer, isolated_profile, refused):
    with refused(PermissionDenied):
        services.facility_create(actor=officer, data=facility_data(world, **{**SECRET, "classification": 2}))


def test_user_changes_a_record_at_their_clearance(world, officer, isolated_profile, audit):
    facility = services.facility_create(actor=None, data=facility_data(world, **SECRET))
    with audit() as changes:
        services.facility_update(actor=officer, instance=facility, data={"name": "Đổi tên"})
    assert reload(facility).name == "Đổi tên"
    assert changes.summary() == [("facility", str(facility.pk), "update")]
