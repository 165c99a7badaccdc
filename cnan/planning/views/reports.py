"""Reporting periods and the enterprises' periodic reports: the Department opens and closes the periods (the
Decree 09/2019 dates computed by the service), an enterprise's officer starts its report, fills the grid of
values (or imports it from XLSX), submits it; the Department returns or accepts it; an accepted report is
locked and only a correction (a new version) replaces it. Every page reads through the selectors and writes
through the services; buttons show only to who may use them and when the state allows."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cnan.core import imports
from cnan.core.exports import CONTENT_TYPES
from cnan.core.permissions import has_perm
from cnan.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PortalView,
    attach_errors,
    edit_template,
    redirect_response,
)

from .. import selectors, services
from ..filters_reports import PeriodFilterSet, ReportFilterSet
from ..forms_reports import (
    SCENARIOS,
    CorrectForm,
    PeriodOpenForm,
    ReportAddForm,
    ReportValuesForm,
    TransitionForm,
    format_number,
    indicator_label,
    member_enterprises,
)
from ..imports import REPORT, filled_template
from ..models import Report, ReportingPeriod, Scenario
from ..tables_reports import STATE_COLOURS, PeriodTable, ReportTable

OPEN_PERIOD = "planning.open_reportingperiod"


def _report(request: HttpRequest, pk: Any) -> Report:
    try:
        return selectors.report_get(user=request.user, pk=pk)
    except Report.DoesNotExist as exc:
        raise Http404(_("No such record, or you may not see it.")) from exc


def may_edit(user: Any, report: Report) -> bool:
    """Whether ``user`` may change the report's values now (a member of its enterprise, while editable)."""
    return (
        report.state in Report.EDITABLE
        and has_perm(user, "planning.change_report", report)
        and services.report_filer(user, report.enterprise)
    )


def may_correct(user: Any, report: Report) -> bool:
    return (
        report.state == Report.State.ACCEPTED
        and not Report.objects.filter(previous=report).exists()
        and has_perm(user, "planning.add_report", report.enterprise)
        and services.report_filer(user, report.enterprise)
    )


# --- reporting periods ------------------------------------------------------------------------------------


class PeriodListView(ObjectListView):
    model = ReportingPeriod
    table_class = PeriodTable
    filterset_class = PeriodFilterSet
    selector = selectors.period_search
    export_key = "planning:period"
    add_url_name = "planning:period_open"
    add_perm = OPEN_PERIOD


class PeriodOpenView(ObjectEditView):
    model = ReportingPeriod
    form_class = PeriodOpenForm
    add_perm = OPEN_PERIOD
    cancel_url_name = "planning:period_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> ReportingPeriod:
        period = services.period_open(
            actor=actor, kind=data["kind"], year=data["year"], number=data["number"], due_on=data["due_on"]
        )
        messages.info(
            self.request,
            _("%(period)s runs from %(start)s to %(end)s; reports are due on %(due)s.")
            % {
                "period": period,
                "start": period.starts_on.strftime("%d/%m/%Y"),
                "end": period.ends_on.strftime("%d/%m/%Y"),
                "due": period.due_on.strftime("%d/%m/%Y"),
            },
        )
        return period


