"""Writes on science, technology and innovation. Each service checks the permission on the side it acts
for (the host for a task's content and its host gates, the managing body for its other gates), validates,
saves and audits (through core) in one transaction; nothing is written when it refuses.

A task's stage moves only through ``TASK_WORKFLOW`` (``core.workflow``): each gate names the permission
that owns it, the stages it leaves from (so no gate is skipped) and what its event must record (decision
number and date, council, minutes). Its schedule (on time / late) is derived by ``research.rules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.catalogue.models import Product
from cnan.core.permissions import has_perm, require
from cnan.core.services import object_create, object_delete, object_update
from cnan.core.workflow import Transition, Workflow

from . import rules
from .models import (
    OPEN_STAGES,
    BudgetLine,
    Cooperation,
    FilingStatus,
    GateEvent,
    IPFiling,
    Kind,
    Milestone,
    MilestoneReport,
    Outcome,
    Output,
    ResearchGroup,
    ResearchTask,
    Stage,
    TechTransfer,
)

CLASSIFICATION_FIELDS = ("classification", "protected_until", "classification_basis")
TASK_FIELDS = (
    "code",
    "title",
    "level",
    "kind",
    "formation",
    "selection",
    "host",
    "principal_investigator",
    "team",
    "programme",
    "key_programme",
    "summary",
    "start_on",
    "end_on",
    "budget_total",
    "lump_sum",
    *CLASSIFICATION_FIELDS,
)
# Once a task is approved these change only through a gate (an adjustment decision moves the end).
APPROVED_FIELDS = ("code", "level", "kind", "formation", "selection", "host", "start_on", "end_on", "budget_total")
EDITABLE_STAGES = (Stage.PROPOSED, Stage.REVIEWED)
MILESTONE_FIELDS = ("number", "content", "expected_output", "due_on")
REPORT_FIELDS = ("reported_on", "percent", "narrative", "output_delivered")
OUTPUT_FIELDS = ("kind", "title", "description", "product", "in_production", "delivered_on", *CLASSIFICATION_FIELDS)
FILING_FIELDS = (
    "owner",
    "task",
    "output",
    "kind",
    "title",
    "inventors",
    "country",
    "application_number",
    "filed_on",
    "security_control_required",
    "security_control_decision",
    "security_control_on",
    *CLASSIFICATION_FIELDS,
)
TRANSFER_FIELDS = (
    "organization",
    "direction",
    "partner",
    "partner_country",
    "technology",
    "task",
    "product",
    "value",
    "contract_number",
    "signed_on",
    "approval_decision",
    "approved_on",
    "status",
    "completed_on",
    "notes",
    *CLASSIFICATION_FIELDS,
)
COOPERATION_FIELDS = (
    "organization",
    "form",
    "partner",
    "country",
    "field",
    "start_on",
    "end_on",
    "activities",
    "approval_decision",
    "approved_on",
    "status",
    *CLASSIFICATION_FIELDS,
)
GROUP_FIELDS = (
    "organization",
    "name",
    "lead",
    "members",
    "field",
    "product_groups",
    "tasks",
    "formed_on",
    *CLASSIFICATION_FIELDS,
)


def _pick(data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {name: data[name] for name in fields if name in data}


def _split_m2m(data: dict[str, Any], names: Iterable[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    m2m = {n: data.pop(n) for n in list(names) if n in data}
    return data, m2m


def _at(actor: Any, perm: str, organization: Any) -> None:
    """The permission with a scope covering ``organization`` (the side a write acts for)."""
    require(actor, perm, organization)


# --- tasks -----------------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    return getattr(value, "pk", value)


def _check_budget(total: Decimal, lines: list[Mapping[str, Any]]) -> None:
    if not lines:
        return
    seen: set[tuple[str, int]] = set()
    for line in lines:
        key = (line["source"], int(line["year"]))
        if key in seen:
            raise ValidationError({"budget": _("Each source appears once per year.")})
        seen.add(key)
        if Decimal(line.get("disbursed") or 0) > Decimal(line["planned"]):
            raise ValidationError(
                {
                    "budget": _("More is disbursed than planned from %(source)s in %(year)s.")
                    % {
                        "source": BudgetLine(source=line["source"]).get_source_display(),
                        "year": line["year"],
                    }
                }
            )
    planned = sum((Decimal(line["planned"]) for line in lines), Decimal(0))
    if planned != Decimal(total):
        raise ValidationError(
            {
                "budget_total": _("The total budget (%(total)s) does not match the sum of its sources (%(sum)s).")
                % {"total": f"{Decimal(total):,.0f}".replace(",", "."), "sum": f"{planned:,.0f}".replace(",", ".")}
            }
        )


def _check_years(task: ResearchTask, lines: list[Mapping[str, Any]]) -> None:
    for line in lines:
        if not task.start_on.year <= int(line["year"]) <= task.end.year:
            raise ValidationError(
                {
                    "budget": _("The budget year %(year)s is outside the task's years (%(start)s–%(end)s).")
                    % {
                        "year": line["year"],
                        "start": task.start_on.year,
                        "end": task.end.year,
                    }
                }
            )


def _write_budget(actor: Any, task: ResearchTask, lines: list[Mapping[str, Any]], *, perm: str) -> None:
    """Replace the task's budget lines, each removal and addition audited."""
    for old in task.budget.all():
        object_delete(actor=actor, instance=old, perm=perm)
    for line in lines:
        object_create(
            actor=actor,
            instance=BudgetLine(
                task=task,
                source=line["source"],
                year=int(line["year"]),
                planned=Decimal(line["planned"]),
                disbursed=Decimal(line.get("disbursed") or 0),
            ),
            perm=perm,
        )


