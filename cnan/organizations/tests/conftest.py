"""Fixtures of the registry's tests: audit-trail and "nothing changed" checks, a few extra records."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.utils import translation

import pytest

from cnan.core.models import ObjectChange
from cnan.core.testing import database_state
from cnan.organizations import services
from cnan.organizations.models import ComplexMembership, ProductGroup


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, whatever the catalogues hold (pages choose their own language)."""
    with translation.override("en"):
        yield


class Changes(list):
    """The change records written inside an ``audit()`` block, oldest first."""

    def summary(self) -> list[tuple[str, str, str]]:
        """``(model, object id, action)`` of each record, for exact comparisons."""
        return [(c.content_type.model, c.object_id, c.action) for c in self]


@pytest.fixture
def refused(db):
    """``with refused(ValidationError) as info: <service call>``: it raises, and nothing was written.

    "Nothing" covers every row of the registry's, the accounts' and the audit trail's tables."""

    @contextmanager
    def check(exc: type[BaseException], match: str | None = None):
        before = database_state()
        changes = ObjectChange.objects.count()
        with pytest.raises(exc, match=match) as info:
            yield info
        assert ObjectChange.objects.count() == changes, "a refused write left a change record"
        assert database_state() == before, "a refused write changed the database"

    return check


@pytest.fixture
def unchanged(db):
    """``with unchanged(): <request>``: no row of the database (audit trail included) was added, changed or removed."""

    @contextmanager
    def check():
        before = database_state()
        yield
        assert database_state() == before, "the database changed"

    return check


@pytest.fixture
def audit(db):
    """``with audit() as changes: <service call>`` → ``changes`` lists the change records written inside."""

    @contextmanager
    def record():
        start = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        changes = Changes()
        yield changes
        changes.extend(ObjectChange.objects.filter(id__gt=start).select_related("content_type").order_by("id"))

    return record


@pytest.fixture
def product_group(db):
    """A product group loaded by the data migration."""
    return ProductGroup.objects.get(code="an-ninh-mang")


@pytest.fixture
def ent_c(world):
    """A third enterprise (a joint-stock company), to merge or split with the others."""
    return services.enterprise_create(
        actor=None,
        parent=world.h08,
        data={
            "code": "ENT-C",
            "name": "Công ty Cổ phần Thiết bị Bảo vệ",
            "legal_form": "jsc",
            "tax_code": "0100000028",
            "state_ownership": 0,
            "province": "ho-chi-minh",
        },
    )


@pytest.fixture
def nucleus_a(world):
    """ENT-A in the nucleus of the complex (it has the core facility FA)."""
    return services.complex_membership_create(
        actor=None,
        data={
            "organization": world.ent_a,
            "role": ComplexMembership.Role.NUCLEUS,
            "admitted_on": dt.date(2024, 7, 1),
            "decision_number": "100/QĐ-TTg",
            "decision_date": dt.date(2024, 6, 20),
        },
    )


@pytest.fixture
def dept_user(world, make_user):
    """A department officer without clearance (H08, registry rights everywhere)."""
    return make_user("department_officer", world.h08, clearance=0)


@pytest.fixture
def ent_b_officer(world, make_user):
    return make_user("enterprise_officer", world.ent_b)
