"""Writes on steering and directives. Each service checks the permission, validates, saves and audits
(through core), then refreshes the derived state of the tasks it touched (``directives.status``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.core.models import Notification
from cnan.core.permissions import has_perm, require
from cnan.core.services import notification_send, object_create, object_delete, object_update
from cnan.core.workflow import Transition, Workflow
from cnan.organizations.models import Organization

from . import status as rules
from .models import (
    DirectiveDocument,
    Evidence,
    Meeting,
    ProgressReport,
    ReportEvent,
    Status,
    SteeringCommittee,
    Task,
    TaskAdjustment,
)

CLASSIFICATION_FIELDS = ("classification", "protected_until", "classification_basis")
COMMITTEE_FIELDS = (
    "organization",
    "code",
    "name",
    "founding_decision",
    "founded_on",
    "head",
    "deputies",
    "members",
    "description",
    *CLASSIFICATION_FIELDS,
)
MEETING_FIELDS = ("held_on", "title", "agenda", "conclusion", *CLASSIFICATION_FIELDS)
DOCUMENT_FIELDS = (
    "organization",
    "kind",
    "number",
    "issuer",
    "issued_on",
    "title",
    "summary",
    "committee",
    "meeting",
    "implements",
    "attachment",
    *CLASSIFICATION_FIELDS,
)
TASK_FIELDS = (
    "number",
    "content",
    "lead",
    "coordinating",
    "deadline",
    "regular",
    "reporting_cycle",
    "expected_product",
    "priority",
    *CLASSIFICATION_FIELDS,
)
ADJUSTMENT_FIELDS = ("kind", "decision_number", "decided_on", "new_deadline", "reason")
REPORT_FIELDS = ("reported_on", "percent", "narrative", "product_delivered", *CLASSIFICATION_FIELDS)


def _pick(data: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {name: data[name] for name in fields if name in data}


def _split_m2m(data: dict[str, Any], names: Iterable[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    m2m = {n: data.pop(n) for n in list(names) if n in data}
    return data, m2m


def _require_at(actor: Any, perm: str, organization: Organization) -> None:
    """The permission with a scope covering ``organization`` (the side of a task a write acts for)."""
    require(actor, perm, organization)


# --- committees, meetings, documents ---------------------------------------------------------------


@transaction.atomic
def committee_create(*, actor: Any, data: dict[str, Any]) -> SteeringCommittee:
    plain, m2m = _split_m2m(_pick(data, COMMITTEE_FIELDS), ("members",))
    return object_create(actor=actor, instance=SteeringCommittee(**plain), m2m=m2m)


@transaction.atomic
def committee_update(*, actor: Any, instance: SteeringCommittee, data: dict[str, Any]) -> SteeringCommittee:
    committee, _changed = object_update(actor=actor, instance=instance, data=data, fields=COMMITTEE_FIELDS)
    return committee


@transaction.atomic
def committee_delete(*, actor: Any, instance: SteeringCommittee) -> None:
    object_delete(actor=actor, instance=instance)


@transaction.atomic
def meeting_create(*, actor: Any, committee: SteeringCommittee, data: dict[str, Any]) -> Meeting:
    return object_create(
        actor=actor,
        instance=Meeting(committee=committee, **_pick(data, MEETING_FIELDS)),
        perm="directives.change_steeringcommittee",
    )


@transaction.atomic
def meeting_update(*, actor: Any, instance: Meeting, data: dict[str, Any]) -> Meeting:
    """A meeting's date, title, agenda and conclusion, for who may change its committee."""
    meeting, _changed = object_update(
        actor=actor, instance=instance, data=data, fields=MEETING_FIELDS, perm="directives.change_steeringcommittee"
    )
    return meeting


@transaction.atomic
def meeting_delete(*, actor: Any, instance: Meeting) -> None:
    """Refused while documents record that they came from the meeting (they would lose their origin)."""
    require(actor, "directives.change_steeringcommittee", instance)
    count = instance.documents.count()
    if count:
        raise ValidationError(
            _("%(count)d document(s) came from this meeting; link them elsewhere before deleting it.")
            % {"count": count}
        )
    object_delete(actor=actor, instance=instance, perm="directives.change_steeringcommittee")


