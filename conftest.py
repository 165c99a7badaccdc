"""Root fixtures, shared by every app's tests: a small registry, users by role, signed-in clients."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from types import SimpleNamespace

import pytest

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CNAN_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Browser tests are required (CNAN_REQUIRE_BROWSER) but {CHROMIUM} is missing.")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def world(db):
    """BCA ─ H08 ─ {ENT-A (facility FA, core, in park P), ENT-B (facility FB)}; BCA ─ VKHCN; DT ─ partner."""
    from cnan.organizations import services
    from cnan.organizations.models import Organization

    K = Organization.Kind
    bca = services.organization_create(
        actor=None, parent=None, data={"code": "BCA", "name": "Bộ Công an", "kind": K.MINISTRY}
    )
    h08 = services.organization_create(
        actor=None, parent=bca, data={"code": "H08", "name": "Cục Công nghiệp an ninh", "kind": K.DEPARTMENT}
    )
    institute = services.organization_create(
        actor=None, parent=bca, data={"code": "VKHCN", "name": "Viện Khoa học và Công nghệ", "kind": K.INSTITUTE}
    )
    ent_a = services.enterprise_create(
        actor=None,
        parent=h08,
        data={
            "code": "ENT-A",
            "name": "Công ty Cơ khí An ninh Thăng Long",
            "legal_form": "state_llc",
            "tax_code": "0100109106",
            "state_ownership": Decimal("100"),
            "charter_capital": Decimal("1000000000"),
            "province": "ha-noi",
        },
    )
    ent_b = services.enterprise_create(
        actor=None,
        parent=h08,
        data={
            "code": "ENT-B",
            "name": "Công ty Điện tử Sông Hàn",
            "legal_form": "jsc_state",
            "tax_code": "0100000010",
            "state_ownership": Decimal("51"),
            "province": "da-nang",
        },
    )
    partners = services.organization_create(
        actor=None, parent=None, data={"code": "DT", "name": "Đối tác", "kind": K.GROUP}
    )
    partner = services.organization_create(
        actor=None, parent=partners, data={"code": "DT-X", "name": "Kestrel GmbH", "kind": K.PARTNER, "country": "DE"}
    )
    park = services.park_create(
        actor=None,
        data={
            "organization": h08,
            "code": "P1",
            "name": "Khu CNAN Lại Yên",
            "province": "ha-noi",
            "area_ha": Decimal("8.57"),
        },
    )
    facility_a = services.facility_create(
        actor=None,
        data={
            "organization": ent_a,
            "code": "FA",
            "name": "Xưởng cơ khí",
            "kind": "core",
            "province": "ha-noi",
            "decision_number": "12/QĐ-BCA",
            "decision_date": dt.date(2020, 1, 2),
            "park": park,
        },
    )
    facility_b = services.facility_create(
        actor=None,
        data={"organization": ent_b, "code": "FB", "name": "Nhà máy điện tử", "kind": "other", "province": "da-nang"},
    )
    return SimpleNamespace(
        bca=bca,
        h08=h08,
        institute=institute,
        ent_a=ent_a,
        ent_b=ent_b,
        partners=partners,
        partner=partner,
        park=park,
        facility_a=facility_a,
        facility_b=facility_b,
    )


@pytest.fixture
def make_user(db):
    """``make_user(role_code, organization, clearance=0)`` → a user holding that role there (or no role)."""
    from cnan.accounts import services
    from cnan.accounts.models import Role

    counter = {"n": 0}

    def make(
        role: str | None = None,
        organization=None,
        *,
        clearance: int = 0,
        username: str | None = None,
        password: str | None = None,
    ):
        counter["n"] += 1
        user = services.user_create(
            actor=None,
            data={
                "username": username or f"user{counter['n']}",
                "full_name": f"Người dùng {counter['n']}",
                "clearance": clearance,
            },
            password=password,
        )
        if role:
            services.membership_create(
                actor=None,
                data={
                    "user": user,
                    "organization": organization,
                    "role": Role.objects.get(code=role),
                    "valid_from": dt.date(2020, 1, 1),
                },
            )
        user.forget_grants()
        return user

    return make


@pytest.fixture
def officer(world, make_user):
    """A department officer (H08): registry write rights everywhere."""
    return make_user("department_officer", world.h08, clearance=1)


@pytest.fixture
def ent_a_officer(world, make_user):
    return make_user("enterprise_officer", world.ent_a)


@pytest.fixture
def signed_in(client):
    """``signed_in(user)`` → the test client, signed in as ``user`` (second factor passed if needed)."""
    from cnan.core.testing import login

    def sign_in(user):
        client.logout()
        return login(client, user)

    return sign_in


@pytest.fixture
def api_as():
    """``api_as(user)`` → a DRF API client authenticated as ``user`` (``None``: anonymous)."""
    from rest_framework.test import APIClient

    def make(user):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return make


@pytest.fixture
def isolated_profile(settings):
    """Run a test under the isolated-network profile, where classified records may be saved."""
    settings.CNAN_PROFILE = "isolated"
    return settings
