"""Signing in through the real form: lockout (django-axes), second factor (django-otp), sessions, passwords,
language."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

import pytest
from axes.models import AccessAttempt
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnan.accounts import services
from cnan.accounts.forms import LoginForm
from cnan.core.models import ObjectChange
from cnan.core.testing import changes_for, login

PASSWORD = "Gió-Đông-2026-thử"
WRONG = "không-phải-mật-khẩu"
LOGIN = reverse("accounts:login")
HOME = reverse("core:home")
SETUP = reverse("accounts:mfa_setup")
VERIFY = reverse("accounts:mfa_verify")


def code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + drift):06d}"


def wrong_code(device: TOTPDevice) -> str:
    near = {code(device, d) for d in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(123456, 999999, 7919) if f"{n:06d}" not in near)


def says(response, msgid: str) -> bool:
    """Whether the answer carries ``msgid`` in the language it was given in (the catalogue's words if any)."""
    with translation.override(response["Content-Language"]):
        text = translation.gettext(msgid)
    if response["Content-Type"] == "application/json":
        return text in response.json().values()
    return escape(text) in response.content.decode()


def english() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


@pytest.fixture
def person(world, make_user):
    return make_user("enterprise_officer", world.ent_a, username="thao.nguyen", password=PASSWORD)


@pytest.fixture
def admin(world, make_user):
    return make_user("system_admin", world.bca, username="quan.tri", password=PASSWORD, clearance=3)


# --- signing in ---------------------------------------------------------------------------------------


def test_right_password_signs_in_and_goes_home(person):
    client = english()
    response = sign_in(client, "thao.nguyen", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.session[SESSION_KEY] == str(person.pk)
    assert client.get(HOME).status_code == 200
    person.refresh_from_db()
    assert person.last_login is not None


def test_sign_in_follows_a_local_next_and_ignores_a_foreign_one(person):
    assert sign_in(english(), "thao.nguyen", PASSWORD, next="/accounts/profile/")["Location"] == "/accounts/profile/"
    assert sign_in(english(), "thao.nguyen", PASSWORD, next="https://evil.example/")["Location"] == HOME


def test_wrong_password_shows_the_message_and_signs_nobody_in(person):
    client = english()
    response = sign_in(client, "thao.nguyen", WRONG)
    assert response.status_code == 200
    with translation.override("en"):
        assert escape(str(LoginForm.error_messages["invalid_login"])) in response.content.decode()
    assert SESSION_KEY not in client.session
    assert AccessAttempt.objects.get(username="thao.nguyen").failures_since_start == 1


def test_wrong_password_message_is_in_the_page_language(person):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = sign_in(client, "thao.nguyen", WRONG)
    with translation.override("vi"):
        assert escape(str(LoginForm.error_messages["invalid_login"])) in response.content.decode()


def test_disabled_account_cannot_sign_in(person):
    services.user_update(actor=None, instance=person, data={"is_active": False})
    client = english()
    assert sign_in(client, "thao.nguyen", PASSWORD).status_code == 200
    assert SESSION_KEY not in client.session


def test_signed_in_user_is_sent_away_from_the_login_page(person):
    client = login(english(), person)
    assert client.get(LOGIN)["Location"] == HOME


def test_sign_out_needs_a_post_and_ends_the_session(person):
    client = login(english(), person)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    assert client.get(HOME)["Location"].startswith(LOGIN)


# --- lockout ------------------------------------------------------------------------------------------


def _fail(client: Client, times: int, username: str = "thao.nguyen"):
    response = None
    for _ in range(times):
        response = sign_in(client, username, WRONG)
    return response


def test_failures_below_the_limit_do_not_lock(person):
    client = english()
    assert settings.AXES_FAILURE_LIMIT == 5
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "thao.nguyen", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="thao.nguyen").exists()  # reset on success


def test_account_is_locked_after_the_limit_even_with_the_right_password(person):
    client = english()
    locked = _fail(client, settings.AXES_FAILURE_LIMIT)
    assert locked.status_code == 429
    assert 'id="locked-message"' in locked.content.decode()
    again = sign_in(english(), "thao.nguyen", PASSWORD)
    assert again.status_code == 429
    assert 'id="locked-message"' in again.content.decode()
    assert SESSION_KEY not in client.session


def test_lockout_of_one_name_does_not_lock_another(person, make_user, world):
    make_user("lab_officer", world.ent_a, username="minh.tran", password=PASSWORD)
    _fail(english(), settings.AXES_FAILURE_LIMIT)
    other = Client(HTTP_USER_AGENT="another browser")
    assert sign_in(other, "minh.tran", PASSWORD).status_code == 302


def test_administrator_unlock_releases_the_account_and_is_audited(person, admin):
    _fail(english(), settings.AXES_FAILURE_LIMIT)
    console = login(english(), admin)
    detail = console.get(person.get_absolute_url()).content.decode()
    assert reverse("accounts:user_unlock", kwargs={"pk": person.pk}) in detail

    before = ObjectChange.objects.count()
    response = console.post(reverse("accounts:user_unlock", kwargs={"pk": person.pk}))

    assert response["Location"] == person.get_absolute_url()
    assert ObjectChange.objects.count() == before + 1
    change = changes_for(person).last()
    assert (change.action, change.actor_id, change.before, change.after) == (
        "update",
        admin.pk,
        {"locked_out": True},
        {"locked_out": False},
    )
    assert sign_in(english(), "thao.nguyen", PASSWORD).status_code == 302
    assert (
        reverse("accounts:user_unlock", kwargs={"pk": person.pk})
        not in console.get(person.get_absolute_url()).content.decode()
    )


def test_lockout_ends_after_the_cool_off(person):
    _fail(english(), settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1))
    assert sign_in(english(), "thao.nguyen", PASSWORD).status_code == 302