@transaction.atomic
def task_create(*, actor: Any, data: Mapping[str, Any], budget: list[Mapping[str, Any]] | None = None) -> ResearchTask:
    """Propose an S&T task for its host (the proposal stage), with its budget by source and year."""
    fields = _pick(data, TASK_FIELDS)
    host = fields.get("host")
    if host is not None:
        _at(actor, "research.add_researchtask", host)
    task = ResearchTask(**fields)
    task.proposed_by = actor if getattr(actor, "pk", None) else None
    if task.programme_id and actor is not None and not has_perm(actor, "research.view_researchtask", task.programme):
        raise ValidationError({"programme": _("No such programme, or you may not see it.")})
    lines = list(budget or [])
    _check_budget(task.budget_total, lines)
    task = object_create(actor=actor, instance=task)
    _check_years(task, lines)
    _write_budget(actor, task, lines, perm="research.add_researchtask")
    object_create(
        actor=actor,
        instance=GateEvent(
            task=task,
            transition="propose",
            from_state="",
            to_state=Stage.PROPOSED,
            actor=actor if getattr(actor, "pk", None) else None,
        ),
        perm="research.add_researchtask",
    )
    return task


@transaction.atomic
def task_update(
    *,
    actor: Any,
    instance: ResearchTask,
    data: Mapping[str, Any],
    budget: list[Mapping[str, Any]] | None = None,
) -> ResearchTask:
    """Change a task's content; once approved, its dates, budget and classification by level and type
    change only through a gate (the adjustment decision moves its end). ``budget`` replaces the lines."""
    _at(actor, "research.change_researchtask", instance.host)
    fields = _pick(data, TASK_FIELDS)
    if instance.stage not in EDITABLE_STAGES:
        frozen = [
            name
            for name in APPROVED_FIELDS
            if name in fields and _value(fields[name]) != _value(getattr(instance, name))
        ]
        if frozen or budget is not None:
            raise ValidationError(
                {
                    (frozen[0] if frozen else "budget_total"): _(
                        "The task is approved: its dates, budget, level and type change only by an adjustment decision."
                    )
                }
            )
    if "host" in fields and fields["host"] is not None:
        _at(actor, "research.change_researchtask", fields["host"])
    task, _changed = object_update(actor=actor, instance=instance, data=fields, fields=TASK_FIELDS)
    if budget is not None:
        lines = list(budget)
        _check_budget(task.budget_total, lines)
        _check_years(task, lines)
        _write_budget(actor, task, lines, perm="research.change_researchtask")
    elif "budget_total" in fields and task.budget.exists():
        _check_budget(task.budget_total, list(task.budget.values("source", "year", "planned", "disbursed")))
    late = task.milestones.filter(due_on__gt=task.end).first()
    if late is not None:
        raise ValidationError({"end_on": _("Milestone %(n)s is due after this end.") % {"n": late.number}})
    refresh(task)
    return task


