"""Production orders and what follows them: the Department (or the customer unit) places an order, the
enterprise records its deliveries, the customer unit accepts them (nghiệm thu) and gives its word on their
quality. Every page reads through the selectors (an order is seen from the customer's side or the
enterprise's) and writes through the services; buttons show only to who may use them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
from ..filters_orders import DeliveryFilterSet, FeedbackFilterSet, OrderFilterSet
from ..forms_orders import DeliveryAcceptForm, DeliveryForm, FeedbackForm, OrderCancelForm, OrderForm
from ..models import Delivery, DemandPlan, Feedback, ProductionOrder
from ..tables_orders import STATUS_COLOURS, DeliveryTable, FeedbackTable, OrderTable
from .allocation import department

OPEN = (ProductionOrder.Status.PLACED, ProductionOrder.Status.IN_PRODUCTION)


def link(obj: Any) -> str | None:
    """A record's page, if its area has one."""
    if obj is None:
        return None
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


def may_cancel(user: Any, order: ProductionOrder, delivered: int) -> bool:
    return (
        order.status != ProductionOrder.Status.CANCELLED
        and not delivered
        and has_perm(user, "supply.change_productionorder", order.customer)
    )


def may_deliver(user: Any, order: ProductionOrder) -> bool:
    return order.status in OPEN and has_perm(user, "supply.add_delivery", order.enterprise)


# --- production orders -----------------------------------------------------------------------------------


class OrderListView(ObjectListView):
    model = ProductionOrder
    table_class = OrderTable
    filterset_class = OrderFilterSet
    selector = selectors.order_search
    export_key = "supply:order"
    add_url_name = "supply:order_add"


class OrderDetailView(ObjectDetailView):
    model = ProductionOrder
    object_selector = selectors.order_get
    template_name = "supply/orders_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        figures = selectors.order_figures(order=obj)
        may_accept = has_perm(user, "supply.accept_delivery", obj.customer)
        may_feedback = has_perm(user, "supply.add_feedback", obj.customer)
        deliveries: list[Any] = list(
            selectors.delivery_list(user=user).filter(order=obj).order_by("delivered_on", "pk")
        )
        feedback: dict[int, list[Feedback]] = {}
        for f in selectors.feedback_list(user=user).filter(delivery__order=obj).order_by("given_on", "pk"):
            feedback.setdefault(f.delivery_id, []).append(f)
        for d in deliveries:
            d.value = d.quantity * obj.unit_price
            d.feedback_rows = feedback.get(d.pk, [])
            d.can_accept = may_accept and d.accepted_on is None
            d.can_feedback = may_feedback and d.accepted_on is not None
        line = obj.demand_line if obj.demand_line_id else None
        return {
            "can_change": False,
            "can_delete": False,
            "figures": figures,
            # the enterprise's capacity is its own and the Department's, not the customer unit's
            "show_capacity": has_perm(user, "supply.view_capacity", obj.enterprise),
            "deliveries": deliveries,
            "status_colour": STATUS_COLOURS.get(obj.status, "secondary"),
            "can_cancel": may_cancel(user, obj, figures.delivered),
            "can_deliver": may_deliver(user, obj) and figures.remaining > 0,
            "line_url": link(line) if line and selectors.line_list(user=user).filter(pk=line.pk).exists() else None,
            "delivered_value": figures.delivered * obj.unit_price,
            # the optimiser's run the order was placed from, for who sees the runs (the Department)
            "run": obj.allocation_run
            if obj.allocation_run_id and department(user, "supply.view_allocationrun")
            else None,
        }


