"""Writes on planning. Each service checks the permission on the side it acts for (the Department for the
indicators, the periods, approvals and reviews; a plan's owner for its plan and targets; the enterprise for its
reports and their values), validates, saves and audits through core in one transaction; nothing is written when
it refuses. An accepted report is locked: no service changes it or its values, only a correction (a new
version) replaces it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.core.permissions import require
from cnan.core.services import object_create, object_delete, object_update
from cnan.core.workflow import Transition, Workflow
from cnan.organizations.models import Organization

from .models import (
    Indicator,
    PeriodKind,
    Plan,
    PlanEvent,
    Report,
    ReportEvent,
    ReportingPeriod,
    ReportValue,
    Scenario,
    Target,
    check_period_number,
    period_dates,
    value_problem,
)
from .selectors import cascade_check, missing_required

CLASSIFICATION_FIELDS = ("classification", "protected_until", "classification_basis")
INDICATOR_FIELDS = (
    "code",
    "name",
    "name_en",
    "unit",
    "direction",
    "aggregation",
    "weight",
    "numerator",
    "denominator",
    "scale",
    "category",
    "evaluation",
    "required",
    "signed",
    "active",
    "order",
)
PLAN_FIELDS = ("kind", "code", "name", "parent", "owner", "start_year", "end_year", "vision_year", "note")
PLAN_CHANGEABLE = ("code", "name", "parent", "start_year", "end_year", "vision_year", "note", *CLASSIFICATION_FIELDS)


def _pick(data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {name: data[name] for name in fields if name in data}


FOUR_PLACES = Decimal("0.0001")
LARGEST = Decimal("1e16")  # DecimalField(20, 4)


def _decimal(value: Any, field: str) -> Decimal:
    """A number as it is stored (four decimals), so that the audit trail shows what the table holds."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    if abs(number) >= LARGEST:
        raise ValidationError({field: _("The number is too large.")})
    return number.quantize(FOUR_PLACES)


# --- indicators ---------------------------------------------------------------------------------------------


@transaction.atomic
def indicator_create(*, actor: Any, data: Mapping[str, Any]) -> Indicator:
    require(actor, "planning.add_indicator")
    return object_create(actor=actor, instance=Indicator(**_pick(data, INDICATOR_FIELDS)))


@transaction.atomic
def indicator_update(*, actor: Any, instance: Indicator, data: Mapping[str, Any]) -> Indicator:
    indicator, _changed = object_update(
        actor=actor, instance=instance, data=_pick(data, INDICATOR_FIELDS), fields=INDICATOR_FIELDS
    )
    return indicator


@transaction.atomic
def indicator_delete(*, actor: Any, instance: Indicator) -> None:
    require(actor, "planning.delete_indicator", instance)
    if instance.targets.exists() or instance.report_values.exists():
        raise ValidationError(
            _("The indicator %(code)s is used by targets or reported values: deactivate it instead.")
            % {"code": instance.code}
        )
    if Indicator.objects.filter(Q(weight=instance) | Q(numerator=instance) | Q(denominator=instance)).exists():
        raise ValidationError(
            _("Other indicators are computed from %(code)s: change them first.") % {"code": instance.code}
        )
    object_delete(actor=actor, instance=instance)


# --- plans -----------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Any, data: Mapping[str, Any]) -> Plan:
    plan = Plan(**_pick(data, (*PLAN_FIELDS, *CLASSIFICATION_FIELDS)))
    if plan.owner_id:
        require(actor, "planning.add_plan", plan.owner)
    if plan.parent_id:
        require(actor, "planning.view_plan", plan.parent)
    return object_create(actor=actor, instance=plan)


@transaction.atomic
def plan_update(*, actor: Any, instance: Plan, data: Mapping[str, Any]) -> Plan:
    require(actor, "planning.change_plan", instance)
    instance = _fresh_plan(instance)
    _targets_editable(instance)
    fields = _pick(data, PLAN_CHANGEABLE)
    parent = fields.get("parent")
    if parent is not None:
        require(actor, "planning.view_plan", parent)
    plan, _changed = object_update(actor=actor, instance=instance, data=fields, fields=PLAN_CHANGEABLE)
    return plan


@transaction.atomic
def plan_delete(*, actor: Any, instance: Plan) -> None:
    require(actor, "planning.delete_plan", instance)
    instance = _fresh_plan(instance)
    if instance.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft plan can be deleted."))
    if instance.children.exists():
        raise ValidationError(_("Other instruments belong to this plan: delete or move them first."))
    for target in instance.targets.all():
        object_delete(actor=actor, instance=target, perm="planning.delete_plan")
    object_delete(actor=actor, instance=instance)