@transaction.atomic
def task_delete(*, actor: Any, instance: ResearchTask) -> None:
    """A proposal (or one not selected) may be withdrawn; a task past approval has a record to keep."""
    _at(actor, "research.delete_researchtask", instance.host)
    if instance.stage not in (Stage.PROPOSED, Stage.REJECTED):
        raise ValidationError(_("Only a proposal, or a task not selected, can be deleted."))
    if instance.tasks.exists():
        raise ValidationError(_("The programme still has tasks."))
    object_delete(actor=actor, instance=instance)  # its budget lines and proposal event go with it


@transaction.atomic
def disbursement_record(*, actor: Any, task: ResearchTask, source: str, year: int, disbursed: Decimal) -> BudgetLine:
    """What has been disbursed so far from one source in one year (no more than planned)."""
    require(actor, "research.manage_researchtask", task)
    line = BudgetLine.objects.select_for_update().filter(task=task, source=source, year=year).first()
    if line is None:
        raise ValidationError({"source": _("The task has no budget from this source in %(year)s.") % {"year": year}})
    if Decimal(disbursed) < 0:
        raise ValidationError({"disbursed": _("Ensure this value is greater than or equal to 0.")})
    if Decimal(disbursed) > line.planned:
        raise ValidationError({"disbursed": _("More is disbursed than planned from this source in this year.")})
    line, _changed = object_update(
        actor=actor,
        instance=line,
        data={"disbursed": Decimal(disbursed)},
        fields=("disbursed",),
        perm="research.manage_researchtask",
    )
    return line


# --- gates -----------------------------------------------------------------------------------------


def _at_host(actor: Any, task: ResearchTask) -> str | None:
    """Host gates are passed at the host (or a unit above it), not by a programme's host."""
    if actor is not None and not has_perm(actor, "research.execute_researchtask", task.host):
        raise PermissionDenied(_("Only the host organisation passes this gate."))
    return None


def _milestones_done(actor: Any, task: ResearchTask) -> str | None:
    open_ = task.milestones.filter(done_on__isnull=True).order_by("due_on", "number").first()
    if open_ is not None:
        return _("Milestone %(n)s is not done: the base acceptance comes after the whole roadmap.") % {
            "n": open_.number
        }
    return None


def _has_milestones(actor: Any, task: ResearchTask) -> str | None:
    if not task.milestones.exists():
        return _("Give the task its roadmap (milestones) before it starts.")
    return None


def _passed(actor: Any, task: ResearchTask) -> str | None:
    if task.outcome != Outcome.PASSED:
        return _("Only the results of a task that passed its official acceptance are applied.")
    return None


def _not_a_programme_with_open_tasks(actor: Any, task: ResearchTask) -> str | None:
    if task.kind == Kind.PROGRAMME:
        open_ = task.tasks.exclude(
            stage__in=(Stage.REJECTED, Stage.TERMINATED, Stage.LIQUIDATED, Stage.REGISTERED, Stage.APPLIED)
        ).first()
        if open_ is not None:
            return _("Task %(code)s of the programme is not closed yet.") % {"code": open_.code}
    return None


