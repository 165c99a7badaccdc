"""The lifecycle of an S&T task (DOMAIN.md §2.5): every gate, allowed and refused, by role; the decision
data each gate needs; no skipping; the risk-accepted failure distinct from a failure for fault."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import pytest

from cnan.core.models import ObjectChange
from cnan.core.testing import database_state
from cnan.research import services
from cnan.research.models import GateEvent, Grade, Outcome, ResearchTask, Schedule, Stage
from cnan.research.services import TASK_WORKFLOW

from .conftest import minutes, task_data

D = dt.date(2024, 3, 1)
COUNCIL = "PGS.TS. Chủ tịch hội đồng\nTS. Phản biện 1\nTS. Phản biện 2"

# gate → (who passes it, what it needs)
OWNERS = {
    "review": "officer",
    "reject": "officer",
    "approve": "officer",
    "contract": "officer",
    "start": "researcher",
    "adjust": "officer",
    "pause": "officer",
    "resume": "officer",
    "terminate": "officer",
    "base_accept": "researcher",
    "accept_pass": "officer",
    "accept_fail": "officer",
    "accept_fail_risk": "officer",
    "liquidate": "officer",
    "register": "researcher",
    "apply": "researcher",
}


def full(gate: str) -> dict:
    """Everything a gate may ask for."""
    data = {
        "decision_number": f"{gate}/QĐ-BCA",
        "decided_on": D,
        "council": COUNCIL,
        "minutes": minutes(),
        "comment": "Đúng quy trình, không có sai phạm",
    }
    if gate == "accept_pass":
        data["grade"] = Grade.GOOD
    return data


def pass_gate(task, people, gate, **overrides):
    actor = getattr(people, OWNERS[gate])
    return services.gate_pass(actor=actor, task=task, gate=gate, **{**full(gate), **overrides})


def finish_roadmap(task, people):
    for m in task.milestones.all():
        services.milestone_report(
            actor=people.researcher,
            milestone=m,
            data={"reported_on": m.due_on, "percent": 100, "narrative": "Xong", "output_delivered": m.expected_output},
        )


def drive(task, people, path):
    for gate in path:
        if gate == "base_accept":
            finish_roadmap(task, people)
        task = pass_gate(task, people, gate)
    return task


def test_the_whole_lifecycle_in_order_records_each_gate(topic, people):
    path = [
        "review",
        "approve",
        "contract",
        "start",
        "adjust",
        "pause",
        "resume",
        "base_accept",
        "accept_pass",
        "liquidate",
        "register",
        "apply",
    ]
    task = drive(topic, people, path)
    assert task.stage == Stage.APPLIED and task.outcome == Outcome.PASSED and task.grade == Grade.GOOD
    events = list(GateEvent.objects.filter(task=topic).order_by("time", "id"))
    assert [e.transition for e in events] == ["propose", *path]
    review = events[1]
    assert (review.from_state, review.to_state) == (Stage.PROPOSED, Stage.REVIEWED)
    assert review.decision_number == "review/QĐ-BCA" and review.decided_on == D
    assert review.council.splitlines()[0] == "PGS.TS. Chủ tịch hội đồng" and review.minutes.name.endswith(".pdf")
    assert review.actor == people.officer and events[4].actor == people.researcher
    # each gate is an audited change of the stage
    stages = ObjectChange.objects.filter(object_id=topic.pk, action=ObjectChange.Action.UPDATE)
    assert stages.filter(after__stage=Stage.APPLIED).exists()


def test_an_adjustment_moves_the_end_and_only_it_does(topic, people):
    task = drive(topic, people, ["review", "approve", "contract", "start"])
    with pytest.raises(ValidationError, match="Only an adjustment"):
        pass_gate(task, people, "pause", new_end_on=dt.date(2026, 6, 30))
    task = pass_gate(task, people, "adjust", new_end_on=dt.date(2026, 6, 30))
    assert task.current_end_on == dt.date(2026, 6, 30) and task.end == dt.date(2026, 6, 30)
    with pytest.raises(ValidationError, match="before the start"):
        pass_gate(task, people, "adjust", new_end_on=dt.date(2023, 1, 1))


STAGES_BEFORE = {
    Stage.PROPOSED: [],
    Stage.REVIEWED: ["review"],
    Stage.REJECTED: ["reject"],
    Stage.APPROVED: ["review", "approve"],
    Stage.CONTRACTED: ["review", "approve", "contract"],
    Stage.IN_PROGRESS: ["review", "approve", "contract", "start"],
    Stage.PAUSED: ["review", "approve", "contract", "start", "pause"],
    Stage.TERMINATED: ["review", "approve", "contract", "terminate"],
    Stage.BASE_ACCEPTED: ["review", "approve", "contract", "start", "base_accept"],
    Stage.PASSED: ["review", "approve", "contract", "start", "base_accept", "accept_pass"],
    Stage.FAILED: ["review", "approve", "contract", "start", "base_accept", "accept_fail"],
    Stage.FAILED_RISK: ["review", "approve", "contract", "start", "base_accept", "accept_fail_risk"],
    Stage.LIQUIDATED: ["review", "approve", "contract", "start", "base_accept", "accept_pass", "liquidate"],
    Stage.REGISTERED: ["review", "approve", "contract", "start", "base_accept", "accept_pass", "liquidate", "register"],
    Stage.APPLIED: [
        "review",
        "approve",
        "contract",
        "start",
        "base_accept",
        "accept_pass",
        "liquidate",
        "register",
        "apply",
    ],
}


def test_every_stage_is_reachable_by_the_table():
    assert set(STAGES_BEFORE) == set(Stage.values)


@pytest.mark.parametrize("gate", sorted(OWNERS))
def test_no_gate_is_passed_from_a_stage_it_does_not_leave(topic, people, gate):
    """From every stage outside the gate's sources the gate is refused, by its owner, with full data, and
    nothing is written; from each of its sources it passes."""
    transition = TASK_WORKFLOW.get(gate)
    for stage in STAGES_BEFORE:
        if stage in transition.sources:
            continue
        task = ResearchTask.objects.get(pk=topic.pk)
        ResearchTask.objects.filter(pk=task.pk).update(stage=stage)
        task.refresh_from_db()
        before = database_state(("research", "core"))
        with pytest.raises(ValidationError, match="is not possible while"):
            pass_gate(task, people, gate)
        assert database_state(("research", "core")) == before, (gate, stage)
    source = transition.sources[0]
    task = ResearchTask.objects.get(pk=topic.pk)
    ResearchTask.objects.filter(pk=task.pk).update(stage=source, outcome=Outcome.PASSED)
    task.refresh_from_db()
    if gate == "base_accept":
        ResearchTask.objects.filter(pk=task.pk).update(stage=Stage.IN_PROGRESS)
        finish_roadmap(task, people)
        task.refresh_from_db()
    assert pass_gate(task, people, gate).stage == transition.target


@pytest.mark.parametrize("gate", sorted(OWNERS))
def test_only_the_role_that_owns_a_gate_passes_it(topic, people, gate):
    transition = TASK_WORKFLOW.get(gate)
    ResearchTask.objects.filter(pk=topic.pk).update(stage=transition.sources[0], outcome=Outcome.PASSED)
    topic.refresh_from_db()
    if gate == "base_accept":
        ResearchTask.objects.filter(pk=topic.pk).update(stage=Stage.IN_PROGRESS)
        finish_roadmap(topic, people)
        topic.refresh_from_db()
    owner = OWNERS[gate]
    others = {"officer", "researcher", "outsider", "auditor"} - {owner}
    before = database_state(("research", "core"))
    for who in sorted(others):
        with pytest.raises(PermissionDenied):
            services.gate_pass(actor=getattr(people, who), task=topic, gate=gate, **full(gate))
        assert database_state(("research", "core")) == before, (gate, who)
    assert services.gate_pass(actor=getattr(people, owner), task=topic, gate=gate, **full(gate)).stage == (
        transition.target
    )


@pytest.mark.parametrize(
    ("gate", "missing", "field"),
    [
        ("review", "decision_number", "decision_number"),
        ("review", "council", "council"),
        ("review", "minutes", "minutes"),
        ("review", "decided_on", "decided_on"),
        ("approve", "decision_number", "decision_number"),
        ("approve", "decided_on", "decided_on"),
        ("reject", "comment", "comment"),
        ("accept_fail_risk", "comment", "comment"),
        ("accept_fail", "council", "council"),
        ("accept_pass", "minutes", "minutes"),
        ("accept_pass", "grade", "grade"),
    ],
)
def test_a_gate_without_its_decision_data_is_refused_and_writes_nothing(topic, people, gate, missing, field):
    source = TASK_WORKFLOW.get(gate).sources[0]
    ResearchTask.objects.filter(pk=topic.pk).update(stage=source)
    topic.refresh_from_db()
    data = full(gate)
    data[missing] = None if missing in ("decided_on", "minutes") else ""
    before = database_state(("research", "core"))
    with pytest.raises(ValidationError) as refused:
        services.gate_pass(actor=getattr(people, OWNERS[gate]), task=topic, gate=gate, **data)
    assert field in refused.value.message_dict
    assert database_state(("research", "core")) == before


def test_the_risk_accepted_failure_is_distinct_from_a_failure_for_fault(topic, people):
    path = ["review", "approve", "contract", "start", "base_accept"]
    task = drive(topic, people, path)
    risk = pass_gate(task, people, "accept_fail_risk", comment="Đã tuân thủ quy trình; rủi ro khách quan")
    assert risk.stage == Stage.FAILED_RISK and risk.outcome == Outcome.FAILED_RISK and risk.grade == ""
    event = risk.events.get(transition="accept_fail_risk")
    assert "rủi ro khách quan" in event.comment
    # a failed task is liquidated and its results registered, but not applied
    task = drive(risk, people, ["liquidate", "register"])
    with pytest.raises(ValidationError, match="passed its official acceptance"):
        pass_gate(task, people, "apply")


def test_grades_belong_to_the_levels_that_grade(world, people, topic):
    task = drive(topic, people, ["review", "approve", "contract", "start", "base_accept"])
    with pytest.raises(ValidationError, match="Only a passed"):
        pass_gate(task, people, "accept_fail", grade=Grade.PASS)
    base = services.task_create(
        actor=people.researcher,
        data=task_data(world, code="CS-2024-07", level="base", formation="base_task", budget_total=0),
    )
    ResearchTask.objects.filter(pk=base.pk).update(stage=Stage.BASE_ACCEPTED)
    base.refresh_from_db()
    with pytest.raises(ValidationError, match="not graded"):
        pass_gate(base, people, "accept_pass", grade=Grade.EXCELLENT)
    assert pass_gate(base, people, "accept_pass", grade="").outcome == Outcome.PASSED


def test_base_acceptance_waits_for_the_whole_roadmap_and_the_start_for_one(world, people, topic):
    task = drive(topic, people, ["review", "approve", "contract", "start"])
    with pytest.raises(ValidationError, match="Milestone 1 is not done"):
        pass_gate(task, people, "base_accept")
    empty = services.task_create(
        actor=people.researcher,
        data=task_data(world, code="ĐT-2", budget_total=0),
    )
    empty = drive(empty, people, ["review", "approve", "contract"])
    with pytest.raises(ValidationError, match="roadmap"):
        pass_gate(empty, people, "start")


def test_a_future_decision_date_is_refused(topic, people):
    with pytest.raises(ValidationError, match="future"):
        pass_gate(topic, people, "review", decided_on=timezone.localdate() + dt.timedelta(days=3))


def test_an_unknown_gate_is_refused(topic, people):
    with pytest.raises(ValidationError, match="Unknown action"):
        services.gate_pass(actor=people.officer, task=topic, gate="skip_to_the_end")


def test_the_schedule_follows_the_dates_and_milestones(topic, people):
    task = drive(topic, people, ["review", "approve", "contract", "start"])
    first, second = task.milestones.order_by("number")
    assert services.refresh(task, today=dt.date(2024, 6, 30)) == Schedule.ON_TIME  # the due day is on time
    assert services.refresh(task, today=dt.date(2024, 7, 1)) == Schedule.LATE  # milestone 1 not done
    services.milestone_report(
        actor=people.researcher,
        milestone=first,
        data={"reported_on": dt.date(2024, 7, 10), "percent": 100, "narrative": "Xong", "output_delivered": "Hồ sơ"},
    )
    first.refresh_from_db()
    assert first.done_on == dt.date(2024, 7, 10) and first.is_late()  # done late: flagged on the milestone
    assert services.refresh(task, today=dt.date(2024, 7, 11)) == Schedule.ON_TIME  # no longer holds the task
    assert services.refresh(task, today=dt.date(2025, 10, 1)) == Schedule.LATE  # milestone 2 due
    assert services.refresh(task, today=dt.date(2026, 1, 1)) == Schedule.LATE  # past the end
    task = pass_gate(task, people, "pause")
    assert services.refresh(task, today=dt.date(2026, 1, 1)) == Schedule.NOT_APPLICABLE