def _fresh_plan(plan: Plan) -> Plan:
    """The plan as stored now, locked (a caller's copy may predate a transition)."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _fresh_report(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("enterprise").get(pk=report.pk)


def _targets_editable(plan: Plan) -> None:
    if not plan.targets_editable:
        raise ValidationError(
            _("The plan is %(status)s: it changes only while a draft or after an adjustment decision.")
            % {"status": plan.get_status_display()}
        )


def _plain(number: Decimal) -> str:
    """A decimal without its trailing zeros and never in exponent form (90, 12.5)."""
    return f"{number.normalize():f}"


def _no_shortfall(actor: Any, plan: Plan) -> str | None:
    mismatches = cascade_check(plan)
    if not mismatches:
        return None
    items = [
        _("%(indicator)s %(year)s: the units give %(units)s against %(owner)s")
        % {
            "indicator": m.indicator.code,
            "year": m.year if m.period_kind == PeriodKind.YEAR else f"{m.period_number}/{m.year}",
            "units": _plain(m.units_value),
            "owner": _plain(m.owner_value),
        }
        for m in mismatches
    ]
    return _("The units' targets do not carry the plan's targets: %(items)s.") % {"items": "; ".join(items)}


IN_FORCE = tuple(Plan.IN_FORCE)

PLAN_WORKFLOW = Workflow(
    state_field="status",
    event_model=PlanEvent,
    event_fk="plan",
    transitions=[
        Transition(
            "submit", gettext_lazy("Submit"), (Plan.Status.DRAFT,), Plan.Status.SUBMITTED, "planning.change_plan"
        ),
        Transition(
            "approve",
            gettext_lazy("Approve"),
            (Plan.Status.SUBMITTED,),
            Plan.Status.APPROVED,
            "planning.approve_plan",
            guards=(_no_shortfall,),
            requires_decision=True,
        ),
        Transition(
            "publish",
            gettext_lazy("Publish"),
            (Plan.Status.APPROVED, Plan.Status.ADJUSTED),
            Plan.Status.PUBLISHED,
            "planning.approve_plan",
        ),
        Transition(
            "adjust",
            gettext_lazy("Adjust"),
            IN_FORCE,
            Plan.Status.ADJUSTED,
            "planning.approve_plan",
            requires_decision=True,
        ),
    ],
)

DECIDED = ("approve", "adjust")


@transaction.atomic
def plan_transition(
    *,
    actor: Any,
    plan: Plan,
    action: str,
    comment: str = "",
    decision_number: str = "",
    decided_on: dt.date | None = None,
) -> Plan:
    """Submit (the owner), approve (the Department: decision number and date; refused while the cascade check
    finds a mismatch), publish, adjust (the Department: a decision; the targets may change again)."""
    transition = PLAN_WORKFLOW.get(action)
    require(actor, transition.perm, plan)
    plan = _fresh_plan(plan)
    reason = PLAN_WORKFLOW.refusal(actor, plan, transition)
    if reason:
        raise ValidationError(reason)
    if action not in DECIDED:
        return PLAN_WORKFLOW.apply(actor=actor, instance=plan, name=action, comment=comment)
    errors = {}
    if not decision_number.strip():
        errors["decision_number"] = _("This action needs the number of its decision.")
    if decided_on is None:
        errors["decided_on"] = _("This action needs the date of its decision.")
    elif plan.decided_on and decided_on < plan.decided_on:
        errors["decided_on"] = _("The decision cannot predate the plan's previous decision.")
    if errors:
        raise ValidationError(errors)
    return PLAN_WORKFLOW.apply(
        actor=actor,
        instance=plan,
        name=action,
        comment=comment,
        decision_number=decision_number.strip(),
        data={"decision_number": decision_number.strip(), "decided_on": decided_on},
        fields=("decision_number", "decided_on"),
    )


# --- targets ------------------------------------------------------------------------------------------------------


@transaction.atomic
def target_set(
    *,
    actor: Any,
    plan: Plan,
    unit: Organization,
    indicator: Indicator,
    year: int,
    value: Any,
    period_kind: str = PeriodKind.YEAR,
    period_number: int = 1,
    note: str = "",
) -> Target:
    """Create or change one target of a plan (while a draft or adjusted), checked against the indicator's
    sense (``models.value_problem``)."""
    require(actor, "planning.change_target", plan)
    plan = _fresh_plan(plan)
    _targets_editable(plan)
    number = _decimal(value, "value")
    problem = value_problem(indicator, number)
    if problem:
        raise ValidationError({"value": problem})
    problem = check_period_number(period_kind, period_number)
    if problem:
        raise ValidationError({"period_number": problem})
    current = Target.objects.filter(
        plan=plan, unit=unit, indicator=indicator, year=year, period_kind=period_kind, period_number=period_number
    ).first()
    if current is None:
        return object_create(
            actor=actor,
            instance=Target(
                plan=plan,
                unit=unit,
                indicator=indicator,
                year=year,
                period_kind=period_kind,
                period_number=period_number,
                value=number,
                note=note,
            ),
            perm="planning.change_target",
        )
    target, _changed = object_update(
        actor=actor,
        instance=current,
        data={"value": number, "note": note},
        fields=("value", "note"),
        perm="planning.change_target",
    )
    return target


def _require_on_plan(actor: Any, perm: str, target: Target) -> None:
    require(actor, perm, target.plan)


@transaction.atomic
def target_delete(*, actor: Any, instance: Target) -> None:
    _require_on_plan(actor, "planning.delete_target", instance)
    _targets_editable(_fresh_plan(instance.plan))
    object_delete(actor=actor, instance=instance, perm="planning.delete_target")


# --- reporting periods ------------------------------------------------------------------------------------------------


@transaction.atomic
def period_open(*, actor: Any, kind: str, year: int, number: int = 1, due_on: dt.date) -> ReportingPeriod:
    """Open a reporting period (the Department): the dates follow the Decree 09/2019 cut-offs
    (``models.period_dates``); the reports are due after the period ends."""
    require(actor, "planning.open_reportingperiod")
    problem = check_period_number(kind, number)
    if problem:
        raise ValidationError({"number": problem})
    if ReportingPeriod.objects.filter(kind=kind, year=year, number=number).exists():
        raise ValidationError({"number": _("This period is already open (or was).")})
    starts_on, ends_on = period_dates(kind, year, number)
    period = ReportingPeriod(
        kind=kind,
        year=year,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        due_on=due_on,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    return object_create(actor=actor, instance=period, perm="planning.open_reportingperiod")


@transaction.atomic
def period_close(*, actor: Any, period: ReportingPeriod) -> ReportingPeriod:
    require(actor, "planning.open_reportingperiod", period)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state != ReportingPeriod.State.OPEN:
        raise ValidationError(_("The period is closed already."))
    closed, _changed = object_update(
        actor=actor,
        instance=period,
        data={"state": ReportingPeriod.State.CLOSED},
        fields=("state",),
        perm="planning.open_reportingperiod",
    )
    return closed


# --- reports ---------------------------------------------------------------------------------------------


def _belongs(actor: Any, enterprise: Organization) -> bool:
    """Whether ``actor`` is a member of the enterprise (or of an enterprise above it): a report is filed by
    the enterprise, not on its behalf. ``None`` is the system (commands, imports run by the system)."""
    if actor is None:
        return True
    memberships = getattr(actor, "active_memberships", None)
    if memberships is None:
        return False
    return any(
        m.organization.kind == Organization.Kind.ENTERPRISE and enterprise.path.startswith(m.organization.path)
        for m in memberships()
    )


def _require_enterprise(actor: Any, perm: str, report_or_enterprise: Report | Organization) -> None:
    enterprise = report_or_enterprise.enterprise if isinstance(report_or_enterprise, Report) else report_or_enterprise
    require(actor, perm, report_or_enterprise)
    if not _belongs(actor, enterprise):
        raise PermissionDenied(_("A report is filed by a member of its enterprise."))


def _editable_report(report: Report) -> None:
    if report.state not in Report.EDITABLE:
        raise ValidationError(
            _("The report is %(state)s: its values change only while a draft or after it is returned.")
            % {"state": report.get_state_display()}
        )


@transaction.atomic
def report_create(*, actor: Any, enterprise: Organization, period: ReportingPeriod) -> Report:
    """Version 1 of an enterprise's report for an open period (one report per enterprise and period; a
    correction of an accepted one is ``report_correct``)."""
    _require_enterprise(actor, "planning.add_report", enterprise)
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise ValidationError({"enterprise": _("Periodic reports are filed by enterprises.")})
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state != ReportingPeriod.State.OPEN:
        raise ValidationError({"period": _("The period is closed: reports are no longer taken.")})
    if Report.objects.filter(enterprise=enterprise, period=period).exists():
        raise ValidationError({"period": _("The enterprise already has a report for this period.")})
    return object_create(
        actor=actor, instance=Report(enterprise=enterprise, period=period, version=1), perm="planning.add_report"
    )


@transaction.atomic
def report_update(*, actor: Any, instance: Report, data: Mapping[str, Any]) -> Report:
    """The report's own fields (its classification, the reason of a correction) while editable."""
    _require_enterprise(actor, "planning.change_report", instance)
    instance = _fresh_report(instance)
    _editable_report(instance)
    fields = CLASSIFICATION_FIELDS + (("correction_reason",) if instance.version > 1 else ())
    report, _changed = object_update(actor=actor, instance=instance, data=_pick(data, fields), fields=fields)
    return report


