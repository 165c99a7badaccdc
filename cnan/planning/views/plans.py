"""The plans area's pages: indicators (the Department keeps them; everyone signed in reads), plans and
strategies with their workflow and cascade check, and their targets. Thin views over ``planning.selectors``
and ``planning.services``; buttons show only to who may use them, and the services check again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cnan.core.permissions import has_perm
from cnan.core.views.generic import (
    ChildEditView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PortalView,
    redirect_response,
)

from .. import selectors, services
from ..filters_plans import IndicatorFilterSet, PlanFilterSet
from ..forms_plans import IndicatorForm, PlanForm, PlanTransitionForm, TargetForm
from ..models import Indicator, PeriodKind, Plan, Target
from ..tables_plans import STATUS_COLOURS, IndicatorTable, PlanTable

CHANGE_TARGET = "planning.change_target"


def period_label(year: int, kind: str, number: int) -> str:
    if kind == PeriodKind.YEAR:
        return str(year)
    return f"{dict(PeriodKind.choices)[kind]} {number}/{year}"


# --- indicators --------------------------------------------------------------------------------------------


class IndicatorListView(ObjectListView):
    model = Indicator
    table_class = IndicatorTable
    filterset_class = IndicatorFilterSet
    selector = selectors.indicator_search
    export_key = "planning:indicator"
    add_url_name = "planning:indicator_add"


class IndicatorDetailView(ObjectDetailView):
    model = Indicator
    object_selector = selectors.indicator_get
    template_name = "planning/plans_indicator_detail.html"


class IndicatorEditView(ObjectEditView):
    model = Indicator
    object_selector = selectors.indicator_get
    form_class = IndicatorForm
    cancel_url_name = "planning:indicator_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> Indicator:
        return services.indicator_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Indicator:
        return services.indicator_update(actor=actor, instance=instance, data=data)


class IndicatorDeleteView(ObjectDeleteView):
    model = Indicator
    object_selector = selectors.indicator_get
    success_url_name = "planning:indicator_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.indicator_delete(actor=actor, instance=instance)


class IndicatorHistoryView(ObjectHistoryView):
    model = Indicator
    object_selector = selectors.indicator_get


# --- plans -------------------------------------------------------------------------------------------------


class PlanListView(ObjectListView):
    model = Plan
    table_class = PlanTable
    filterset_class = PlanFilterSet
    selector = selectors.plan_search
    export_key = "planning:plan"
    add_url_name = "planning:plan_add"
    title = None

    def get_title(self) -> str:
        return _("Plans and strategies")


def target_grid(plan: Plan, targets: list[Target]) -> list[dict[str, Any]]:
    """The targets grouped by indicator: one column per year or period, one row per unit (the owner first)."""
    groups: dict[int, dict[str, Any]] = {}
    for t in targets:
        group = groups.setdefault(t.indicator_id, {"indicator": t.indicator, "periods": set(), "rows": {}})
        key = (t.year, t.period_kind, t.period_number)
        group["periods"].add(key)
        group["rows"].setdefault(t.unit_id, {"unit": t.unit, "cells": {}})["cells"][key] = t
    order = {k: i for i, k in enumerate(PeriodKind.values)}
    result = []
    for group in groups.values():
        periods = sorted(group["periods"], key=lambda k: (k[0], order.get(k[1], 9), k[2]))
        rows = sorted(group["rows"].values(), key=lambda r: (r["unit"].pk != plan.owner_id, r["unit"].path))
        result.append(
            {
                "indicator": group["indicator"],
                "columns": [period_label(*k) for k in periods],
                "rows": [{"unit": r["unit"], "cells": [r["cells"].get(k) for k in periods]} for r in rows],
            }
        )
    result.sort(key=lambda g: (g["indicator"].order, g["indicator"].code))
    return result


class PlanDetailView(ObjectDetailView):
    model = Plan
    object_selector = selectors.plan_get
    template_name = "planning/plans_plan_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        targets = list(
            selectors.target_list(user=user, plan=obj).order_by(
                "indicator__order", "indicator__code", "unit__path", "year", "period_kind", "period_number"
            )
        )
        editable = obj.targets_editable
        may_targets = editable and has_perm(user, CHANGE_TARGET, obj)
        labels = {t.name: t.label for t in services.PLAN_WORKFLOW.transitions}
        statuses = dict(Plan.Status.choices)
        events = list(selectors.plan_events(user=user, plan=obj))
        for event in events:
            event.label = labels.get(event.transition, event.transition)
            event.state_label = statuses.get(event.to_state, event.to_state)
        transitions = services.PLAN_WORKFLOW.available(user, obj)
        mismatches = selectors.cascade_check(obj)
        for m in mismatches:
            m_label = period_label(m.year, m.period_kind, m.period_number)
            object.__setattr__(m, "label", m_label)  # frozen dataclass: a display attribute only
        return {
            "can_change": editable and has_perm(user, "planning.change_plan", obj),
            "can_delete": obj.status == Plan.Status.DRAFT and has_perm(user, "planning.delete_plan", obj),
            "can_edit_targets": may_targets,
            "target_groups": target_grid(obj, targets),
            "target_count": len(targets),
            "mismatches": mismatches,
            "children": list(selectors.plan_children(user=user, plan=obj).select_related("owner")),
            "parent_visible": obj.parent_id is not None
            and selectors.plan_list(user=user).filter(pk=obj.parent_id).exists(),
            "events": events,
            "transitions": transitions,
            "decision_needed": any(t.requires_decision for t in transitions),
            "status_colour": STATUS_COLOURS.get(obj.status, "secondary"),
        }


class PlanEditView(ObjectEditView):
    model = Plan
    object_selector = selectors.plan_get
    form_class = PlanForm
    cancel_url_name = "planning:plan_list"

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {k: request.GET.get(k) for k in ("kind", "owner", "parent") if request.GET.get(k)}

    def create(self, *, actor: Any, data: dict[str, Any]) -> Plan:
        return services.plan_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Plan:
        return services.plan_update(actor=actor, instance=instance, data=data)


class PlanDeleteView(ObjectDeleteView):
    model = Plan
    object_selector = selectors.plan_get
    success_url_name = "planning:plan_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.plan_delete(actor=actor, instance=instance)


class PlanHistoryView(ObjectHistoryView):
    model = Plan
    object_selector = selectors.plan_get


class PlanTransitionView(PortalView):
    """Submit, approve (decision number and date), publish or adjust a plan (``services.PLAN_WORKFLOW``). A
    refusal is shown as messages on the plan's page; nothing is written."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: Any, action: str) -> HttpResponse:
        try:
            plan = selectors.plan_get(user=request.user, pk=pk)
        except Plan.DoesNotExist as exc:
            raise Http404(_("No such record, or you may not see it.")) from exc
        try:
            transition = services.PLAN_WORKFLOW.get(action)
        except (ValidationError, KeyError) as exc:
            raise Http404 from exc
        if not has_perm(request.user, transition.perm, plan):
            raise PermissionDenied
        form = PlanTransitionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, str(message))
            return redirect_response(request, plan.get_absolute_url() + "#workflow")
        data = form.cleaned_data
        try:
            services.plan_transition(
                actor=request.user,
                plan=plan,
                action=transition.name,
                comment=data["comment"],
                decision_number=data["decision_number"] or "",
                decided_on=data["decided_on"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(action)s” was recorded.") % {"action": transition.label})
        return redirect_response(request, plan.get_absolute_url() + "#workflow")


# --- targets -----------------------------------------------------------------------------------------------


class TargetEditView(ChildEditView):
    """Add a target to a plan (``plan_pk``) or change one's value (``pk``), for who may change the plan's
    targets; the service takes them only while the plan is a draft or adjusted."""

    model = Target
    form_class = TargetForm
    parent_kwarg = "plan_pk"

    def load(self, request: HttpRequest, parent_pk: Any, pk: Any) -> tuple[Plan, Target | None]:
        try:
            target = selectors.target_get(user=request.user, pk=pk) if pk is not None else None
            plan = selectors.plan_get(user=request.user, pk=target.plan_id if target else parent_pk)
        except (Target.DoesNotExist, Plan.DoesNotExist) as exc:
            raise Http404(_("No such record, or you may not see it.")) from exc
        if not has_perm(request.user, CHANGE_TARGET, plan):
            raise PermissionDenied
        return plan, target

    def new_title(self, parent: Any) -> str:
        return _("New target of %(plan)s") % {"plan": parent}

    def cancel_url(self, parent: Any, obj: Any) -> str:
        return obj.get_absolute_url() if obj else parent.get_absolute_url() + "#targets"

    def create(self, *, actor: Any, parent: Any, data: dict[str, Any]) -> Target:
        return services.target_set(actor=actor, plan=parent, **data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Target:
        return services.target_set(
            actor=actor,
            plan=instance.plan,
            unit=instance.unit,
            indicator=instance.indicator,
            year=instance.year,
            period_kind=instance.period_kind,
            period_number=instance.period_number,
            value=data["value"],
            note=data.get("note", ""),
        )


class TargetDeleteView(ObjectDeleteView):
    model = Target
    object_selector = selectors.target_get

    def _load(self, request: HttpRequest, pk: Any) -> Any:
        obj: Any = self.get_object(request, pk)
        if not has_perm(request.user, "planning.delete_target", obj.plan):
            raise PermissionDenied
        return obj

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self._load(request, pk)
        label, back = str(obj), obj.plan.get_absolute_url() + "#targets"
        try:
            services.target_delete(actor=request.user, instance=obj)
        except ValidationError as exc:
            return render(
                request,
                self.template_name,
                {"object": obj, "model_opts": obj._meta, "errors": exc.messages},
                status=409,
            )
        messages.success(request, _("%(object)s was deleted.") % {"object": label})
        return redirect_response(request, back)


class TargetHistoryView(ObjectHistoryView):
    model = Target
    object_selector = selectors.target_get


def _title(title: Any) -> Callable[[], str]:
    return lambda: str(title)


def register_pages() -> None:
    """Menu items and list exports of the plans area's pages."""
    from django.utils.translation import gettext_lazy

    from cnan.core import exports, navigation

    M = navigation.MenuItem
    navigation.register(
        M("planning", gettext_lazy("Plans and strategies"), "planning:plan_list", "planning.view_plan", 30),
        M("planning", gettext_lazy("Indicators"), "planning:indicator_list", "planning.view_indicator", 40),
    )
    for key, title, selector, table in [
        ("plan", gettext_lazy("Plans and strategies"), selectors.plan_search, PlanTable),
        ("indicator", gettext_lazy("Indicators"), selectors.indicator_search, IndicatorTable),
    ]:
        exports.register_list(
            exports.ListSpec(key=f"planning:{key}", title=_title(title), selector=selector, table_class=table)
        )
