"""Thin views over the directives' selectors and services (generic machinery in ``core.views.generic``)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cnan.core import imports
from cnan.core import services as core_services
from cnan.core.permissions import has_perm, may_list
from cnan.core.views.generic import (
    ChildEditView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PortalView,
    attach_errors,
    edit_template,
    redirect_response,
)

from . import dashboards, export, selectors, services
from . import status as rules
from .filters import CommitteeFilterSet, DocumentFilterSet, TaskFilterSet
from .forms import AdjustmentForm, CommitteeForm, DocumentForm, MeetingForm, ReportForm, ReviewForm, TaskForm
from .models import DirectiveDocument, Evidence, Meeting, ProgressReport, Status, SteeringCommittee, Task
from .tables import STATUS_COLOURS, STATUS_HEX, CommitteeTable, DocumentTable, TaskTable


def item_key(number: str) -> tuple:
    """ "2.10" after "2.9": the numbers of an item compared as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-/ ]+", number.strip()) if p)


def task_tree(tasks: list[Task]) -> list[tuple[Task, int]]:
    """Tasks in the order of the document, each sub-task after its parent with its depth. A sub-task whose
    parent the user may not see starts its own branch."""
    ids = {t.pk for t in tasks}
    children: dict[int | None, list[Task]] = {}
    for t in tasks:
        children.setdefault(t.parent_id if t.parent_id in ids else None, []).append(t)
    out: list[tuple[Task, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for t in sorted(children.get(parent, []), key=lambda t: (item_key(t.number), t.pk)):
            out.append((t, depth))
            walk(t.pk, depth + 1)

    walk(None, 0)
    return out


def document_tasks(user: Any, document: DirectiveDocument) -> list[tuple[Task, int]]:
    tasks = list(
        selectors.task_list(user=user)
        .filter(document=document)
        .select_related("lead")
        .prefetch_related("coordinating")
        .order_by("id")
    )
    return task_tree(tasks)


def latest_narratives(user: Any, tasks: list[Task]) -> dict[int, str]:
    """The narrative of each task's latest report (returned ones left out), in one query."""
    latest: dict[int, str] = {}
    reports = (
        ProgressReport.objects.visible_to(user, "view")
        .filter(task__in=[t.pk for t in tasks])
        .exclude(state=ProgressReport.State.RETURNED)
        .order_by("task_id", "reported_on", "id")
        .values_list("task_id", "narrative")
    )
    for task_id, narrative in reports:
        latest[task_id] = narrative
    return latest


def gantt_rows(document: DirectiveDocument, rows: list[tuple[Task, int]]) -> list[dict[str, Any]]:
    """One bar per task: from the document's date to the current deadline (a regular task: to today),
    coloured by status."""
    today = timezone.localdate()
    out = []
    for task, depth in rows:
        end = task.effective_deadline or max(today, document.issued_on)
        out.append(
            {
                "label": ("  " * depth) + task.number,
                "start": document.issued_on.isoformat(),
                "end": end.isoformat(),
                "startLabel": document.issued_on.strftime("%d/%m/%Y"),
                "endLabel": end.strftime("%d/%m/%Y") if task.effective_deadline else _("regular"),
                "status": task.get_status_display(),
                "colour": STATUS_HEX.get(task.status, "#6c757d"),
                "progress": task.progress,
                "url": task.get_absolute_url(),
            }
        )
    return out


def list_url(name: str, **params: Any) -> str:
    return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)


# --- committees and meetings ---------------------------------------------------------------------------


class CommitteeListView(ObjectListView):
    model = SteeringCommittee
    table_class = CommitteeTable
    filterset_class = CommitteeFilterSet
    selector = selectors.committee_list
    export_key = "directives:committee"
    add_url_name = "directives:committee_add"


class CommitteeDetailView(ObjectDetailView):
    model = SteeringCommittee
    object_selector = selectors.committee_get
    template_name = "directives/committee_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        return {
            "members": obj.members.order_by("path"),
            "meetings": Meeting.objects.visible_to(user, "view").filter(committee=obj).order_by("-held_on", "-id"),
            "documents": selectors.document_list(user=user).filter(committee=obj).order_by("-issued_on"),
            "can_add_meeting": has_perm(user, "directives.change_steeringcommittee", obj),
        }


class CommitteeEditView(ObjectEditView):
    model = SteeringCommittee
    object_selector = selectors.committee_get
    form_class = CommitteeForm
    cancel_url_name = "directives:committee_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> SteeringCommittee:
        return services.committee_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> SteeringCommittee:
        return services.committee_update(actor=actor, instance=instance, data=data)


