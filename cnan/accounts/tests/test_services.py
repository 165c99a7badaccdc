"""Writes on users, memberships, roles, second factors and API tokens: permission, validation, audit."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cnan.accounts import roles, services
from cnan.accounts.models import Membership, Role, User
from cnan.core.models import ObjectChange
from cnan.core.permissions import has_perm
from cnan.core.testing import changes_for, database_state

PASSWORD = "Gió-Đông-2026-thử"


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English, whatever the catalogues hold."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin(world, make_user):
    return make_user("system_admin", world.bca, username="quan.tri", clearance=2)


@pytest.fixture
def unit_admin(world, make_user):
    """An administrator of users whose power covers ENT-A's subtree only (a custom, subtree-scoped role)."""
    role = Role.objects.create(code="unit-admin", name="Quản trị đơn vị")
    role.permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return make_user("unit-admin", world.ent_a, username="qt.donvi", clearance=1)


@pytest.fixture
def refused():
    """``with refused(Error): …`` — it raises, and not a row of any CNAN table (audit included) changed."""
    from contextlib import contextmanager

    @contextmanager
    def check(error):
        before = database_state()
        with pytest.raises(error) as info:
            yield info
        assert database_state() == before

    return check


def _role(code: str) -> Role:
    return Role.objects.get(code=code)


# --- users --------------------------------------------------------------------------------------------


def test_user_create_audits_without_the_password_and_indexes_the_name(admin):
    user = services.user_create(
        actor=admin,
        data={"username": "thao.nguyen", "full_name": "Nguyễn Thị Thảo", "position": "Chuyên viên", "clearance": 1},
        password=PASSWORD,
    )
    assert user.check_password(PASSWORD)
    assert user.password_changed_at is not None
    assert user.search_text == "thao.nguyen nguyen thi thao chuyen vien"
    (change,) = changes_for(user)
    assert (change.action, change.actor_id) == ("create", admin.pk)
    assert "password" not in change.after and "search_text" not in change.after
    assert change.after["clearance"] == 1


def test_user_create_without_password_makes_an_account_that_cannot_sign_in(admin):
    user = services.user_create(
        actor=admin, data={"username": "no.pass", "full_name": "Chưa có mật khẩu"}, password=None
    )
    assert not user.has_usable_password()
    assert user.password_changed_at is None


def test_user_create_ignores_fields_outside_the_form(admin):
    user = services.user_create(
        actor=admin,
        data={"username": "x.y", "full_name": "X", "is_superuser": True, "search_text": "gian lận"},
        password=None,
    )
    assert not hasattr(user, "is_superuser")
    assert user.search_text == "x.y x"


def test_nobody_grants_a_clearance_above_their_own(admin, refused):
    with refused(ValidationError) as info:
        services.user_create(
            actor=admin, data={"username": "too.high", "full_name": "Cao", "clearance": 3}, password=None
        )
    assert info.value.message_dict["clearance"] == ["You cannot grant a clearance higher than your own."]


def test_the_system_grants_any_clearance(db):
    assert (
        services.user_create(
            actor=None, data={"username": "s", "full_name": "S", "clearance": 3}, password=None
        ).clearance
        == 3
    )


def test_user_create_needs_the_permission(world, make_user, refused):
    auditor = make_user("auditor", world.bca)
    with refused(PermissionDenied):
        services.user_create(actor=auditor, data={"username": "x", "full_name": "X"}, password=None)


def test_user_create_refuses_a_taken_user_name(admin, refused):
    with refused(ValidationError) as info:
        services.user_create(actor=admin, data={"username": "quan.tri", "full_name": "Trùng"}, password=None)
    assert info.value.message_dict["username"] == ["A user with that user name already exists."]


def test_user_update_records_the_changed_fields(admin, world, make_user):
    subject = make_user("lab_officer", world.ent_a)
    before = ObjectChange.objects.count()
    updated = services.user_update(
        actor=admin, instance=subject, data={"position": "Trưởng phòng", "full_name": subject.full_name}
    )
    assert updated.position == "Trưởng phòng"
    assert ObjectChange.objects.count() == before + 1
    change = changes_for(subject).last()
    assert (change.changed_fields, change.before, change.after) == (
        ["position", "search_text"] if "search_text" in change.changed_fields else ["position"],
        {"position": ""},
        {"position": "Trưởng phòng"},
    )


