"""Thin views over the research selectors and services (generic machinery in ``core.views.generic``).

Writes act for one side, as the services do: a task's content, roadmap and outputs for its host, a filing for
its owner, a transfer, an agreement or a group for its unit; a gate for whoever owns it in ``TASK_WORKFLOW``.
Buttons show only to who may use them; the services check again."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cnan.catalogue.models import Product
from cnan.core import services as core_services
from cnan.core.permissions import has_perm, may_list, perm_name
from cnan.core.views.generic import (
    ChildEditView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PortalView,
    attach_errors,
    redirect_response,
)

from . import dashboards, selectors, services
from .filters import (
    CooperationFilterSet,
    FilingFilterSet,
    GroupFilterSet,
    MilestoneFilterSet,
    OutputFilterSet,
    ResearchTaskFilterSet,
    TransferFilterSet,
)
from .forms import (
    CooperationForm,
    FilingAdvanceForm,
    FilingForm,
    GateForm,
    GroupForm,
    MilestoneForm,
    MilestoneReportForm,
    OutputForm,
    ResearchTaskForm,
    TransferForm,
    budget_formset,
    budget_lines,
    budget_posted,
)
from .models import (
    BudgetSource,
    Cooperation,
    IPFiling,
    Kind,
    Milestone,
    Output,
    ResearchGroup,
    ResearchTask,
    Stage,
    TechTransfer,
)
from .tables import (
    FILING_COLOURS,
    SCHEDULE_COLOURS,
    STAGE_COLOURS,
    CooperationTable,
    FilingTable,
    GroupTable,
    MilestoneTable,
    OutputTable,
    TaskTable,
    TransferTable,
    stage_hex,
)


def list_url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
    return reverse(name) + ("?" + query if query else "")


def side(obj: Any) -> Any:
    """The organisation a write on ``obj`` acts for (the services check the permission there)."""
    if isinstance(obj, ResearchTask):
        return obj.host
    if isinstance(obj, Milestone | Output):
        return obj.task.host
    if isinstance(obj, IPFiling):
        return obj.owner
    return obj.organization


def may(user: Any, action: str, obj: Any) -> bool:
    return has_perm(user, perm_name(type(obj), action), side(obj))


class SideDetailView(ObjectDetailView):
    """A record's page whose edit and delete buttons follow the side the services check."""

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"can_change": may(request.user, "change", obj), "can_delete": may(request.user, "delete", obj)}


class SideEditView(ObjectEditView):
    """Create (the add permission somewhere; the form offers the units where it holds) or edit (the change
    permission on the record's side)."""

    def _load(self, request: HttpRequest, pk: Any | None) -> Any:
        if pk is None:
            return super()._load(request, pk)
        obj = self.get_object(request, pk)
        if not may(request.user, "change", obj):
            raise PermissionDenied
        return obj


class SideDeleteView(ObjectDeleteView):
    def _load(self, request: HttpRequest, pk: Any) -> Any:
        obj = self.get_object(request, pk)
        if not may(request.user, "delete", obj):
            raise PermissionDenied
        return obj


# --- tasks ---------------------------------------------------------------------------------------------


class TaskListView(ObjectListView):
    model = ResearchTask
    table_class = TaskTable
    filterset_class = ResearchTaskFilterSet
    selector = selectors.task_list
    export_key = "research:task"
    add_url_name = "research:task_add"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"dashboard_url": reverse("research:dashboard")}


def budget_table(lines: list[Any]) -> dict[str, Any]:
    """A task's budget lines as a table: a row per year, a column per source present (planned and disbursed
    in each cell), with the totals of each row and column."""
    present = {line.source for line in lines}
    sources = [(key, label) for key, label in BudgetSource.choices if key in present]
    cells: dict[tuple[int, str], Any] = {(line.year, line.source): line for line in lines}
    years = sorted({line.year for line in lines})
    rows = []
    for year in years:
        row_lines = [cells.get((year, key)) for key, _label in sources]
        rows.append(
            {
                "year": year,
                "cells": row_lines,
                "planned": sum(line.planned for line in row_lines if line),
                "disbursed": sum(line.disbursed for line in row_lines if line),
            }
        )
    totals = [
        {
            "planned": sum(line.planned for line in lines if line.source == key),
            "disbursed": sum(line.disbursed for line in lines if line.source == key),
        }
        for key, _label in sources
    ]
    return {
        "sources": sources,
        "rows": rows,
        "totals": totals,
        "planned": sum(line.planned for line in lines),
        "disbursed": sum(line.disbursed for line in lines),
    }