class CommitteeDeleteView(ObjectDeleteView):
    model = SteeringCommittee
    object_selector = selectors.committee_get
    success_url_name = "directives:committee_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.committee_delete(actor=actor, instance=instance)


class CommitteeHistoryView(ObjectHistoryView):
    model = SteeringCommittee
    object_selector = selectors.committee_get


class MeetingEditView(ChildEditView):
    """Record (``committee_pk``) or edit (``pk``) a meeting of a committee (date, agenda, conclusion), for
    who may change the committee."""

    model = Meeting
    form_class = MeetingForm
    parent_kwarg = "committee_pk"

    def load(self, request: HttpRequest, parent_pk: Any, pk: Any) -> tuple[SteeringCommittee, Meeting | None]:
        meeting = selectors.meeting_get(user=request.user, pk=pk) if pk is not None else None
        committee = selectors.committee_get(user=request.user, pk=meeting.committee_id if meeting else parent_pk)
        if not has_perm(request.user, "directives.change_steeringcommittee", meeting or committee):
            raise PermissionDenied
        return committee, meeting

    def new_title(self, parent: Any) -> str:
        return _("New meeting of %(committee)s") % {"committee": parent.code}

    def create(self, *, actor: Any, parent: Any, data: dict[str, Any]) -> Meeting:
        return services.meeting_create(actor=actor, committee=parent, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Meeting:
        return services.meeting_update(actor=actor, instance=instance, data=data)


class MeetingDeleteView(ObjectDeleteView):
    """Delete a meeting (refused while documents came from it), for who may change the committee."""

    model = Meeting
    object_selector = selectors.meeting_get

    def _load(self, request: HttpRequest, pk: Any) -> Meeting:
        meeting = self.get_object(request, pk)
        if not has_perm(request.user, "directives.change_steeringcommittee", meeting):
            raise PermissionDenied
        return meeting

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._load(request, pk)
        label, committee_url = str(meeting), meeting.committee.get_absolute_url()
        try:
            services.meeting_delete(actor=request.user, instance=meeting)
        except ValidationError as exc:
            return render(
                request,
                self.template_name,
                {"object": meeting, "model_opts": Meeting._meta, "errors": exc.messages},
                status=409,
            )
        messages.success(request, _("%(object)s was deleted.") % {"object": label})
        return redirect_response(request, committee_url)


class MeetingHistoryView(ObjectHistoryView):
    model = Meeting
    object_selector = selectors.meeting_get


# --- documents -----------------------------------------------------------------------------------------


class DocumentListView(ObjectListView):
    model = DirectiveDocument
    table_class = DocumentTable
    filterset_class = DocumentFilterSet
    selector = selectors.document_list
    export_key = "directives:document"
    add_url_name = "directives:document_add"


class DocumentDetailView(ObjectDetailView):
    model = DirectiveDocument
    object_selector = selectors.document_get
    template_name = "directives/document_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        rows = document_tasks(user, obj)
        visible = DirectiveDocument.objects.visible_to(user, "view")
        gantt = gantt_rows(obj, rows)
        return {
            "rows": rows,
            "gantt": gantt,
            "gantt_json": json.dumps(gantt, ensure_ascii=False),
            "gantt_height": 80 + 28 * len(gantt),
            "legend": [(value, label, STATUS_HEX[value]) for value, label in Status.choices],
            "status_colours": STATUS_COLOURS,
            "implements": visible.filter(pk__in=obj.implements.values("pk")).order_by("-issued_on"),
            "implemented_by": visible.filter(pk__in=obj.implemented_by.values("pk")).order_by("-issued_on"),
            "can_add_task": has_perm(user, "directives.add_task", obj.organization),
            "task_import_url": imports.url_for(user, "directives:tasks", document=obj.pk)
            if has_perm(user, "directives.add_task", obj.organization)
            else None,
            "tasks_url": list_url("directives:task_list", document=obj.pk),
        }


class DocumentEditView(ObjectEditView):
    model = DirectiveDocument
    object_selector = selectors.document_get
    form_class = DocumentForm
    cancel_url_name = "directives:document_list"

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {"committee": request.GET.get("committee"), "meeting": request.GET.get("meeting")}

    def create(self, *, actor: Any, data: dict[str, Any]) -> DirectiveDocument:
        return services.document_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> DirectiveDocument:
        return services.document_update(actor=actor, instance=instance, data=data)


class DocumentDeleteView(ObjectDeleteView):
    model = DirectiveDocument
    object_selector = selectors.document_get
    success_url_name = "directives:document_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        if instance.tasks.exists():
            raise ValidationError(_("A document that assigns tasks cannot be deleted; delete its tasks first."))
        services.document_delete(actor=actor, instance=instance)


class DocumentHistoryView(ObjectHistoryView):
    model = DirectiveDocument
    object_selector = selectors.document_get


class DocumentAttachmentView(PortalView):
    """The document's attachment, to who may see the document (never a public media address)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        document = selectors.document_get(user=request.user, pk=pk)
        if not document.attachment:
            raise Http404
        core_services.record_read(user=request.user, instance=document)
        return FileResponse(document.attachment.open("rb"), as_attachment=True, filename=_basename(document.attachment))


class DocumentTasksExportView(PortalView):
    """The document's task table as XLSX, in the follow-up layout."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        document = selectors.document_get(user=request.user, pk=pk)
        rows = document_tasks(request.user, document)
        narratives = latest_narratives(request.user, [t for t, _d in rows])
        data = export.workbook(document, [(t, depth, narratives.get(t.pk, "")) for t, depth in rows])
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{export.filename(document)}"'
        return response


def _basename(field: Any) -> str:
    return field.name.rsplit("/", 1)[-1]


# --- tasks ---------------------------------------------------------------------------------------------


class TaskListView(ObjectListView):
    model = Task
    table_class = TaskTable
    filterset_class = TaskFilterSet
    selector = selectors.task_list
    export_key = "directives:task"
    title = None
    keyset_paging = "sorted"  # 50,000 tasks nationally: any page, in any column's order, costs the first one's

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"dashboard_url": reverse("directives:dashboard")}


