"""User administration pages, memberships, the profile and the read-only users API."""

from __future__ import annotations

import csv
import io
import re

from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cnan.accounts import services
from cnan.accounts.models import Membership, Role, User
from cnan.core.models import ObjectChange
from cnan.core.testing import changes_for, database_state, login

PASSWORD = "Gió-Đông-2026-thử"
USERS = reverse("accounts:user_list")


def _client(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return login(client, user)


def _messages(response) -> list[str]:
    return [m.strip() for m in re.findall(r'role="alert">\s*([^<]+)<', response.content.decode())]


def _shows(response, text: str) -> bool:
    return escape(text) in response.content.decode()


def _field_errors(response) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, message in re.findall(r'data-field="(\w+)">([^<]+)<', response.content.decode()):
        errors.setdefault(field, []).append(message)
    return errors


@pytest.fixture
def admin(world, make_user):
    return make_user("system_admin", world.bca, username="quan.tri", clearance=2)


@pytest.fixture
def auditor(world, make_user):
    return make_user("auditor", world.bca, username="kiem.toan")


@pytest.fixture
def subject(world, make_user):
    user = make_user("enterprise_officer", world.ent_a, username="thao.nguyen", password=PASSWORD)
    services.user_update(actor=None, instance=user, data={"full_name": "Nguyễn Thị Thảo", "position": "Kế toán"})
    return User.objects.get(pk=user.pk)


@pytest.fixture
def unit_admin(world, make_user):
    role = Role.objects.create(code="unit-admin", name="Quản trị đơn vị")
    role.permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return make_user("unit-admin", world.ent_a, username="qt.donvi", clearance=1)


# --- the list -----------------------------------------------------------------------------------------


def _listed(response) -> list[str]:
    return re.findall(r'<a href="/accounts/users/\d+/">([^<]+)</a>', response.content.decode())


def test_user_list_shows_users_with_their_current_roles(subject, auditor):
    page = _client(auditor).get(USERS, {"q": "thao"})
    assert page.status_code == 200
    assert _listed(page) == ["thao.nguyen"]
    assert "Enterprise officer (ENT-A)" in page.content.decode()


def test_user_list_filters_by_role_clearance_and_activity(world, subject, auditor, make_user):
    make_user("lab_officer", world.ent_b, username="lab.b", clearance=1)
    services.user_update(actor=None, instance=make_user(None, username="cu.nhan.vien"), data={"is_active": False})
    client = _client(auditor)
    lab = Role.objects.get(code="lab_officer").pk
    assert _listed(client.get(USERS, {"role_id": lab})) == ["lab.b"]
    assert _listed(client.get(USERS, {"clearance": 1})) == ["lab.b"]
    assert _listed(client.get(USERS, {"is_active": "false"})) == ["cu.nhan.vien"]
    assert _listed(client.get(USERS, {"organization_id": world.ent_a.pk})) == ["thao.nguyen"]


def test_user_list_with_an_invalid_filter_answers_400_and_lists_nothing(subject, auditor):
    page = _client(auditor).get(USERS, {"clearance": 9})
    assert page.status_code == 400
    assert _listed(page) == []


def test_user_list_export_holds_the_roles(subject, auditor):
    response = _client(auditor).get(USERS, {"q": "thao", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["User name", "Full name", "Position", "Roles"]
    assert rows[1][:4] == ["thao.nguyen", "Nguyễn Thị Thảo", "Kế toán", "Enterprise officer (ENT-A)"]


def test_add_button_only_for_those_who_may_add_users(subject, admin, auditor):
    assert 'id="add-button"' in _client(admin).get(USERS).content.decode()
    assert 'id="add-button"' not in _client(auditor).get(USERS).content.decode()


def test_a_subtree_administrator_lists_the_users_of_its_subtree_only(world, subject, unit_admin, make_user):
    make_user("lab_officer", world.ent_b, username="lab.b")
    assert sorted(_listed(_client(unit_admin).get(USERS))) == ["qt.donvi", "thao.nguyen"]


# --- detail, add, edit ---------------------------------------------------------------------------------


def test_user_detail_shows_roles_lock_and_second_factor(subject, admin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("accounts:login"), {"username": "thao.nguyen", "password": "sai-mật-khẩu-rồi"})
    TOTPDevice.objects.create(user=subject, name="phone", confirmed=True)
    page = _client(admin).get(subject.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "locked out" in html and reverse("accounts:user_unlock", kwargs={"pk": subject.pk}) in html
    assert reverse("accounts:user_reset_mfa", kwargs={"pk": subject.pk}) in html
    membership = subject.memberships.get()
    assert reverse("accounts:membership_end", kwargs={"pk": membership.pk}) in html
    assert reverse("accounts:membership_add", kwargs={"pk": subject.pk}) in html


def test_user_detail_for_an_auditor_has_no_actions(subject, auditor):
    html = _client(auditor).get(subject.get_absolute_url()).content.decode()
    for name in ("user_edit", "user_password", "membership_add"):
        assert reverse(f"accounts:{name}", kwargs={"pk": subject.pk}) not in html
    assert "/end/" not in html


def test_user_detail_links_the_changes_the_user_made_for_those_who_may_read_the_log(world, subject, auditor):
    from cnan.core import audit

    subject = User.objects.create(id=12345, username="so.lon", full_name="Số Lớn")  # English shows "12,345"
    services.membership_create(
        actor=None,
        data={"user": subject, "organization": world.ent_a, "role": Role.objects.get(code="enterprise_officer")},
    )

    audit.record(action="update", instance=world.facility_a, actor=subject, before={"name": "a"}, after={"name": "b"})
    audit.record(action="update", instance=world.facility_b, actor=auditor, before={"name": "c"}, after={"name": "d"})
    html = _client(auditor).get(subject.get_absolute_url()).content.decode()
    href = re.search(r'href="([^"]+)"[^>]*id="changes-by-user"', html).group(1)
    log = _client(auditor).get(href).content.decode()
    assert str(world.facility_a) in log and str(world.facility_b) not in log


def _new_user(**changes):
    data = {
        "username": "moi.vao",
        "full_name": "Người mới",
        "clearance": 0,
        "language": "vi",
        "is_active": "on",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(changes)
    return data


def test_adding_a_user_creates_it_and_opens_its_page(admin):
    response = _client(admin).post(reverse("accounts:user_add"), _new_user())
    user = User.objects.get(username="moi.vao")
    assert response["Location"] == user.get_absolute_url()
    assert user.check_password(PASSWORD)
    assert changes_for(user).get().actor_id == admin.pk


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "Khác-hẳn-2026-thử"}, "password2", "The two passwords differ."),
        # the password validators run in the service: their message heads the form
        ({"password1": "qwertyuiop", "password2": "qwertyuiop"}, None, "This password is too common."),
        ({"clearance": 3}, "clearance", "You cannot grant a clearance higher than your own."),
        ({"username": "quan.tri"}, "username", "A user with that user name already exists."),
    ],
)
def test_adding_a_user_with_a_mistake_changes_nothing(admin, changes, field, message):
    client = _client(admin)
    before = database_state()
    response = client.post(reverse("accounts:user_add"), _new_user(**changes))
    assert response.status_code == 422
    assert message in _field_errors(response).get(field, []) if field else _shows(response, message)
    assert database_state() == before


def test_editing_a_user_saves_and_audits(subject, admin):
    data = {
        "username": subject.username,
        "full_name": subject.full_name,
        "position": "Trưởng phòng",
        "clearance": 0,
        "language": "en",
        "is_active": "on",
    }
    response = _client(admin).post(reverse("accounts:user_edit", kwargs={"pk": subject.pk}), data)
    assert response["Location"] == subject.get_absolute_url()
    subject.refresh_from_db()
    assert (subject.position, subject.language) == ("Trưởng phòng", "en")
    change = changes_for(subject).last()
    assert (change.actor_id, change.changed_fields) == (admin.pk, ["language", "position"])


def test_an_administrator_cannot_deactivate_themselves_on_the_edit_page(admin):
    data = {"username": admin.username, "full_name": admin.full_name, "clearance": admin.clearance, "language": "vi"}
    client = _client(admin)
    before = database_state()
    response = client.post(reverse("accounts:user_edit", kwargs={"pk": admin.pk}), data)
    assert response.status_code == 422
    assert _field_errors(response)["is_active"] == ["You cannot deactivate your own account."]
    assert database_state() == before


def test_the_edit_form_has_no_password_fields(subject, admin):
    html = _client(admin).get(reverse("accounts:user_edit", kwargs={"pk": subject.pk})).content.decode()
    assert 'name="username"' in html and 'name="password1"' not in html


def test_an_administrator_sets_a_password(subject, admin):
    new = "Mưa-Hạ-2027-thử"
    response = _client(admin).post(
        reverse("accounts:user_password", kwargs={"pk": subject.pk}), {"password1": new, "password2": new}
    )
    assert response["Location"] == subject.get_absolute_url()
    subject.refresh_from_db()
    assert subject.check_password(new)


def test_setting_a_weak_password_is_refused(subject, admin):
    client = _client(admin)
    before = database_state()
    response = client.post(
        reverse("accounts:user_password", kwargs={"pk": subject.pk}),
        {"password1": "1234567890", "password2": "1234567890"},
    )
    assert response.status_code == 422
    assert "password1" in _field_errors(response)
    assert database_state() == before


def test_unlock_and_second_factor_reset_from_the_user_page(subject, admin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("accounts:login"), {"username": "thao.nguyen", "password": "sai-mật-khẩu-rồi"})
    TOTPDevice.objects.create(user=subject, name="phone", confirmed=True)
    client = _client(admin)
    assert client.post(reverse("accounts:user_unlock", kwargs={"pk": subject.pk})).status_code == 302
    assert not AccessAttempt.objects.filter(username="thao.nguyen").exists()
    assert client.post(reverse("accounts:user_reset_mfa", kwargs={"pk": subject.pk})).status_code == 302
    assert not TOTPDevice.objects.filter(user=subject).exists()


def test_user_history_lists_the_changes(subject, admin):
    page = _client(admin).get(reverse("accounts:user_history", kwargs={"pk": subject.pk}))
    assert page.status_code == 200
    assert page.content.decode().count('class="card mb-2 change-record"') == changes_for(subject).count() == 2


# --- memberships --------------------------------------------------------------------------------------


def test_membership_form_offers_only_organisations_of_the_actors_scope(world, subject, unit_admin, admin):
    def offered(user):
        html = _client(user).get(reverse("accounts:membership_add", kwargs={"pk": subject.pk})).content.decode()
        select = re.search(r'<select name="organization".*?</select>', html, re.S).group(0)
        return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)

    assert offered(unit_admin) == [str(world.ent_a)]
    assert len(offered(admin)) == 7