# --- second factor ------------------------------------------------------------------------------------


def test_administrator_is_sent_to_enrol_an_authenticator_on_first_sign_in(admin):
    client = english()
    assert sign_in(client, "quan.tri", PASSWORD)["Location"] == HOME
    for path in (HOME, reverse("organizations:facility_list"), reverse("accounts:profile"), "/audit/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{SETUP}?next={path}"
    page = client.get(SETUP)
    assert page.status_code == 200
    assert 'id="totp-secret"' in page.content.decode()


def test_enrolment_accepts_a_valid_code_and_opens_the_portal(admin):
    client = english()
    sign_in(client, "quan.tri", PASSWORD)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    before = ObjectChange.objects.count()

    response = client.post(SETUP + "?next=/audit/", {"token": code(device), "next": "/audit/"})

    assert response["Location"] == "/audit/"
    device.refresh_from_db()
    assert device.confirmed
    assert ObjectChange.objects.count() == before + 1
    assert client.get("/audit/").status_code == 200


def test_enrolment_refuses_a_wrong_code(admin):
    client = english()
    sign_in(client, "quan.tri", PASSWORD)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    response = client.post(SETUP, {"token": wrong_code(device)})
    assert response.status_code == 422
    assert says(response, "That code is not valid. Check the time on your phone and try again.")
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(HOME)["Location"] == f"{SETUP}?next={HOME}"


def test_enrolled_administrator_is_asked_for_a_code(admin):
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = english()
    sign_in(client, "quan.tri", PASSWORD)
    assert client.get(HOME)["Location"] == f"{VERIFY}?next={HOME}"

    refused = client.post(VERIFY, {"token": wrong_code(device), "next": HOME})
    assert refused.status_code == 422
    assert says(refused, "That code is not valid. Check the time on your phone and try again.")
    assert client.get(HOME)["Location"] == f"{VERIFY}?next={HOME}"

    device.refresh_from_db()
    device.throttle_reset()  # a wrong code throttles the device for a moment (next test)
    accepted = client.post(VERIFY, {"token": code(device), "next": "/accounts/profile/"})
    assert accepted["Location"] == "/accounts/profile/"
    assert client.get(HOME).status_code == 200


def test_right_after_a_wrong_code_even_the_right_one_is_refused(admin):
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = english()
    sign_in(client, "quan.tri", PASSWORD)
    client.post(VERIFY, {"token": wrong_code(device)})
    assert client.post(VERIFY, {"token": code(device)}).status_code == 422
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # refused while throttled, not counted again


def test_a_code_cannot_be_used_twice(admin):
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    first = english()
    sign_in(first, "quan.tri", PASSWORD)
    token = code(device)
    assert first.post(VERIFY, {"token": token})["Location"] == HOME
    second = english()
    sign_in(second, "quan.tri", PASSWORD)
    assert second.post(VERIFY, {"token": token}).status_code == 422


@pytest.mark.parametrize("token", ["12345", "abcdef", "1234567", ""])
def test_verify_refuses_malformed_codes(admin, token):
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = english()
    sign_in(client, "quan.tri", PASSWORD)
    assert client.post(VERIFY, {"token": token}).status_code == 422


def test_an_officer_needs_no_second_factor_under_the_unclassified_profile(person):
    client = english()
    sign_in(client, "thao.nguyen", PASSWORD)
    assert client.get(HOME).status_code == 200


def test_under_the_isolated_profile_everyone_needs_a_second_factor(person, isolated_profile):
    isolated_profile.CNAN_MFA_FOR_EVERYONE = True
    client = english()
    sign_in(client, "thao.nguyen", PASSWORD)
    assert client.get(HOME)["Location"] == f"{SETUP}?next={HOME}"
    api = client.get("/api/v1/facilities/")
    assert api.status_code == 403


def test_api_with_the_session_of_an_unverified_administrator_is_refused_in_json(admin):
    client = english()
    sign_in(client, "quan.tri", PASSWORD)
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]
    assert says(response, "Two-factor verification is required.")