MANAGE = "research.manage_researchtask"
EXECUTE = "research.execute_researchtask"
DECIDED = ("decided_on",)
COUNCIL = ("decided_on", "council")
COUNCIL_MINUTES = ("decided_on", "council", "minutes")
T = Transition
TASK_WORKFLOW = Workflow(
    state_field="stage",
    event_model=GateEvent,
    event_fk="task",
    transitions=[
        T(
            "review",
            gettext_lazy("Record the review council"),
            (Stage.PROPOSED,),
            Stage.REVIEWED,
            MANAGE,
            requires_decision=True,
            requires_event=COUNCIL_MINUTES,
        ),
        T(
            "reject",
            gettext_lazy("Not selected"),
            (Stage.PROPOSED, Stage.REVIEWED),
            Stage.REJECTED,
            MANAGE,
            requires_comment=True,
            requires_decision=True,
            requires_event=DECIDED,
        ),
        T(
            "approve",
            gettext_lazy("Record the approval decision"),
            (Stage.REVIEWED,),
            Stage.APPROVED,
            MANAGE,
            requires_decision=True,
            requires_event=DECIDED,
        ),
        T(
            "contract",
            gettext_lazy("Record the signed contract"),
            (Stage.APPROVED,),
            Stage.CONTRACTED,
            MANAGE,
            requires_decision=True,
            requires_event=DECIDED,
        ),
        T(
            "start",
            gettext_lazy("Start the work"),
            (Stage.CONTRACTED,),
            Stage.IN_PROGRESS,
            EXECUTE,
            guards=(_at_host, _has_milestones),
            requires_event=DECIDED,
        ),
        T(
            "adjust",
            gettext_lazy("Extend or adjust"),
            (Stage.IN_PROGRESS,),
            Stage.IN_PROGRESS,
            MANAGE,
            requires_comment=True,
            requires_decision=True,
            requires_event=DECIDED,
        ),
        T(
            "pause",
            gettext_lazy("Pause"),
            (Stage.IN_PROGRESS,),
            Stage.PAUSED,
            MANAGE,
            requires_comment=True,
            requires_decision=True,
            requires_event=DECIDED,
        ),
        T(
            "resume",
            gettext_lazy("Resume"),
            (Stage.PAUSED,),
            Stage.IN_PROGRESS,
            MANAGE,
            requires_decision=True,
            requires_event=DECIDED,
        ),
        T(
            "terminate",
            gettext_lazy("Terminate"),
            (Stage.CONTRACTED, Stage.IN_PROGRESS, Stage.PAUSED),
            Stage.TERMINATED,
            MANAGE,
            requires_comment=True,
            requires_decision=True,
            requires_event=DECIDED,
        ),
        T(
            "base_accept",
            gettext_lazy("Record the base acceptance"),
            (Stage.IN_PROGRESS,),
            Stage.BASE_ACCEPTED,
            EXECUTE,
            guards=(_at_host, _milestones_done, _not_a_programme_with_open_tasks),
            requires_decision=True,
            requires_event=COUNCIL_MINUTES,
        ),
        T(
            "accept_pass",
            gettext_lazy("Official acceptance: passed"),
            (Stage.BASE_ACCEPTED,),
            Stage.PASSED,
            MANAGE,
            requires_decision=True,
            requires_event=COUNCIL_MINUTES,
        ),
        T(
            "accept_fail",
            gettext_lazy("Official acceptance: failed"),
            (Stage.BASE_ACCEPTED,),
            Stage.FAILED,
            MANAGE,
            requires_comment=True,
            requires_decision=True,
            requires_event=COUNCIL_MINUTES,
        ),
        T(
            "accept_fail_risk",
            gettext_lazy("Official acceptance: failed, risk accepted"),
            (Stage.BASE_ACCEPTED,),
            Stage.FAILED_RISK,
            MANAGE,
            requires_comment=True,
            requires_decision=True,
            requires_event=COUNCIL_MINUTES,
        ),
        T(
            "liquidate",
            gettext_lazy("Liquidate the contract"),
            (Stage.PASSED, Stage.FAILED, Stage.FAILED_RISK, Stage.TERMINATED),
            Stage.LIQUIDATED,
            MANAGE,
            requires_decision=True,
            requires_event=DECIDED,
        ),
        T(
            "register",
            gettext_lazy("Register the results"),
            (Stage.LIQUIDATED,),
            Stage.REGISTERED,
            EXECUTE,
            guards=(_at_host,),
            requires_decision=True,
            requires_event=DECIDED,
        ),
        T(
            "apply",
            gettext_lazy("Record the application or transfer"),
            (Stage.REGISTERED,),
            Stage.APPLIED,
            EXECUTE,
            guards=(_at_host, _passed),
            requires_comment=True,
            requires_event=DECIDED,
        ),
    ],
)
OUTCOMES = {"accept_pass": Outcome.PASSED, "accept_fail": Outcome.FAILED, "accept_fail_risk": Outcome.FAILED_RISK}