class OrderAddView(ObjectEditView):
    """A new order; ``?line=`` pre-fills it from a consolidated demand line (its unit, product, what is
    left to order and its year). Beyond the enterprise's capacity the service refuses it with the figures:
    the page shows them and the reason field, and the officer may proceed with a reason."""

    model = ProductionOrder
    form_class = OrderForm
    template_name = "supply/orders_form.html"
    cancel_url_name = "supply:order_list"

    def _line(self, request: HttpRequest) -> Any:
        pk = request.POST.get("demand_line") or request.GET.get("line")
        if not pk:
            return None
        line = (
            selectors.line_list(user=request.user)
            .filter(plan__state=DemandPlan.State.CONSOLIDATED, pk=pk if str(pk).isdigit() else 0)
            .first()
        )
        if line is None and request.method == "GET":
            raise Http404(_("No such demand line, or you may not see it."))
        return line

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user, "line": self._line(request)}

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        today = timezone.localdate()
        initial: dict[str, Any] = {"ordered_on": today, "year": today.year}
        line = self._line(request)
        if line is not None:
            initial.update(
                demand_line=line.pk,
                customer=line.plan.unit_id,
                product=line.product_id,
                quantity=selectors.line_left(line),
                year=line.plan.year,
                due_on=line.needed_by,
            )
        return initial

    def create(self, *, actor: Any, data: dict[str, Any]) -> ProductionOrder:
        return services.order_create(actor=actor, data=data)

    def render_form(self, request: HttpRequest, form: Any, obj: Any, status: int = 200) -> HttpResponse:
        warning = form.errors.get("over_capacity_reason") if form.is_bound else None
        if warning:
            form.reveal_reason()
        line = self._line(request)
        context = {
            "form": form,
            "title": _("New production order"),
            "cancel_url": reverse("supply:order_list"),
            "line": line,
            "line_url": link(line),
            "line_left": selectors.line_left(line) if line is not None else None,
            "capacity_warning": warning,
        }
        return render(request, self.template_name, context, status=status)


class OrderHistoryView(ObjectHistoryView):
    model = ProductionOrder
    object_selector = selectors.order_get