def roadmap_open(task: ResearchTask) -> bool:
    try:
        services._roadmap_open(task)
    except ValidationError:
        return False
    return True


def programme_timeline(user: Any, programme: ResearchTask) -> tuple[list[ResearchTask], list[dict[str, Any]]]:
    """The programme's tasks the user may see, each with its roadmap's mean progress, and one timeline bar per
    task (from its start to its current end, in its stage's colour)."""
    tasks = list(
        selectors.programme_tasks(user=user, programme=programme).annotate(progress=Avg("milestones__progress"))
    )
    rows = [
        {
            "label": t.code,
            "start": t.start_on.isoformat(),
            "end": t.end.isoformat(),
            "startLabel": t.start_on.strftime("%d/%m/%Y"),
            "endLabel": t.end.strftime("%d/%m/%Y"),
            "status": t.get_stage_display(),
            "colour": stage_hex(t.stage),
            "progress": round(t.progress or 0),
            "url": t.get_absolute_url(),
        }
        for t in tasks
    ]
    return tasks, rows


def gate_rows(user: Any, task: ResearchTask) -> list[Any]:
    """The gates the task passed, each with its label and the stage it led to."""
    labels = {t.name: t.label for t in services.TASK_WORKFLOW.transitions}
    events = list(selectors.gate_events(user=user, task=task))
    for e in events:
        e.label = labels.get(e.transition) or _("Proposal")
        e.stage_label = Stage(e.to_state).label if e.to_state in Stage.values else e.to_state
    return events


def task_context(request: HttpRequest, task: ResearchTask) -> dict[str, Any]:
    user = request.user
    host = task.host
    can_change = has_perm(user, "research.change_researchtask", host)
    can_report = task.stage == Stage.IN_PROGRESS and has_perm(user, "research.add_milestonereport", host)
    milestones = list(selectors.milestone_list(user=user).filter(task=task).order_by("due_on", "number"))
    reports: dict[int, list[Any]] = defaultdict(list)
    for report in selectors.milestone_reports(user=user, task=task):
        reports[report.milestone_id].append(report)
    today = timezone.localdate()
    for m in milestones:
        m.late = m.is_late(today)
        m.report_list = reports.get(m.pk, [])
        m.can_report = can_report and m.done_on is None
    context: dict[str, Any] = {
        "can_change": can_change,
        # the service deletes only a proposal, or a task not selected
        "can_delete": has_perm(user, "research.delete_researchtask", host)
        and task.stage in (Stage.PROPOSED, Stage.REJECTED),
        "budget": budget_table(list(selectors.budget_lines(user=user, task=task))),
        "events": gate_rows(user, task),
        "gates": services.TASK_WORKFLOW.available(user, task),
        "milestones": milestones,
        "can_edit_roadmap": can_change and roadmap_open(task),
        "outputs": list(selectors.output_list(user=user).filter(task=task).order_by("kind", "title")),
        "can_add_output": has_perm(user, "research.add_output", host),
        "filings": list(selectors.filing_list(user=user).filter(task=task).order_by("-filed_on")),
        "can_add_filing": has_perm(user, "research.add_ipfiling"),
        "groups": list(selectors.group_list(user=user).filter(tasks=task).order_by("name")),
        "programme_visible": task.programme_id is not None
        and selectors.task_list(user=user).filter(pk=task.programme_id).exists(),
        "stage_colour": STAGE_COLOURS.get(task.stage, "secondary"),
        "schedule_colour": SCHEDULE_COLOURS.get(task.schedule, "secondary"),
        "filing_colours": FILING_COLOURS,
        "team": [line for line in task.team.splitlines() if line.strip()],
        "today": today,
    }
    if task.kind == Kind.PROGRAMME:
        tasks, gantt = programme_timeline(user, task)
        context.update(
            programme_tasks=tasks,
            gantt=gantt,
            gantt_json=json.dumps(gantt, ensure_ascii=False),
            gantt_height=80 + 28 * len(gantt),
            legend=[(label, stage_hex(value)) for value, label in Stage.choices],
            stage_colours=STAGE_COLOURS,
        )
    return context


