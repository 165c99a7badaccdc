"""The allocation pages: demand matched against the domestic catalogue (with proposals for S&T tasks where
nothing supplies a need), and the optimiser's runs (start, progress, proposal beside the greedy baseline with
each line's explanation, adjustment, acceptance into production orders). Only the Department (who holds the
runs' permissions everywhere) sees the optimiser; the services check again."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.common.forms import mark_invalid, style_form
from cnan.core import exports
from cnan.core.permissions import grants_for, has_perm
from cnan.core.views.generic import ObjectListView, PortalView, attach_errors, htmx_target, redirect_response

from .. import selectors, services
from ..filters_allocation import MATCH_STATUS_CHOICES, MatchFilterSet, RunFilterSet
from ..forms_allocation import AcceptForm, RunStartForm, row_formset
from ..models import AllocationRun, DemandLine, DemandPlan, ProductionOrder
from ..tables_allocation import AllocationRunTable, percent

MATCH_PAGE_SIZE = 50
# at most this many lines are put into one S&T task proposal's summary (the rest are counted)
PROPOSAL_LINES = 25


MATCH_PERM = "supply.consolidate_demandplan"  # who consolidates the units' demand matches it


def department(user: Any, perm: str) -> bool:
    """Whether the user holds ``perm`` everywhere: the optimiser works on the whole force's demand, so only
    the Department (and the system's global roles) use it."""
    scope = grants_for(user).scope(perm)
    return scope is not None and scope.everywhere


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# --- matching ------------------------------------------------------------------------------------------


def line_need(line: DemandLine) -> str:
    """A line's need in words, for an S&T task proposal."""
    return _("%(class)s: %(spec)s — %(quantity)s units for %(unit)s (%(year)s)") % {
        "class": line.get_product_class_display(),
        "spec": line.specification,
        "quantity": line.quantity,
        "unit": line.plan.unit.name,
        "year": line.plan.year,
    }


def task_proposal_url(lines: list[DemandLine]) -> str:
    """The research app's task creation page, its title and summary filled in from the unmet needs."""
    if len(lines) == 1:
        line = lines[0]
        title = _("Develop at home: %(class)s to specification (%(unit)s, %(year)s)") % {
            "class": line.get_product_class_display(),
            "unit": line.plan.unit.code,
            "year": line.plan.year,
        }
    else:
        title = _("Develop at home the equipment no domestic product supplies (%(count)s demand lines)") % {
            "count": len(lines)
        }
    needs = [f"- {line_need(line)}" for line in lines[:PROPOSAL_LINES]]
    if len(lines) > PROPOSAL_LINES:
        needs.append(_("… and %(count)s more lines") % {"count": len(lines) - PROPOSAL_LINES})
    summary = "\n".join([_("Needs of the operational units that no certified domestic product supplies:"), *needs])
    return reverse("research:task_add") + "?" + urlencode({"title": title[:500], "summary": summary})


def match_summary(matches: list[selectors.Match]) -> list[dict[str, Any]]:
    """Lines, units and reference value per match status, in the order of the statuses."""
    counts: Counter[str] = Counter()
    values: dict[str, Decimal] = {key: Decimal(0) for key, _label in MATCH_STATUS_CHOICES}
    for m in matches:
        counts[m.status] += 1
        values[m.status] += m.line.unit_value * m.line.quantity
    total = sum(values.values())
    return [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "value": values[key],
            "share": float(values[key] / total) if total else None,
        }
        for key, label in MATCH_STATUS_CHOICES
    ]


MATCH_EXPORT_HEADERS = [
    gettext_lazy("Demand line"),
    gettext_lazy("Year"),
    gettext_lazy("Operational unit"),
    gettext_lazy("No."),
    gettext_lazy("Product class"),
    gettext_lazy("Product group"),
    gettext_lazy("Product"),
    gettext_lazy("Required specification"),
    gettext_lazy("Quantity"),
    gettext_lazy("Reference value (VND)"),
    gettext_lazy("Match"),
    gettext_lazy("Domestic candidates"),
    gettext_lazy("Capacity left"),
]


