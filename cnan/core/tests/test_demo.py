"""`manage.py cnan demo` builds the demo world through the services, once, and can be rehearsed."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

import pytest

from cnan.accounts.models import Membership, User
from cnan.core.models import ObjectChange
from cnan.organizations.models import (
    ComplexMembership,
    Facility,
    IndustrialPark,
    Organization,
    RestructuringEvent,
)

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("cnan", *args, stdout=out)
    return out.getvalue()


def test_demo_world_is_built_through_audited_services_and_accounts_are_printed():
    before = ObjectChange.objects.count()
    output = run("demo")
    assert Organization.objects.get(code="H08").parent.code == "BCA"
    assert Organization.objects.enterprises().count() == 13
    assert Facility.objects.count() == 16
    assert IndustrialPark.objects.get().name == "Khu công nghiệp an ninh Lại Yên"
    assert ComplexMembership.objects.current().filter(role="nucleus").count() == 9
    assert RestructuringEvent.objects.count() == 3
    # one person per built-in role
    assert set(Membership.objects.values_list("role__code", flat=True)) == {
        "system_admin",
        "ministry_leader",
        "department_officer",
        "enterprise_officer",
        "research_officer",
        "lab_officer",
        "unit_officer",
        "auditor",
    }
    assert User.objects.get(username="canbo.h08").check_password("cnan-demo-2026")
    # every object written is in the audit trail
    written = ObjectChange.objects.count() - before
    assert written >= Organization.objects.count() + Facility.objects.count() + User.objects.count()
    assert "canbo.h08" in output and "cnan-demo-2026" in output


def test_second_run_changes_nothing():
    run("demo")
    counts = (Organization.objects.count(), ObjectChange.objects.count())
    output = run("demo")
    assert "already loaded" in output
    assert (Organization.objects.count(), ObjectChange.objects.count()) == counts


def test_dry_run_rolls_everything_back():
    output = run("demo", "--dry-run")
    assert "rolled back" in output
    assert not Organization.objects.filter(code="BCA").exists()
    assert not User.objects.filter(username="canbo.h08").exists()


def test_demo_world_is_deterministic():
    from django.db import transaction

    class Rollback(Exception):
        pass

    snapshots = []

    def build_and_roll_back() -> None:
        with transaction.atomic():
            run("demo")
            snapshots.append(
                (
                    list(Organization.objects.order_by("code").values_list("code", "path", "tax_code", "parent__code")),
                    list(
                        Facility.objects.order_by("code").values_list(
                            "code", "decision_number", "decision_date", "organization__code", "park__code"
                        )
                    ),
                    list(User.objects.order_by("username").values_list("username", "clearance")),
                )
            )
            raise Rollback

    for _ in range(2):
        with pytest.raises(Rollback):
            build_and_roll_back()
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0][0]) == 54  # 38 of the organisations' demo, 16 operational units of the supply demo