@transaction.atomic
def document_create(*, actor: Any, data: dict[str, Any]) -> DirectiveDocument:
    plain, m2m = _split_m2m(_pick(data, DOCUMENT_FIELDS), ("implements",))
    return object_create(actor=actor, instance=DirectiveDocument(**plain), m2m=m2m)


@transaction.atomic
def document_update(*, actor: Any, instance: DirectiveDocument, data: dict[str, Any]) -> DirectiveDocument:
    if "implements" in data and instance.pk in {getattr(d, "pk", d) for d in data["implements"]}:
        raise ValidationError({"implements": _("A document cannot implement itself.")})
    document, changed = object_update(actor=actor, instance=instance, data=data, fields=DOCUMENT_FIELDS)
    if changed and "issued_on" in data:  # object_update says whether anything changed, not what
        early = document.tasks.filter(deadline__lt=document.issued_on).first()
        if early is not None:
            raise ValidationError(
                {"issued_on": _("Task %(task)s has a deadline before this date.") % {"task": early.number}}
            )
    return document


@transaction.atomic
def document_delete(*, actor: Any, instance: DirectiveDocument) -> None:
    object_delete(actor=actor, instance=instance)


# --- tasks -----------------------------------------------------------------------------------------


@transaction.atomic
def task_create(*, actor: Any, document: DirectiveDocument, data: dict[str, Any], parent: Task | None = None) -> Task:
    """A task of ``document`` (assigned by the document's unit), or a sub-task cascading part of
    ``parent`` to a unit under the parent's lead (assigned by that lead)."""
    assigned_by = parent.lead if parent is not None else document.organization
    _require_at(actor, "directives.add_task", assigned_by)
    plain, m2m = _split_m2m(_pick(data, TASK_FIELDS), ("coordinating",))
    task = Task(document=document, parent=parent, assigned_by=assigned_by, **plain)
    if parent is not None:
        if parent.status in rules.DONE:
            raise ValidationError(_("Task %(task)s is completed: it cannot be split further.") % {"task": parent})
        _check_within_parent(parent, plain.get("lead"), task.deadline)
        task.classification = max(task.classification, parent.classification)
    task.effective_deadline = task.deadline
    task = object_create(actor=actor, instance=task, m2m=m2m, perm="directives.add_task")
    refresh(task)
    return task


def _check_within_parent(parent: Task, lead: Organization | None, deadline: dt.date | None) -> None:
    """A sub-task goes to a unit under the parent's lead, due no later than the parent."""
    if lead is not None and not (lead.path.startswith(parent.lead.path) and lead.pk != parent.lead_id):
        raise ValidationError(
            {
                "lead": _("A sub-task goes to a unit under %(unit)s, the lead of the parent task.")
                % {"unit": parent.lead.name}
            }
        )
    if deadline and parent.effective_deadline and deadline > parent.effective_deadline:
        raise ValidationError(
            {
                "deadline": _("A sub-task is due no later than its parent (%(date)s).")
                % {"date": parent.effective_deadline.strftime("%d/%m/%Y")}
            }
        )


@transaction.atomic
def task_update(*, actor: Any, instance: Task, data: dict[str, Any]) -> Task:
    _require_at(actor, "directives.change_task", instance.assigned_by)
    task, changed = object_update(actor=actor, instance=instance, data=data, fields=TASK_FIELDS)
    if changed:
        if task.parent_id is not None:
            parent = Task.objects.select_related("lead").get(pk=task.parent_id)
            _check_within_parent(parent, task.lead, task.deadline)
        refresh(task)
    return task


@transaction.atomic
def task_delete(*, actor: Any, instance: Task) -> None:
    _require_at(actor, "directives.delete_task", instance.assigned_by)
    if instance.reports.exists():
        raise ValidationError(_("A task that has progress reports cannot be deleted; pause it by a decision instead."))
    parent = instance.parent
    object_delete(actor=actor, instance=instance)
    if parent is not None:
        refresh(parent)