@transaction.atomic
def gate_pass(
    *,
    actor: Any,
    task: ResearchTask,
    gate: str,
    decision_number: str = "",
    decided_on: dt.date | None = None,
    council: str = "",
    minutes: Any = None,
    comment: str = "",
    grade: str = "",
    new_end_on: dt.date | None = None,
) -> ResearchTask:
    """Pass ``gate`` (a name of ``TASK_WORKFLOW``) with its decision, council and minutes.

    The official acceptance records the outcome: passed (with a grade at the levels that grade), failed,
    or failed with the risk accepted (Law 93/2025 Art. 9: procedures followed, no fraud; the comment is
    that record). An adjustment may move the task's end (``new_end_on``)."""
    TASK_WORKFLOW.get(gate)  # an unknown gate is refused before anything else
    data: dict[str, Any] = {}
    fields: list[str] = []
    if decided_on is not None and decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})
    if gate == "accept_pass":
        if task.graded and not grade:
            raise ValidationError(
                {"grade": _("A %(level)s task is graded: choose the grade.") % {"level": task.get_level_display()}}
            )
        if not task.graded and grade:
            raise ValidationError({"grade": _("Tasks of this level are not graded.")})
        data["grade"] = grade
        fields.append("grade")
    elif grade:
        raise ValidationError({"grade": _("Only a passed official acceptance has a grade.")})
    if gate in OUTCOMES:
        data["outcome"] = OUTCOMES[gate]
        fields.append("outcome")
    if gate == "adjust":
        if new_end_on is not None:
            if new_end_on < task.start_on:
                raise ValidationError({"new_end_on": _("The end cannot be before the start.")})
            programme = task.programme
            if programme is not None and new_end_on > programme.end:
                raise ValidationError(
                    {
                        "new_end_on": _("A task of a programme runs within the programme (until %(end)s).")
                        % {"end": programme.end.strftime("%d/%m/%Y")}
                    }
                )
            data["current_end_on"] = new_end_on
            fields.append("current_end_on")
    elif new_end_on is not None:
        raise ValidationError({"new_end_on": _("Only an adjustment decision moves the end.")})
    updated = TASK_WORKFLOW.apply(
        actor=actor,
        instance=task,
        name=gate,
        comment=comment,
        decision_number=decision_number,
        data=data,
        fields=fields,
        event_data={"decided_on": decided_on, "council": council.strip(), "minutes": minutes or ""},
    )
    refresh(updated)
    return updated


# --- roadmap ---------------------------------------------------------------------------------------


def _check_milestone(task: ResearchTask, milestone: Milestone) -> None:
    if milestone.due_on > task.end:
        raise ValidationError(
            {
                "due_on": _("A milestone is due no later than the task's end (%(date)s).")
                % {"date": task.end.strftime("%d/%m/%Y")}
            }
        )
    if milestone.due_on < task.start_on:
        raise ValidationError(
            {
                "due_on": _("A milestone is due after the task's start (%(date)s).")
                % {"date": task.start_on.strftime("%d/%m/%Y")}
            }
        )


def _roadmap_open(task: ResearchTask) -> None:
    if task.stage not in (*rules.SCHEDULED_STAGES, Stage.PROPOSED, Stage.REVIEWED, Stage.APPROVED, Stage.PAUSED):
        raise ValidationError(_("The task is %(stage)s: its roadmap is closed.") % {"stage": task.get_stage_display()})