class TaskDetailView(ObjectDetailView):
    model = ResearchTask
    object_selector = selectors.task_get
    template_name = "research/task_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return task_context(request, obj)


class TaskEditView(PortalView):
    """Propose a task (``pk`` None) or edit one, with its budget by source and year (repeating rows, replaced
    as a whole while the task is not approved). The services decide; their errors show on the form, with
    nothing written."""

    template_name = "research/task_edit.html"

    def _load(self, request: HttpRequest, pk: Any) -> ResearchTask | None:
        if pk is None:
            if not has_perm(request.user, "research.add_researchtask"):
                raise PermissionDenied
            return None
        task = selectors.task_get(user=request.user, pk=pk)
        if not has_perm(request.user, "research.change_researchtask", task.host):
            raise PermissionDenied
        return task

    def _render(self, request, task, form, formset, budget_errors=(), status=200):
        title = _("Edit %(object)s") % {"object": task} if task else _("New S&T task")
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "formset": formset if form.budget_editable else None,
                "budget_errors": list(budget_errors),
                "object": task,
                "model_opts": ResearchTask._meta,
                "title": title,
                "cancel_url": task.get_absolute_url() if task else reverse("research:task_list"),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        task = self._load(request, pk)
        # A new task may start from values in the query string (a programme, or a title and summary proposed
        # from elsewhere, e.g. the supply app's demand that nothing made at home supplies).
        initial = None if task else {name: request.GET.get(name) for name in ("programme", "title", "summary")}
        form = ResearchTaskForm(instance=task, initial=initial, user=request.user)
        return self._render(request, task, form, budget_formset(task=task))

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        task = self._load(request, pk)
        form = ResearchTaskForm(request.POST, instance=task, user=request.user)
        posted = form.budget_editable and budget_posted(request.POST)
        formset = budget_formset(request.POST if posted else None, task=task)
        budget_errors: list[str] = []
        valid = form.is_valid()
        if posted and not formset.is_valid():
            valid = False
        if valid:
            budget = budget_lines(formset) if posted else None
            try:
                if task is None:
                    saved = services.task_create(actor=request.user, data=form.cleaned_data, budget=budget)
                    messages.success(request, _("%(object)s was proposed.") % {"object": saved})
                else:
                    saved = services.task_update(
                        actor=request.user, instance=task, data=form.cleaned_data, budget=budget
                    )
                    messages.success(request, _("%(object)s was saved.") % {"object": saved})
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "budget" in exc.error_dict:
                    budget_errors = [m for e in exc.error_dict.pop("budget") for m in e.messages]
                    if exc.error_dict:
                        attach_errors(form, exc)
                else:
                    attach_errors(form, exc)
            else:
                return redirect_response(request, saved.get_absolute_url())
        if task is not None:
            task.refresh_from_db()
        return self._render(request, task, form, formset, budget_errors, status=422)


class TaskDeleteView(SideDeleteView):
    model = ResearchTask
    object_selector = selectors.task_get
    success_url_name = "research:task_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.task_delete(actor=actor, instance=instance)


class TaskHistoryView(ObjectHistoryView):
    model = ResearchTask
    object_selector = selectors.task_get


