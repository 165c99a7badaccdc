"""Generic portal views (NetBox's ``views/generic`` idea, small): list, detail, edit, delete, history.

An app's view sets a few attributes and calls its own selectors and services; the visibility rule,
exports, htmx partials, status codes and messages are handled here once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from django_tables2 import RequestConfig
from django_tables2.data import TableListData

from cnan.common.forms import mark_invalid, style_form

from .. import audit, exports, imports, services
from ..paging import Ordering, keyset_page, ordering, sorted_keyset_page
from ..permissions import can, has_perm, may_list, perm_name
from ..tasks import export_list

PER_PAGE_CHOICES = (10, 25, 50, 100)


def htmx_target(request: HttpRequest) -> str | None:
    htmx = getattr(request, "htmx", None)
    return htmx.target if htmx else None


def redirect_response(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works when the request came from htmx."""
    if getattr(request, "htmx", None):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class PortalView(LoginRequiredMixin, View):
    """Signed-in users only; anonymous requests go to the login page."""


def object_urls(obj: models.Model) -> dict[str, str | None]:
    """``edit_url``, ``delete_url``, ``history_url`` by the naming convention ``<app>:<model>_<action>``."""
    opts = obj._meta
    urls: dict[str, str | None] = {}
    for action in ("edit", "delete", "history"):
        try:
            urls[f"{action}_url"] = reverse(f"{opts.app_label}:{opts.model_name}_{action}", kwargs={"pk": obj.pk})
        except NoReverseMatch:
            urls[f"{action}_url"] = None
    return urls


class PageRows(TableListData):
    """A keyset page as a table's data: the rows come in the page's own order, which the table shows in its
    headers but does not apply (sorting is the database's, across pages)."""

    def __init__(self, rows: list[models.Model], model: type[models.Model]):
        super().__init__(rows)
        self._model = model

    @property
    def model(self) -> type[models.Model]:
        return self._model

    def order_by(self, aliases: Any) -> None:
        return None


@functools.cache
def keyset_sorts(table_class: type, model: type[models.Model]) -> dict[str, tuple[str, ...]]:
    """The columns a keyset-paged list may be sorted by: each visible orderable column of the table whose
    sort is one or more columns of ``model`` (through single-valued relations, only the first may be NULL)
    → those field paths. Other columns (hidden ones, shown only in exports) do not sort it."""
    sorts: dict[str, tuple[str, ...]] = {}
    for column in table_class([]).columns.iterorderable():
        if not column.visible:
            continue
        fields = tuple(str(f).replace(".", "__") for f in (column.column.order_by or (column.accessor,)))
        if any(f.startswith("-") for f in fields):
            continue
        try:
            ordering(model, fields)
        except (FieldDoesNotExist, ValueError):
            continue
        sorts[column.name] = fields
    return sorts