def match_export_rows(matches: list[selectors.Match]) -> list[list[Any]]:
    labels = dict(MATCH_STATUS_CHOICES)
    rows = []
    for m in matches:
        line = m.line
        rows.append(
            [
                str(line),
                line.plan.year,
                f"{line.plan.unit.code} — {line.plan.unit.name}",
                line.number,
                line.get_product_class_display(),
                str(line.product_group) if line.product_group_id else "",
                line.product.code if line.product else "",
                line.specification,
                line.quantity,
                line.unit_value * line.quantity,
                str(labels[m.status]),
                "; ".join(f"{c.product.code} ({c.enterprise.code})" for c in m.candidates),
                sum(c.left for c in m.candidates),
            ]
        )
    return rows


def units_to_order(lines: list[DemandLine]) -> dict[int, int]:
    """Units of each consolidated plan's line not yet ordered (cancelled orders aside), as
    ``selectors.line_left`` counts them, in one query for a page of lines; lines of plans not yet
    consolidated are left out (no order is placed from them)."""
    consolidated = [line for line in lines if line.plan.state == DemandPlan.State.CONSOLIDATED]
    ordered = (
        dict(
            ProductionOrder.objects.filter(demand_line__in=consolidated)
            .exclude(status=ProductionOrder.Status.CANCELLED)
            .order_by()
            .values_list("demand_line")
            .annotate(n=Sum("quantity"))
        )
        if consolidated
        else {}
    )
    return {line.pk: max(0, line.quantity - int(ordered.get(line.pk) or 0)) for line in consolidated}


class MatchView(PortalView):
    """The demand lines the user may see, each against the domestic products that could supply it. Matching is
    the consolidating Department's work: it sees the enterprises' products, which an operational unit does not
    (a unit's lines would all read "imports only")."""

    template_name = "supply/allocation_match.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not has_perm(request.user, MATCH_PERM):
            raise PermissionDenied
        filterset = MatchFilterSet(request.GET or None, queryset=DemandLine.objects.none(), request=request)
        status = 200
        # the summary counts every status under the other filters (choosing a status keeps its rows, it does
        # not zero the others' counts)
        others = request.GET.copy()
        wanted = others.pop("status", [""])[-1]
        try:
            if wanted and wanted not in dict(MATCH_STATUS_CHOICES):
                raise ValidationError(_("Unknown match status."))
            every = selectors.match_list(user=request.user, filters=others)
        except ValidationError:
            filterset.is_valid()
            mark_invalid(filterset.form)
            every, status = [], 400
        matches = [m for m in every if m.status == wanted] if wanted else every
        style_form(filterset.form, small=True)
        fmt = request.GET.get("export")
        if fmt is not None:
            if status != 200:
                return HttpResponseBadRequest(_("The filters are not valid; nothing was exported."))
            if fmt not in exports.FORMATS:
                return HttpResponseBadRequest(_("Unknown export format."))
            title = _("Domestic matching")
            data = exports.render_bytes(
                fmt=fmt,
                title=title,
                headers=[str(h) for h in MATCH_EXPORT_HEADERS],
                rows=iter(match_export_rows(matches)),
            )
            response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
            response["Content-Disposition"] = f'attachment; filename="{exports.filename("supply-matching", fmt)}"'
            return response
        page = Paginator(matches, MATCH_PAGE_SIZE).get_page(request.GET.get("page"))
        may_propose = has_perm(request.user, "research.add_researchtask")
        order_add = _url("supply:order_add") if has_perm(request.user, "supply.add_productionorder") else None
        unmet = [m.line for m in matches if m.status == "none"]
        to_order = units_to_order([m.line for m in page.object_list])
        rows = []
        for m in page.object_list:
            left_to_order = to_order.get(m.line.pk)
            rows.append(
                {
                    "match": m,
                    "value": m.line.unit_value * m.line.quantity,
                    "left": sum(c.left for c in m.candidates),
                    # None: the plan is not consolidated yet, so no order is placed from its lines
                    "to_order": left_to_order,
                    # the order page takes only a consolidated plan's line, and one with units left to order
                    "order_url": f"{order_add}?{urlencode({'line': m.line.pk})}"
                    if order_add and m.candidates and left_to_order
                    else None,
                    "task_url": task_proposal_url([m.line]) if may_propose and m.status == "none" else None,
                }
            )
        context = {
            "title": _("Domestic matching"),
            "filter_form": filterset.form,
            "summary": match_summary(every),
            "status": wanted,
            "rows": rows,
            "page": page,
            "export_formats": sorted(exports.FORMATS),
            "all_tasks_url": task_proposal_url(unmet) if may_propose and unmet else None,
            "unmet_count": len(unmet),
        }
        return render(request, self.template_name, context, status=status)


