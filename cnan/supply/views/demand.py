"""Demand pages: the units' demand plans and their lines (with the XLSX import and the workflow), the
enterprises' capacity and the imported purchases. Thin views over ``supply.selectors`` and
``supply.services``; buttons show only to who may use them, and the services check again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.core import imports
from cnan.core.permissions import has_perm
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

from .. import selectors, services
from ..filters_demand import CapacityFilterSet, DemandLineFilterSet, DemandPlanFilterSet, ImportPurchaseFilterSet
from ..forms_demand import CapacityForm, DemandLineForm, DemandPlanForm, ImportPurchaseForm, TransitionForm
from ..imports import DEMAND
from ..models import Capacity, DemandLine, DemandPlan, ImportPurchase
from ..tables_demand import (
    STATE_COLOURS,
    CapacityTable,
    DemandLineTable,
    DemandPlanTable,
    ImportPurchaseTable,
)

CHANGE_PLAN = "supply.change_demandplan"


def _editable(plan: DemandPlan) -> bool:
    return plan.state in services.EDITABLE


# --- demand plans ----------------------------------------------------------------------------------------


class PlanListView(ObjectListView):
    model = DemandPlan
    table_class = DemandPlanTable
    filterset_class = DemandPlanFilterSet
    selector = selectors.plan_search
    export_key = "supply:plan"
    add_url_name = "supply:plan_add"


def _match_url(user: Any, plan: DemandPlan) -> str | None:
    """The plan's lines on the matching page, for who matches demand (the consolidating Department)."""
    from .allocation import MATCH_PERM

    if not has_perm(user, MATCH_PERM):
        return None
    return reverse("supply:match") + "?" + urlencode({"plan": plan.pk})


class PlanDetailView(ObjectDetailView):
    model = DemandPlan
    object_selector = selectors.plan_get
    template_name = "supply/demand_plan_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        may_change = has_perm(user, CHANGE_PLAN, obj)
        lines_open = may_change and _editable(obj)
        lines = list(selectors.line_search(user=user).filter(plan=obj).order_by("number"))
        labels = {t.name: t.label for t in services.PLAN_WORKFLOW.transitions}
        events = list(selectors.plan_events(user=user, plan=obj))
        transitions = services.PLAN_WORKFLOW.available(user, obj)
        for event in events:
            event.label = labels.get(event.transition, event.transition)
            event.state_label = dict(DemandPlan.State.choices).get(event.to_state, event.to_state)
        return {
            "can_change": lines_open,
            "can_delete": has_perm(user, "supply.delete_demandplan", obj) and obj.state == DemandPlan.State.DRAFT,
            "can_edit_lines": lines_open,
            "lines": lines,
            "total_value": sum((line.quantity * line.unit_value for line in lines), 0),
            "total_quantity": sum(line.quantity for line in lines),
            "events": events,
            "transitions": transitions,
            "comment_required": any(t.requires_comment for t in transitions),
            "state_colour": STATE_COLOURS.get(obj.state, "secondary"),
            "import_url": imports.url_for(user, DEMAND, plan=obj.pk) if lines_open else None,
            "template_url": reverse("core:import_template", kwargs={"key": DEMAND}) + "?" + urlencode({"plan": obj.pk})
            if lines_open
            else None,
            "match_url": _match_url(user, obj),
        }


class PlanEditView(ObjectEditView):
    model = DemandPlan
    object_selector = selectors.plan_get
    form_class = DemandPlanForm
    cancel_url_name = "supply:plan_list"

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {"unit": request.GET.get("unit"), "year": request.GET.get("year")}

    def create(self, *, actor: Any, data: dict[str, Any]) -> DemandPlan:
        return services.plan_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> DemandPlan:
        return services.plan_update(actor=actor, instance=instance, data=data)


class PlanDeleteView(ObjectDeleteView):
    model = DemandPlan
    object_selector = selectors.plan_get
    success_url_name = "supply:plan_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.plan_delete(actor=actor, instance=instance)


class PlanHistoryView(ObjectHistoryView):
    model = DemandPlan
    object_selector = selectors.plan_get