def test_user_update_without_a_change_records_nothing(admin, world, make_user):
    subject = make_user("lab_officer", world.ent_a)
    before = ObjectChange.objects.count()
    services.user_update(actor=admin, instance=subject, data={"full_name": subject.full_name})
    assert ObjectChange.objects.count() == before


def test_user_update_cannot_raise_a_clearance_above_the_actors(admin, world, make_user, refused):
    subject = make_user("lab_officer", world.ent_a, clearance=0)
    with refused(ValidationError):
        services.user_update(actor=admin, instance=subject, data={"clearance": 3})
    services.user_update(actor=admin, instance=subject, data={"clearance": 2})
    subject.refresh_from_db()
    assert subject.clearance == 2


def test_user_update_keeps_a_higher_clearance_it_does_not_change(admin, world, make_user):
    subject = make_user("lab_officer", world.ent_a, clearance=3)
    services.user_update(actor=admin, instance=subject, data={"clearance": 3, "position": "Kỹ sư"})
    subject.refresh_from_db()
    assert (subject.clearance, subject.position) == (3, "Kỹ sư")


def test_an_administrator_cannot_raise_their_own_clearance(admin, refused):
    with refused(ValidationError):
        services.user_update(actor=admin, instance=admin, data={"clearance": 3})


def test_nobody_deactivates_themselves(admin, refused):
    with refused(ValidationError) as info:
        services.user_update(actor=admin, instance=admin, data={"is_active": False})
    assert info.value.message_dict["is_active"] == ["You cannot deactivate your own account."]


def test_an_administrator_deactivates_someone_else_who_then_holds_nothing(admin, world, make_user):
    subject = make_user("enterprise_officer", world.ent_a)
    services.user_update(actor=admin, instance=subject, data={"is_active": False})
    subject = User.objects.get(pk=subject.pk)
    assert not subject.is_active
    assert not subject.has_perm("organizations.view_facility", world.facility_a)


def test_user_update_needs_the_permission(world, make_user, refused):
    auditor = make_user("auditor", world.bca)
    subject = make_user("lab_officer", world.ent_a)
    with refused(PermissionDenied):
        services.user_update(actor=auditor, instance=subject, data={"position": "X"})


def test_a_subtree_administrator_manages_users_of_its_subtree_only(unit_admin, world, make_user, refused):
    inside = make_user("lab_officer", world.ent_a)
    outside = make_user("lab_officer", world.ent_b)
    services.user_update(actor=unit_admin, instance=inside, data={"position": "Kỹ thuật viên"})
    with refused(PermissionDenied):
        services.user_update(actor=unit_admin, instance=outside, data={"position": "Kỹ thuật viên"})


def test_user_set_password_by_an_administrator_is_audited_without_the_hash(admin, world, make_user):
    subject = make_user("lab_officer", world.ent_a)
    services.user_set_password(actor=admin, user=subject, password=PASSWORD)
    subject.refresh_from_db()
    assert subject.check_password(PASSWORD)
    change = changes_for(subject).last()
    assert change.changed_fields == ["password_changed_at"]
    assert "password" not in change.before and "password" not in change.after


def test_anyone_sets_their_own_password_but_not_someone_elses(world, make_user, refused):
    me = make_user("lab_officer", world.ent_a)
    other = make_user("lab_officer", world.ent_a)
    services.user_set_password(actor=me, user=me, password=PASSWORD)
    with refused(PermissionDenied):
        services.user_set_password(actor=me, user=other, password=PASSWORD)


def test_user_set_password_refuses_a_weak_password(admin, world, make_user, refused):
    subject = make_user("lab_officer", world.ent_a)
    with refused(ValidationError):
        services.user_set_password(actor=admin, user=subject, password="12345678")


# --- memberships --------------------------------------------------------------------------------------