class TaskGateView(PortalView):
    """One gate of a task (``services.TASK_WORKFLOW``): its decision's form, with only the fields that gate
    records; passing it writes the stage and one event (with the minutes) through ``services.gate_pass``."""

    template_name = "research/gate_form.html"

    def _load(self, request: HttpRequest, pk: Any, gate: str) -> tuple[ResearchTask, Any]:
        task = selectors.task_get(user=request.user, pk=pk)
        try:
            transition = services.TASK_WORKFLOW.get(gate)
        except ValidationError as exc:
            raise Http404 from exc
        if not has_perm(request.user, transition.perm, task):
            raise PermissionDenied
        return task, transition

    def _render(self, request, task, transition, form, refusal=None, status=200):
        return render(
            request,
            self.template_name,
            {
                "object": task,
                "transition": transition,
                "form": form,
                "refusal": refusal,
                "title": f"{transition.label} — {task.code}",
                "stage_colour": STAGE_COLOURS.get(task.stage, "secondary"),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any, gate: str) -> HttpResponse:
        task, transition = self._load(request, pk, gate)
        refusal = services.TASK_WORKFLOW.refusal(request.user, task, transition)  # PermissionDenied: 403
        form = GateForm(transition=transition, task=task, initial={"decided_on": timezone.localdate()})
        return self._render(request, task, transition, form, refusal, status=409 if refusal else 200)

    def post(self, request: HttpRequest, pk: Any, gate: str) -> HttpResponse:
        task, transition = self._load(request, pk, gate)
        form = GateForm(request.POST, request.FILES, transition=transition, task=task)
        if form.is_valid():
            try:
                services.gate_pass(actor=request.user, task=task, gate=transition.name, **form.gate_data())
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("“%(gate)s” was recorded.") % {"gate": transition.label})
                return redirect_response(request, task.get_absolute_url() + "#gates")
        task.refresh_from_db()
        return self._render(request, task, transition, form, status=422)


class GateMinutesView(PortalView):
    """A gate's minutes, to who may see its task (404 otherwise): never a public media address."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        event = selectors.gate_event_get(user=request.user, pk=pk)
        if not event.minutes:
            raise Http404
        core_services.record_read(user=request.user, instance=event.task)
        try:
            handle = event.minutes.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=event.minutes.name.rsplit("/", 1)[-1])


# --- roadmap -------------------------------------------------------------------------------------------


class MilestoneListView(ObjectListView):
    model = Milestone
    table_class = MilestoneTable
    filterset_class = MilestoneFilterSet
    selector = selectors.milestone_list
    export_key = "research:milestone"

    def get_title(self) -> str:
        late = self.request.GET.get("late", "").lower() in ("true", "1", "2")
        return _("Late milestones") if late else _("Milestones")


class MilestoneEditView(ChildEditView):
    """Add a milestone to a task's roadmap (``task_pk``) or edit one (``pk``), for the task's host."""

    model = Milestone
    form_class = MilestoneForm
    parent_kwarg = "task_pk"

    def load(self, request: HttpRequest, parent_pk: Any, pk: Any) -> tuple[ResearchTask, Milestone | None]:
        milestone = selectors.milestone_get(user=request.user, pk=pk) if pk is not None else None
        task = selectors.task_get(user=request.user, pk=milestone.task_id if milestone else parent_pk)
        if not has_perm(request.user, "research.change_researchtask", task.host):
            raise PermissionDenied
        return task, milestone

    def new_title(self, parent: Any) -> str:
        return _("New milestone of %(task)s") % {"task": parent.code}

    def cancel_url(self, parent: Any, obj: Any) -> str:
        return parent.get_absolute_url() + "#roadmap"

    def create(self, *, actor: Any, parent: Any, data: dict[str, Any]) -> Milestone:
        return services.milestone_create(actor=actor, task=parent, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Milestone:
        data = {k: v for k, v in data.items() if k != "number" or v is not None}
        return services.milestone_update(actor=actor, instance=instance, data=data)


class MilestoneDeleteView(SideDeleteView):
    """Remove a milestone without reports from the roadmap, for the task's host."""

    model = Milestone
    object_selector = selectors.milestone_get

    def _load(self, request: HttpRequest, pk: Any) -> Any:
        obj = self.get_object(request, pk)
        if not has_perm(request.user, "research.change_researchtask", obj.task.host):
            raise PermissionDenied
        return obj

    def success_url(self, obj: Any) -> str:
        return obj.task.get_absolute_url() + "#roadmap"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.milestone_delete(actor=actor, instance=instance)


class MilestoneHistoryView(ObjectHistoryView):
    model = Milestone
    object_selector = selectors.milestone_get