def test_granting_a_role_on_the_page(world, subject, admin):
    lab = Role.objects.get(code="lab_officer")
    response = _client(admin).post(
        reverse("accounts:membership_add", kwargs={"pk": subject.pk}),
        {"organization": world.ent_b.pk, "role": lab.pk, "valid_from": "2024-01-02"},
    )
    assert response["Location"] == subject.get_absolute_url()
    assert subject.memberships.filter(organization=world.ent_b, role=lab).exists()


def test_a_subtree_administrator_granting_a_global_role_is_refused(world, subject, unit_admin):
    client = _client(unit_admin)
    before = database_state()
    response = client.post(
        reverse("accounts:membership_add", kwargs={"pk": subject.pk}),
        {
            "organization": world.ent_a.pk,
            "role": Role.objects.get(code="department_officer").pk,
            "valid_from": "2024-01-02",
        },
    )
    assert response.status_code == 403
    assert database_state() == before


def test_granting_the_same_role_twice_shows_the_error(world, subject, admin):
    client = _client(admin)
    before = database_state()
    response = client.post(
        reverse("accounts:membership_add", kwargs={"pk": subject.pk}),
        {
            "organization": world.ent_a.pk,
            "role": Role.objects.get(code="enterprise_officer").pk,
            "valid_from": "2024-01-02",
        },
    )
    assert response.status_code == 422
    assert _shows(response, "Membership with this User, Organisation and Role already exists.")
    assert database_state() == before