def test_unverified_administrator_may_still_sign_out_and_switch_language(admin):
    client = english()
    sign_in(client, "quan.tri", PASSWORD)
    assert client.post(reverse("set_language"), {"language": "vi", "next": SETUP})["Location"] == SETUP
    assert client.post(reverse("accounts:logout"))["Location"] == LOGIN


# --- sessions -----------------------------------------------------------------------------------------


def test_sessions_expire_after_inactivity_and_each_request_extends_them():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS == 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def _age_session(key, *, refreshed_seconds_ago):
    """Make the session look as if it was last refreshed that long ago, one minute from expiring."""
    from django.contrib.sessions.backends.db import SessionStore

    from cnan.core.middleware import SessionRefreshMiddleware

    store = SessionStore(session_key=key)
    store[SessionRefreshMiddleware.KEY] = int(time.time()) - refreshed_seconds_ago
    store.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))


def test_a_request_pushes_the_session_expiry_forward_once_the_refresh_interval_has_passed(person):
    client = english()
    sign_in(client, "thao.nguyen", PASSWORD)
    key = client.session.session_key
    _age_session(key, refreshed_seconds_ago=61)
    client.get(HOME)
    remaining = Session.objects.get(pk=key).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)


def test_reads_within_the_refresh_interval_do_not_write_the_session(person):
    client = english()
    sign_in(client, "thao.nguyen", PASSWORD)
    key = client.session.session_key
    _age_session(key, refreshed_seconds_ago=10)
    with CaptureQueriesContext(connection) as ctx:
        client.get(HOME)
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    remaining = Session.objects.get(pk=key).expire_date - timezone.now()
    assert remaining <= dt.timedelta(minutes=1)


def test_token_requests_create_no_session(person):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=person)
    before = Session.objects.count()
    response = english().get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == before


def test_an_idle_session_has_expired(person):
    client = english()
    sign_in(client, "thao.nguyen", PASSWORD)
    Session.objects.filter(pk=client.session.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(HOME)["Location"].startswith(LOGIN)


# --- passwords ----------------------------------------------------------------------------------------

WEAK = [
    ("Ab1!xyz", "password_too_short"),
    ("qwertyuiop", "password_too_common"),
    ("4938205716", "password_entirely_numeric"),
    ("thao.nguyen2026", "password_too_similar"),
]


@pytest.mark.parametrize(("password", "reason"), WEAK)
def test_user_create_refuses_weak_passwords(world, password, reason):
    before = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as info:
        services.user_create(
            actor=None, data={"username": "thao.nguyen", "full_name": "Nguyễn Thảo"}, password=password
        )
    assert reason in {e.code for e in info.value.error_list}
    assert ObjectChange.objects.count() == before
    assert not services.User.objects.filter(username="thao.nguyen").exists()


def test_validators_accept_a_long_uncommon_password():
    assert validate_password(PASSWORD) is None


@pytest.mark.parametrize(("password", "reason"), WEAK[:3])
def test_password_change_page_refuses_weak_passwords(person, password, reason):
    client = login(english(), person)
    hashed = person.password
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert 'data-field="new_password2"' in response.content.decode() or 'data-field="new_password1"' in (
        response.content.decode()
    )
    person.refresh_from_db()
    assert person.password == hashed


def test_password_change_page_changes_the_password_and_keeps_the_session(person):
    client = login(english(), person)
    new = "Mưa-Hạ-2027-thử"
    response = client.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("accounts:profile")
    assert client.get(HOME).status_code == 200
    person.refresh_from_db()
    assert person.check_password(new)
    assert person.password_changed_at is not None
    change = changes_for(person).last()
    assert change.changed_fields == ["password_changed_at"]
    assert "password" not in (change.after or {})


def test_password_change_needs_the_old_password(person):
    client = login(english(), person)
    new = "Mưa-Hạ-2027-thử"
    response = client.post(
        reverse("accounts:password_change"), {"old_password": WRONG, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


# --- language -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_after_sign_in_the_language_cookie_follows_the_preferred_language(world, make_user, language):
    user = make_user("lab_officer", world.ent_a, username="ngon.ngu", password=PASSWORD)
    services.user_update(actor=None, instance=user, data={"language": language})
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en" if language == "vi" else "vi"
    response = sign_in(client, "ngon.ngu", PASSWORD)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    assert f'<html lang="{language}"' in client.get(HOME).content.decode()


def test_set_language_switches_the_page_language(person):
    client = login(Client(), person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en"' in client.get(HOME).content.decode()
    response = client.post(reverse("set_language"), {"language": "vi", "next": HOME})
    assert response["Location"] == HOME
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    page = client.get(HOME).content.decode()
    assert '<html lang="vi"' in page
    with translation.override("vi"):
        translated = translation.gettext("My profile")
    assert translated in page  # the catalogue's word when there is one (cnan/locale), the msgid otherwise


def test_a_language_the_portal_does_not_offer_falls_back_to_vietnamese(person):
    client = login(Client(), person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("set_language"), {"language": "fr", "next": HOME})
    assert '<html lang="vi"' in client.get(HOME).content.decode()