class PeriodCloseView(PortalView):
    """Close an open period (the Department): reports are no longer started for it."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        period = selectors.period_list(user=request.user).filter(pk=pk).first()
        if period is None:
            raise Http404(_("No such record, or you may not see it."))
        if not has_perm(request.user, OPEN_PERIOD, period):
            raise PermissionDenied
        try:
            services.period_close(actor=request.user, period=period)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(period)s was closed.") % {"period": period})
        return redirect_response(request, reverse("planning:period_list"))


# --- periodic reports -------------------------------------------------------------------------------------


class ReportListView(ObjectListView):
    model = Report
    table_class = ReportTable
    filterset_class = ReportFilterSet
    selector = selectors.report_search
    export_key = "planning:report"
    add_url_name = "planning:report_add"


class ReportAddView(PortalView):
    """An enterprise's officer starts the report of an enterprise they belong to for an open period."""

    def _check(self, request: HttpRequest) -> None:
        if not has_perm(request.user, "planning.add_report") or not member_enterprises(request.user).exists():
            raise PermissionDenied

    def _render(self, request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": _("New periodic report"), "cancel_url": reverse("planning:report_list")}
        return render(request, edit_template(request), context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        return self._render(request, ReportAddForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = ReportAddForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                report = services.report_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("%(object)s was created.") % {"object": report})
                return redirect_response(request, report.get_absolute_url())
        return self._render(request, form, status=422)


class ReportDetailView(ObjectDetailView):
    model = Report
    object_selector = selectors.report_get
    template_name = "planning/reports_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        report: Report = obj
        values = {(v.indicator_id, v.scenario): v for v in selectors.report_values(user=user, report=report)}
        grid = []
        for indicator in selectors.indicator_list(user=user, active_only=True).order_by("order", "code"):
            cells = []
            for scenario in SCENARIOS:
                value = values.get((indicator.pk, scenario))
                cells.append({"value": value, "shown": format_number(value.value) if value else ""})
            grid.append({"indicator": indicator, "label": indicator_label(indicator), "cells": cells})
        labels = {t.name: t.label for t in services.REPORT_WORKFLOW.transitions}
        labels["supersede"] = _("Superseded")
        states = dict(Report.State.choices)
        events = list(selectors.report_events(user=user, report=report))
        for event in events:
            event.label = labels.get(event.transition, event.transition)
            event.state_label = states.get(event.to_state, event.to_state)
        transitions = services.REPORT_WORKFLOW.available(user, report)
        editable = may_edit(user, report)
        correction = selectors.report_list(user=user).filter(previous=report).first()
        return {
            "can_change": False,
            "can_delete": False,
            "grid": grid,
            "scenarios": [label for _value, label in Scenario.choices],
            "missing": selectors.missing_required(report),
            "events": events,
            "transitions": transitions,
            "comment_required": any(t.requires_comment for t in transitions),
            "state_colour": STATE_COLOURS.get(Report.State(report.state), "secondary"),
            "can_edit": editable,
            "can_correct": may_correct(user, report),
            "previous": report.previous
            if report.previous_id and selectors.report_list(user=user).filter(pk=report.previous_id).exists()
            else None,
            "correction": correction,
            "import_url": imports.url_for(user, REPORT, report=report.pk) if editable else None,
            "template_url": reverse("planning:report_template", kwargs={"pk": report.pk}) if editable else None,
        }


class ReportValuesView(PortalView):
    """The grid of a report's values: one input per indicator × scenario, numbers in the user's language,
    saved through ``services.report_values_set`` all or nothing."""

    template_name = "planning/reports_values.html"

    def _load(self, request: HttpRequest, pk: Any) -> Report:
        report = _report(request, pk)
        if not has_perm(request.user, "planning.change_report", report) or not services.report_filer(
            request.user, report.enterprise
        ):
            raise PermissionDenied
        return report

    def _form(self, request: HttpRequest, report: Report, data: Any = None) -> ReportValuesForm:
        indicators = list(selectors.indicator_list(user=request.user, active_only=True).order_by("order", "code"))
        current = {(v.indicator_id, v.scenario): v for v in selectors.report_values(user=request.user, report=report)}
        return ReportValuesForm(data, indicators=indicators, current=current)

    def _render(self, request: HttpRequest, report: Report, form: Any, status: int = 200) -> HttpResponse:
        context = {
            "object": report,
            "form": form,
            "grid": form.grid(),
            "scenarios": [label for _value, label in Scenario.choices],
            "editable": report.state in Report.EDITABLE,
            "example": format_number(Decimal("1234.5")),
            "title": _("Values of %(report)s") % {"report": report},
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        report = self._load(request, pk)
        return self._render(request, report, self._form(request, report))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        report = self._load(request, pk)
        form = self._form(request, report, request.POST)
        if form.is_valid():
            rows = form.changes()
            try:
                if rows:
                    services.report_values_set(actor=request.user, report=report, values=rows)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                if rows:
                    messages.success(
                        request,
                        _("%(count)s figures were saved: %(figures)s.")
                        % {
                            "count": len(rows),
                            "figures": "; ".join(
                                f"{i.code} {Scenario(s).label}: {format_number(v) if v is not None else '—'}"
                                for i, s, v, *_rest in rows
                            ),
                        },
                    )
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect_response(request, report.get_absolute_url())
        report.refresh_from_db()
        return self._render(request, report, form, status=422)


class ReportTransitionView(PortalView):
    """Submit, return (a comment required) or accept a report (``services.REPORT_WORKFLOW``). A refusal is
    shown as a message on the report's page; nothing is written."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: Any, action: str) -> HttpResponse:
        report = _report(request, pk)
        try:
            transition = services.REPORT_WORKFLOW.get(action)
        except ValidationError as exc:
            raise Http404 from exc
        if not has_perm(request.user, transition.perm, report):
            raise PermissionDenied
        form = TransitionForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            services.report_transition(actor=request.user, report=report, action=transition.name, comment=comment)
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(action)s” was recorded.") % {"action": transition.label})
        return redirect_response(request, report.get_absolute_url() + "#workflow")


class ReportCorrectView(PortalView):
    """Open a correction of an accepted report (a reason required): the new version's page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        report = _report(request, pk)
        if not has_perm(request.user, "planning.add_report", report.enterprise) or not services.report_filer(
            request.user, report.enterprise
        ):
            raise PermissionDenied
        form = CorrectForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            correction = services.report_correct(actor=request.user, report=report, reason=reason)
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                messages.error(request, message)
            return redirect_response(request, report.get_absolute_url())
        messages.success(
            request, _("Version %(version)s was opened to correct the report.") % {"version": correction.version}
        )
        return redirect_response(request, correction.get_absolute_url())


class ReportHistoryView(ObjectHistoryView):
    model = Report
    object_selector = selectors.report_get


class ReportTemplateView(PortalView):
    """The import's template filled with the active indicators and the report's figures (for who may edit)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        report = _report(request, pk)
        if not has_perm(request.user, "planning.change_report", report) or not services.report_filer(
            request.user, report.enterprise
        ):
            raise PermissionDenied
        response = HttpResponse(filled_template(user=request.user, report=report), content_type=CONTENT_TYPES["xlsx"])
        name = f"bao-cao-{report.enterprise.code}-{report.period.year}-v{report.version}.xlsx".replace(" ", "-")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def register_pages() -> None:
    """Menu items, list exports and the import of this area's pages."""
    from django.utils.translation import gettext_lazy

    from cnan.core import exports, navigation

    from .. import imports as report_imports

    report_imports.register()
    M = navigation.MenuItem
    navigation.register(
        M("planning", gettext_lazy("Periodic reports"), "planning:report_list", "planning.view_report", 50),
        M("planning", gettext_lazy("Reporting periods"), "planning:period_list", "planning.view_reportingperiod", 60),
    )
    for key, title, selector, table in [
        ("report", gettext_lazy("Periodic reports"), selectors.report_search, ReportTable),
        ("period", gettext_lazy("Reporting periods"), selectors.period_search, PeriodTable),
    ]:
        exports.register_list(
            exports.ListSpec(key=f"planning:{key}", title=_title(title), selector=selector, table_class=table)
        )


def _title(title: Any) -> Callable[[], str]:
    return lambda: str(title)