def test_membership_create_takes_effect_at_once_and_is_audited(admin, world, make_user):
    subject = make_user(None)
    subject.get_grants()
    membership = services.membership_create(
        actor=admin,
        data={
            "user": subject,
            "organization": world.ent_a,
            "role": _role("enterprise_officer"),
            "valid_from": dt.date(2024, 1, 1),
        },
    )
    assert has_perm(subject, "organizations.change_facility", world.facility_a)
    (change,) = changes_for(membership)
    assert (change.action, change.actor_id, change.organization_id) == ("create", admin.pk, world.ent_a.pk)


def test_a_subtree_administrator_cannot_grant_a_global_role(unit_admin, world, make_user, refused):
    subject = make_user("lab_officer", world.ent_a)
    with refused(PermissionDenied):
        services.membership_create(
            actor=unit_admin, data={"user": subject, "organization": world.ent_a, "role": _role("department_officer")}
        )
    assert not has_perm(subject, "organizations.delete_organization")


def test_a_subtree_administrator_grants_subtree_roles_inside_its_subtree_only(unit_admin, world, make_user, refused):
    subject = make_user("lab_officer", world.ent_a)
    services.membership_create(
        actor=unit_admin, data={"user": subject, "organization": world.ent_a, "role": _role("enterprise_officer")}
    )
    with refused(PermissionDenied):
        services.membership_create(
            actor=unit_admin, data={"user": subject, "organization": world.ent_b, "role": _role("enterprise_officer")}
        )


def test_a_ministry_wide_administrator_grants_global_roles(admin, world, make_user):
    subject = make_user(None)
    services.membership_create(
        actor=admin, data={"user": subject, "organization": world.h08, "role": _role("department_officer")}
    )
    assert has_perm(subject, "organizations.change_facility", world.facility_b)


def test_the_same_role_twice_in_one_organisation_is_refused(admin, world, make_user, refused):
    subject = make_user("lab_officer", world.ent_a)
    with refused(ValidationError):
        services.membership_create(
            actor=admin, data={"user": subject, "organization": world.ent_a, "role": _role("lab_officer")}
        )


def test_a_membership_cannot_end_before_it_starts(admin, world, make_user, refused):
    subject = make_user(None)
    with refused(ValidationError) as info:
        services.membership_create(
            actor=admin,
            data={
                "user": subject,
                "organization": world.ent_a,
                "role": _role("lab_officer"),
                "valid_from": dt.date(2024, 5, 1),
                "valid_to": dt.date(2024, 4, 30),
            },
        )
    assert "valid_to" in info.value.message_dict


def test_membership_end_keeps_the_row_and_withdraws_the_role(admin, world, make_user):
    subject = make_user("enterprise_officer", world.ent_a)
    membership = subject.memberships.get()
    ended = services.membership_end(actor=admin, membership=membership)
    assert ended.valid_to == timezone.localdate()
    assert Membership.objects.filter(pk=membership.pk).exists()
    change = changes_for(membership).last()
    assert (change.changed_fields, change.after) == (["valid_to"], {"valid_to": timezone.localdate().isoformat()})
    services.membership_end(actor=admin, membership=membership, on=timezone.localdate() - dt.timedelta(days=1))
    subject = User.objects.get(pk=subject.pk)
    assert not has_perm(subject, "organizations.change_facility", world.facility_a)


def test_membership_end_before_its_start_is_refused(admin, world, make_user, refused):
    subject = make_user("enterprise_officer", world.ent_a)
    membership = subject.memberships.get()
    with refused(ValidationError):
        services.membership_end(actor=admin, membership=membership, on=dt.date(2019, 12, 31))


def test_membership_end_needs_the_permission_there(unit_admin, world, make_user, refused):
    outside = make_user("enterprise_officer", world.ent_b)
    auditor = make_user("auditor", world.bca)
    with refused(PermissionDenied):
        services.membership_end(actor=unit_admin, membership=outside.memberships.get())
    with refused(PermissionDenied):
        services.membership_end(actor=auditor, membership=outside.memberships.get())


# --- API tokens ---------------------------------------------------------------------------------------