class PlanTransitionView(PortalView):
    """Submit, return (with a comment) or consolidate a plan (``services.PLAN_WORKFLOW``). A refusal is
    shown as a message on the plan's page; nothing is written."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: Any, action: str) -> HttpResponse:
        try:
            plan = selectors.plan_get(user=request.user, pk=pk)
        except DemandPlan.DoesNotExist as exc:
            raise Http404(_("No such record, or you may not see it.")) from exc
        try:
            transition = services.PLAN_WORKFLOW.get(action)
        except ValidationError as exc:
            raise Http404 from exc
        if not has_perm(request.user, transition.perm, plan):
            raise PermissionDenied
        form = TransitionForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            services.plan_transition(actor=request.user, plan=plan, action=transition.name, comment=comment)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(action)s” was recorded.") % {"action": transition.label})
        return redirect_response(request, plan.get_absolute_url() + "#workflow")


# --- demand lines ----------------------------------------------------------------------------------------


class LineListView(ObjectListView):
    model = DemandLine
    table_class = DemandLineTable
    filterset_class = DemandLineFilterSet
    selector = selectors.line_search
    export_key = "supply:line"


class LineEditView(ChildEditView):
    """Add a line to a plan (``plan_pk``) or edit one (``pk``), for who may change the unit's plans; the
    service takes lines only while the plan is a draft or returned."""

    model = DemandLine
    form_class = DemandLineForm
    parent_kwarg = "plan_pk"

    def load(self, request: HttpRequest, parent_pk: Any, pk: Any) -> tuple[DemandPlan, DemandLine | None]:
        try:
            line = selectors.line_get(user=request.user, pk=pk) if pk is not None else None
            plan = selectors.plan_get(user=request.user, pk=line.plan_id if line else parent_pk)
        except (DemandLine.DoesNotExist, DemandPlan.DoesNotExist) as exc:
            raise Http404(_("No such record, or you may not see it.")) from exc
        if not has_perm(request.user, CHANGE_PLAN, plan):
            raise PermissionDenied
        return plan, line

    def new_title(self, parent: Any) -> str:
        return _("New line of the demand plan %(plan)s") % {"plan": parent}

    def cancel_url(self, parent: Any, obj: Any) -> str:
        return obj.get_absolute_url() if obj else parent.get_absolute_url() + "#lines"

    def create(self, *, actor: Any, parent: Any, data: dict[str, Any]) -> DemandLine:
        return services.line_create(actor=actor, plan=parent, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> DemandLine:
        data = {k: v for k, v in data.items() if k != "number" or v is not None}
        return services.line_update(actor=actor, instance=instance, data=data)


class LineDeleteView(ObjectDeleteView):
    model = DemandLine
    object_selector = selectors.line_get

    def _load(self, request: HttpRequest, pk: Any) -> Any:
        obj: Any = self.get_object(request, pk)
        if not has_perm(request.user, CHANGE_PLAN, obj.plan):
            raise PermissionDenied
        return obj

    def success_url(self, obj: Any) -> str:
        return obj.plan.get_absolute_url() + "#lines"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.line_delete(actor=actor, instance=instance)


class LineHistoryView(ObjectHistoryView):
    model = DemandLine
    object_selector = selectors.line_get


# --- capacity --------------------------------------------------------------------------------------------


class CapacityListView(ObjectListView):
    model = Capacity
    table_class = CapacityTable
    filterset_class = CapacityFilterSet
    selector = selectors.capacity_search
    export_key = "supply:capacity"
    add_url_name = "supply:capacity_set"
    add_perm = "supply.change_capacity"


class CapacitySetView(PortalView):
    """Set an enterprise's capacity for a product group in a year (created, or changed in place), for the
    enterprises where the user keeps capacity; ``?enterprise=&product_group=&year=`` pre-fill the form."""

    def _check(self, request: HttpRequest) -> None:
        if not has_perm(request.user, "supply.change_capacity"):
            raise PermissionDenied

    def _render(self, request: HttpRequest, form: CapacityForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "object": None,
            "model_opts": Capacity._meta,
            "title": _("Set a capacity"),
            "cancel_url": reverse("supply:capacity_list"),
        }
        return render(request, edit_template(request), context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        initial = {k: request.GET.get(k) for k in ("enterprise", "product_group", "year") if request.GET.get(k)}
        form = CapacityForm(user=request.user, initial=initial)
        if len(initial) == 3 and all(str(v).isdigit() for v in initial.values()):
            current = (
                selectors.capacity_list(user=request.user)
                .filter(
                    enterprise_id=int(initial["enterprise"] or 0), product_group_id=int(initial["product_group"] or 0)
                )
                .filter(year=int(initial["year"] or 0))
                .first()
            )
            if current is not None:
                form.initial["units"] = current.units
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = CapacityForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                capacity = services.capacity_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            except PermissionDenied:
                form.add_error("enterprise", _("You may not keep the capacity of this enterprise."))
            else:
                messages.success(request, _("%(object)s was saved.") % {"object": capacity})
                query = urlencode({"enterprise": capacity.enterprise_id, "year": capacity.year})
                return redirect_response(request, reverse("supply:capacity_list") + "?" + query)
        return self._render(request, form, status=422)


# --- imported purchases ----------------------------------------------------------------------------------


class ImportListView(ObjectListView):
    model = ImportPurchase
    table_class = ImportPurchaseTable
    filterset_class = ImportPurchaseFilterSet
    selector = selectors.import_search
    export_key = "supply:import"
    add_url_name = "supply:import_add"


class ImportDetailView(ObjectDetailView):
    model = ImportPurchase
    object_selector = selectors.import_get
    template_name = "supply/demand_import_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        product = obj.product if obj.product_id else None
        visible = product is not None and has_perm(request.user, "catalogue.view_product", product)
        return {"product": product if visible else None}


class ImportEditView(ObjectEditView):
    model = ImportPurchase
    object_selector = selectors.import_get
    form_class = ImportPurchaseForm
    cancel_url_name = "supply:import_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> ImportPurchase:
        return services.import_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> ImportPurchase:
        return services.import_update(actor=actor, instance=instance, data=data)


class ImportDeleteView(ObjectDeleteView):
    model = ImportPurchase
    object_selector = selectors.import_get
    success_url_name = "supply:import_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.import_delete(actor=actor, instance=instance)


class ImportHistoryView(ObjectHistoryView):
    model = ImportPurchase
    object_selector = selectors.import_get


# --- registration ----------------------------------------------------------------------------------------


def home_demand(user: Any) -> dict[str, Any] | None:
    """The plans waiting for the user: submitted ones for who consolidates them, drafts and returned ones for
    who declares a unit's demand; none when there is nothing to act on."""
    consolidates = has_perm(user, "supply.consolidate_demandplan")
    # the units' drafts and returned plans wait for the units, not for the Department that consolidates them
    # (it may change any plan, but it has none of its own to declare)
    declares = has_perm(user, CHANGE_PLAN) and not consolidates
    if not (consolidates or declares):
        return None
    counts = selectors.plan_state_counts(user=user)
    plans = reverse("supply:plan_list")
    rows = []
    if consolidates and counts[DemandPlan.State.SUBMITTED]:
        rows.append(
            {
                "state": DemandPlan.State.SUBMITTED,
                "label": _("Submitted, to consolidate or return"),
                "count": counts[DemandPlan.State.SUBMITTED],
                "url": plans + "?" + urlencode({"state": DemandPlan.State.SUBMITTED}),
            }
        )
    if declares:
        for state, label in (
            (DemandPlan.State.RETURNED, _("Returned for changes")),
            (DemandPlan.State.DRAFT, _("Drafts not yet submitted")),
        ):
            if counts[state]:
                rows.append(
                    {
                        "state": state,
                        "label": label,
                        "count": counts[state],
                        "url": plans + "?" + urlencode({"state": state}),
                    }
                )
    return {"rows": rows} if rows else None


