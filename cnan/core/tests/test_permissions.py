"""The one visibility rule (cnan.core.permissions): scopes, role patterns, grants, the filter and the check."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

import pytest

from cnan.accounts import roles, services
from cnan.accounts.models import Membership, Role, User
from cnan.core.models import ObjectChange
from cnan.core.permissions import (
    NO_GRANTS,
    Scope,
    grants_for,
    has_perm,
    may_list,
    object_scope_paths,
    perm_name,
    require,
    scope_q,
    visible_q,
)
from cnan.organizations import services as org_services
from cnan.organizations.models import Facility, Organization, ProductGroup

SECRET = {"classification": 2, "classification_basis": "Mục 1 danh mục bí mật nhà nước (thử)"}


# --- Scope ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "path", "covered"),
    [
        (Scope(everywhere=True), "0001", True),
        (Scope(everywhere=True), None, True),
        (Scope(paths=frozenset({"00010002"})), "00010002", True),
        (Scope(paths=frozenset({"00010002"})), "000100020005", True),
        (Scope(paths=frozenset({"00010002"})), "0001", False),
        (Scope(paths=frozenset({"00010002"})), "00010003", False),
        (Scope(paths=frozenset({"00010002"})), "", False),
        (Scope(paths=frozenset({"00010002"})), None, False),
        (Scope(paths=frozenset({"0001", "0002"})), "00020001", True),
        (Scope(), "0001", False),
    ],
)
def test_scope_covers_its_subtrees_only(scope, path, covered):
    assert scope.covers(path) is covered


def test_merge_with_everywhere_is_everywhere():
    merged = Scope(paths=frozenset({"0001"})).merge(Scope(everywhere=True))
    assert merged == Scope(everywhere=True)
    assert Scope(everywhere=True).merge(Scope(paths=frozenset({"0002"}))) == Scope(everywhere=True)


def test_merge_keeps_only_the_shortest_covering_prefixes():
    merged = Scope(paths=frozenset({"00010002", "0003"})).merge(Scope(paths=frozenset({"0001", "000300010001"})))
    assert merged == Scope(paths=frozenset({"0001", "0003"}))


def test_merge_of_disjoint_subtrees_keeps_both():
    merged = Scope(paths=frozenset({"00010001"})).merge(Scope(paths=frozenset({"00010002"})))
    assert merged.paths == frozenset({"00010001", "00010002"})
    assert merged.covers("000100020001") and not merged.covers("00010003")


# --- role patterns ----------------------------------------------------------------------------------

AVAILABLE = [
    "accounts.view_user",
    "accounts.change_user",
    "core.view_objectchange",
    "organizations.view_facility",
    "organizations.add_facility",
    "organizations.change_facility",
    "organizations.view_organization",
]


@pytest.mark.parametrize(
    ("patterns", "chosen"),
    [
        (["*.*"], set(AVAILABLE)),
        (
            ["*.view_*"],
            {
                "accounts.view_user",
                "core.view_objectchange",
                "organizations.view_facility",
                "organizations.view_organization",
            },
        ),
        (
            ["*.view_*", "-accounts.*"],
            {"core.view_objectchange", "organizations.view_facility", "organizations.view_organization"},
        ),
        (
            ["*.view_*", "-accounts.*", "-core.*", "organizations.*"],
            {
                "organizations.view_facility",
                "organizations.add_facility",
                "organizations.change_facility",
                "organizations.view_organization",
            },
        ),
        # order matters: a later pattern adds back what an earlier exclusion removed, and the reverse
        (["-organizations.*", "organizations.view_facility"], {"organizations.view_facility"}),
        (["organizations.view_facility", "-organizations.*"], set()),
        (["organizations.view_*", "-organizations.view_organization"], {"organizations.view_facility"}),
        (["nosuch.*"], set()),
        ([], set()),
    ],
)
def test_resolve_applies_patterns_and_exclusions_in_order(patterns, chosen):
    assert roles.resolve(patterns, AVAILABLE) == chosen


def test_resolve_matches_whole_names_case_sensitively():
    assert roles.resolve(["organizations.view_facility"], ["organizations.view_facilitytype"]) == set()
    assert roles.resolve(["Organizations.*"], AVAILABLE) == set()


@pytest.mark.parametrize(
    ("code", "holds", "lacks"),
    [
        ("system_admin", ["accounts.add_user", "core.view_objectchange", "organizations.delete_organization"], []),
        (
            "ministry_leader",
            ["core.view_objectchange", "organizations.view_facility"],
            ["accounts.view_user", "organizations.change_facility"],
        ),
        (
            "department_officer",
            ["organizations.delete_organization", "organizations.view_facility"],
            ["core.view_objectchange", "accounts.view_user", "accounts.add_membership"],
        ),
        (
            "enterprise_officer",
            ["organizations.change_enterprise", "organizations.delete_facility"],
            ["organizations.add_enterprise", "organizations.change_organization", "organizations.add_industrialpark"],
        ),
        ("lab_officer", ["organizations.view_facility"], ["organizations.change_facility"]),
        ("auditor", ["accounts.view_user", "core.view_objectchange"], ["accounts.change_user"]),
    ],
)
def test_builtin_roles_hold_their_patterns_and_nothing_excluded(db, code, holds, lacks):
    role = Role.objects.get(code=code)
    names = {f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.select_related("content_type")}
    assert set(holds) <= names
    assert not set(lacks) & names


def test_builtin_role_scope_and_second_factor(db):
    flags = dict(Role.objects.filter(is_builtin=True).values_list("code", "global_scope"))
    assert {code for code, everywhere in flags.items() if everywhere} == {
        "system_admin",
        "ministry_leader",
        "department_officer",
        "auditor",
    }
    assert list(Role.objects.filter(mfa_required=True).values_list("code", flat=True)) == ["system_admin"]


# --- grants from memberships ------------------------------------------------------------------------


def _member(user, role: str, org, *, valid_from=dt.date(2020, 1, 1), valid_to=None) -> Membership:
    membership = services.membership_create(
        actor=None,
        data={
            "user": user,
            "organization": org,
            "role": Role.objects.get(code=role),
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    user.forget_grants()
    return membership


def test_subtree_role_grants_its_permissions_on_the_membership_subtree(world, ent_a_officer):
    grants = ent_a_officer.get_grants()
    assert grants.scope("organizations.change_facility") == Scope(paths=frozenset({world.ent_a.path}))
    assert grants.scope("organizations.add_enterprise") is None
    assert grants.role_codes == frozenset({"enterprise_officer"})


def test_global_role_grants_everywhere_whatever_the_membership_organisation(world, officer):
    assert officer.get_grants().scope("organizations.change_facility") == Scope(everywhere=True)
    assert officer.get_grants().scope("core.view_objectchange") is None


def test_memberships_in_two_subtrees_merge_their_scopes(world, make_user):
    user = make_user("lab_officer", world.ent_a)
    _member(user, "lab_officer", world.ent_b)
    assert user.get_grants().scope("organizations.view_facility") == Scope(
        paths=frozenset({world.ent_a.path, world.ent_b.path})
    )
    assert has_perm(user, "organizations.view_facility", world.facility_b)


def test_membership_of_a_parent_covers_the_children(world, make_user):
    user = make_user("lab_officer", world.ent_a)
    _member(user, "lab_officer", world.h08)
    assert user.get_grants().scope("organizations.view_facility") == Scope(paths=frozenset({world.h08.path}))


def test_ended_and_future_memberships_grant_nothing(world, make_user):
    today = timezone.localdate()
    user = make_user(None)
    _member(user, "enterprise_officer", world.ent_a, valid_to=today - dt.timedelta(days=1))
    _member(user, "department_officer", world.h08, valid_from=today + dt.timedelta(days=1))
    assert user.get_grants().perms == {}
    assert user.active_memberships() == []
    assert not has_perm(user, "organizations.view_facility", world.facility_a)


def test_membership_ending_today_still_counts(world, make_user):
    user = make_user(None)
    _member(user, "enterprise_officer", world.ent_a, valid_to=timezone.localdate())
    assert has_perm(user, "organizations.change_facility", world.facility_a)


def test_grants_are_computed_once_in_two_queries_until_forgotten(world, ent_a_officer, django_assert_num_queries):
    ent_a_officer.forget_grants()
    with django_assert_num_queries(2):
        first = ent_a_officer.get_grants()
    with django_assert_num_queries(0):
        assert ent_a_officer.get_grants() is first
        ent_a_officer.active_memberships()
    ent_a_officer.forget_grants()
    with django_assert_num_queries(2):
        ent_a_officer.get_grants()


def test_a_user_without_memberships_has_no_grants_in_one_query(db, make_user, django_assert_num_queries):
    user = make_user(None)
    with django_assert_num_queries(1):
        assert user.get_grants().perms == {}


def test_anonymous_and_inactive_users_have_no_grants(world, ent_a_officer):
    assert grants_for(AnonymousUser()) is NO_GRANTS
    assert grants_for(None) is NO_GRANTS
    ent_a_officer.is_active = False
    assert grants_for(ent_a_officer) is NO_GRANTS
    assert not ent_a_officer.has_perm("organizations.view_facility")


def test_user_has_perm_and_module_perms_follow_the_rule(world, ent_a_officer):
    assert ent_a_officer.has_perm("organizations.change_facility", world.facility_a)
    assert not ent_a_officer.has_perm("organizations.change_facility", world.facility_b)
    assert ent_a_officer.has_perms(["organizations.view_facility", "organizations.add_facility"])
    assert not ent_a_officer.has_perms(["organizations.view_facility", "organizations.add_enterprise"])
    assert ent_a_officer.has_module_perms("organizations")
    assert not ent_a_officer.has_module_perms("accounts")


# --- the rule as a filter ---------------------------------------------------------------------------


def test_scope_q_is_none_without_the_permission_and_empty_everywhere(world, ent_a_officer, officer):
    assert scope_q(ent_a_officer, "organizations.add_enterprise", "path") is None
    assert scope_q(officer, "organizations.add_enterprise", "path") == Q()
    assert scope_q(ent_a_officer, "organizations.view_facility", "organization__path") == Q(
        organization__path__startswith=world.ent_a.path
    )
    assert scope_q(ent_a_officer, "organizations.view_facility", None) is None


def test_visible_q_adds_the_clearance_condition_on_classified_models(world, ent_a_officer, officer):
    assert visible_q(ent_a_officer, Facility) == Q(organization__path__startswith=world.ent_a.path) & Q(
        classification__lte=0
    )
    assert visible_q(officer, Facility) == Q(classification__lte=1)
    assert visible_q(officer, Facility, "change") == Q(classification__lte=1)
    assert visible_q(ent_a_officer, Facility, "add") == Q(organization__path__startswith=world.ent_a.path) & Q(
        classification__lte=0
    )
    assert visible_q(ent_a_officer, Organization, "delete") is None


def test_visible_q_has_no_clearance_condition_on_unclassified_models(world, make_user):
    auditor = make_user("auditor", world.bca)
    assert visible_q(auditor, Membership) == Q()
    assert visible_q(auditor, ObjectChange) == Q(classification__lte=0)


def test_reference_data_is_readable_by_every_signed_in_user_and_nobody_else(world, make_user):
    nobody = make_user(None)
    assert visible_q(nobody, ProductGroup) == Q()
    assert may_list(nobody, ProductGroup)
    assert has_perm(nobody, "organizations.view_productgroup", ProductGroup.objects.first())
    assert visible_q(AnonymousUser(), ProductGroup) is None
    assert not may_list(AnonymousUser(), ProductGroup)
    assert not has_perm(AnonymousUser(), "organizations.view_productgroup", ProductGroup.objects.first())
    # reading only: nobody may change it by being signed in
    assert visible_q(nobody, ProductGroup, "change") is None
    assert not has_perm(nobody, "organizations.change_productgroup", ProductGroup.objects.first())
    assert ProductGroup.objects.visible_to(nobody).count() == ProductGroup.objects.count() > 0


def test_visible_to_hides_what_clearance_does_not_reach(world, isolated_profile, make_user):
    secret = org_services.facility_create(
        actor=None,
        data={
            "organization": world.ent_a,
            "code": "F-SECRET",
            "name": "Xưởng kín",
            "kind": "other",
            "province": "ha-noi",
            **SECRET,
        },
    )
    cleared = {level: make_user("department_officer", world.h08, clearance=level) for level in (0, 1, 2, 3)}
    for level, user in cleared.items():
        visible = set(Facility.objects.visible_to(user).values_list("code", flat=True))
        assert ("F-SECRET" in visible) is (level >= 2)
        assert {"FA", "FB"} <= visible
        assert has_perm(user, "organizations.view_facility", secret) is (level >= 2)


def test_visible_to_covers_the_subtree_only(world, ent_a_officer):
    assert list(Facility.objects.visible_to(ent_a_officer).values_list("code", flat=True)) == ["FA"]
    assert set(Organization.objects.visible_to(ent_a_officer).values_list("code", flat=True)) == {"ENT-A"}
    assert not Facility.objects.visible_to(AnonymousUser()).exists()


def test_visible_to_a_many_valued_scope_lists_each_user_once(world, make_user):
    subject = make_user("lab_officer", world.ent_a, username="two-roles")
    _member(subject, "enterprise_officer", world.ent_a)
    _member(subject, "lab_officer", world.ent_b)
    admin_role = Role.objects.create(code="h08-admin", name="Quản trị H08")
    admin_role.permissions.set(
        Role.objects.get(code="system_admin").permissions.filter(content_type__app_label="accounts")
    )
    h08_admin = make_user("h08-admin", world.h08)
    assert list(User.objects.visible_to(h08_admin).filter(username="two-roles")) == [subject]
    other = make_user("h08-admin", world.institute)
    assert not User.objects.visible_to(other).filter(username="two-roles").exists()


# --- the rule as a check ----------------------------------------------------------------------------


def test_has_perm_without_object_means_anywhere(world, ent_a_officer):
    assert has_perm(ent_a_officer, "organizations.change_facility")
    assert not has_perm(ent_a_officer, "organizations.change_organization")


def test_has_perm_with_object_checks_its_organisation(world, ent_a_officer):
    assert has_perm(ent_a_officer, "organizations.change_facility", world.facility_a)
    assert not has_perm(ent_a_officer, "organizations.change_facility", world.facility_b)
    assert has_perm(ent_a_officer, "organizations.change_enterprise", world.ent_a)
    assert not has_perm(ent_a_officer, "organizations.change_enterprise", world.ent_b)


def test_has_perm_refuses_a_record_above_clearance_even_everywhere(world, isolated_profile, make_user):
    leader = make_user("system_admin", world.bca, clearance=1)
    org_services.facility_update(actor=None, instance=world.facility_b, data=SECRET)
    world.facility_b.refresh_from_db()
    assert not has_perm(leader, "organizations.view_facility", world.facility_b)
    assert has_perm(leader, "organizations.view_facility", world.facility_a)


def test_object_scope_paths_follows_the_lookup_and_many_valued_relations(world, make_user):
    user = make_user("lab_officer", world.ent_a)
    _member(user, "lab_officer", world.ent_b)
    assert object_scope_paths(world.facility_a) == [world.ent_a.path]
    assert sorted(object_scope_paths(user)) == sorted([world.ent_a.path, world.ent_b.path])
    assert object_scope_paths(world.ent_b) == [world.ent_b.path]
    unplaced = Organization(parent=world.ent_a, code="NEW", name="Mới", kind="group")
    assert object_scope_paths(unplaced) == [world.ent_a.path]


def test_perm_name_uses_the_app_label_and_model_name():
    assert perm_name(Facility, "change") == "organizations.change_facility"
    assert perm_name(ObjectChange, "view") == "core.view_objectchange"


def test_require_lets_the_system_do_anything():
    assert require(None, "organizations.delete_organization") is None
    assert require(None, "nosuch.perm", object()) is None


def test_require_refuses_a_user_without_the_permission_here(world, ent_a_officer):
    require(ent_a_officer, "organizations.change_facility", world.facility_a)
    with pytest.raises(PermissionDenied):
        require(ent_a_officer, "organizations.change_facility", world.facility_b)
    with pytest.raises(PermissionDenied):
        require(ent_a_officer, "organizations.add_enterprise")
    with pytest.raises(PermissionDenied):
        require(AnonymousUser(), "organizations.view_facility")


def test_services_called_by_the_system_skip_the_check_but_still_audit(world):
    before = ObjectChange.objects.count()
    org_services.facility_update(actor=None, instance=world.facility_b, data={"capacity": "1000 bộ/năm"})
    change = ObjectChange.objects.latest("id")
    assert ObjectChange.objects.count() == before + 1
    assert (change.actor_id, change.actor_name) == (None, "system")