def task_perms(user: Any, task: Task) -> dict[str, bool]:
    """What the user may do on a task, by the side it acts for (the services check the same)."""
    open_ = task.status not in rules.DONE
    return {
        "can_change": has_perm(user, "directives.change_task", task.assigned_by),
        "can_delete": has_perm(user, "directives.delete_task", task.assigned_by),
        "can_adjust": open_ and has_perm(user, "directives.add_taskadjustment", task.assigned_by),
        "can_report": open_
        and not task.paused
        and has_perm(user, "directives.add_progressreport", task.lead)
        and not task.children.exists(),
        "can_split": open_ and has_perm(user, "directives.add_task", task.lead),
    }


class TaskDetailView(ObjectDetailView):
    model = Task
    object_selector = selectors.task_get
    template_name = "directives/task_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return task_context(request, obj)


def task_context(request: HttpRequest, task: Task, **forms: Any) -> dict[str, Any]:
    user = request.user
    perms = task_perms(user, task)
    reports = list(selectors.report_list(user=user, task=task))
    for report in reports:
        report.transitions = services.REPORT_WORKFLOW.available(user, report)
    accepted = sorted(
        ((r.reported_on, r.percent) for r in reports if r.state == ProgressReport.State.ACCEPTED),
    )
    points = accepted if not task.children.exists() else []
    today = timezone.localdate()
    outlook = rules.forecast(
        today=today,
        assigned_on=task.document.issued_on,
        deadline=task.effective_deadline,
        points=points,
        done=task.status in rules.DONE,
        regular=task.regular,
    )
    history = [(task.document.issued_on, 0), *accepted]
    children = list(selectors.task_list(user=user).filter(parent=task).select_related("lead").order_by("number", "id"))
    children.sort(key=lambda t: (item_key(t.number), t.pk))
    context = {
        **perms,
        "reports": reports,
        "forecast": outlook,
        "points": points,
        "history_json": json.dumps([[d.isoformat(), p] for d, p in history]),
        "adjustments": task.adjustments.select_related("actor").order_by("decided_on", "id"),
        "children": children,
        "subtask_import_url": perms["can_split"] and imports.url_for(user, "directives:subtasks", task=task.pk),
        "coordinating": task.coordinating.order_by("path"),
        "status_colour": STATUS_COLOURS.get(task.status, "secondary"),
        "status_colours": STATUS_COLOURS,
        "today": today,
        "report_form": forms.get("report_form") or (ReportForm(user=user) if perms["can_report"] else None),
        "adjustment_form": forms.get("adjustment_form")
        or (AdjustmentForm(user=user, initial={"decided_on": today}) if perms["can_adjust"] else None),
        "review_errors": forms.get("review_errors"),
        "review_report": forms.get("review_report"),
        "can_change": perms["can_change"],
        "can_delete": perms["can_delete"],
    }
    return context