def _refused_token(response) -> bool:
    """A bad token: 401 ``authentication_failed`` with a Token challenge (token authentication comes first)."""
    return (
        response.status_code == 401
        and response.data["detail"].code == "authentication_failed"
        and response["WWW-Authenticate"] == "Token"
    )


def _api_with(token: str | None) -> APIClient:
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_token_authenticates_api_calls_as_its_owner(world, ent_a_officer):
    token = services.token_create(user=ent_a_officer)
    response = _api_with(token.key).get("/api/v1/facilities/")
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["FA"]


def test_token_create_is_audited_without_the_key(world, ent_a_officer):
    token = services.token_create(user=ent_a_officer)
    change = changes_for(ent_a_officer).last()
    assert (change.actor_id, change.before, change.after) == (
        ent_a_officer.pk,
        {"api_token": "none"},
        {"api_token": "issued"},
    )
    assert token.key not in str(change.before) + str(change.after)


def test_reissuing_a_token_stops_the_old_one(world, ent_a_officer):
    old = services.token_create(user=ent_a_officer).key
    new = services.token_create(user=ent_a_officer).key
    assert old != new
    assert _refused_token(_api_with(old).get("/api/v1/facilities/"))
    assert _api_with(new).get("/api/v1/facilities/").status_code == 200
    assert changes_for(ent_a_officer).last().after == {"api_token": "re-issued"}


def test_revoked_token_no_longer_authenticates(world, ent_a_officer):
    key = services.token_create(user=ent_a_officer).key
    assert services.token_revoke(user=ent_a_officer) is True
    assert _refused_token(_api_with(key).get("/api/v1/facilities/"))
    assert not Token.objects.filter(user=ent_a_officer).exists()
    assert changes_for(ent_a_officer).last().after == {"api_token": "revoked"}


def test_revoking_without_a_token_records_nothing(world, ent_a_officer):
    before = ObjectChange.objects.count()
    assert services.token_revoke(user=ent_a_officer) is False
    assert ObjectChange.objects.count() == before


def test_token_of_a_deactivated_user_is_refused(admin, world, ent_a_officer):
    key = services.token_create(user=ent_a_officer).key
    services.user_update(actor=admin, instance=ent_a_officer, data={"is_active": False})
    assert _refused_token(_api_with(key).get("/api/v1/facilities/"))


# --- second factor ------------------------------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_totp_confirm_replaces_the_previous_authenticator(world, admin):
    old = TOTPDevice.objects.create(user=admin, name="old phone", confirmed=True)
    device = services.totp_device_start(user=admin)
    services.totp_device_confirm(user=admin, device=device, token=_code(device))
    assert list(TOTPDevice.objects.filter(user=admin).values_list("pk", "confirmed")) == [(device.pk, True)]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_totp_start_replaces_an_unconfirmed_device_only(world, admin):
    confirmed = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    first = services.totp_device_start(user=admin)
    second = services.totp_device_start(user=admin)
    assert set(TOTPDevice.objects.filter(user=admin).values_list("pk", flat=True)) == {confirmed.pk, second.pk}
    assert first.pk != second.pk


def test_totp_confirm_refuses_a_wrong_code_and_another_persons_device(world, admin, make_user, refused):
    device = services.totp_device_start(user=admin)
    wrong = f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"
    with pytest.raises(ValidationError):
        services.totp_device_confirm(user=admin, device=device, token=wrong)
    device.refresh_from_db()
    assert not device.confirmed
    stranger = make_user(None)
    with refused(PermissionDenied):
        services.totp_device_confirm(user=stranger, device=device, token=_code(device))


def test_totp_reset_removes_every_device_with_one_audit_row_each(admin, world, make_user):
    subject = make_user("system_admin", world.bca)
    TOTPDevice.objects.create(user=subject, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=subject, name="new phone", confirmed=False)
    before = ObjectChange.objects.count()
    assert services.totp_device_reset(actor=admin, user=subject) == 2
    assert not TOTPDevice.objects.filter(user=subject).exists()
    rows = ObjectChange.objects.order_by("-id")[:2]
    assert ObjectChange.objects.count() == before + 2
    assert {(r.action, r.actor_id, r.content_type.model) for r in rows} == {("delete", admin.pk, "totpdevice")}