class ObjectListView(PortalView):
    model: ClassVar[type[models.Model]]
    table_class: ClassVar[type]
    filterset_class: ClassVar[type]
    selector: ClassVar[Callable[..., models.QuerySet]]
    export_key: ClassVar[str | None] = None
    import_key: ClassVar[str | None] = None  # a ``core.imports`` spec: an "Import" button for who may use it
    template_name = "generic/object_list.html"
    title: ClassVar[str | None] = None
    add_url_name: ClassVar[str | None] = None
    add_perm: ClassVar[str | None] = None
    # Pages by position instead of by number, so that any page costs what the first one costs (core.paging),
    # with "previous / next" links and no total count. True: big append-only tables (the audit log), newest
    # first, no column sorting. "sorted": the order of any sortable column of the table (``keyset_sorts``;
    # the table's default order otherwise), the primary key breaking ties.
    keyset_paging: ClassVar[bool | Literal["sorted"]] = False

    def get_title(self) -> str:
        return self.title or str(self.model._meta.verbose_name_plural).capitalize()

    def get_selector(self) -> Callable[..., models.QuerySet]:
        return type(self).selector  # stored as a plain function on the class

    def get(self, request: HttpRequest) -> HttpResponse:
        if not may_list(request.user, self.model):
            raise PermissionDenied
        filterset = self.filterset_class(
            request.GET or None, queryset=self.model._default_manager.none(), request=request
        )
        status = 200
        try:
            queryset = self.get_selector()(user=request.user, filters=request.GET)
        except ValidationError:
            filterset.is_valid()
            mark_invalid(filterset.form)
            queryset = self.model._default_manager.none()
            status = 400
        style_form(filterset.form, small=True)
        fmt = request.GET.get("export")
        if fmt is not None:
            if status != 200:
                return HttpResponseBadRequest(_("The filters are not valid; nothing was exported."))
            return self.export(request, queryset, fmt)
        try:
            per_page = int(request.GET.get("per_page", settings.CNAN_LIST_PAGE_SIZE))
        except ValueError:
            per_page = settings.CNAN_LIST_PAGE_SIZE
        if per_page not in PER_PAGE_CHOICES:
            per_page = settings.CNAN_LIST_PAGE_SIZE
        keyset = None
        if self.keyset_paging == "sorted":
            order = self.keyset_ordering(request)
            try:
                keyset = sorted_keyset_page(queryset, request.GET, size=per_page, order=order)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                keyset = sorted_keyset_page(queryset, {}, size=per_page, order=order)
                status = 400
            # The headers show the order the rows came in; the table neither re-sorts nor re-pages them.
            table = self.table_class(PageRows(keyset.rows, self.model), order_by=(order.name,) if order.name else ())
        elif self.keyset_paging:
            try:
                keyset = keyset_page(queryset, request.GET, size=per_page)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                keyset = keyset_page(queryset, {}, size=per_page)
                status = 400
            # The rows come in the page's own order (newest first): the table neither sorts nor re-pages them.
            table = self.table_class(PageRows(keyset.rows, self.model), orderable=False, order_by=())
        else:
            table = self.table_class(queryset, request=request)
            RequestConfig(request, paginate={"per_page": per_page}).configure(table)
        table.request = request
        add_perm = self.add_perm or perm_name(self.model, "add")
        context = {
            "title": self.get_title(),
            "model_opts": self.model._meta,
            "table": table,
            "filter_form": filterset.form,
            "filter_active": any(k in filterset.form.fields and v for k, v in request.GET.items()),
            "export_formats": sorted(exports.FORMATS) if self.export_key else [],
            "import_url": imports.url_for(request.user, self.import_key) if self.import_key else None,
            "add_url": reverse(self.add_url_name) if self.add_url_name and has_perm(request.user, add_perm) else None,
            "per_page_choices": PER_PAGE_CHOICES,
            "per_page": per_page,
            "keyset": keyset,
            **self.get_extra_context(request),
        }
        template = self.template_name
        if htmx_target(request) == "list-table":
            template = f"{template}#table"
        return render(request, template, context, status=status)

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def keyset_ordering(self, request: HttpRequest) -> Ordering:
        """The order ``?sort=`` asks for among ``keyset_sorts``, else the table's default order, else the
        primary key."""
        sorts = keyset_sorts(self.table_class, self.model)
        name = request.GET.get(self.table_class._meta.order_by_field or "sort", "")
        if name.removeprefix("-") not in sorts:
            name = next((str(n) for n in self.table_class._meta.order_by or () if str(n).lstrip("-") in sorts), "")
        fields = sorts[name.removeprefix("-")] if name else ()
        return ordering(self.model, fields, descending=name.startswith("-"), name=name)

    def export(self, request: HttpRequest, queryset: models.QuerySet, fmt: str) -> HttpResponse:
        if not self.export_key or fmt not in exports.FORMATS:
            return HttpResponseBadRequest(_("Unknown export format."))
        queryset = exports.ordered(self.table_class, queryset, request.GET.get("sort"))
        total = queryset.count()
        if total > settings.CNAN_EXPORT_SYNC_LIMIT:
            query = request.GET.copy()
            query.pop("export", None)
            job = services.job_create(
                owner=request.user,
                kind="export",
                title=_("Export of %(list)s (%(count)s rows, %(format)s)")
                % {"list": self.get_title(), "count": total, "format": fmt.upper()},
                params={
                    "list": self.export_key,
                    "query": query.urlencode(),
                    "format": fmt,
                    "language": request.LANGUAGE_CODE,
                },
            )
            from django.db import transaction

            transaction.on_commit(lambda: export_list.enqueue(str(job.pk)))
            messages.info(request, _("The export runs in the background; this page shows its progress."))
            return redirect_response(request, job.get_absolute_url())
        headers, rows, _count = exports.table_rows(self.table_class, queryset)
        data = exports.render_bytes(fmt=fmt, title=self.get_title(), headers=headers, rows=rows)
        response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
        name = exports.filename(self.export_key.replace(":", "-"), fmt)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ObjectMixin:
    """Looks the object up through a selector that applies the visibility rule (404 if not visible)."""

    model: ClassVar[type[models.Model]]
    get_selector_name: ClassVar[str] = "object_get"

    def get_object(self, request: HttpRequest, pk: Any) -> models.Model:
        getter = type(self).object_selector  # type: ignore[attr-defined]
        try:
            return getter(user=request.user, pk=pk)
        except (self.model.DoesNotExist, ValueError, ValidationError) as exc:
            raise Http404(_("No such record, or you may not see it.")) from exc