@transaction.atomic
def milestone_create(*, actor: Any, task: ResearchTask, data: Mapping[str, Any]) -> Milestone:
    _at(actor, "research.change_researchtask", task.host)
    _roadmap_open(task)
    fields = _pick(data, MILESTONE_FIELDS)
    if "number" not in fields or fields["number"] in (None, ""):
        fields["number"] = (task.milestones.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    milestone = Milestone(task=task, **fields)
    if task.milestones.filter(number=milestone.number).exists():
        raise ValidationError({"number": _("The task already has a milestone %(n)s.") % {"n": milestone.number}})
    _check_milestone(task, milestone)
    milestone = object_create(actor=actor, instance=milestone, perm="research.change_researchtask")
    refresh(task)
    return milestone


@transaction.atomic
def milestone_update(*, actor: Any, instance: Milestone, data: Mapping[str, Any]) -> Milestone:
    task = instance.task
    _at(actor, "research.change_researchtask", task.host)
    _roadmap_open(task)
    fields = _pick(data, MILESTONE_FIELDS)
    if "number" in fields and task.milestones.filter(number=fields["number"]).exclude(pk=instance.pk).exists():
        raise ValidationError({"number": _("The task already has a milestone %(n)s.") % {"n": fields["number"]}})
    milestone, _changed = object_update(
        actor=actor, instance=instance, data=fields, fields=MILESTONE_FIELDS, perm="research.change_researchtask"
    )
    _check_milestone(task, milestone)
    refresh(task)
    return milestone


@transaction.atomic
def milestone_delete(*, actor: Any, instance: Milestone) -> None:
    task = instance.task
    _at(actor, "research.change_researchtask", task.host)
    _roadmap_open(task)
    if instance.reports.exists():
        raise ValidationError(_("Milestone %(n)s has reports: it stays on the roadmap.") % {"n": instance.number})
    object_delete(actor=actor, instance=instance, perm="research.change_researchtask")
    refresh(task)


@transaction.atomic
def milestone_report(*, actor: Any, milestone: Milestone, data: Mapping[str, Any]) -> MilestoneReport:
    """The host reports how far a milestone is; a report of 100 % marks it done on its date."""
    milestone = Milestone.objects.select_for_update().select_related("task", "task__host").get(pk=milestone.pk)
    task = milestone.task
    _at(actor, "research.add_milestonereport", task.host)
    if task.stage != Stage.IN_PROGRESS:
        raise ValidationError(
            _("Progress is reported while the task is in progress (it is %(stage)s).")
            % {"stage": task.get_stage_display()}
        )
    if milestone.done_on is not None:
        raise ValidationError(_("Milestone %(n)s is already done.") % {"n": milestone.number})
    report = MilestoneReport(
        milestone=milestone, actor=actor if getattr(actor, "pk", None) else None, **_pick(data, REPORT_FIELDS)
    )
    if report.reported_on and report.reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("A report cannot be dated in the future.")})
    if report.reported_on and report.reported_on < task.start_on:
        raise ValidationError({"reported_on": _("A report cannot be dated before the task started.")})
    if report.percent is not None and report.percent < milestone.progress:
        raise ValidationError(
            {
                "percent": _("Progress does not go back: the milestone is already at %(p)s %%.")
                % {"p": milestone.progress}
            }
        )
    report = object_create(actor=actor, instance=report)
    data_ = {"progress": report.percent, "done_on": report.reported_on if report.percent == 100 else None}
    Milestone.objects.filter(pk=milestone.pk).update(**data_)
    refresh(task)
    return report


# --- derived state ---------------------------------------------------------------------------------


def refresh(task: ResearchTask, *, today: dt.date | None = None) -> str:
    """Store the task's schedule (on time / late) as of ``today``; derived, so not an audited change."""
    today = today or timezone.localdate()
    milestones = [rules.MilestoneFacts(m.due_on, m.done_on) for m in Milestone.objects.filter(task_id=task.pk)]
    stage, end_on, current = (
        ResearchTask.objects.filter(pk=task.pk).values_list("stage", "end_on", "current_end_on").get()
    )
    value = rules.schedule(stage=stage, end=current or end_on, milestones=milestones, today=today)
    ResearchTask.objects.filter(pk=task.pk).exclude(schedule=value).update(schedule=value)
    task.schedule = value
    return value


def refresh_open_tasks(*, today: dt.date | None = None) -> int:
    """The daily pass: tasks under contract or in progress turn late as their dates pass."""
    today = today or timezone.localdate()
    ids = list(ResearchTask.objects.filter(stage__in=OPEN_STAGES).values_list("pk", flat=True))
    for pk in ids:
        refresh(ResearchTask(pk=pk), today=today)
    return len(ids)


# --- outputs, filings, transfers, cooperation, groups --------------------------------------------------


def _check_product(actor: Any, product: Product | None) -> None:
    if product is not None and actor is not None and not has_perm(actor, "catalogue.view_product", product):
        raise ValidationError({"product": _("No such product, or you may not see it.")})


