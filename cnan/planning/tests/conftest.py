"""Fixtures of the planning tests: the Department (H08) keeps the indicators, periods and the industry's annual
plan; ENT-A and ENT-B (under H08) each have an enterprise officer; the indicators come from the data migration."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from cnan.core.testing import database_state
from cnan.planning import services
from cnan.planning.models import Indicator, PeriodKind, Plan, Scenario

APPS = ("planning", "core")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refused(call, *, field=None, match=None, error=ValidationError):
    """``call`` raises ``error`` (with ``field`` / ``match`` in its messages) and writes nothing."""
    before = database_state(APPS)
    with pytest.raises(error) as exc:
        call()
    if field is not None:
        assert field in exc.value.message_dict, exc.value
    if match is not None:
        assert match in " ".join(getattr(exc.value, "messages", [str(exc.value)])), exc.value
    assert database_state(APPS) == before
    return exc.value


@pytest.fixture
def scene(world, make_user):
    return SimpleNamespace(
        world=world,
        h08=world.h08,
        ent_a=world.ent_a,
        ent_b=world.ent_b,
        officer=make_user("department_officer", world.h08, clearance=1),
        ea=make_user("enterprise_officer", world.ent_a),
        eb=make_user("enterprise_officer", world.ent_b),
        leader=make_user("ministry_leader", world.bca),
        ind={i.code: i for i in Indicator.objects.all()},
    )


def make_plan(scene, *, owner=None, kind=Plan.Kind.ANNUAL, year=2026, code=None, actor=None, **extra):
    owner = owner or scene.h08
    data = {
        "kind": kind,
        "code": code or f"KH-{owner.code}-{kind}-{year}",
        "name": f"Kế hoạch {year}",
        "owner": owner,
        "start_year": year,
        "end_year": extra.pop("end_year", year),
        **extra,
    }
    return services.plan_create(actor=actor or scene.officer, data=data)


def approve(scene, plan, *, number="12/QĐ-BCA", day=dt.date(2026, 1, 10)):
    actor = (
        scene.officer if plan.owner_id == scene.h08.pk else (scene.ea if plan.owner_id == scene.ent_a.pk else scene.eb)
    )
    plan = services.plan_transition(actor=actor, plan=plan, action="submit")
    return services.plan_transition(
        actor=scene.officer, plan=plan, action="approve", decision_number=number, decided_on=day
    )


def open_year(scene, year=2026):
    return services.period_open(
        actor=scene.officer, kind=PeriodKind.YEAR, year=year, number=1, due_on=dt.date(year + 1, 1, 31)
    )


def required_rows(scene, value=Decimal("1")):
    return [(i, Scenario.ACTUAL, value) for i in Indicator.objects.filter(required=True)]


def accepted_report(scene, period, enterprise, actor, values):
    """A report of ``enterprise`` for ``period`` with the required figures (1) and ``values``
    (code → (scenario, value) or value for an actual), submitted and accepted."""
    report = services.report_create(actor=actor, enterprise=enterprise, period=period)
    rows = {(i.code, s): v for i, s, v in required_rows(scene)}
    for code, given in values.items():
        scenario, value = given if isinstance(given, tuple) else (Scenario.ACTUAL, given)
        rows[(code, scenario)] = Decimal(str(value))
    services.report_values_set(actor=actor, report=report, values=[(scene.ind[c], s, v) for (c, s), v in rows.items()])
    services.report_transition(actor=actor, report=report, action="submit")
    return services.report_transition(actor=scene.officer, report=report, action="accept")