def _title(title: Any) -> Callable[[], str]:
    return lambda: str(title)


def register_pages() -> None:
    """Menu items, list exports and the demand import of this area's pages."""
    from cnan.core import exports, home, navigation

    from .. import imports as demand_imports

    demand_imports.register()
    M = navigation.MenuItem
    navigation.register(
        M("supply", gettext_lazy("Demand plans"), "supply:plan_list", "supply.view_demandplan", 20),
        M("supply", gettext_lazy("Demand lines"), "supply:line_list", "supply.view_demandline", 30),
        M("supply", gettext_lazy("Capacity"), "supply:capacity_list", "supply.view_capacity", 90),
        M("supply", gettext_lazy("Imported purchases"), "supply:import_list", "supply.view_importpurchase", 100),
    )
    home.register(
        home.Widget(key="supply:demand", template="supply/partials/_demand_home.html", context=home_demand, order=32)
    )
    for key, title, selector, table in [
        ("plan", gettext_lazy("Demand plans"), selectors.plan_search, DemandPlanTable),
        ("line", gettext_lazy("Demand lines"), selectors.line_search, DemandLineTable),
        ("capacity", gettext_lazy("Capacity"), selectors.capacity_search, CapacityTable),
        ("import", gettext_lazy("Imported purchases"), selectors.import_search, ImportPurchaseTable),
    ]:
        exports.register_list(
            exports.ListSpec(key=f"supply:{key}", title=_title(title), selector=selector, table_class=table)
        )