@transaction.atomic
def output_create(*, actor: Any, task: ResearchTask, data: Mapping[str, Any]) -> Output:
    _at(actor, "research.add_output", task.host)
    fields = _pick(data, OUTPUT_FIELDS)
    _check_product(actor, fields.get("product"))
    return object_create(actor=actor, instance=Output(task=task, **fields))


@transaction.atomic
def output_update(*, actor: Any, instance: Output, data: Mapping[str, Any]) -> Output:
    _at(actor, "research.change_output", instance.task.host)
    fields = _pick(data, OUTPUT_FIELDS)
    if "product" in fields and getattr(fields["product"], "pk", None) != instance.product_id:
        _check_product(actor, fields["product"])
    output, _changed = object_update(actor=actor, instance=instance, data=fields, fields=OUTPUT_FIELDS)
    return output


@transaction.atomic
def output_delete(*, actor: Any, instance: Output) -> None:
    _at(actor, "research.delete_output", instance.task.host)
    object_delete(actor=actor, instance=instance)


def _check_filing(actor: Any, filing: IPFiling) -> None:
    if filing.task_id and actor is not None and not has_perm(actor, "research.view_researchtask", filing.task):
        raise ValidationError({"task": _("No such S&T task, or you may not see it.")})
    output = filing.output
    if output is not None and filing.task_id and output.task_id != filing.task_id:
        raise ValidationError({"output": _("The output is not one of this task's.")})


@transaction.atomic
def filing_create(*, actor: Any, data: Mapping[str, Any]) -> IPFiling:
    """File an application; a foreign filing of a security invention needs its control recorded first."""
    filing = IPFiling(**_pick(data, FILING_FIELDS))
    if filing.owner_id:
        _at(actor, "research.add_ipfiling", filing.owner)
    _check_filing(actor, filing)
    filing.status_on = filing.filed_on
    return object_create(actor=actor, instance=filing)


@transaction.atomic
def filing_update(*, actor: Any, instance: IPFiling, data: Mapping[str, Any]) -> IPFiling:
    _at(actor, "research.change_ipfiling", instance.owner)
    filing, _changed = object_update(
        actor=actor, instance=instance, data=_pick(data, FILING_FIELDS), fields=FILING_FIELDS
    )
    _check_filing(actor, filing)
    return filing


@transaction.atomic
def filing_delete(*, actor: Any, instance: IPFiling) -> None:
    _at(actor, "research.delete_ipfiling", instance.owner)
    object_delete(actor=actor, instance=instance)


FILING_NEXT: dict[str, tuple[str, ...]] = {
    FilingStatus.FILED: (FilingStatus.FORMALITY, FilingStatus.REFUSED, FilingStatus.WITHDRAWN),
    FilingStatus.FORMALITY: (FilingStatus.PUBLISHED, FilingStatus.REFUSED, FilingStatus.WITHDRAWN),
    FilingStatus.PUBLISHED: (FilingStatus.SUBSTANTIVE, FilingStatus.REFUSED, FilingStatus.WITHDRAWN),
    FilingStatus.SUBSTANTIVE: (FilingStatus.GRANTED, FilingStatus.REFUSED, FilingStatus.WITHDRAWN),
}
# Designs and software copyrights have no publication or substantive examination stage to pass.
SHORT_KINDS = (IPFiling.Kind.SOFTWARE,)