def render_task(request: HttpRequest, task: Task, status: int = 200, **forms: Any) -> HttpResponse:
    from cnan.core import audit
    from cnan.core.views.generic import object_urls

    task = selectors.task_get(user=request.user, pk=task.pk)
    context = {
        "object": task,
        "model_opts": task._meta,
        **object_urls(task),
        "history": list(audit.history(task)[: TaskDetailView.history_size]),
        **task_context(request, task, **forms),
    }
    return render(request, "directives/task_detail.html", context, status=status)


class TaskEditView(PortalView):
    """A task of a document (``document_pk``), a sub-task of a task (``parent_pk``), or a task edited (``pk``).
    The services decide (the lead of a sub-task is a unit under the parent's lead); their errors show on the
    form, with nothing written."""

    def _load(self, request, document_pk=None, parent_pk=None, pk=None):
        user = request.user
        task = parent = None
        if pk is not None:
            task = selectors.task_get(user=user, pk=pk)
            document, parent = task.document, task.parent
            if not has_perm(user, "directives.change_task", task.assigned_by):
                raise PermissionDenied
        elif parent_pk is not None:
            parent = selectors.task_get(user=user, pk=parent_pk)
            document = parent.document
            if not has_perm(user, "directives.add_task", parent.lead):
                raise PermissionDenied
        else:
            document = selectors.document_get(user=user, pk=document_pk)
            if not has_perm(user, "directives.add_task", document.organization):
                raise PermissionDenied
        return document, parent, task

    def _render(self, request, document, parent, task, form, status=200):
        if task is not None:
            title = _("Edit %(object)s") % {"object": task}
        elif parent is not None:
            title = _("New sub-task of %(task)s") % {"task": parent}
        else:
            title = _("New task of %(document)s") % {"document": document.number}
        cancel = (task or parent or document).get_absolute_url()
        return render(
            request,
            edit_template(request),
            {
                "form": form,
                "object": task,
                "document": document,
                "parent": parent,
                "model_opts": Task._meta,
                "title": title,
                "cancel_url": cancel,
            },
            status=status,
        )

    def get(self, request: HttpRequest, document_pk=None, parent_pk=None, pk=None) -> HttpResponse:
        document, parent, task = self._load(request, document_pk, parent_pk, pk)
        initial = None
        if task is None:
            initial = {"priority": Task.Priority.NORMAL}
            if parent is not None:
                n = parent.children.count() + 1
                initial.update(
                    number=f"{parent.number}.{n}",
                    deadline=parent.effective_deadline,
                    classification=parent.classification,
                    expected_product=parent.expected_product,
                )
        form = TaskForm(instance=task, initial=initial, user=request.user, parent=parent)
        return self._render(request, document, parent, task, form)

    def post(self, request: HttpRequest, document_pk=None, parent_pk=None, pk=None) -> HttpResponse:
        document, parent, task = self._load(request, document_pk, parent_pk, pk)
        form = TaskForm(request.POST, instance=task, user=request.user, parent=parent)
        if form.is_valid():
            try:
                if task is None:
                    saved = services.task_create(
                        actor=request.user, document=document, parent=parent, data=form.cleaned_data
                    )
                    messages.success(request, _("%(object)s was created.") % {"object": saved})
                else:
                    saved = services.task_update(actor=request.user, instance=task, data=form.cleaned_data)
                    messages.success(request, _("%(object)s was saved.") % {"object": saved})
            except ValidationError as exc:
                attach_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You do not have permission to perform this action."))
            else:
                return redirect_response(request, saved.get_absolute_url())
        if task is not None:
            task.refresh_from_db()
        return self._render(request, document, parent, task, form, status=422)


class TaskDeleteView(PortalView):
    template_name = "generic/object_delete.html"

    def _load(self, request: HttpRequest, pk: Any) -> Task:
        task = selectors.task_get(user=request.user, pk=pk)
        if not has_perm(request.user, "directives.delete_task", task.assigned_by):
            raise PermissionDenied
        return task

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        task = self._load(request, pk)
        return render(request, self.template_name, {"object": task, "model_opts": task._meta})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        task = self._load(request, pk)
        label, back = str(task), (task.parent or task.document).get_absolute_url()
        try:
            services.task_delete(actor=request.user, instance=task)
        except ValidationError as exc:
            return render(
                request,
                self.template_name,
                {"object": task, "model_opts": task._meta, "errors": exc.messages},
                status=409,
            )
        messages.success(request, _("%(object)s was deleted.") % {"object": label})
        return redirect_response(request, back)