@transaction.atomic
def adjustment_create(*, actor: Any, task: Task, data: dict[str, Any]) -> TaskAdjustment:
    """A decision of the assigning unit: a new deadline, a pause or a resume."""
    task = Task.objects.select_for_update().select_related("document", "assigned_by").get(pk=task.pk)
    _require_at(actor, "directives.add_taskadjustment", task.assigned_by)
    adjustment = TaskAdjustment(
        task=task, actor=actor if getattr(actor, "pk", None) else None, **_pick(data, ADJUSTMENT_FIELDS)
    )
    if task.status in rules.DONE:
        raise ValidationError(_("Task %(task)s is completed: it cannot be adjusted.") % {"task": task})
    if (
        adjustment.kind == TaskAdjustment.Kind.EXTEND
        and adjustment.new_deadline
        and adjustment.new_deadline < task.document.issued_on
    ):
        raise ValidationError({"new_deadline": _("The new deadline cannot be before the document was issued.")})
    if adjustment.kind == TaskAdjustment.Kind.EXTEND and adjustment.new_deadline and task.parent_id is not None:
        parent = Task.objects.get(pk=task.parent_id)
        if parent.effective_deadline and adjustment.new_deadline > parent.effective_deadline:
            raise ValidationError(
                {
                    "new_deadline": _("A sub-task is due no later than its parent (%(date)s).")
                    % {"date": parent.effective_deadline.strftime("%d/%m/%Y")}
                }
            )
    if adjustment.kind == TaskAdjustment.Kind.PAUSE and task.paused:
        raise ValidationError({"kind": _("The task is already paused.")})
    if adjustment.kind == TaskAdjustment.Kind.RESUME and not task.paused:
        raise ValidationError({"kind": _("The task is not paused.")})
    adjustment = object_create(actor=actor, instance=adjustment, perm="directives.add_taskadjustment")
    refresh(task)
    return adjustment


# --- progress reports and their review ---------------------------------------------------------------