@transaction.atomic
def report_delete(*, actor: Any, instance: Report) -> None:
    """A draft that was never submitted (its values go with it)."""
    _require_enterprise(actor, "planning.change_report", instance)
    instance = _fresh_report(instance)
    if instance.state != Report.State.DRAFT or instance.events.exists():
        raise ValidationError(_("Only a draft that was never submitted can be deleted."))
    for value in instance.values.all():
        object_delete(actor=actor, instance=value, perm="planning.change_report")
    object_delete(actor=actor, instance=instance, perm="planning.change_report")


class ValueRow(NamedTuple):
    indicator: Indicator
    scenario: str
    value: Any  # a number, or None to remove the figure
    source: str = ReportValue.Source.FORM
    source_document: str = ""


@transaction.atomic
def report_values_set(*, actor: Any, report: Report, values: Sequence[ValueRow | tuple[Any, ...]]) -> list[ReportValue]:
    """Set figures of a draft or returned report, all or nothing: every row is checked first (its scenario,
    source, and the indicator's sense) and one error per row refuses the whole set. ``value`` ``None`` removes
    the figure. Each figure is created, changed or removed through the audited services, so it keeps its
    history."""
    _require_enterprise(actor, "planning.change_report", report)
    locked = _fresh_report(report)
    _editable_report(locked)
    rows = [ValueRow(*row) for row in values]
    errors: list[str] = []
    parsed: list[tuple[ValueRow, Decimal | None]] = []
    seen: set[tuple[int, str]] = set()
    for n, row in enumerate(rows, start=1):
        where = _("Row %(n)s (%(code)s)") % {"n": n, "code": getattr(row.indicator, "code", "?")}
        if not isinstance(row.indicator, Indicator) or not row.indicator.pk:
            errors.append(_("%(where)s: unknown indicator.") % {"where": where})
            continue
        if row.scenario not in Scenario.values:
            errors.append(_("%(where)s: unknown scenario.") % {"where": where})
            continue
        if row.source not in ReportValue.Source.values:
            errors.append(_("%(where)s: unknown source.") % {"where": where})
            continue
        if (row.indicator.pk, row.scenario) in seen:
            errors.append(_("%(where)s: the indicator is given twice in this scenario.") % {"where": where})
            continue
        seen.add((row.indicator.pk, row.scenario))
        if row.value is None or row.value == "":
            parsed.append((row, None))
            continue
        try:
            number = _decimal(row.value, "value")
        except ValidationError as exc:
            errors.append(
                _("%(where)s: %(problem)s") % {"where": where, "problem": " ".join(exc.message_dict["value"])}
            )
            continue
        problem = value_problem(row.indicator, number)
        if problem:
            errors.append(_("%(where)s: %(problem)s") % {"where": where, "problem": problem})
            continue
        parsed.append((row, number))
    if errors:
        raise ValidationError({"values": errors})
    existing = {(v.indicator_id, v.scenario): v for v in locked.values.all()}
    written: list[ReportValue] = []
    for row, given in parsed:
        current = existing.get((row.indicator.pk, row.scenario))
        if given is None:
            if current is not None:
                object_delete(actor=actor, instance=current, perm="planning.change_report")
            continue
        data = {"value": given, "source": row.source, "source_document": row.source_document}
        if current is None:
            written.append(
                object_create(
                    actor=actor,
                    instance=ReportValue(report=locked, indicator=row.indicator, scenario=row.scenario, **data),
                    perm="planning.change_report",
                )
            )
        else:
            value, _changed = object_update(
                actor=actor, instance=current, data=data, fields=tuple(data), perm="planning.change_report"
            )
            written.append(value)
    return written