class TaskHistoryView(ObjectHistoryView):
    model = Task
    object_selector = selectors.task_get


class ReportSubmitView(PortalView):
    """The lead unit's progress report with its evidence files (``services.report_submit``)."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        task = selectors.task_get(user=request.user, pk=pk)
        if not has_perm(request.user, "directives.add_progressreport", task.lead):
            raise PermissionDenied
        form = ReportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "evidence"}
            try:
                services.report_submit(actor=request.user, task=task, data=data, files=form.cleaned_data["evidence"])
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "file" in exc.error_dict:
                    exc = ValidationError({"evidence": exc.error_dict.pop("file"), **exc.error_dict})
                attach_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You do not have permission to perform this action."))
            else:
                messages.success(request, _("The report was submitted; the assigning unit will review it."))
                return redirect_response(request, task.get_absolute_url() + "#reports")
        return render_task(request, task, status=422, report_form=form)


class ReportReviewView(PortalView):
    """Accept a report, or return it with a comment (``services.REPORT_WORKFLOW``)."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        try:
            report = ProgressReport.objects.visible_to(request.user, "view").select_related("task").get(pk=pk)
        except (ProgressReport.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        task = selectors.task_get(user=request.user, pk=report.task_id)
        form = ReviewForm(request.POST)
        form.is_valid()
        action = form.cleaned_data.get("action", "")
        comment = form.cleaned_data.get("comment", "")
        try:
            services.report_review(actor=request.user, report=report, action=action, comment=comment)
        except ValidationError as exc:
            return render_task(request, task, status=422, review_errors=exc.messages, review_report=report.pk)
        messages.success(
            request,
            _("The report was accepted.") if action == "accept" else _("The report was returned to the lead unit."),
        )
        return redirect_response(request, task.get_absolute_url() + f"#report-{report.pk}")


class AdjustmentCreateView(PortalView):
    """A decision of the assigning unit: move the deadline, pause or resume (``services.adjustment_create``)."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        task = selectors.task_get(user=request.user, pk=pk)
        if not has_perm(request.user, "directives.add_taskadjustment", task.assigned_by):
            raise PermissionDenied
        form = AdjustmentForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.adjustment_create(actor=request.user, task=task, data=form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The adjustment was recorded."))
                return redirect_response(request, task.get_absolute_url() + "#adjustments")
        return render_task(request, task, status=422, adjustment_form=form)


class EvidenceDownloadView(PortalView):
    """An evidence file, to who may see it (404 otherwise): never a public media address."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        try:
            evidence = Evidence.objects.visible_to(request.user, "view").get(pk=pk)
        except (Evidence.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        core_services.record_read(user=request.user, instance=evidence)
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=evidence.name or _basename(evidence.file))


# --- follow-up dashboard -------------------------------------------------------------------------------


class DashboardView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not may_list(request.user, Task):
            raise PermissionDenied
        user = request.user
        tasks = "directives:task_list"
        statuses = dashboards.by_status(user=user)
        rag = dashboards.by_rag(user=user)
        documents = dashboards.by_document(user=user)
        leads = dashboards.by_lead(user=user)
        overdue = dashboards.most_overdue(user=user)
        for g in statuses:
            g.url = list_url(tasks, status=g.key)
        for g in rag:
            g.url = list_url(tasks, rag=g.key)
        for g in documents:
            g.url = list_url(tasks, document=g.key)
            g.overdue_url = list_url(tasks, document=g.key, status="overdue")
        for g in leads:
            g.url = list_url(tasks, lead=g.key)
        for g in overdue:
            g.url = list_url(tasks, lead=g.key, status="overdue")
        return render(
            request,
            "directives/dashboard.html",
            {
                "title": _("Follow-up of directives"),
                "total": sum(g.count for g in statuses),
                "statuses": statuses,
                "rag": rag,
                "documents": documents,
                "leads": leads,
                "overdue": overdue,
                "slipping": dashboards.slipping(user=user),
                "slipping_url": list_url(tasks, slipping="true"),
                "status_colours": STATUS_COLOURS,
                "status_chart": [(g.label, g.count) for g in statuses],
                "rag_chart": [(g.label, g.count) for g in rag],
                "document_chart": [(g.label, g.count) for g in documents[:15]],
                "lead_chart": [(g.label, g.count) for g in leads[:15]],
                "overdue_chart": [(g.label, g.count) for g in overdue],
                "today": timezone.localdate(),
            },
        )
