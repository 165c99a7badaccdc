"""The demo science and technology: built by `manage.py cnan demo` through the services, with the 22 key
tasks of the Institute in every stage, a programme, budgets, outputs, filings, transfers, cooperation and
groups."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db.models import F, Sum

import pytest

from cnan.core.models import ObjectChange
from cnan.research.models import (
    BudgetLine,
    Cooperation,
    FilingStatus,
    GateEvent,
    IPFiling,
    Kind,
    Milestone,
    MilestoneReport,
    Output,
    ResearchGroup,
    ResearchTask,
    Schedule,
    Stage,
    TechTransfer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """The demo world, built once for the module's tests and rolled back after them."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("cnan", "demo", stdout=output)
        try:
            yield output.getvalue()
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def built(_built):
    return _built


def test_the_demo_builds_the_institutes_key_tasks_in_every_stage(built):
    assert "… research" in built
    programme = ResearchTask.objects.get(kind=Kind.PROGRAMME)
    tasks = ResearchTask.objects.exclude(kind=Kind.PROGRAMME)
    assert tasks.count() == 22
    assert set(tasks.values_list("host__code", flat=True)) <= {"VKHCN", "TTKD"}
    assert set(tasks.values_list("stage", flat=True)) == set(Stage.values)
    assert programme.stage == Stage.IN_PROGRESS and programme.key_programme and programme.host.code == "VKHCN"
    members = tasks.filter(programme=programme)
    assert members.count() == 7 and all(t.key_programme for t in members)
    assert set(tasks.values_list("level", flat=True)) >= {"national", "ministry", "base"}
    # some under way late, some on time; one failed for fault, one with the risk accepted
    under_way = tasks.filter(stage=Stage.IN_PROGRESS)
    assert under_way.filter(schedule=Schedule.LATE).count() >= 2
    assert under_way.filter(schedule=Schedule.ON_TIME).count() >= 2
    assert tasks.filter(stage=Stage.FAILED_RISK).count() == 1 and tasks.filter(stage=Stage.FAILED).count() == 1
    risk = GateEvent.objects.get(transition="accept_fail_risk")
    assert "rủi ro khách quan" in risk.comment and risk.minutes
    # a task extended by an adjustment decision
    assert tasks.filter(current_end_on__isnull=False).exists()


def test_gates_are_passed_by_the_right_personas_with_their_records(built):
    events = GateEvent.objects.exclude(transition="propose").select_related("actor")
    managing = {"review", "reject", "approve", "contract", "adjust", "pause", "terminate", "liquidate"}
    host = {"start", "base_accept", "register", "apply"}
    for event in events:
        if event.transition in managing or event.transition.startswith("accept"):
            assert event.actor.username == "canbo.h08", event
        elif event.transition in host:
            assert event.actor.username == "nghiencuu", event
        assert event.decided_on is not None
    reviews = events.filter(transition="review")
    assert reviews.count() >= 18 and all(e.minutes and e.council for e in reviews)
    assert reviews.first().minutes.open("rb").read(5) == b"%PDF-"
    # every write went through the audited services
    created = ObjectChange.objects.filter(content_type__model="researchtask", action="create")
    assert created.count() == ResearchTask.objects.count() == 23


def test_milestones_reports_and_budgets(built):
    assert MilestoneReport.objects.count() >= 40
    late_done = Milestone.objects.filter(done_on__gt=F("due_on"))
    assert late_done.count() >= 3
    for task in ResearchTask.objects.exclude(kind=Kind.PROGRAMME):
        planned = task.budget.aggregate(s=Sum("planned"))["s"]
        assert planned == task.budget_total, task.code
    lines = BudgetLine.objects.all()
    assert {line.source for line in lines} >= {"state_st", "ministry", "unit", "enterprise", "cnan_fund"}
    assert lines.filter(disbursed=F("planned"), disbursed__gt=0).exists()
    assert lines.filter(disbursed__lt=F("planned"), disbursed__gt=0).exists()  # partly disbursed
    assert ObjectChange.objects.filter(content_type__model="budgetline", action="update").count() == (
        lines.filter(disbursed__gt=0).count()
    )


def test_outputs_filings_transfers_cooperation_and_groups(built):
    assert Output.objects.filter(product__isnull=False).count() >= 4
    assert Output.objects.filter(in_production=True).count() >= 3
    assert set(IPFiling.objects.values_list("status", flat=True)) == set(FilingStatus.values)
    foreign = IPFiling.objects.exclude(country="VN").get()
    assert foreign.security_control_required and foreign.control_recorded
    assert foreign.security_control_on <= foreign.filed_on
    kestrel = TechTransfer.objects.get(partner__startswith="Kestrel")
    assert kestrel.status == TechTransfer.Status.COMPLETED and kestrel.approval_required and kestrel.approval_recorded
    pending = TechTransfer.objects.get(partner__startswith="Hanbit")
    assert pending.approval_required and not pending.approval_recorded
    assert pending.status != TechTransfer.Status.COMPLETED
    countries = set(Cooperation.objects.values_list("country", flat=True))
    assert "VN" in countries and countries - {"VN"}
    assert Cooperation.objects.filter(status=Cooperation.Status.ACTIVE).exclude(country="VN").get().approval_recorded
    assert set(ResearchGroup.objects.values_list("organization__code", flat=True)) == {"HVAN", "DHKTHC"}
    assert all(g.tasks.exists() and g.product_groups.exists() for g in ResearchGroup.objects.all())