class MilestoneReportView(PortalView):
    """The host's report against a milestone (``services.milestone_report``: only while the task is in
    progress; a report of 100 % marks the milestone done)."""

    template_name = "research/milestone_report.html"

    def _load(self, request: HttpRequest, pk: Any) -> Milestone:
        milestone = selectors.milestone_get(user=request.user, pk=pk)
        if not has_perm(request.user, "research.add_milestonereport", milestone.task.host):
            raise PermissionDenied
        return milestone

    def _render(self, request, milestone, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "milestone": milestone,
                "object": milestone.task,
                "reports": selectors.milestone_reports(user=request.user, task=milestone.task).filter(
                    milestone=milestone
                ),
                "title": _("Report on milestone %(n)s of %(task)s")
                % {"n": milestone.number, "task": milestone.task.code},
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        milestone = self._load(request, pk)
        initial = {"reported_on": timezone.localdate(), "percent": milestone.progress}
        return self._render(request, milestone, MilestoneReportForm(initial=initial, user=request.user))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        milestone = self._load(request, pk)
        form = MilestoneReportForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.milestone_report(actor=request.user, milestone=milestone, data=form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The report was recorded."))
                return redirect_response(request, milestone.get_absolute_url())
        return self._render(request, milestone, form, status=422)


# --- outputs -------------------------------------------------------------------------------------------


class OutputListView(ObjectListView):
    model = Output
    table_class = OutputTable
    filterset_class = OutputFilterSet
    selector = selectors.output_list
    export_key = "research:output"


class OutputDetailView(SideDetailView):
    model = Output
    object_selector = selectors.output_get
    template_name = "research/output_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            **super().get_extra_context(request, obj),
            "filings": selectors.filing_list(user=request.user).filter(output=obj).order_by("-filed_on"),
            "filing_colours": FILING_COLOURS,
        }


class OutputEditView(ChildEditView):
    """Add an output to a task (``task_pk``) or edit one (``pk``), for the task's host."""

    model = Output
    form_class = OutputForm
    parent_kwarg = "task_pk"

    def load(self, request: HttpRequest, parent_pk: Any, pk: Any) -> tuple[ResearchTask, Output | None]:
        user = request.user
        output = selectors.output_get(user=user, pk=pk) if pk is not None else None
        task = selectors.task_get(user=user, pk=output.task_id if output else parent_pk)
        perm = "research.change_output" if output else "research.add_output"
        if not has_perm(user, perm, task.host):
            raise PermissionDenied
        return task, output

    def new_title(self, parent: Any) -> str:
        return _("New output of %(task)s") % {"task": parent.code}

    def cancel_url(self, parent: Any, obj: Any) -> str:
        return self.success_url(obj) if obj else parent.get_absolute_url() + "#outputs"

    def success_url(self, saved: Any) -> str:
        return reverse("research:output_detail", kwargs={"pk": saved.pk})

    def create(self, *, actor: Any, parent: Any, data: dict[str, Any]) -> Output:
        return services.output_create(actor=actor, task=parent, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Output:
        return services.output_update(actor=actor, instance=instance, data=data)


class OutputDeleteView(SideDeleteView):
    model = Output
    object_selector = selectors.output_get

    def success_url(self, obj: Any) -> str:
        return obj.task.get_absolute_url() + "#outputs"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.output_delete(actor=actor, instance=instance)


class OutputHistoryView(ObjectHistoryView):
    model = Output
    object_selector = selectors.output_get


# --- IP filings ----------------------------------------------------------------------------------------


class FilingListView(ObjectListView):
    model = IPFiling
    table_class = FilingTable
    filterset_class = FilingFilterSet
    selector = selectors.filing_list
    export_key = "research:filing"
    add_url_name = "research:filing_add"


class FilingDetailView(SideDetailView):
    model = IPFiling
    object_selector = selectors.filing_get
    template_name = "research/filing_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        context = super().get_extra_context(request, obj)
        can_advance = context["can_change"] and obj.status in services.FILING_NEXT
        return {
            **context,
            "status_colour": FILING_COLOURS.get(obj.status, "secondary"),
            "advance_form": FilingAdvanceForm(filing=obj, initial={"on": timezone.localdate()})
            if can_advance
            else None,
            "task_visible": obj.task_id is not None
            and selectors.task_list(user=request.user).filter(pk=obj.task_id).exists(),
            "output_visible": obj.output_id is not None
            and selectors.output_list(user=request.user).filter(pk=obj.output_id).exists(),
        }


class FilingEditView(SideEditView):
    model = IPFiling
    object_selector = selectors.filing_get
    form_class = FilingForm
    cancel_url_name = "research:filing_list"

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {"task": request.GET.get("task"), "output": request.GET.get("output")}

    def create(self, *, actor: Any, data: dict[str, Any]) -> IPFiling:
        return services.filing_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> IPFiling:
        return services.filing_update(actor=actor, instance=instance, data=data)


class FilingDeleteView(SideDeleteView):
    model = IPFiling
    object_selector = selectors.filing_get
    success_url_name = "research:filing_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.filing_delete(actor=actor, instance=instance)


class FilingHistoryView(ObjectHistoryView):
    model = IPFiling
    object_selector = selectors.filing_get


class FilingAdvanceView(PortalView):
    """Move a filing to its next status (``services.filing_advance``), for its owner."""

    template_name = "research/filing_advance.html"

    def _load(self, request: HttpRequest, pk: Any) -> IPFiling:
        filing = selectors.filing_get(user=request.user, pk=pk)
        if not may(request.user, "change", filing):
            raise PermissionDenied
        return filing

    def _render(self, request, filing, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "object": filing,
                "form": form,
                "title": _("Advance %(object)s") % {"object": filing},
                "status_colour": FILING_COLOURS.get(filing.status, "secondary"),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        filing = self._load(request, pk)
        return self._render(request, filing, FilingAdvanceForm(filing=filing, initial={"on": timezone.localdate()}))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        filing = self._load(request, pk)
        form = FilingAdvanceForm(request.POST, filing=filing)
        if form.is_valid():
            try:
                services.filing_advance(actor=request.user, instance=filing, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The filing's status was recorded."))
                return redirect_response(request, filing.get_absolute_url())
        filing.refresh_from_db()
        return self._render(request, filing, form, status=422)


# --- transfers, cooperation, groups --------------------------------------------------------------------


class TransferListView(ObjectListView):
    model = TechTransfer
    table_class = TransferTable
    filterset_class = TransferFilterSet
    selector = selectors.transfer_list
    export_key = "research:transfer"
    add_url_name = "research:transfer_add"


class TransferDetailView(SideDetailView):
    model = TechTransfer
    object_selector = selectors.transfer_get
    template_name = "research/transfer_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            **super().get_extra_context(request, obj),
            "task_visible": obj.task_id is not None
            and selectors.task_list(user=request.user).filter(pk=obj.task_id).exists(),
            "product_visible": obj.product_id is not None
            and Product.objects.visible_to(request.user, "view").filter(pk=obj.product_id).exists(),
        }


class TransferEditView(SideEditView):
    model = TechTransfer
    object_selector = selectors.transfer_get
    form_class = TransferForm
    cancel_url_name = "research:transfer_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> TechTransfer:
        return services.transfer_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> TechTransfer:
        return services.transfer_update(actor=actor, instance=instance, data=data)


class TransferDeleteView(SideDeleteView):
    model = TechTransfer
    object_selector = selectors.transfer_get
    success_url_name = "research:transfer_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.transfer_delete(actor=actor, instance=instance)


class TransferHistoryView(ObjectHistoryView):
    model = TechTransfer
    object_selector = selectors.transfer_get


class CooperationListView(ObjectListView):
    model = Cooperation
    table_class = CooperationTable
    filterset_class = CooperationFilterSet
    selector = selectors.cooperation_list
    export_key = "research:cooperation"
    add_url_name = "research:cooperation_add"


class CooperationDetailView(SideDetailView):
    model = Cooperation
    object_selector = selectors.cooperation_get
    template_name = "research/cooperation_detail.html"


class CooperationEditView(SideEditView):
    model = Cooperation
    object_selector = selectors.cooperation_get
    form_class = CooperationForm
    cancel_url_name = "research:cooperation_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> Cooperation:
        return services.cooperation_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Cooperation:
        return services.cooperation_update(actor=actor, instance=instance, data=data)


class CooperationDeleteView(SideDeleteView):
    model = Cooperation
    object_selector = selectors.cooperation_get
    success_url_name = "research:cooperation_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.cooperation_delete(actor=actor, instance=instance)


class CooperationHistoryView(ObjectHistoryView):
    model = Cooperation
    object_selector = selectors.cooperation_get


class GroupListView(ObjectListView):
    model = ResearchGroup
    table_class = GroupTable
    filterset_class = GroupFilterSet
    selector = selectors.group_list
    export_key = "research:group"
    add_url_name = "research:group_add"


class GroupDetailView(SideDetailView):
    model = ResearchGroup
    object_selector = selectors.group_get
    template_name = "research/group_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            **super().get_extra_context(request, obj),
            "tasks": selectors.group_tasks(user=request.user, group=obj),
            "outputs": selectors.output_list(user=request.user)
            .filter(task__groups=obj)
            .order_by("task__code", "title"),
            "filings": selectors.filing_list(user=request.user).filter(task__groups=obj).order_by("-filed_on", "title"),
            "filing_colours": FILING_COLOURS,
            "product_groups": obj.product_groups.order_by("code"),
            "members": [line for line in obj.members.splitlines() if line.strip()],
            "stage_colours": STAGE_COLOURS,
        }


class GroupEditView(SideEditView):
    model = ResearchGroup
    object_selector = selectors.group_get
    form_class = GroupForm
    cancel_url_name = "research:group_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> ResearchGroup:
        return services.group_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> ResearchGroup:
        return services.group_update(actor=actor, instance=instance, data=data)


class GroupDeleteView(SideDeleteView):
    model = ResearchGroup
    object_selector = selectors.group_get
    success_url_name = "research:group_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.group_delete(actor=actor, instance=instance)


class GroupHistoryView(ObjectHistoryView):
    model = ResearchGroup
    object_selector = selectors.group_get


# --- dashboard -----------------------------------------------------------------------------------------


class DashboardView(PortalView):
    """The S&T dashboard: every figure links to the list of what it counts."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not may_list(user, ResearchTask):
            raise PermissionDenied
        tasks = "research:task_list"
        pipeline = dashboards.pipeline(user=user)
        for row in pipeline:
            row.url = list_url(tasks, stage=row.key)
            row.links = [(n, list_url(tasks, stage=row.key, level=level)) for level, n in row.cells]
        levels = dashboards.level_totals(pipeline)
        for g in levels:
            g.url = list_url(tasks, level=g.key)
        by_year = dashboards.budget_by_year(user=user)
        for m in by_year:
            m.url = list_url(tasks, year=m.key)
        by_source = dashboards.budget_by_source(user=user)
        schedule = dashboards.schedule_counts(user=user)
        late_count, late_milestones = dashboards.late_milestones(user=user)
        filings = dashboards.filings_by_status(user=user)
        for g in filings:
            g.url = list_url("research:filing_list", status=g.key)
        outputs = "research:output_list"
        return render(
            request,
            "research/dashboard.html",
            {
                "title": _("Science, technology and innovation"),
                "today": timezone.localdate(),
                "pipeline": pipeline,
                "levels": levels,
                "total": sum(g.count for g in levels),
                "stage_colours": STAGE_COLOURS,
                "stage_chart": [(r.label, r.total) for r in pipeline],
                "level_chart": [(g.label, g.count) for g in levels],
                "by_year": by_year,
                "by_source": by_source,
                "budget_total": dashboards.budget_total(by_year),
                "year_planned_chart": [(m.label, m.planned) for m in by_year],
                "year_disbursed_chart": [(m.label, m.disbursed) for m in by_year],
                "source_planned_chart": [(m.label, m.planned) for m in by_source if m.planned],
                "source_disbursed_chart": [(m.label, m.disbursed) for m in by_source if m.planned],
                "schedule": schedule,
                "on_time_url": list_url(tasks, schedule="on_time"),
                "late_url": list_url(tasks, schedule="late"),
                "late_tasks": dashboards.late_tasks(user=user),
                "late_milestone_count": late_count,
                "late_milestones": late_milestones,
                "late_milestones_url": list_url("research:milestone_list", late="true"),
                "outputs": dashboards.outputs(user=user),
                "outputs_url": list_url(outputs),
                "production_url": list_url(outputs, in_production="true"),
                "linked_url": list_url(outputs, in_production="true", has_product="true"),
                "production": dashboards.outputs_in_production(user=user),
                "filings": filings,
                "filing_colours": FILING_COLOURS,
                "filing_chart": [(g.label, g.count) for g in filings],
            },
        )