class OrderCancelView(PortalView):
    """Cancel an order (``services.order_cancel``: the customer's side, nothing delivered, a reason)."""

    template_name = "supply/orders_cancel.html"

    def _load(self, request: HttpRequest, pk: Any) -> ProductionOrder:
        try:
            order = selectors.order_get(user=request.user, pk=pk)
        except ProductionOrder.DoesNotExist as exc:
            raise Http404 from exc
        if not has_perm(request.user, "supply.change_productionorder", order.customer):
            raise PermissionDenied
        return order

    def _render(self, request: HttpRequest, order: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {"object": order, "form": form, "title": _("Cancel %(object)s") % {"object": order}}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return self._render(request, self._load(request, pk), OrderCancelForm())

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        order = self._load(request, pk)
        form = OrderCancelForm(request.POST)
        if form.is_valid():
            try:
                services.order_cancel(actor=request.user, instance=order, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("%(object)s was cancelled.") % {"object": order})
                return redirect_response(request, order.get_absolute_url())
        order.refresh_from_db()
        return self._render(request, order, form, status=422)


# --- deliveries, acceptance, feedback ----------------------------------------------------------------------


class _FormPage(PortalView):
    """A small form on the generic form page, for one record the user may see and act on."""

    form_class: Any
    title = ""

    def load(self, request: HttpRequest, pk: Any) -> Any:
        raise NotImplementedError

    def make_form(self, request: HttpRequest, obj: Any, data: Any = None) -> Any:
        return self.form_class(data, initial={**self.initial(obj)} if data is None else None)

    def initial(self, obj: Any) -> dict[str, Any]:
        return {}

    def save(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def render_form(self, request: HttpRequest, obj: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "object": obj,
            "title": self.get_title(obj),
            "cancel_url": obj.get_absolute_url(),
        }
        return render(request, edit_template(request), context, status=status)

    def get_title(self, obj: Any) -> str:
        return str(obj)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.load(request, pk)
        return self.render_form(request, obj, self.make_form(request, obj))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.load(request, pk)
        form = self.make_form(request, obj, request.POST)
        if form.is_valid():
            try:
                saved = self.save(request, obj, form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return redirect_response(request, saved.get_absolute_url())
        return self.render_form(request, obj, form, status=422)


def _order(request: HttpRequest, pk: Any) -> ProductionOrder:
    try:
        return selectors.order_get(user=request.user, pk=pk)
    except ProductionOrder.DoesNotExist as exc:
        raise Http404 from exc


def _delivery(request: HttpRequest, pk: Any) -> Delivery:
    try:
        return selectors.delivery_get(user=request.user, pk=pk)
    except Delivery.DoesNotExist as exc:
        raise Http404 from exc


class DeliveryAddView(_FormPage):
    """The enterprise records units handed over (never more than the order has left)."""

    def load(self, request: HttpRequest, pk: Any) -> ProductionOrder:
        order = _order(request, pk)
        if not has_perm(request.user, "supply.add_delivery", order.enterprise):
            raise PermissionDenied
        return order

    def make_form(self, request: HttpRequest, obj: Any, data: Any = None) -> Any:
        initial = {"delivered_on": timezone.localdate()} if data is None else None
        return DeliveryForm(data, initial=initial, user=request.user)

    def get_title(self, obj: Any) -> str:
        left = selectors.order_figures(order=obj).remaining
        return _("New delivery of %(order)s (%(left)s units left)") % {"order": obj.number, "left": left}

    def save(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Delivery:
        delivery = services.delivery_create(actor=request.user, order=obj, data=data)
        messages.success(request, _("%(object)s was created.") % {"object": delivery})
        return delivery


class DeliveryAcceptView(_FormPage):
    """The customer unit accepts a delivery (nghiệm thu): the date and number of the acceptance record."""

    form_class = DeliveryAcceptForm

    def load(self, request: HttpRequest, pk: Any) -> Delivery:
        delivery = _delivery(request, pk)
        if not has_perm(request.user, "supply.accept_delivery", delivery.order.customer):
            raise PermissionDenied
        return delivery

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"accepted_on": timezone.localdate()}

    def get_title(self, obj: Any) -> str:
        return _("Accept the delivery %(object)s") % {"object": obj}

    def save(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Delivery:
        delivery = services.delivery_accept(actor=request.user, delivery=obj, **data)
        messages.success(request, _("The delivery was accepted."))
        return delivery


class FeedbackAddView(_FormPage):
    """The using unit's word on the quality of an accepted delivery."""

    def load(self, request: HttpRequest, pk: Any) -> Delivery:
        delivery = _delivery(request, pk)
        if not has_perm(request.user, "supply.add_feedback", delivery.order.customer):
            raise PermissionDenied
        return delivery

    def make_form(self, request: HttpRequest, obj: Any, data: Any = None) -> Any:
        initial = {"given_on": timezone.localdate()} if data is None else None
        return FeedbackForm(data, initial=initial, user=request.user)

    def get_title(self, obj: Any) -> str:
        return _("Quality feedback on %(object)s") % {"object": obj}

    def save(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Feedback:
        feedback = services.feedback_create(actor=request.user, delivery=obj, data=data)
        messages.success(request, _("The feedback was recorded."))
        return feedback


class DeliveryListView(ObjectListView):
    model = Delivery
    table_class = DeliveryTable
    filterset_class = DeliveryFilterSet
    selector = selectors.delivery_search
    export_key = "supply:delivery"


class FeedbackListView(ObjectListView):
    model = Feedback
    table_class = FeedbackTable
    filterset_class = FeedbackFilterSet
    selector = selectors.feedback_search
    export_key = "supply:feedback"


def _title(title: Any) -> Callable[[], str]:
    return lambda: str(title)


def register_pages() -> None:
    """Menu items and list exports of the orders' pages."""
    from django.utils.translation import gettext_lazy

    from cnan.core import exports, navigation

    M = navigation.MenuItem
    navigation.register(
        M("supply", gettext_lazy("Production orders"), "supply:order_list", "supply.view_productionorder", 60),
        M("supply", gettext_lazy("Deliveries"), "supply:delivery_list", "supply.view_delivery", 70),
        M("supply", gettext_lazy("Quality feedback"), "supply:feedback_list", "supply.view_feedback", 80),
    )
    for key, title, selector, table in [
        ("order", gettext_lazy("Production orders"), selectors.order_search, OrderTable),
        ("delivery", gettext_lazy("Deliveries"), selectors.delivery_search, DeliveryTable),
        ("feedback", gettext_lazy("Quality feedback"), selectors.feedback_search, FeedbackTable),
    ]:
        exports.register_list(
            exports.ListSpec(key=f"supply:{key}", title=_title(title), selector=selector, table_class=table)
        )