def test_withdrawing_a_role_ends_it_today(subject, admin):
    membership = subject.memberships.get()
    client = _client(admin)
    response = client.post(reverse("accounts:membership_end", kwargs={"pk": membership.pk}))
    assert response["Location"] == subject.get_absolute_url()
    membership.refresh_from_db()
    assert membership.valid_to == timezone.localdate()
    html = client.get(subject.get_absolute_url()).content.decode()
    assert reverse("accounts:membership_end", kwargs={"pk": membership.pk}) not in html


def test_withdrawing_a_role_of_another_subtree_is_not_found(world, unit_admin, make_user):
    outside = make_user("enterprise_officer", world.ent_b)
    membership = outside.memberships.get()
    client = _client(unit_admin)
    before = database_state()
    response = client.post(reverse("accounts:membership_end", kwargs={"pk": membership.pk}))
    assert response.status_code == 404
    assert database_state() == before


# --- the profile ----------------------------------------------------------------------------------------


def test_profile_shows_ones_roles_second_factor_and_token_state(subject):
    html = _client(subject).get(reverse("accounts:profile")).content.decode()
    assert "Enterprise officer" in html and str(subject.memberships.get().organization) in html
    assert "No authenticator app is enrolled." in html
    assert 'value="revoke"' not in html


def test_issuing_a_token_shows_its_key_once(subject):
    client = _client(subject)
    response = client.post(reverse("accounts:token"), {"action": "create"}, follow=True)
    key = Token.objects.get(user=subject).key
    assert any(key in message for message in _messages(response))
    assert 'value="revoke"' in response.content.decode()
    assert key not in client.get(reverse("accounts:profile")).content.decode()


