"""The research services on bad input (a clear message, nothing written), the IP security control, the
approvals transfers and cooperation need, the filing statuses, and the daily schedule pass."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

import pytest

from cnan.core.testing import database_state
from cnan.research import services
from cnan.research.models import (
    BudgetLine,
    Cooperation,
    FilingStatus,
    IPFiling,
    Kind,
    ResearchTask,
    Schedule,
    Stage,
    TechTransfer,
)

from .conftest import BUDGET, END, START, task_data

APPS = ("research", "core")


def refused(call, *, field: str | None = None, match: str | None = None):
    """``call()`` raises a ValidationError (on ``field``, matching ``match``) and writes nothing."""
    before = database_state(APPS)
    with pytest.raises(ValidationError) as exc:
        call()
    if field is not None:
        assert field in exc.value.message_dict, exc.value
    if match is not None:
        assert match in " ".join(exc.value.messages), exc.value.messages
    assert database_state(APPS) == before
    return exc.value


# --- tasks and budgets -------------------------------------------------------------------------------


def test_a_task_is_proposed_with_its_budget_and_a_proposal_event(topic, people):
    assert topic.stage == Stage.PROPOSED and topic.proposed_by == people.researcher
    lines = {(b.source, b.year): b.planned for b in topic.budget.all()}
    assert lines == {("ministry", 2024): Decimal("2000000000"), ("unit", 2025): Decimal("1000000000")}
    assert list(topic.events.values_list("transition", "to_state")) == [("propose", Stage.PROPOSED)]
    assert services.budget_totals(topic) == {"planned": Decimal("3000000000"), "disbursed": Decimal(0)}


def test_dates_out_of_order_are_refused(world, people):
    refused(
        lambda: services.task_create(actor=people.researcher, data=task_data(world, end_on=dt.date(2023, 12, 31))),
        field="end_on",
    )


def test_a_budget_that_does_not_match_its_sources_is_refused(world, people):
    error = refused(
        lambda: services.task_create(
            actor=people.researcher, data=task_data(world, budget_total=Decimal("3500000000")), budget=BUDGET
        ),
        field="budget_total",
    )
    assert "3.500.000.000" in error.message_dict["budget_total"][0]
    assert "3.000.000.000" in error.message_dict["budget_total"][0]


@pytest.mark.parametrize(
    ("lines", "match"),
    [
        (
            [{"source": "ministry", "year": 2024, "planned": 1}, {"source": "ministry", "year": 2024, "planned": 2}],
            "once per year",
        ),
        ([{"source": "ministry", "year": 2024, "planned": 3, "disbursed": 4}], "More is disbursed"),
        ([{"source": "ministry", "year": 2027, "planned": 3}], "outside the task's years"),
    ],
)
def test_budget_lines_must_be_coherent(world, people, lines, match):
    total = sum(Decimal(line["planned"]) for line in lines)
    refused(
        lambda: services.task_create(actor=people.researcher, data=task_data(world, budget_total=total), budget=lines),
        match=match,
    )


def test_a_unit_proposes_only_for_itself(world, people):
    before = database_state(APPS)
    with pytest.raises(PermissionDenied):
        services.task_create(actor=people.outsider, data=task_data(world))  # ENT-B's researcher, the Institute's task
    assert database_state(APPS) == before


def test_a_programme_contains_its_tasks_within_its_dates(world, people):
    programme = services.task_create(
        actor=people.officer,
        data=task_data(world, code="CT-KC-01", kind=Kind.PROGRAMME, title="Chương trình trọng điểm", budget_total=0),
    )
    inside = services.task_create(
        actor=people.researcher, data=task_data(world, code="CT-KC-01.01", programme=programme, budget_total=0)
    )
    assert list(programme.tasks.all()) == [inside]
    refused(
        lambda: services.task_create(
            actor=people.researcher,
            data=task_data(world, code="CT-KC-01.02", programme=programme, end_on=END + dt.timedelta(days=1)),
        ),
        field="end_on",
    )
    refused(
        lambda: services.task_create(
            actor=people.researcher, data=task_data(world, code="X", programme=inside, budget_total=0)
        ),
        field="programme",
    )
    refused(lambda: services.task_delete(actor=people.officer, instance=programme), match="still has tasks")


def test_after_approval_dates_and_budget_change_only_by_decision(topic, people):
    services.task_update(actor=people.researcher, instance=topic, data={"summary": "Mục tiêu mới"}, budget=BUDGET)
    ResearchTask.objects.filter(pk=topic.pk).update(stage=Stage.APPROVED)
    topic.refresh_from_db()
    refused(
        lambda: services.task_update(actor=people.researcher, instance=topic, data={"end_on": dt.date(2026, 6, 30)}),
        field="end_on",
        match="adjustment decision",
    )
    refused(lambda: services.task_update(actor=people.researcher, instance=topic, data={}, budget=BUDGET))
    task = services.task_update(actor=people.researcher, instance=topic, data={"title": "Tên mới", "end_on": END})
    assert task.title == "Tên mới"


def test_only_a_proposal_is_deleted(topic, people):
    ResearchTask.objects.filter(pk=topic.pk).update(stage=Stage.CONTRACTED)
    topic.refresh_from_db()
    refused(lambda: services.task_delete(actor=people.researcher, instance=topic), match="Only a proposal")
    ResearchTask.objects.filter(pk=topic.pk).update(stage=Stage.PROPOSED)
    topic.refresh_from_db()
    services.task_delete(actor=people.researcher, instance=topic)
    assert not ResearchTask.objects.filter(pk=topic.pk).exists()
    assert not BudgetLine.objects.filter(task_id=topic.pk).exists()


def test_disbursements_never_exceed_the_plan(topic, people):
    line = services.disbursement_record(
        actor=people.officer, task=topic, source="ministry", year=2024, disbursed=Decimal("1500000000")
    )
    assert line.disbursed == Decimal("1500000000")
    refused(
        lambda: services.disbursement_record(
            actor=people.officer, task=topic, source="ministry", year=2024, disbursed=Decimal("2000000001")
        ),
        field="disbursed",
    )
    refused(
        lambda: services.disbursement_record(actor=people.officer, task=topic, source="other", year=2024, disbursed=1),
        field="source",
    )
    with pytest.raises(PermissionDenied):  # the host does not record the managing body's disbursements
        services.disbursement_record(actor=people.researcher, task=topic, source="ministry", year=2024, disbursed=1)


# --- roadmap -----------------------------------------------------------------------------------------


def test_a_milestone_after_the_task_end_is_refused(topic, people):
    refused(
        lambda: services.milestone_create(
            actor=people.researcher,
            task=topic,
            data={"content": "Nghiệm thu", "expected_output": "Báo cáo", "due_on": END + dt.timedelta(days=1)},
        ),
        field="due_on",
    )
    refused(
        lambda: services.milestone_create(
            actor=people.researcher,
            task=topic,
            data={"content": "Sớm", "expected_output": "Báo cáo", "due_on": START - dt.timedelta(days=1)},
        ),
        field="due_on",
    )
    refused(
        lambda: services.milestone_create(
            actor=people.researcher,
            task=topic,
            data={"number": 1, "content": "Trùng", "expected_output": "Báo cáo", "due_on": START},
        ),
        field="number",
    )
    # moving the end before a milestone is refused too
    refused(
        lambda: services.task_update(actor=people.researcher, instance=topic, data={"end_on": dt.date(2025, 6, 30)}),
        field="end_on",
    )


def test_milestone_reports_only_in_progress_and_never_backwards(topic, people):
    first = topic.milestones.get(number=1)
    report = {"reported_on": dt.date(2024, 5, 1), "percent": 50, "narrative": "Đang làm"}
    refused(
        lambda: services.milestone_report(actor=people.researcher, milestone=first, data=report),
        match="while the task is in progress",
    )
    ResearchTask.objects.filter(pk=topic.pk).update(stage=Stage.IN_PROGRESS)
    services.milestone_report(actor=people.researcher, milestone=first, data=report)
    refused(
        lambda: services.milestone_report(actor=people.researcher, milestone=first, data={**report, "percent": 40}),
        field="percent",
    )
    refused(
        lambda: services.milestone_report(actor=people.researcher, milestone=first, data={**report, "percent": 100}),
        field="output_delivered",
    )
    with pytest.raises(PermissionDenied):
        services.milestone_report(actor=people.officer, milestone=first, data={**report, "percent": 60})
    refused(lambda: services.milestone_delete(actor=people.researcher, instance=first), match="has reports")


def test_the_daily_pass_turns_a_task_late(topic, people):
    ResearchTask.objects.filter(pk=topic.pk).update(stage=Stage.IN_PROGRESS)
    assert services.refresh_open_tasks(today=dt.date(2024, 6, 1)) == 1
    topic.refresh_from_db()
    assert topic.schedule == Schedule.ON_TIME
    out = StringIO()
    call_command("cnan", "daily", "--now", "--date", "2024-07-02", stdout=out)
    assert "research.tasks.daily_schedule" in out.getvalue()
    topic.refresh_from_db()
    assert topic.schedule == Schedule.LATE


# --- IP filings --------------------------------------------------------------------------------------


def filing_data(world, **extra):
    return {
        "owner": world.institute,
        "kind": IPFiling.Kind.INVENTION,
        "title": "Thiết bị giám sát tín hiệu vô tuyến",
        "filed_on": dt.date(2024, 9, 1),
        **extra,
    }


def test_a_foreign_filing_waits_for_the_security_control(world, people):
    refused(
        lambda: services.filing_create(actor=people.researcher, data=filing_data(world, country="US")),
        field="country",
        match="security control",
    )
    refused(
        lambda: services.filing_create(
            actor=people.researcher,
            data=filing_data(world, country="US", security_control_decision="12/QĐ-SHTT"),
        ),
        field="security_control_on",
    )
    refused(
        lambda: services.filing_create(
            actor=people.researcher,
            data=filing_data(
                world, country="US", security_control_decision="12/QĐ-SHTT", security_control_on=dt.date(2024, 10, 1)
            ),
        ),
        field="filed_on",
    )
    filing = services.filing_create(
        actor=people.researcher,
        data=filing_data(
            world, country="US", security_control_decision="12/QĐ-SHTT", security_control_on=dt.date(2024, 8, 1)
        ),
    )
    assert filing.foreign and filing.control_recorded
    # an invention that needs no control (not a defence or security one) may be filed abroad directly
    civil = services.filing_create(
        actor=people.researcher, data=filing_data(world, country="JP", security_control_required=False)
    )
    assert civil.status == FilingStatus.FILED
    # removing the control from a foreign filing is refused as well
    refused(
        lambda: services.filing_update(
            actor=people.researcher,
            instance=filing,
            data={"security_control_decision": "", "security_control_on": None},
        ),
        field="country",
    )


def test_a_filing_moves_through_its_statuses_in_order(world, people):
    filing = services.filing_create(actor=people.researcher, data=filing_data(world))
    refused(
        lambda: services.filing_advance(
            actor=people.researcher,
            instance=filing,
            status=FilingStatus.GRANTED,
            on=dt.date(2024, 10, 1),
            grant_number="1-0001",
        ),
        field="status",
    )
    for status, on in [
        (FilingStatus.FORMALITY, dt.date(2024, 10, 1)),
        (FilingStatus.PUBLISHED, dt.date(2025, 3, 1)),
        (FilingStatus.SUBSTANTIVE, dt.date(2025, 6, 1)),
    ]:
        filing = services.filing_advance(actor=people.researcher, instance=filing, status=status, on=on)
    refused(
        lambda: services.filing_advance(
            actor=people.researcher,
            instance=filing,
            status=FilingStatus.GRANTED,
            on=dt.date(2025, 5, 1),
            grant_number="1-0001",
        ),
        field="on",
    )
    refused(
        lambda: services.filing_advance(
            actor=people.researcher, instance=filing, status=FilingStatus.GRANTED, on=dt.date(2025, 12, 1)
        ),
        field="grant_number",
    )
    filing = services.filing_advance(
        actor=people.researcher,
        instance=filing,
        status=FilingStatus.GRANTED,
        on=dt.date(2025, 12, 1),
        grant_number="1-0042",
    )
    assert (filing.status, filing.status_on, filing.grant_number) == (
        FilingStatus.GRANTED,
        dt.date(2025, 12, 1),
        "1-0042",
    )
    refused(
        lambda: services.filing_advance(
            actor=people.researcher, instance=filing, status=FilingStatus.WITHDRAWN, on=dt.date(2026, 1, 1)
        ),
        field="status",
    )
    software = services.filing_create(
        actor=people.researcher, data=filing_data(world, kind=IPFiling.Kind.SOFTWARE, title="Phần mềm phân tích")
    )
    software = services.filing_advance(
        actor=people.researcher, instance=software, status=FilingStatus.FORMALITY, on=dt.date(2024, 9, 15)
    )
    software = services.filing_advance(
        actor=people.researcher,
        instance=software,
        status=FilingStatus.GRANTED,
        on=dt.date(2024, 11, 1),
        grant_number="PM-77",
    )
    assert software.status == FilingStatus.GRANTED


# --- transfers and cooperation ----------------------------------------------------------------------


def transfer_data(world, **extra):
    return {
        "organization": world.ent_a,
        "direction": TechTransfer.Direction.INBOUND,
        "partner": "Kestrel GmbH",
        "partner_country": "DE",
        "technology": "Công nghệ chế tạo vật liệu chống đạn",
        "value": Decimal("12000000000"),
        "signed_on": dt.date(2024, 4, 1),
        **extra,
    }


def test_a_transfer_is_completed_only_once_approved(world, make_user):
    eo_a = make_user("enterprise_officer", world.ent_a)
    transfer = services.transfer_create(actor=eo_a, data=transfer_data(world))
    assert transfer.approval_required
    completed = {"status": TechTransfer.Status.COMPLETED, "completed_on": dt.date(2025, 1, 10)}
    refused(lambda: services.transfer_update(actor=eo_a, instance=transfer, data=completed), field="status")
    refused(
        lambda: services.transfer_update(
            actor=eo_a,
            instance=transfer,
            data={
                **completed,
                "completed_on": dt.date(2024, 1, 1),
                "approval_decision": "5/QĐ-BCA",
                "approved_on": dt.date(2024, 3, 1),
            },
        ),
        field="completed_on",
    )
    transfer = services.transfer_update(
        actor=eo_a,
        instance=transfer,
        data={**completed, "approval_decision": "5/QĐ-BCA", "approved_on": dt.date(2024, 3, 1)},
    )
    assert transfer.status == TechTransfer.Status.COMPLETED
    # a transfer between domestic partners into the industry needs no approval
    domestic = services.transfer_create(
        actor=eo_a, data=transfer_data(world, partner="Viện Vật liệu", partner_country="VN", **completed)
    )
    assert not domestic.approval_required and domestic.status == TechTransfer.Status.COMPLETED
    # an outbound one does, even to a domestic partner
    refused(
        lambda: services.transfer_create(
            actor=eo_a,
            data=transfer_data(world, direction="outbound", partner_country="VN", partner="Công ty X", **completed),
        ),
        field="status",
    )


def test_an_international_cooperation_comes_into_force_once_approved(world, make_user):
    eo_a = make_user("enterprise_officer", world.ent_a)
    data = {
        "organization": world.ent_a,
        "form": Cooperation.Form.AGREEMENT,
        "partner": "Korea Institute of Industrial Technology",
        "country": "KR",
        "field": "Vật liệu tiên tiến",
        "start_on": dt.date(2024, 5, 1),
        "end_on": dt.date(2027, 5, 1),
        "status": Cooperation.Status.ACTIVE,
    }
    refused(lambda: services.cooperation_create(actor=eo_a, data=data), field="status")
    refused(
        lambda: services.cooperation_create(actor=eo_a, data={**data, "end_on": dt.date(2024, 1, 1)}), field="end_on"
    )
    coop = services.cooperation_create(
        actor=eo_a, data={**data, "approval_decision": "88/QĐ-BCA", "approved_on": dt.date(2024, 4, 20)}
    )
    assert coop.international and coop.status == Cooperation.Status.ACTIVE


# --- research groups and outputs ------------------------------------------------------------------------


def test_a_group_lists_only_tasks_its_unit_may_see(world, people, topic, make_user):
    school = make_user("research_officer", world.ent_b)
    refused(
        lambda: services.group_create(
            actor=school,
            data={"organization": world.ent_b, "name": "Nhóm A", "lead": "TS. A", "field": "Điện tử", "tasks": [topic]},
        ),
        field="tasks",
    )
    group = services.group_create(
        actor=people.researcher,
        data={"organization": world.institute, "name": "Nhóm B", "lead": "TS. B", "field": "Điện tử", "tasks": [topic]},
    )
    assert list(group.tasks.all()) == [topic]


def test_an_output_links_only_a_product_its_author_may_see(world, people, topic):
    from cnan.catalogue import services as catalogue

    product = catalogue.product_create(
        actor=None,
        data={
            "code": "SP-ENT-B",
            "name": "Sản phẩm của ENT-B",
            "product_class": "equipment",
            "organization": world.ent_b,
        },
    )
    refused(
        lambda: services.output_create(
            actor=people.researcher, task=topic, data={"kind": "product", "title": "X", "product": product}
        ),
        field="product",
    )
    output = services.output_create(
        actor=None, task=topic, data={"kind": "product", "title": "Thiết bị", "product": product, "in_production": True}
    )
    assert output.product == product and list(product.research_outputs.all()) == [output]