@transaction.atomic
def filing_advance(*, actor: Any, instance: IPFiling, status: str, on: dt.date, grant_number: str = "") -> IPFiling:
    """Move a filing to its next status (filed → formality examination → published → substantive
    examination → granted, or refused / withdrawn at any point before); a software copyright is granted
    from its formality examination. Audited like any change."""
    _at(actor, "research.change_ipfiling", instance.owner)
    allowed = FILING_NEXT.get(instance.status, ())
    if instance.kind in SHORT_KINDS and instance.status == FilingStatus.FORMALITY:
        allowed = (*allowed, FilingStatus.GRANTED)
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("A filing that is “%(now)s” cannot become “%(next)s”.")
                % {
                    "now": instance.get_status_display(),
                    "next": FilingStatus(status).label if status in FilingStatus.values else status,
                }
            }
        )
    if on < (instance.status_on or instance.filed_on):
        raise ValidationError({"on": _("The date cannot be before the filing's previous status.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if status == FilingStatus.GRANTED and not grant_number.strip():
        raise ValidationError({"grant_number": _("A grant has its certificate number.")})
    data = {"status": status, "status_on": on, "grant_number": grant_number.strip()}
    filing, _changed = object_update(
        actor=actor,
        instance=instance,
        data=data,
        fields=("status", "status_on", "grant_number"),
        perm="research.change_ipfiling",
    )
    return filing


@transaction.atomic
def transfer_create(*, actor: Any, data: Mapping[str, Any]) -> TechTransfer:
    transfer = TechTransfer(**_pick(data, TRANSFER_FIELDS))
    if transfer.organization_id:
        _at(actor, "research.add_techtransfer", transfer.organization)
    _check_product(actor, transfer.product)
    return object_create(actor=actor, instance=transfer)


@transaction.atomic
def transfer_update(*, actor: Any, instance: TechTransfer, data: Mapping[str, Any]) -> TechTransfer:
    """A transfer is completed only once approved where it needs an approval (``TechTransfer.clean``)."""
    _at(actor, "research.change_techtransfer", instance.organization)
    fields = _pick(data, TRANSFER_FIELDS)
    if "product" in fields and getattr(fields["product"], "pk", None) != instance.product_id:
        _check_product(actor, fields["product"])
    transfer, _changed = object_update(actor=actor, instance=instance, data=fields, fields=TRANSFER_FIELDS)
    return transfer


@transaction.atomic
def transfer_delete(*, actor: Any, instance: TechTransfer) -> None:
    _at(actor, "research.delete_techtransfer", instance.organization)
    object_delete(actor=actor, instance=instance)


@transaction.atomic
def cooperation_create(*, actor: Any, data: Mapping[str, Any]) -> Cooperation:
    cooperation = Cooperation(**_pick(data, COOPERATION_FIELDS))
    if cooperation.organization_id:
        _at(actor, "research.add_cooperation", cooperation.organization)
    return object_create(actor=actor, instance=cooperation)


@transaction.atomic
def cooperation_update(*, actor: Any, instance: Cooperation, data: Mapping[str, Any]) -> Cooperation:
    _at(actor, "research.change_cooperation", instance.organization)
    cooperation, _changed = object_update(
        actor=actor, instance=instance, data=_pick(data, COOPERATION_FIELDS), fields=COOPERATION_FIELDS
    )
    return cooperation


@transaction.atomic
def cooperation_delete(*, actor: Any, instance: Cooperation) -> None:
    _at(actor, "research.delete_cooperation", instance.organization)
    object_delete(actor=actor, instance=instance)


def _check_group_tasks(actor: Any, tasks: Iterable[ResearchTask]) -> None:
    for task in tasks:
        if actor is not None and not has_perm(actor, "research.view_researchtask", task):
            raise ValidationError({"tasks": _("No such S&T task, or you may not see it.")})


@transaction.atomic
def group_create(*, actor: Any, data: Mapping[str, Any]) -> ResearchGroup:
    plain, m2m = _split_m2m(_pick(data, GROUP_FIELDS), ("product_groups", "tasks"))
    group = ResearchGroup(**plain)
    if group.organization_id:
        _at(actor, "research.add_researchgroup", group.organization)
    _check_group_tasks(actor, m2m.get("tasks", ()))
    return object_create(actor=actor, instance=group, m2m=m2m)


@transaction.atomic
def group_update(*, actor: Any, instance: ResearchGroup, data: Mapping[str, Any]) -> ResearchGroup:
    _at(actor, "research.change_researchgroup", instance.organization)
    fields = _pick(data, GROUP_FIELDS)
    if "tasks" in fields:
        _check_group_tasks(actor, fields["tasks"])
    group, _changed = object_update(actor=actor, instance=instance, data=fields, fields=GROUP_FIELDS)
    return group


@transaction.atomic
def group_delete(*, actor: Any, instance: ResearchGroup) -> None:
    _at(actor, "research.delete_researchgroup", instance.organization)
    object_delete(actor=actor, instance=instance)


def budget_totals(task: ResearchTask) -> dict[str, Decimal]:
    totals = task.budget.aggregate(planned=Sum("planned"), disbursed=Sum("disbursed"))
    return {k: v or Decimal(0) for k, v in totals.items()}