# --- the optimiser -------------------------------------------------------------------------------------


class RunListView(ObjectListView):
    model = AllocationRun
    table_class = AllocationRunTable
    filterset_class = RunFilterSet
    selector = selectors.run_filtered
    export_key = "supply:run"
    add_url_name = "supply:run_add"

    def get_title(self) -> str:
        return _("Allocation runs")

    def get(self, request: HttpRequest) -> HttpResponse:
        if not department(request.user, "supply.view_allocationrun"):
            raise PermissionDenied
        return super().get(request)


class RunAddView(PortalView):
    """Start a run: the job computes in the background and the run's page shows its progress."""

    def _check(self, request: HttpRequest) -> None:
        if not department(request.user, "supply.add_allocationrun"):
            raise PermissionDenied

    def _render(self, request: HttpRequest, form: RunStartForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "object": None,
            "model_opts": AllocationRun._meta,
            "title": _("Run the allocation optimiser"),
            "cancel_url": reverse("supply:run_list"),
        }
        template = "generic/object_edit.html"
        if htmx_target(request) == "object-form":
            template += "#form"
        return render(request, template, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        return self._render(request, RunStartForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = RunStartForm(request.POST)
        if form.is_valid():
            try:
                run = services.allocation_start(
                    actor=request.user, year=form.cleaned_data["year"], budget=form.cleaned_data["budget"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.info(request, _("The optimiser runs in the background; this page shows its progress."))
                return redirect_response(request, run.get_absolute_url())
        return self._render(request, form, status=422)


def explanation(item: selectors.RunLine) -> str:
    """A line's explanation code (``allocation.explain``) in words, with its figures."""
    r = item.reason
    figures = {
        "supplied": r["supplied"],
        "quantity": r["quantity"],
        "saturated": ", ".join(o.name for o in item.saturated) or "—",
        "cheaper": ", ".join(o.name for o in item.cheaper_full),
    }
    code = r["code"]
    if code == "no_offer":
        return (
            _(
                "No certified domestic product of this class and group is offered: nothing made at home supplies "
                "these %(quantity)s units (a candidate for an S&T task)."
            )
            % figures
        )
    if code == "full_cheapest":
        return _("Supplied in full (%(supplied)s of %(quantity)s units) by the cheapest offer.") % figures
    if code == "full_not_cheapest":
        if item.cheaper_full:
            return (
                _(
                    "Supplied in full (%(supplied)s of %(quantity)s units), though not by the cheapest offer: "
                    "%(cheaper)s had no capacity left for this group, used for lines of higher priority."
                )
                % figures
            )
        return (
            _(
                "Supplied in full (%(supplied)s of %(quantity)s units), though not by the cheapest offer: the cheaper "
                "capacity went to lines of higher priority or value."
            )
            % figures
        )
    if code == "short_capacity":
        return (
            _(
                "Supplied in part (%(supplied)s of %(quantity)s units): the capacity of every offering enterprise for "
                "this group is used (%(saturated)s)."
            )
            % figures
        )
    if code == "short_budget":
        return (
            _(
                "Supplied in part (%(supplied)s of %(quantity)s units): the budget does not stretch to the cheapest "
                "offer with capacity left."
            )
            % figures
        )
    if code == "none_capacity":
        return (
            _(
                "Not supplied (0 of %(quantity)s units): the offering enterprises have no capacity left for this group "
                "(%(saturated)s)."
            )
            % figures
        )
    if code == "none_budget":
        return (
            _(
                "Not supplied (0 of %(quantity)s units): the budget is spent before the cheapest offer with capacity "
                "left."
            )
            % figures
        )
    return code


def skipped_reason(code: str) -> str:
    if code == "no_group":
        return _(
            "Left out: the line names neither a product group nor a product that has one, so no enterprise's "
            "capacity applies to it."
        )
    return code


class RunDetailView(PortalView):
    """A run: its job's progress while it computes, then the proposal beside the greedy baseline, each
    line's rows and explanation, and (for who may accept it) the adjust-and-accept form."""

    template_name = "supply/allocation_run_detail.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        run = run_or_404(request, pk)
        if htmx_target(request) == "run-status":
            if run.state != AllocationRun.State.QUEUED or (run.job is not None and run.job.is_finished):
                response = HttpResponse(status=286)  # stop polling; reload the whole page with the proposal
                response["HX-Refresh"] = "true"
                return response
            return render(request, f"{self.template_name}#status", {"run": run, "job": run.job})
        return render_run(request, run)


def run_or_404(request: HttpRequest, pk: Any) -> AllocationRun:
    try:
        return selectors.run_get(user=request.user, pk=pk)
    except (AllocationRun.DoesNotExist, ValueError) as exc:
        raise Http404(_("No such record, or you may not see it.")) from exc


def accept_initial(run: AllocationRun) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "number_prefix": f"PB-{run.year}-{run.pk}",
        "mode": "ordering",
        "price_basis": "estimate",
        "funding": "ministry",
        "ordered_on": today,
        "due_on": max(dt.date(run.year, 12, 31), today),
    }


def render_run(
    request: HttpRequest,
    run: AllocationRun,
    *,
    accept_form: AcceptForm | None = None,
    formset: Any = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    items, skipped = selectors.run_lines(user=request.user, run=run)
    # lines of the proposal the reader may not see (above their clearance): shown to nobody here, so the
    # proposal is accepted only by who sees it whole
    hidden = len({p["line"] for p in run.proposal} - {item.line.pk for item in items})
    may_accept = (
        run.state == AllocationRun.State.PROPOSED
        and not hidden
        and department(request.user, "supply.change_allocationrun")
    )
    if may_accept:
        accept_form = accept_form or AcceptForm(initial=accept_initial(run))
        formset = formset or row_formset(run)
        forms = list(formset.forms)
    else:
        accept_form, forms = None, []
    may_propose = has_perm(request.user, "research.add_researchtask")
    lines = []
    totals = {"units": 0, "greedy_units": 0, "value": Decimal(0), "cost": Decimal(0), "quantity": 0}
    for item in items:
        rows = []
        for row in item.rows:
            value = item.line.unit_value * row["units"]
            cost = Decimal(round(row["unit_price"])) * row["units"]  # whole đồng, as the orders are priced
            totals["units"] += row["units"]
            totals["greedy_units"] += row["greedy_units"]
            totals["value"] += value
            totals["cost"] += cost
            rows.append(
                {
                    **row,
                    "value": value,
                    "cost": cost,
                    "form": forms[row["index"]] if row["index"] < len(forms) else None,
                }
            )
        totals["quantity"] += item.reason["quantity"]
        lines.append(
            {
                "line": item.line,
                "tier": item.line.tier,
                "code": item.reason["code"],
                "supplied": item.reason["supplied"],
                "quantity": item.reason["quantity"],
                "rows": rows,
                "explanation": explanation(item),
                "task_url": task_proposal_url([item.line])
                if may_propose and item.reason["code"] == "no_offer"
                else None,
            }
        )
    context = {
        "run": run,
        "job": run.job,
        "title": _("Allocation of %(year)s") % {"year": run.year},
        "lines": lines,
        "totals": totals,
        "figures": {
            name: percent(getattr(run, name))
            for name in ("share", "weighted_share", "greedy_share", "greedy_weighted_share")
        },
        "skipped": [{"line": line, "why": skipped_reason(code)} for line, code in skipped],
        "may_accept": may_accept,
        "accept_form": accept_form,
        "formset": formset if may_accept else None,
        "errors": errors or [],
        "orders": list(selectors.run_orders(user=request.user, run=run))
        if run.state == AllocationRun.State.ACCEPTED
        else [],
        "may_start": department(request.user, "supply.add_allocationrun"),
        "hidden": hidden,
    }
    return render(request, "supply/allocation_run_detail.html", context, status=status)


class RunAcceptView(PortalView):
    """The adjusted rows become production orders, all or nothing (``services.allocation_accept``)."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        run = run_or_404(request, pk)
        if not department(request.user, "supply.change_allocationrun"):
            raise PermissionDenied
        form = AcceptForm(request.POST)
        formset = row_formset(run, request.POST)
        errors: list[str] = []
        valid = form.is_valid()
        proposed_lines = {p["line"] for p in run.proposal}
        if selectors.line_list(user=request.user).filter(pk__in=proposed_lines).count() < len(proposed_lines):
            valid = False
            errors.append(_("The proposal has lines you may not see; someone who sees it whole must accept it."))
        if not formset.is_valid():
            valid = False
            errors.append(_("Each quantity is a whole number, 0 or more."))
        elif len(formset.forms) != len(run.proposal):
            valid = False
            errors.append(_("The rows sent are not those of this proposal; reload the page."))
        if valid:
            rows: list[Mapping[str, Any]] = []
            reasons: dict[int, str] = {}
            for k, (proposed, row_form) in enumerate(zip(run.proposal, formset.forms, strict=True)):
                rows.append({**proposed, "units": row_form.cleaned_data["units"]})
                if row_form.cleaned_data.get("reason", "").strip():
                    reasons[k] = row_form.cleaned_data["reason"].strip()
            try:
                orders = services.allocation_accept(
                    actor=request.user,
                    run=run,
                    rows=rows,
                    reasons=reasons,
                    **{name: form.cleaned_data[name] for name in AcceptForm.base_fields},
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, messages_ in exc.message_dict.items():
                        field = "number_prefix" if field == "number" else field
                        if field in form.fields:
                            form.add_error(field, messages_)
                        else:
                            errors.extend(messages_)
                else:
                    errors.extend(exc.messages)
            else:
                messages.success(
                    request,
                    _("%(count)s production orders were placed from the proposal.") % {"count": len(orders)},
                )
                return redirect_response(request, run.get_absolute_url())
        if not errors and form.errors:
            errors.append(_("Please correct the errors below. Nothing was saved."))
        run.refresh_from_db()
        return render_run(request, run, accept_form=form, formset=formset, errors=errors, status=422)


def register_pages() -> None:
    """Menu items and the run list's export."""
    from cnan.core import navigation

    M = navigation.MenuItem
    navigation.register(
        M("supply", gettext_lazy("Domestic matching"), "supply:match", MATCH_PERM, 40),
        M("supply", gettext_lazy("Allocation optimiser"), "supply:run_list", "supply.add_allocationrun", 50),
    )
    exports.register_list(
        exports.ListSpec(
            key="supply:run",
            title=lambda: str(gettext_lazy("Allocation runs")),
            selector=selectors.run_filtered,
            table_class=AllocationRunTable,
        )
    )