def _member_guard(actor: Any, report: Report) -> str | None:
    if not _belongs(actor, report.enterprise):
        raise PermissionDenied(_("A report is filed by a member of its enterprise."))
    return None


def _complete(actor: Any, report: Report) -> str | None:
    missing = missing_required(report)
    if not missing:
        return None
    return _("The report lacks the estimate or actual of: %(indicators)s.") % {
        "indicators": ", ".join(f"{i.code} ({i.name})" for i in missing)
    }


REPORT_WORKFLOW = Workflow(
    state_field="state",
    event_model=ReportEvent,
    event_fk="report",
    transitions=[
        Transition(
            "submit",
            gettext_lazy("Submit"),
            Report.EDITABLE,
            Report.State.SUBMITTED,
            "planning.change_report",
            guards=(_member_guard, _complete),
        ),
        Transition(
            "return",
            gettext_lazy("Return for changes"),
            (Report.State.SUBMITTED,),
            Report.State.RETURNED,
            "planning.review_report",
            requires_comment=True,
        ),
        Transition(
            "accept",
            gettext_lazy("Accept"),
            (Report.State.SUBMITTED,),
            Report.State.ACCEPTED,
            "planning.review_report",
        ),
    ],
)


@transaction.atomic
def report_transition(*, actor: Any, report: Report, action: str, comment: str = "") -> Report:
    """Submit (the enterprise: refused listing every required indicator missing), return (the Department,
    with a comment), accept (the Department: the report is locked; the version it corrects is superseded)."""
    updated = REPORT_WORKFLOW.apply(actor=actor, instance=report, name=action, comment=comment)
    if action == "accept" and updated.previous_id:
        previous = Report.objects.select_for_update().get(pk=updated.previous_id)
        if previous.state == Report.State.ACCEPTED:
            source = previous.state
            object_update(
                actor=actor,
                instance=previous,
                data={"state": Report.State.SUPERSEDED},
                fields=("state",),
                perm="planning.review_report",
            )
            object_create(
                actor=actor,
                instance=ReportEvent(
                    report=previous,
                    transition="supersede",
                    from_state=source,
                    to_state=Report.State.SUPERSEDED,
                    actor=actor if getattr(actor, "pk", None) else None,
                    comment=_("Corrected by version %(version)s.") % {"version": updated.version},
                ),
                perm="planning.review_report",
            )
    return updated


