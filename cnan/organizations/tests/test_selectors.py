"""Reads of the registry: the visibility rule (scope and clearance) and every FilterSet, through the selectors."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

import pytest

from cnan.organizations import selectors, services
from cnan.organizations.models import Enterprise, Facility, IndustrialPark, Organization

SECRET = "Mục 3, Danh mục bí mật nhà nước ngành Công an"


def codes(queryset) -> list[str]:
    return sorted(obj.code for obj in queryset)


# --- visibility: organisation scope ------------------------------------------------------------------


def test_department_officer_sees_every_organisation(world, officer):
    assert codes(selectors.organization_list(user=officer)) == [
        "BCA", "DT", "DT-X", "ENT-A", "ENT-B", "H08", "VKHCN",
    ]  # fmt: skip


def test_enterprise_officer_sees_only_its_enterprise_subtree(world, ent_a_officer):
    workshop = services.organization_create(
        actor=None, parent=world.ent_a, data={"code": "ENT-A-X1", "name": "Phân xưởng 1", "kind": "operational_unit"}
    )
    assert codes(selectors.organization_list(user=ent_a_officer)) == ["ENT-A", "ENT-A-X1"]
    assert codes(selectors.enterprise_list(user=ent_a_officer)) == ["ENT-A"]
    assert selectors.organization_get(user=ent_a_officer, pk=workshop.pk) == workshop


def test_enterprise_officer_sees_its_facilities_not_the_other_enterprises(world, ent_a_officer, ent_b_officer):
    assert codes(selectors.facility_list(user=ent_a_officer)) == ["FA"]
    assert codes(selectors.facility_list(user=ent_b_officer)) == ["FB"]


def test_department_officer_sees_every_facility(world, officer):
    assert codes(selectors.facility_list(user=officer)) == ["FA", "FB"]


@pytest.mark.parametrize(
    ("getter", "attr", "missing"),
    [
        (selectors.organization_get, "ent_b", Organization.DoesNotExist),
        (selectors.enterprise_get, "ent_b", Enterprise.DoesNotExist),
        (selectors.organization_get, "h08", Organization.DoesNotExist),
        (selectors.facility_get, "facility_b", Facility.DoesNotExist),
        (selectors.park_get, "park", IndustrialPark.DoesNotExist),
    ],
)
def test_enterprise_officer_cannot_get_records_outside_its_subtree(world, ent_a_officer, getter, attr, missing):
    with pytest.raises(missing):
        getter(user=ent_a_officer, pk=getattr(world, attr).pk)


def test_enterprise_get_does_not_return_other_kinds(world, officer):
    with pytest.raises(Enterprise.DoesNotExist):
        selectors.enterprise_get(user=officer, pk=world.h08.pk)


def test_park_of_the_department_is_hidden_from_the_enterprise(world, ent_a_officer, officer):
    assert list(selectors.park_list(user=ent_a_officer)) == []
    assert codes(selectors.park_list(user=officer)) == ["P1"]


def test_park_phase_follows_its_parks_visibility(world, officer, ent_a_officer):
    phase = services.park_phase_create(actor=None, park=world.park, data={"name": "Giai đoạn I"})
    assert selectors.park_phase_get(user=officer, pk=phase.pk) == phase
    with pytest.raises(IndustrialPark.DoesNotExist):
        selectors.park_phase_get(user=ent_a_officer, pk=phase.pk)


def test_complex_memberships_and_restructuring_follow_the_organisation_scope(world, ent_a_officer, officer, nucleus_a):
    services.complex_membership_create(
        actor=None, data={"organization": world.ent_b, "role": "member", "admitted_on": dt.date(2024, 7, 1)}
    )
    equitise = {"kind": "equitise", "decision_number": "1/QĐ", "decision_date": dt.date(2025, 1, 1)}
    mine = services.restructuring_create(
        actor=None,
        data={**equitise, "organization": world.ent_a, "title": "CPH A", "effective_on": dt.date(2025, 2, 1)},
    )
    services.restructuring_create(
        actor=None,
        data={**equitise, "organization": world.ent_b, "title": "CPH B", "effective_on": dt.date(2025, 2, 1)},
    )

    assert [m.organization.code for m in selectors.complexmembership_list(user=ent_a_officer)] == ["ENT-A"]
    assert sorted(m.organization.code for m in selectors.complexmembership_list(user=officer)) == ["ENT-A", "ENT-B"]
    assert list(selectors.restructuring_list(user=ent_a_officer)) == [mine]
    assert selectors.restructuring_list(user=officer).count() == 2


def test_anonymous_and_roleless_users_see_nothing(world, make_user):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), make_user(), None):
        assert list(selectors.organization_list(user=user)) == []
        assert list(selectors.facility_list(user=user)) == []
        assert selectors.registry_summary(user=user) is None


def test_product_groups_are_reference_data_for_everyone(db):
    assert selectors.product_group_list().count() == 12


# --- visibility: clearance ---------------------------------------------------------------------------


@pytest.fixture
def classified(world, isolated_profile):
    """A confidential facility of ENT-A, a secret unit under H08 and a top-secret park."""
    facility = services.facility_create(
        actor=None,
        data={
            "organization": world.ent_a, "code": "F-MAT", "name": "Xưởng mật", "kind": "other", "province": "ha-noi",
            "classification": 1, "classification_basis": SECRET,
        },
    )  # fmt: skip
    unit = services.organization_create(
        actor=None,
        parent=world.h08,
        data={"code": "TM", "name": "Phòng tối mật", "kind": "operational_unit", "classification": 2,
              "classification_basis": SECRET},
    )  # fmt: skip
    park = services.park_create(
        actor=None,
        data={"organization": world.h08, "code": "P-TM", "name": "Khu tuyệt mật", "province": "ha-noi",
              "classification": 3, "classification_basis": SECRET},
    )  # fmt: skip
    return facility, unit, park


def test_clearance_hides_records_classified_above_it(world, officer, dept_user, classified):
    facility, unit, park = classified
    # officer: clearance 1; dept_user: clearance 0; both see everywhere.
    assert codes(selectors.facility_list(user=officer)) == ["F-MAT", "FA", "FB"]
    assert codes(selectors.facility_list(user=dept_user)) == ["FA", "FB"]
    assert "TM" not in codes(selectors.organization_list(user=officer))
    assert codes(selectors.park_list(user=officer)) == ["P1"]
    with pytest.raises(Facility.DoesNotExist):
        selectors.facility_get(user=dept_user, pk=facility.pk)
    with pytest.raises(Organization.DoesNotExist):
        selectors.organization_get(user=officer, pk=unit.pk)


def test_cleared_user_sees_every_level_up_to_its_clearance(world, make_user, classified):
    top = make_user("department_officer", world.h08, clearance=3)
    assert codes(selectors.facility_list(user=top)) == ["F-MAT", "FA", "FB"]
    assert "TM" in codes(selectors.organization_list(user=top))
    assert codes(selectors.park_list(user=top)) == ["P-TM", "P1"]


def test_clearance_applies_to_the_tree_and_to_choices(world, officer, classified):
    _facility, unit, _park = classified
    assert codes(selectors.organization_children(user=officer, parent=world.h08)) == ["ENT-A", "ENT-B"]
    assert unit not in selectors.organization_choices(user=officer, perm="organizations.add_organization")


def test_classification_filter_needs_clearance_too(world, officer, classified):
    assert codes(selectors.organization_list(user=officer, filters={"classification": "2"})) == []


# --- the tree ----------------------------------------------------------------------------------------


def test_tree_roots_are_the_tops_of_what_the_user_sees(world, officer, ent_a_officer, make_user):
    h08_reader = make_user("lab_officer", world.h08)
    assert codes(selectors.organization_children(user=officer, parent=None)) == ["BCA", "DT"]
    assert codes(selectors.organization_children(user=ent_a_officer, parent=None)) == ["ENT-A"]
    assert codes(selectors.organization_children(user=h08_reader, parent=None)) == ["H08"]


def test_tree_children_are_restricted_to_the_scope(world, officer, ent_a_officer):
    assert [o.code for o in selectors.organization_children(user=officer, parent=world.h08)] == ["ENT-A", "ENT-B"]
    assert [o.code for o in selectors.organization_children(user=ent_a_officer, parent=world.h08)] == ["ENT-A"]
    assert list(selectors.organization_children(user=officer, parent=world.ent_a)) == []


def test_ancestors_are_the_visible_ones_root_first(world, officer, ent_a_officer):
    assert [o.code for o in selectors.organization_ancestors(user=officer, organization=world.ent_a)] == [
        "BCA",
        "H08",
    ]
    assert selectors.organization_ancestors(user=ent_a_officer, organization=world.ent_a) == []


def test_organization_choices_follow_the_permission_scope(world, officer, ent_a_officer):
    assert codes(selectors.organization_choices(user=ent_a_officer, perm="organizations.add_facility")) == ["ENT-A"]
    assert list(selectors.organization_choices(user=ent_a_officer, perm="organizations.add_organization")) == []
    assert selectors.organization_choices(user=officer, perm="organizations.add_facility").count() == 7


def test_organization_related_lists_what_the_page_shows(world, officer, ent_a_officer, nucleus_a):
    related = selectors.organization_related(user=officer, organization=world.h08)
    assert [o.code for o in related["children"]] == ["ENT-A", "ENT-B"]
    assert [p.code for p in related["managed_parks"]] == ["P1"]
    mine = selectors.organization_related(user=ent_a_officer, organization=world.ent_a)
    assert [f.code for f in mine["facilities"]] == ["FA"]
    assert mine["complex_memberships"] == [nucleus_a]


def test_registry_summary_counts_what_the_user_sees(world, officer, ent_a_officer, nucleus_a):
    summary = selectors.registry_summary(user=officer)
    assert sorted((kind, n) for _label, n, kind in summary["by_kind"]) == [
        ("department", 1), ("enterprise", 2), ("group", 1), ("institute", 1), ("ministry", 1), ("partner", 1),
    ]  # fmt: skip
    assert (summary["facility_total"], summary["core_facility_total"]) == (2, 1)
    assert (summary["nucleus_total"], summary["member_total"]) == (1, 0)
    assert sorted(n for _province, n in summary["enterprises_by_province"]) == [1, 1]
    mine = selectors.registry_summary(user=ent_a_officer)
    assert [(kind, n) for _label, n, kind in mine["by_kind"]] == [("enterprise", 1)]
    assert mine["facility_total"] == 1


def test_enterprise_list_annotates_facilities_and_current_membership(world, officer, nucleus_a):
    rows = {e.code: e for e in selectors.enterprise_list(user=officer)}
    assert (rows["ENT-A"].facility_count, rows["ENT-B"].facility_count) == (1, 1)
    assert rows["ENT-A"].current_complex_memberships == [nucleus_a]
    assert rows["ENT-B"].current_complex_memberships == []


# --- OrganizationFilterSet ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": ["enterprise"]}, ["ENT-A", "ENT-B"]),
        ({"kind": ["institute", "partner"]}, ["DT-X", "VKHCN"]),
        ({"province": "da-nang"}, ["ENT-B"]),
        ({"within_id": "H08"}, ["ENT-A", "ENT-B", "H08"]),
        ({"country": "de"}, ["DT-X"]),
        ({"domestic": "false"}, ["DT-X"]),
        ({"domestic": "true", "kind": ["enterprise", "partner"]}, ["ENT-A", "ENT-B"]),
        ({"q": "thang long"}, ["ENT-A"]),
        ({"q": "THĂNG LONG"}, ["ENT-A"]),
        ({"q": "cong ty"}, ["ENT-A", "ENT-B"]),
        ({"q": "dien tu"}, ["ENT-B"]),
        ({"q": "công nghiệp"}, ["H08"]),
        ({"q": "long thang"}, ["ENT-A"]),
        ({"q": "cong ty song"}, ["ENT-B"]),
        ({"q": "0100109106"}, ["ENT-A"]),
        ({"q": "da nang"}, ["ENT-B"]),
        ({"q": "kestrel"}, ["DT-X"]),
        ({"q": "không có"}, []),
        ({"q": "   "}, ["BCA", "DT", "DT-X", "ENT-A", "ENT-B", "H08", "VKHCN"]),
    ],
)
def test_organization_filters(world, officer, filters, expected):
    ids = {"H08": world.h08.pk}
    filters = {k: str(ids.get(v, v)) if isinstance(v, str) else v for k, v in filters.items()}
    assert codes(selectors.organization_list(user=officer, filters=filters)) == expected


def test_parent_id_filter_lists_the_direct_children(world, officer):
    assert codes(selectors.organization_list(user=officer, filters={"parent_id": str(world.bca.pk)})) == [
        "H08",
        "VKHCN",
    ]


def test_within_an_unknown_organisation_is_empty(world, officer):
    assert list(selectors.organization_list(user=officer, filters={"within_id": "999999"})) == []


def test_within_does_not_widen_the_scope(world, ent_a_officer):
    assert codes(selectors.organization_list(user=ent_a_officer, filters={"within_id": str(world.bca.pk)})) == ["ENT-A"]


def test_active_filter_uses_the_establishment_and_dissolution_dates(world, officer):
    services.organization_update(
        actor=None, instance=world.institute, data={"valid_from": dt.date(2000, 1, 1), "valid_to": dt.date(2020, 1, 1)}
    )
    services.organization_update(actor=None, instance=world.partner, data={"valid_from": dt.date(2999, 1, 1)})
    assert codes(selectors.organization_list(user=officer, filters={"active": "false"})) == ["DT-X", "VKHCN"]
    assert codes(selectors.organization_list(user=officer, filters={"active": "true"})) == [
        "BCA", "DT", "ENT-A", "ENT-B", "H08",
    ]  # fmt: skip


def test_search_follows_a_rename(world, officer):
    services.organization_update(actor=None, instance=world.ent_b, data={"name": "Công ty Quang điện Hải Vân"})
    assert codes(selectors.organization_list(user=officer, filters={"q": "hai van"})) == ["ENT-B"]
    assert codes(selectors.organization_list(user=officer, filters={"q": "song han"})) == []


# --- EnterpriseFilterSet -----------------------------------------------------------------------------


@pytest.fixture
def enterprises(world, ent_c, product_group, nucleus_a):
    """ENT-A (100% state, nucleus), ENT-B (51%, member, subsidiary of ENT-A), ENT-C (0%, outside the complex)."""
    services.complex_membership_create(
        actor=None, data={"organization": world.ent_b, "role": "member", "admitted_on": dt.date(2024, 7, 1)}
    )
    services.organization_update(
        actor=None, instance=world.ent_b, data={"parent_corporation": world.ent_a, "product_groups": [product_group]}
    )
    return world


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"legal_form": ["state_llc", "jsc"]}, ["ENT-A", "ENT-C"]),
        ({"province": "ha-noi"}, ["ENT-A"]),
        ({"state_ownership_min": "51"}, ["ENT-A", "ENT-B"]),
        ({"state_ownership_min": "60"}, ["ENT-A"]),
        ({"state_ownership_max": "51"}, ["ENT-B", "ENT-C"]),
        ({"state_ownership_min": "1", "state_ownership_max": "99.5"}, ["ENT-B"]),
        ({"state_ownership_min": "100", "state_ownership_max": "100"}, ["ENT-A"]),
        ({"complex_role": "nucleus"}, ["ENT-A"]),
        ({"complex_role": "member"}, ["ENT-B"]),
        ({"complex_role": "none"}, ["ENT-C"]),
        ({"q": "cong ty"}, ["ENT-A", "ENT-B", "ENT-C"]),
        ({"q": "thiet bi bao ve"}, ["ENT-C"]),
    ],
)
def test_enterprise_filters(enterprises, officer, filters, expected):
    assert codes(selectors.enterprise_list(user=officer, filters=filters)) == expected


def test_enterprise_filters_by_product_group_and_parent_corporation(enterprises, officer, product_group):
    world = enterprises
    by_group = selectors.enterprise_list(user=officer, filters={"product_group_id": str(product_group.pk)})
    assert codes(by_group) == ["ENT-B"]
    by_corp = selectors.enterprise_list(user=officer, filters={"parent_corporation_id": str(world.ent_a.pk)})
    assert codes(by_corp) == ["ENT-B"]


def test_membership_that_ended_does_not_count_for_complex_role(enterprises, officer, nucleus_a):
    services.complex_membership_update(actor=None, instance=nucleus_a, data={"left_on": dt.date(2025, 1, 1)})
    assert codes(selectors.enterprise_list(user=officer, filters={"complex_role": "nucleus"})) == []
    assert codes(selectors.enterprise_list(user=officer, filters={"complex_role": "none"})) == ["ENT-A", "ENT-C"]


# --- FacilityFilterSet, IndustrialParkFilterSet ------------------------------------------------------


@pytest.fixture
def facilities(world, product_group):
    services.facility_update(actor=None, instance=world.facility_b, data={"product_groups": [product_group]})
    withdrawn = services.facility_create(
        actor=None,
        data={"organization": world.ent_b, "code": "FW", "name": "Xưởng cũ", "kind": "other", "province": "hue",
              "capabilities": "Đúc, rèn", "recognised_on": dt.date(2010, 1, 1), "withdrawn_on": dt.date(2020, 1, 1)},
    )  # fmt: skip
    return withdrawn


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "core"}, ["FA"]),
        ({"kind": "other"}, ["FB", "FW"]),
        ({"province": "hue"}, ["FW"]),
        ({"active": "true"}, ["FA", "FB"]),
        ({"active": "false"}, ["FW"]),
        ({"q": "duc ren"}, ["FW"]),
        ({"q": "12/qđ-bca"}, ["FA"]),
        ({"q": "xuong"}, ["FA", "FW"]),
    ],
)
def test_facility_filters(world, officer, facilities, filters, expected):
    assert codes(selectors.facility_list(user=officer, filters=filters)) == expected


def test_facility_filters_by_owner_park_and_product_group(world, officer, facilities, product_group):
    def by(**filters):
        return codes(selectors.facility_list(user=officer, filters={k: str(v) for k, v in filters.items()}))

    assert by(organization_id=world.ent_b.pk) == ["FB", "FW"]
    assert by(park_id=world.park.pk) == ["FA"]
    assert by(product_group_id=product_group.pk) == ["FB"]


def test_park_filters(world, officer):
    services.park_create(
        actor=None,
        data={"organization": world.institute, "code": "P2", "name": "Khu Hòa Lạc", "province": "ha-noi",
              "status": "operating"},
    )  # fmt: skip
    assert codes(selectors.park_list(user=officer, filters={"status": "operating"})) == ["P2"]
    assert codes(selectors.park_list(user=officer, filters={"province": "ha-noi"})) == ["P1", "P2"]
    assert codes(selectors.park_list(user=officer, filters={"organization_id": str(world.h08.pk)})) == ["P1"]
    assert codes(selectors.park_list(user=officer, filters={"q": "lai yen"})) == ["P1"]
    rows = {p.code: p for p in selectors.park_list(user=officer)}
    assert (rows["P1"].facility_count, rows["P2"].facility_count) == (1, 0)


# --- ComplexMembershipFilterSet, RestructuringEventFilterSet -----------------------------------------


def test_complex_membership_filters(world, officer, nucleus_a):
    left = services.complex_membership_create(
        actor=None,
        data={"organization": world.ent_b, "role": "member", "admitted_on": dt.date(2020, 1, 1),
              "left_on": dt.date(2023, 1, 1)},
    )  # fmt: skip

    def by(**filters):
        return list(selectors.complexmembership_list(user=officer, filters=filters))

    assert by(role="nucleus") == [nucleus_a]
    assert by(current="true") == [nucleus_a]
    assert by(current="false") == [left]
    assert by(organization_id=str(world.ent_b.pk)) == [left]
    assert by(admitted_after="2024-01-01") == [nucleus_a]
    assert by(admitted_before="2024-06-30") == [left]


def test_restructuring_filters_find_events_by_any_organisation_involved(world, officer, ent_c):
    merger = services.restructuring_create(
        actor=None,
        data={"kind": "merge", "organization": world.h08, "title": "Sáp nhập Sông Hàn", "decision_number": "9/QĐ",
              "decision_date": dt.date(2025, 1, 1), "effective_on": dt.date(2025, 3, 1),
              "sources": [world.ent_b, ent_c], "results": [world.ent_a]},
    )  # fmt: skip
    equitisation = services.restructuring_create(
        actor=None,
        data={"kind": "equitise", "organization": ent_c, "title": "Cổ phần hóa", "decision_number": "10/QĐ",
              "decision_date": dt.date(2023, 1, 1), "effective_on": dt.date(2023, 6, 1)},
    )  # fmt: skip

    def by(**filters):
        return list(selectors.restructuring_list(user=officer, filters=filters))

    assert by(organization_id=str(world.ent_a.pk)) == [merger]  # a result
    assert by(organization_id=str(world.ent_b.pk)) == [merger]  # a source
    assert by(organization_id=str(ent_c.pk)) == [merger, equitisation]  # newest first, no duplicate
    assert by(kind="equitise") == [equitisation]
    assert by(effective_after="2024-01-01") == [merger]
    assert by(effective_before="2024-01-01") == [equitisation]
    assert by(q="sap nhap") == [merger]
    assert by(q="9/qđ") == [merger]
    assert selectors.restructuring_get(user=officer, pk=merger.pk) == merger


# --- invalid filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selector", "filters", "field"),
    [
        (selectors.organization_list, {"kind": ["bogus"]}, "kind"),
        (selectors.organization_list, {"province": "atlantis"}, "province"),
        (selectors.organization_list, {"within_id": "abc"}, "within_id"),
        (selectors.organization_list, {"domestic": "maybe"}, "domestic"),
        (selectors.organization_list, {"active": "1"}, "active"),
        (selectors.organization_list, {"classification": "9"}, "classification"),
        (selectors.enterprise_list, {"state_ownership_min": "half"}, "state_ownership_min"),
        (selectors.enterprise_list, {"complex_role": "leader"}, "complex_role"),
        (selectors.enterprise_list, {"product_group_id": "999999"}, "product_group_id"),
        (selectors.facility_list, {"kind": "secret"}, "kind"),
        (selectors.facility_list, {"park_id": "999999"}, "park_id"),
        (selectors.park_list, {"status": "imaginary"}, "status"),
        (selectors.complexmembership_list, {"admitted_after": "31/31/2024"}, "admitted_after"),
        (selectors.restructuring_list, {"kind": "explode"}, "kind"),
    ],
)
def test_invalid_filter_input_raises_validation_error(world, officer, selector, filters, field):
    with pytest.raises(ValidationError) as info:
        selector(user=officer, filters=filters)
    assert list(info.value.message_dict) == [field]
    assert len(info.value.message_dict[field]) == 1


def test_invalid_filter_message_names_the_problem(world, officer):
    with pytest.raises(ValidationError) as info:
        selectors.enterprise_list(user=officer, filters={"state_ownership_min": "half"})
    assert info.value.message_dict == {"state_ownership_min": ["Enter a number."]}


def test_unknown_filter_names_are_ignored(world, officer):
    assert codes(selectors.enterprise_list(user=officer, filters={"colour": "red"})) == ["ENT-A", "ENT-B"]
