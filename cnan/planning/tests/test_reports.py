"""Periodic reports: filed by a member of the enterprise for an open period, values all or nothing, the review
workflow, the lock on acceptance, corrections as new versions, and the value of record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied

import pytest

from cnan.core.testing import changes_for
from cnan.planning import selectors, services
from cnan.planning.models import PeriodKind, Report, ReportEvent, ReportValue, Scenario

from .conftest import accepted_report, open_year, refused, required_rows

D = dt.date


@pytest.fixture
def period(scene):
    return open_year(scene)


@pytest.fixture
def draft(scene, period):
    return services.report_create(actor=scene.ea, enterprise=scene.ent_a, period=period)


def test_an_enterprise_files_its_report_for_an_open_period(scene, period, draft):
    assert (draft.enterprise, draft.period, draft.version, draft.state) == (
        scene.ent_a,
        period,
        1,
        Report.State.DRAFT,
    )
    refused(
        lambda: services.report_create(actor=scene.ea, enterprise=scene.ent_a, period=period),
        field="period",
        match="already has a report",
    )


def test_a_report_for_a_unit_you_do_not_belong_to_is_refused(scene, period):
    refused(
        lambda: services.report_create(actor=scene.ea, enterprise=scene.ent_b, period=period), error=PermissionDenied
    )
    # the Department may read and review every report, but it does not file them for the enterprise
    refused(
        lambda: services.report_create(actor=scene.officer, enterprise=scene.ent_a, period=period),
        error=PermissionDenied,
        match="member of its enterprise",
    )
    refused(
        lambda: services.report_create(actor=scene.leader, enterprise=scene.ent_a, period=period),
        error=PermissionDenied,
    )


def test_a_report_for_a_closed_period_is_refused(scene, period):
    services.period_close(actor=scene.officer, period=period)
    refused(
        lambda: services.report_create(actor=scene.ea, enterprise=scene.ent_a, period=period),
        field="period",
        match="closed",
    )


def test_values_are_set_all_or_nothing_with_one_error_per_row(scene, draft):
    ind = scene.ind
    error = refused(
        lambda: services.report_values_set(
            actor=scene.ea,
            report=draft,
            values=[
                (ind["DT"], Scenario.ESTIMATE, "120.5"),
                (ind["HTNV"], Scenario.ACTUAL, "1500"),
                (ind["LD"], Scenario.ACTUAL, "-4"),
                (ind["LNST"], Scenario.ACTUAL, "-2"),  # a loss is a value
                (ind["DT"], Scenario.ESTIMATE, "121"),
                (ind["TTS"], "forecast", "1"),
                (ind["VCSH"], Scenario.ACTUAL, "x"),
            ],
        ),
        field="values",
    )
    messages = error.message_dict["values"]
    assert len(messages) == 5
    assert messages[0].startswith("Row 2 (HTNV): A percentage lies between 0 and 1000")
    assert messages[1].startswith("Row 3 (LD): A count cannot be negative")
    assert "given twice" in messages[2]
    assert "unknown scenario" in messages[3]
    assert "Enter a number" in messages[4]


def test_values_keep_their_history_and_can_be_removed(scene, draft):
    dt_ = scene.ind["DT"]
    [value] = services.report_values_set(
        actor=scene.ea,
        report=draft,
        values=[(dt_, Scenario.ESTIMATE, "100", ReportValue.Source.IMPORT, "BC-01/2026.xlsx")],
    )
    services.report_values_set(actor=scene.ea, report=draft, values=[(dt_, Scenario.ESTIMATE, "110")])
    value.refresh_from_db()
    assert (value.value, value.source) == (Decimal("110"), ReportValue.Source.FORM)
    history = changes_for(value)
    assert [c.action for c in history] == ["create", "update"]
    assert (history[1].before["value"], history[1].after["value"]) == ("100.0000", "110.0000")
    services.report_values_set(actor=scene.ea, report=draft, values=[(dt_, Scenario.ESTIMATE, None)])
    assert not ReportValue.objects.exists()
    assert [c.action for c in changes_for(value)] == ["create", "update", "delete"]


def test_only_the_enterprise_sets_its_values(scene, draft):
    rows = [(scene.ind["DT"], Scenario.ACTUAL, "1")]
    refused(lambda: services.report_values_set(actor=scene.eb, report=draft, values=rows), error=PermissionDenied)
    refused(lambda: services.report_values_set(actor=scene.officer, report=draft, values=rows), error=PermissionDenied)


def test_submit_lists_every_required_indicator_missing(scene, draft):
    services.report_values_set(actor=scene.ea, report=draft, values=[(scene.ind["DT"], Scenario.ESTIMATE, "1")])
    error = refused(lambda: services.report_transition(actor=scene.ea, report=draft, action="submit"))
    message = error.messages[0]
    for code in ("LNTT", "LNST", "NNS", "LD", "TNBQ"):
        assert f"{code} (" in message
    assert "DT (" not in message


def test_review_workflow_return_needs_a_comment_and_accept_locks(scene, draft):
    services.report_values_set(actor=scene.ea, report=draft, values=required_rows(scene))
    refused(lambda: services.report_transition(actor=scene.eb, report=draft, action="submit"), error=PermissionDenied)
    refused(
        lambda: services.report_transition(actor=scene.officer, report=draft, action="submit"), error=PermissionDenied
    )
    refused(
        lambda: services.report_transition(actor=scene.officer, report=draft, action="accept"), match="not possible"
    )
    report = services.report_transition(actor=scene.ea, report=draft, action="submit")
    refused(
        lambda: services.report_values_set(actor=scene.ea, report=report, values=required_rows(scene, 2)),
        match="Submitted",
    )
    refused(lambda: services.report_transition(actor=scene.ea, report=report, action="accept"), error=PermissionDenied)
    refused(lambda: services.report_transition(actor=scene.officer, report=report, action="return"), field="comment")
    report = services.report_transition(
        actor=scene.officer, report=report, action="return", comment="Thiếu số liệu quý IV"
    )
    assert report.state == Report.State.RETURNED
    services.report_values_set(actor=scene.ea, report=report, values=[(scene.ind["DT"], Scenario.ACTUAL, "5")])
    report = services.report_transition(actor=scene.ea, report=report, action="submit")
    report = services.report_transition(actor=scene.officer, report=report, action="accept")
    assert report.state == Report.State.ACCEPTED
    assert list(ReportEvent.objects.filter(report=report).values_list("transition", "comment")) == [
        ("submit", ""),
        ("return", "Thiếu số liệu quý IV"),
        ("submit", ""),
        ("accept", ""),
    ]
    # locked: no value, no field, no transition, no deletion
    refused(
        lambda: services.report_values_set(actor=scene.ea, report=report, values=[(scene.ind["DT"], "actual", "6")]),
        match="Accepted",
    )
    refused(lambda: services.report_update(actor=scene.ea, instance=report, data={"classification_basis": "x"}))
    refused(lambda: services.report_delete(actor=scene.ea, instance=report))
    for action in ("submit", "return", "accept"):
        refused(
            lambda action=action: services.report_transition(
                actor=scene.officer if action != "submit" else scene.ea, report=report, action=action, comment="x"
            ),
            match="not possible",
        )


def test_a_stale_copy_of_an_accepted_report_changes_nothing(scene, draft):
    services.report_values_set(actor=scene.ea, report=draft, values=required_rows(scene))
    stale = Report.objects.get(pk=draft.pk)
    services.report_transition(actor=scene.ea, report=draft, action="submit")
    services.report_transition(actor=scene.officer, report=draft, action="accept")
    assert stale.state == Report.State.DRAFT
    refused(lambda: services.report_values_set(actor=scene.ea, report=stale, values=required_rows(scene, 9)))
    refused(lambda: services.report_delete(actor=scene.ea, instance=stale))


def test_a_correction_is_a_new_version_that_supersedes_the_old_once_accepted(scene, period):
    v1 = accepted_report(scene, period, scene.ent_a, scene.ea, {"DT": 100})
    refused(lambda: services.report_correct(actor=scene.ea, report=v1, reason=" "), field="correction_reason")
    refused(lambda: services.report_correct(actor=scene.eb, report=v1, reason="x"), error=PermissionDenied)
    v2 = services.report_correct(actor=scene.ea, report=v1, reason="Số liệu sau kiểm toán")
    assert (v2.version, v2.state, v2.previous, v2.correction_reason) == (
        2,
        Report.State.DRAFT,
        v1,
        "Số liệu sau kiểm toán",
    )
    assert v2.values.count() == v1.values.count()
    assert set(v2.values.values_list("source", flat=True)) == {ReportValue.Source.COPIED}
    refused(lambda: services.report_correct(actor=scene.ea, report=v1, reason="again"), match="under way")
    refused(lambda: services.report_correct(actor=scene.ea, report=v2, reason="x"), match="Only an accepted")
    # until the correction is accepted, the first version is the value of record
    services.report_values_set(actor=scene.ea, report=v2, values=[(scene.ind["DT"], Scenario.AUDITED, "98")])
    record = selectors.reported_value(scene.officer, enterprise=scene.ent_a, indicator=scene.ind["DT"], period=period)
    assert (record.value, record.scenario, record.version) == (Decimal("100"), Scenario.ACTUAL, 1)
    services.report_transition(actor=scene.ea, report=v2, action="submit")
    v2 = services.report_transition(actor=scene.officer, report=v2, action="accept")
    v1.refresh_from_db()
    assert (v1.state, v2.state) == (Report.State.SUPERSEDED, Report.State.ACCEPTED)
    assert ReportEvent.objects.filter(report=v1).last().transition == "supersede"
    record = selectors.reported_value(scene.officer, enterprise=scene.ent_a, indicator=scene.ind["DT"], period=period)
    assert (record.value, record.scenario, record.version) == (Decimal("98"), Scenario.AUDITED, 2)
    # the superseded version is locked too, and a correction of the correction is version 3
    refused(lambda: services.report_correct(actor=scene.ea, report=v1, reason="x"), match="Only an accepted")
    v3 = services.report_correct(actor=scene.ea, report=v2, reason="Điều chỉnh lần 2")
    assert v3.version == 3


def test_value_of_record_prefers_audited_over_actual_over_estimate(scene, period):
    accepted_report(
        scene,
        period,
        scene.ent_a,
        scene.ea,
        {"GTSX": ("estimate", 10), "KNXK": ("estimate", 5), "TTS": ("audited", 7)},
    )

    def read(code):
        return selectors.reported_value(scene.officer, enterprise=scene.ent_a, indicator=scene.ind[code], period=period)

    assert (read("GTSX").value, read("GTSX").scenario) == (Decimal("10"), Scenario.ESTIMATE)
    assert (read("TTS").value, read("TTS").scenario) == (Decimal("7"), Scenario.AUDITED)
    assert read("VDT") is None


def test_value_of_record_needs_an_accepted_report_and_follows_visibility(scene, period, draft):
    services.report_values_set(actor=scene.ea, report=draft, values=required_rows(scene, 3))
    assert (
        selectors.reported_value(scene.officer, enterprise=scene.ent_a, indicator=scene.ind["DT"], period=period)
        is None
    )
    services.report_transition(actor=scene.ea, report=draft, action="submit")
    services.report_transition(actor=scene.officer, report=draft, action="accept")
    assert selectors.reported_value(scene.ea, enterprise=scene.ent_a, indicator=scene.ind["DT"], period=period)
    assert selectors.reported_value(scene.eb, enterprise=scene.ent_a, indicator=scene.ind["DT"], period=period) is None
    assert list(selectors.report_list(user=scene.eb)) == []
    assert selectors.report_values(user=scene.eb, report=draft).count() == 0


def test_a_draft_report_can_be_deleted_with_its_values(scene, draft):
    services.report_values_set(actor=scene.ea, report=draft, values=required_rows(scene))
    refused(lambda: services.report_delete(actor=scene.eb, instance=draft), error=PermissionDenied)
    services.report_delete(actor=scene.ea, instance=draft)
    assert not Report.objects.exists() and not ReportValue.objects.exists()


def test_quarter_reports_use_their_own_period(scene):
    q1 = services.period_open(actor=scene.officer, kind=PeriodKind.QUARTER, year=2026, number=1, due_on=D(2026, 3, 20))
    report = services.report_create(actor=scene.ea, enterprise=scene.ent_a, period=q1)
    assert str(report) == "ENT-A · Quarter 1/2026 · v1"