def test_totp_reset_needs_the_permission(world, make_user, refused):
    subject = make_user("system_admin", world.bca)
    TOTPDevice.objects.create(user=subject, name="phone", confirmed=True)
    auditor = make_user("auditor", world.bca)
    with refused(PermissionDenied):
        services.totp_device_reset(actor=auditor, user=subject)


def test_user_unlock_needs_the_permission_and_is_audited(admin, world, make_user, refused):
    subject = make_user("lab_officer", world.ent_a)
    auditor = make_user("auditor", world.bca)
    with refused(PermissionDenied):
        services.user_unlock(actor=auditor, user=subject)
    services.user_unlock(actor=admin, user=subject)
    assert changes_for(subject).last().after == {"locked_out": False}


# --- built-in roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_role_sync_is_idempotent_in_any_language(db, language):
    before = ObjectChange.objects.count()
    rows = list(Role.objects.order_by("pk").values_list("code", "name", "description", "global_scope"))
    permissions = {r.code: set(r.permissions.values_list("pk", flat=True)) for r in Role.objects.all()}
    with translation.override(language):
        synced = services.role_sync_builtin(actor=None)
        services.role_sync_builtin(actor=None)
    assert {r.code for r in synced} == set(roles.BUILTIN)
    assert ObjectChange.objects.count() == before
    assert list(Role.objects.order_by("pk").values_list("code", "name", "description", "global_scope")) == rows
    assert {r.code: set(r.permissions.values_list("pk", flat=True)) for r in Role.objects.all()} == permissions


def test_builtin_roles_are_shown_in_the_page_language_custom_roles_by_their_name(db):
    builtin = Role.objects.get(code="enterprise_officer")
    custom = Role.objects.create(code="custom", name="Vai trò riêng")
    assert builtin.name == "Enterprise officer"  # stored untranslated
    for language in ("vi", "en"):
        with translation.override(language):
            assert str(builtin) == str(roles.BUILTIN["enterprise_officer"].label)
            assert str(custom) == "Vai trò riêng"


def test_role_sync_repairs_a_drifted_role_with_one_audit_row(db):
    role = Role.objects.get(code="enterprise_officer")
    role.permissions.add(Permission.objects.get(codename="delete_organization"))
    role.name = "Sửa tay"
    role.save()
    before = ObjectChange.objects.count()
    services.role_sync_builtin(actor=None)
    role.refresh_from_db()
    assert role.name == "Enterprise officer"
    assert not role.permissions.filter(codename="delete_organization").exists()
    assert ObjectChange.objects.count() == before + 1
    assert sorted(ObjectChange.objects.latest("id").changed_fields) == ["name", "permissions"]


def test_role_sync_applies_grants_added_by_a_later_app(db, monkeypatch):
    monkeypatch.setitem(
        roles.BUILTIN,
        "lab_officer",
        roles.RoleSpec(
            "lab_officer",
            roles.BUILTIN["lab_officer"].label,
            roles.BUILTIN["lab_officer"].description,
            grants=[*roles.BUILTIN["lab_officer"].grants],
        ),
    )
    roles.extend("lab_officer", ["organizations.change_facility"])
    services.role_sync_builtin(actor=None)
    assert Role.objects.get(code="lab_officer").permissions.filter(codename="change_facility").exists()


def test_granting_a_role_notifies_the_person_in_their_language(world, make_user):
    from cnan.accounts import services as account_services
    from cnan.core.models import Notification

    admin = make_user("system_admin", world.bca)
    person = make_user()
    person.language = "vi"
    person.save(update_fields=["language"])
    role = Role.objects.get(code="enterprise_officer")
    account_services.membership_create(actor=admin, data={"user": person, "organization": world.ent_a, "role": role})
    notification = Notification.objects.get(recipient=person)
    assert notification.title == "Bạn được giao vai trò Cán bộ doanh nghiệp tại Công ty Cơ khí An ninh Thăng Long"
    assert notification.url == "/accounts/profile/"
    assert not Notification.objects.filter(recipient=admin).exists()