def test_revoking_the_token_from_the_profile(subject):
    services.token_create(user=subject)
    client = _client(subject)
    client.post(reverse("accounts:token"), {"action": "revoke"})
    assert not Token.objects.filter(user=subject).exists()


# --- the users API: read only ---------------------------------------------------------------------------


def test_users_api_lists_users_with_current_roles_only(world, subject, auditor, admin):
    services.membership_create(
        actor=None,
        data={
            "user": subject,
            "organization": world.ent_b,
            "role": Role.objects.get(code="lab_officer"),
            "valid_from": "2020-01-01",
            "valid_to": "2020-12-31",
        },
    )
    api = APIClient()
    api.force_authenticate(auditor)
    response = api.get("/api/v1/users/", {"q": "thao"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert set(row) == {
        "id",
        "username",
        "full_name",
        "email",
        "position",
        "clearance",
        "language",
        "is_active",
        "last_login",
        "date_joined",
        "memberships",
    }
    assert "password" not in row
    assert [(m["organization_code"], m["role"]) for m in row["memberships"]] == [("ENT-A", "enterprise_officer")]
    assert api.get(f"/api/v1/users/{subject.pk}/").json()["username"] == "thao.nguyen"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_users_api_is_read_only(subject, admin, auditor, method):
    before = database_state()
    url = "/api/v1/users/" if method == "post" else f"/api/v1/users/{subject.pk}/"
    for user, status in ((admin, 405), (auditor, 403)):
        api = APIClient()
        api.force_authenticate(user)
        assert getattr(api, method)(url, {"username": "x", "clearance": 3}, format="json").status_code == status
    assert database_state() == before
    assert ObjectChange.objects.count() == len(before["core.ObjectChange"])


def test_users_api_of_a_subtree_administrator_holds_its_subtree_only(world, subject, unit_admin, make_user):
    outsider = make_user("lab_officer", world.ent_b, username="lab.b")
    api = APIClient()
    api.force_authenticate(unit_admin)
    usernames = sorted(row["username"] for row in api.get("/api/v1/users/").json()["results"])
    assert usernames == ["qt.donvi", "thao.nguyen"]
    assert api.get(f"/api/v1/users/{outsider.pk}/").status_code == 404
    assert Membership.objects.filter(user=outsider).exists()