class ObjectDetailView(ObjectMixin, PortalView):
    template_name: ClassVar[str]
    history_size = 8

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object(request, pk)
        services.record_read(user=request.user, instance=obj)
        context = {
            "object": obj,
            "model_opts": obj._meta,
            **object_urls(obj),
            "can_change": can(request.user, "change", obj),
            "can_delete": can(request.user, "delete", obj),
            "history": list(audit.history(obj)[: self.history_size]),
            **self.get_extra_context(request, obj),
        }
        return render(request, self.template_name, context)

    def get_extra_context(self, request: HttpRequest, obj: models.Model) -> dict[str, Any]:
        return {}


class ObjectEditView(ObjectMixin, PortalView):
    """Create (no pk) or edit (pk) through a form that only checks shape and a service that decides."""

    form_class: ClassVar[type]
    template_name = "generic/object_edit.html"
    add_perm: ClassVar[str | None] = None

    def create(self, *, actor: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update(self, *, actor: Any, instance: models.Model, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def form_kwargs(self, request: HttpRequest, obj: models.Model | None) -> dict[str, Any]:
        return {"user": request.user}

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def _load(self, request: HttpRequest, pk: Any | None) -> models.Model | None:
        if pk is None:
            if not has_perm(request.user, self.add_perm or perm_name(self.model, "add")):
                raise PermissionDenied
            return None
        obj = self.get_object(request, pk)
        if not can(request.user, "change", obj):
            raise PermissionDenied
        return obj

    def render_form(self, request: HttpRequest, form: Any, obj: models.Model | None, status: int = 200):
        context = {
            "form": form,
            "object": obj,
            "model_opts": self.model._meta,
            "title": (_("Edit %(object)s") % {"object": obj})
            if obj
            else (_("New %(model)s") % {"model": self.model._meta.verbose_name}),
            "cancel_url": obj.get_absolute_url() if obj else safe_next(request, reverse(self.cancel_url_name)),
        }
        template = self.template_name
        if htmx_target(request) == "object-form":
            template = f"{template}#form"
        return render(request, template, context, status=status)

    cancel_url_name: ClassVar[str] = "core:home"

    def get(self, request: HttpRequest, pk: Any | None = None) -> HttpResponse:
        obj = self._load(request, pk)
        form = self.form_class(
            instance=obj, initial=self.initial(request) if obj is None else None, **self.form_kwargs(request, obj)
        )
        return self.render_form(request, form, obj)

    def post(self, request: HttpRequest, pk: Any | None = None) -> HttpResponse:
        obj = self._load(request, pk)
        form = self.form_class(request.POST, request.FILES or None, instance=obj, **self.form_kwargs(request, obj))
        if form.is_valid():
            try:
                if obj is None:
                    saved = self.create(actor=request.user, data=form.cleaned_data)
                    messages.success(request, _("%(object)s was created.") % {"object": saved})
                else:
                    saved = self.update(actor=request.user, instance=obj, data=form.cleaned_data)
                    messages.success(request, _("%(object)s was saved.") % {"object": saved})
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return redirect_response(request, saved.get_absolute_url())
        if obj is not None:
            obj.refresh_from_db()
        return self.render_form(request, form, obj, status=422)


def edit_template(request: HttpRequest) -> str:
    """The generic form page, or only its form for an htmx post that swaps it."""
    return "generic/object_edit.html#form" if htmx_target(request) == "object-form" else "generic/object_edit.html"


class ChildEditView(PortalView):
    """Add a record under its parent (the URL's ``parent_kwarg``) or edit one (``pk``) on the generic
    form page, e.g. a committee's meeting or a task's milestone. ``load`` finds both through the
    selectors and checks who may write (on the side the services check); ``create`` / ``update`` call
    the services, whose ``ValidationError`` shows on the form with nothing written."""

    model: ClassVar[type[models.Model]]
    form_class: ClassVar[type]
    parent_kwarg: ClassVar[str]

    def load(self, request: HttpRequest, parent_pk: Any, pk: Any) -> tuple[models.Model, models.Model | None]:
        raise NotImplementedError

    def create(self, *, actor: Any, parent: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def new_title(self, parent: Any) -> str:
        return _("New %(model)s") % {"model": self.model._meta.verbose_name}

    def cancel_url(self, parent: Any, obj: Any) -> str:
        return obj.get_absolute_url() if obj else parent.get_absolute_url()

    def success_url(self, saved: Any) -> str:
        return saved.get_absolute_url()

    def render_form(self, request: HttpRequest, parent: Any, obj: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "object": obj,
            "model_opts": self.model._meta,
            "title": _("Edit %(object)s") % {"object": obj} if obj else self.new_title(parent),
            "cancel_url": self.cancel_url(parent, obj),
        }
        return render(request, edit_template(request), context, status=status)

    def get(self, request: HttpRequest, pk: Any = None, **kwargs: Any) -> HttpResponse:
        parent, obj = self.load(request, kwargs.get(self.parent_kwarg), pk)
        return self.render_form(request, parent, obj, self.form_class(instance=obj, user=request.user))

    def post(self, request: HttpRequest, pk: Any = None, **kwargs: Any) -> HttpResponse:
        parent, obj = self.load(request, kwargs.get(self.parent_kwarg), pk)
        form = self.form_class(request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                if obj is None:
                    saved = self.create(actor=request.user, parent=parent, data=form.cleaned_data)
                    messages.success(request, _("%(object)s was created.") % {"object": saved})
                else:
                    saved = self.update(actor=request.user, instance=obj, data=form.cleaned_data)
                    messages.success(request, _("%(object)s was saved.") % {"object": saved})
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return redirect_response(request, self.success_url(saved))
        if obj is not None:
            obj.refresh_from_db()
        return self.render_form(request, parent, obj, form, status=422)


def attach_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: under its field, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ObjectDeleteView(ObjectMixin, PortalView):
    template_name = "generic/object_delete.html"
    success_url_name: ClassVar[str]

    def delete(self, *, actor: Any, instance: models.Model) -> None:
        services.object_delete(actor=actor, instance=instance)

    def _load(self, request: HttpRequest, pk: Any) -> models.Model:
        obj = self.get_object(request, pk)
        if not can(request.user, "delete", obj):
            raise PermissionDenied
        return obj

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self._load(request, pk)
        return render(request, self.template_name, {"object": obj, "model_opts": obj._meta})

    def success_url(self, obj: Any) -> str:
        """Where to go once ``obj`` is deleted (read before: a parent's page, say)."""
        return reverse(self.success_url_name)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self._load(request, pk)
        label, back = str(obj), self.success_url(obj)
        try:
            self.delete(actor=request.user, instance=obj)
        except ValidationError as exc:
            return render(
                request,
                self.template_name,
                {"object": obj, "model_opts": obj._meta, "errors": exc.messages},
                status=409,
            )
        messages.success(request, _("%(object)s was deleted.") % {"object": label})
        return redirect_response(request, back)


class ObjectHistoryView(ObjectMixin, PortalView):
    template_name = "generic/object_history.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object(request, pk)
        page = Paginator(audit.history(obj), 25).get_page(request.GET.get("page"))
        return render(request, self.template_name, {"object": obj, "model_opts": obj._meta, "page": page})