@transaction.atomic
def report_submit(*, actor: Any, task: Task, data: dict[str, Any], files: Iterable[Any] = ()) -> ProgressReport:
    """The lead unit reports on its task, with evidence files (classified at least as the task)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    _require_at(actor, "directives.add_progressreport", task.lead)
    if task.status in rules.DONE:
        raise ValidationError(_("Task %(task)s is completed: no more reports are taken.") % {"task": task})
    if task.paused:
        raise ValidationError(_("Task %(task)s is paused: reports resume with it.") % {"task": task})
    if task.children.exists():
        raise ValidationError(_("The progress of a task with sub-tasks comes from its sub-tasks' reports."))
    report = ProgressReport(task=task, **_pick(data, REPORT_FIELDS))
    report.classification = max(report.classification, task.classification)
    if report.reported_on and report.reported_on < task.document.issued_on:
        raise ValidationError({"reported_on": _("A report cannot be dated before the document was issued.")})
    if report.reported_on and report.reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("A report cannot be dated in the future.")})
    if report.classification and not report.classification_basis:
        report.classification_basis = task.classification_basis
    report = object_create(actor=actor, instance=report, perm="directives.add_progressreport")
    for upload in files:
        evidence = Evidence(
            report=report,
            file=upload,
            name=getattr(upload, "name", "")[:255],
            classification=report.classification,
            classification_basis=report.classification_basis,
        )
        object_create(actor=actor, instance=evidence, perm="directives.add_progressreport")
    refresh(task)
    return report


def _assigning_side(actor: Any, report: ProgressReport) -> str | None:
    if actor is None:  # the system (management commands, the demo) acts for every unit
        return None
    if not has_perm(actor, "directives.change_progressreport", report.task.assigned_by):
        # A matter of who, not of the report's content: refused as a permission (403).
        raise PermissionDenied(_("Only the unit that assigned the task reviews its reports."))
    return None


REPORT_WORKFLOW = Workflow(
    state_field="state",
    event_model=ReportEvent,
    event_fk="report",
    transitions=[
        Transition(
            "accept",
            gettext_lazy("Accept"),
            (ProgressReport.State.SUBMITTED,),
            ProgressReport.State.ACCEPTED,
            "directives.change_progressreport",
            guards=(_assigning_side,),
        ),
        Transition(
            "return",
            gettext_lazy("Return with comments"),
            (ProgressReport.State.SUBMITTED,),
            ProgressReport.State.RETURNED,
            "directives.change_progressreport",
            guards=(_assigning_side,),
            requires_comment=True,
        ),
    ],
)


@transaction.atomic
def report_review(*, actor: Any, report: ProgressReport, action: str, comment: str = "") -> ProgressReport:
    """Accept a report (a report of 100 % completes the task on its date) or return it with comments."""
    report = REPORT_WORKFLOW.apply(
        actor=actor,
        instance=report,
        name=action,
        comment=comment,
        data={"review_comment": comment},
        fields=("review_comment",),
    )
    refresh(report.task)
    return report


# --- derived state ---------------------------------------------------------------------------------


def _facts(task: Task, today: dt.date, children: list[Task]) -> tuple[rules.Facts, list[tuple[dt.date, int]]]:
    adjustments = list(task.adjustments.order_by("decided_on", "id"))
    deadline = task.deadline
    paused = False
    for adj in adjustments:
        if adj.kind == TaskAdjustment.Kind.EXTEND:
            deadline = adj.new_deadline
        elif adj.kind == TaskAdjustment.Kind.PAUSE:
            paused = True
        elif adj.kind == TaskAdjustment.Kind.RESUME:
            paused = False
    accepted = list(
        task.reports.filter(state=ProgressReport.State.ACCEPTED)
        .order_by("reported_on", "id")
        .values_list("reported_on", "percent")
    )
    if children:
        progress = rules.rolled_progress([c.progress for c in children])
        completed_on = rules.children_completed_on([(c.status, c.completed_on) for c in children])
        points = []
    else:
        progress = accepted[-1][1] if accepted else 0
        completed_on = next((day for day, pct in accepted if pct >= 100), None)
        points = accepted
    facts = rules.Facts(
        today=today,
        assigned_on=task.document.issued_on,
        deadline=deadline,
        regular=task.regular,
        cycle=task.reporting_cycle,
        paused=paused,
        completed_on=None if task.regular else completed_on,
        last_report_on=accepted[-1][0] if accepted else None,
        progress=progress,
        children=[c.status for c in children],
    )
    return facts, points


def refresh(task: Task, *, today: dt.date | None = None) -> None:
    """Recompute the task's status, progress, current deadline and forecast, then its parents'."""
    today = today or timezone.localdate()
    node: Task | None = Task.objects.select_related("document", "parent").get(pk=task.pk)
    while node is not None:
        _refresh_node(node, today)
        node = Task.objects.select_related("document", "parent").get(pk=node.parent_id) if node.parent_id else None


def _refresh_node(node: Task, today: dt.date) -> None:
    """Recompute one task's derived state from its facts and its sub-tasks' stored state."""
    children = list(node.children.all())
    facts, points = _facts(node, today, children)
    status = rules.derive(facts)
    outlook = rules.forecast(
        today=today,
        assigned_on=facts.assigned_on,
        deadline=facts.deadline,
        points=points,
        done=status in rules.DONE,
        regular=node.regular,
    )
    Task.objects.filter(pk=node.pk).update(
        status=status,
        progress=100 if facts.completed_on else facts.progress,
        effective_deadline=facts.deadline,
        completed_on=facts.completed_on,
        paused=facts.paused,
        forecast_on=outlook.completion if outlook else None,
        will_miss=bool(outlook and outlook.will_miss),
    )


def refresh_open_tasks(*, today: dt.date | None = None) -> int:
    """The daily pass: every task not completed is brought up to date (dates move on).

    Every open task is refreshed once, deepest first, so that each parent reads its sub-tasks' new state
    (also a parent whose sub-tasks are all done, e.g. a regular task, which no open leaf would reach).
    The ids are read before the first write, so the pass does not iterate a result set it changes."""
    today = today or timezone.localdate()
    parent_of = dict(Task.objects.values_list("pk", "parent_id"))
    depth: dict[int, int] = {}

    def level(start: int) -> int:
        pk: int | None = start
        chain = []
        while pk is not None and pk not in depth:
            chain.append(pk)
            pk = parent_of.get(pk)
        d = depth[pk] if pk is not None else -1
        for node in reversed(chain):
            d += 1
            depth[node] = d
        return depth[chain[0]] if chain else d

    open_ids = sorted(
        Task.objects.exclude(status__in=rules.DONE).values_list("pk", flat=True), key=lambda pk: (-level(pk), pk)
    )
    for pk in open_ids:
        with transaction.atomic():
            node = Task.objects.select_related("document").filter(pk=pk).first()
            if node is not None:
                _refresh_node(node, today)
    return len(open_ids)


REMINDER_TITLES = {
    Notification.Level.WARNING: gettext_lazy("Task %(task)s is due on %(date)s"),
    Notification.Level.DANGER: gettext_lazy("Task %(task)s is overdue (deadline %(date)s)"),
}


REMIND_DAYS_BEFORE = (7, 3, 1, 0)  # a due-soon reminder when this many days are left
REMIND_OVERDUE_EVERY = 7  # an overdue reminder the day after the deadline, then once a week


def reminder_since(deadline: dt.date, today: dt.date) -> dt.date:
    """The day the current reminder window of a task began (``today`` ≤ 7 days before ``deadline``, or
    after it): the last milestone before the deadline on or before ``today`` (7, 3 and 1 days before, the
    day itself), or, once overdue, the day after the deadline and every week after it. One reminder is
    sent per window, so a person hears of a task on those days and not every day in between; a day the
    job did not run is caught up the next day."""
    if today > deadline:
        late = (today - deadline).days - 1
        return deadline + dt.timedelta(days=1 + late - late % REMIND_OVERDUE_EVERY)
    starts = (deadline - dt.timedelta(days=k) for k in REMIND_DAYS_BEFORE)
    return max((day for day in starts if day <= today), default=today)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def send_reminders(*, today: dt.date | None = None, days_before: int = 7) -> int:
    """Notify the lead unit's people of tasks due within ``days_before`` days and of overdue tasks.

    Reads the stored status (``refresh_open_tasks`` first brings it to ``today``). Each person holding a
    current membership of the lead unit who may see the task is told in their language, once per
    reminder window (``reminder_since``): a reminder already sent since the window began (same person,
    same task page, same level) is not sent again, so the daily job may run twice. Returns the number of
    notifications sent."""
    from cnan.accounts.models import Membership

    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=days_before)
    due = Task.objects.filter(
        status__in=(Status.NOT_STARTED, Status.IN_PROGRESS), effective_deadline__gte=today, effective_deadline__lte=soon
    )
    overdue = Task.objects.filter(status=Status.OVERDUE, effective_deadline__isnull=False)
    work = [
        *((t, Notification.Level.WARNING) for t in due.select_related("lead", "document")),
        *((t, Notification.Level.DANGER) for t in overdue.select_related("lead", "document")),
    ]
    if not work:
        return 0
    since = {task.pk: _local_midnight(reminder_since(task.effective_deadline or today, today)) for task, _level in work}
    urls = {task.get_absolute_url() for task, _level in work}
    sent_at: dict[tuple[int, str, str], dt.datetime] = {}
    for recipient, url, level, created in Notification.objects.filter(
        created_at__gte=min(since.values()), url__in=urls
    ).values_list("recipient_id", "url", "level", "created_at"):
        key = (recipient, url, level)
        sent_at[key] = max(created, sent_at.get(key, created))
    people: dict[int, list] = {}
    for membership in (
        Membership.objects.current(on=today)
        .filter(organization__in={task.lead_id for task, _level in work}, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ):
        users = people.setdefault(membership.organization_id, [])
        if all(u.pk != membership.user_id for u in users):
            users.append(membership.user)
    sent = 0
    for task, level in work:
        url = task.get_absolute_url()
        date = task.effective_deadline.strftime("%d/%m/%Y") if task.effective_deadline else "—"
        for user in people.get(task.lead_id, ()):
            last = sent_at.get((user.pk, url, level))
            if (last is not None and last >= since[task.pk]) or not has_perm(user, "directives.view_task", task):
                continue
            with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
                title = str(REMINDER_TITLES[level]) % {"task": task, "date": date}
            notification = notification_send(recipient=user, title=title, body=task.content[:500], url=url, level=level)
            sent_at[(user.pk, url, level)] = notification.created_at
            sent += 1
    return sent


def require_visible(actor: Any, task: Task) -> None:
    if not has_perm(actor, "directives.view_task", task):
        raise PermissionDenied