@transaction.atomic
def report_correct(*, actor: Any, report: Report, reason: str) -> Report:
    """Open a correction of an accepted report: version n+1 in draft, its values copied (source "copied"),
    the reason kept. The accepted version stays the value of record until the correction is accepted."""
    _require_enterprise(actor, "planning.add_report", report.enterprise)
    locked = _fresh_report(report)
    if locked.state != Report.State.ACCEPTED:
        raise ValidationError(_("Only an accepted report is corrected (a draft or returned one is simply edited)."))
    if Report.objects.filter(previous=locked).exists():
        raise ValidationError(_("A correction of this report is already under way."))
    if not (reason or "").strip():
        raise ValidationError({"correction_reason": _("Say why the report is corrected.")})
    latest = Report.objects.filter(enterprise=locked.enterprise, period=locked.period).order_by("-version").first()
    version = (latest.version if latest else locked.version) + 1
    correction = object_create(
        actor=actor,
        instance=Report(
            enterprise=locked.enterprise,
            period=locked.period,
            version=version,
            previous=locked,
            correction_reason=reason.strip(),
            classification=locked.classification,
            protected_until=locked.protected_until,
            classification_basis=locked.classification_basis,
        ),
        perm="planning.add_report",
    )
    for value in locked.values.all():
        object_create(
            actor=actor,
            instance=ReportValue(
                report=correction,
                indicator_id=value.indicator_id,
                scenario=value.scenario,
                value=value.value,
                source=ReportValue.Source.COPIED,
                source_document=value.source_document,
                note=value.note,
            ),
            perm="planning.add_report",
        )
    return correction


def report_filer(actor: Any, enterprise: Organization) -> bool:
    """Whether ``actor`` may file reports for ``enterprise`` as one of its members (the rule the report
    services apply), for the pages' buttons and the import's row checks."""
    return _belongs(actor, enterprise)
