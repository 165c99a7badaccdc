"""Thin views over the catalogue's selectors and services (generic machinery in ``core.views.generic``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cnan.core import imports
from cnan.core.permissions import can, has_perm, may_list
from cnan.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PortalView,
    attach_errors,
    redirect_response,
)

from . import bom_export, dashboards, selectors, services
from .filters import EditionFilterSet, ProductFilterSet
from .forms import BOMLineForm, EditionForm, ProductForm, RevisionForm, WhatIfForm
from .imports import BOM as BOM_IMPORT
from .imports import PRODUCTS as PRODUCT_IMPORT
from .models import BOMLine, BOMRevision, CatalogueEdition, Product, ProductClass
from .tables import EditionTable, ProductTable

CHANGE_PRODUCT = "catalogue.change_product"


def require_catalogue(request: HttpRequest) -> None:
    if not may_list(request.user, Product):
        raise PermissionDenied


def end_product_query(**params: Any) -> str:
    """A product-list query string for the end products (every class but components), with ``params``."""
    pairs = [("product_class", c) for c, _label in ProductClass.choices if c != ProductClass.COMPONENT]
    return urlencode(pairs + list(params.items()))


# --- products --------------------------------------------------------------------------------------


class ProductListView(ObjectListView):
    model = Product
    table_class = ProductTable
    filterset_class = ProductFilterSet
    selector = selectors.product_list
    export_key = "catalogue:product"
    import_key = PRODUCT_IMPORT
    add_url_name = "catalogue:product_add"
    template_name = "catalogue/product_list.html"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"can_recompute": has_perm(request.user, "catalogue.change_productrollup")}


class ProductDetailView(ObjectDetailView):
    model = Product
    object_selector = selectors.product_get
    template_name = "catalogue/product_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        contributions = selectors.direct_contributions(product=obj)
        shown = selectors.visible_product_ids(user=user, ids=[c["line"].component_id for c in contributions])
        for c in contributions:
            c["visible"] = c["line"].component_id in shown
        trend = list(selectors.history(user=user, product=obj).values_list("time", "localisation_rate"))
        return {
            "rollup": getattr(obj, "rollup", None),
            "contributions": contributions,
            "bom_rows": selectors.explode(user=user, product=obj, max_level=1),
            "where_used": selectors.where_used(user=user, product=obj),
            "rate_trend": [(t.strftime("%d/%m/%Y"), r) for t, r in trend],
            "revisions": obj.revisions.select_related("frozen_by").order_by("-number"),
            "can_change_bom": can(user, "change", obj),
            "bom_import_url": imports.url_for(user, BOM_IMPORT, product=obj.pk) if can(user, "change", obj) else None,
        }


class ProductEditView(ObjectEditView):
    model = Product
    object_selector = selectors.product_get
    form_class = ProductForm
    cancel_url_name = "catalogue:product_list"

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {"organization": request.GET.get("organization"), "origin_country": "VN"}

    def create(self, *, actor: Any, data: dict[str, Any]) -> Product:
        return services.product_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Product:
        return services.product_update(actor=actor, instance=instance, data=data)


class ProductDeleteView(ObjectDeleteView):
    model = Product
    object_selector = selectors.product_get
    success_url_name = "catalogue:product_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.product_delete(actor=actor, instance=instance)


class ProductHistoryView(ObjectHistoryView):
    model = Product
    object_selector = selectors.product_get


class ProductBOMLevelView(PortalView):
    """One level of a product's bill of materials (its current standard lines), for the tree's htmx expansion.
    ``level`` is the depth of these rows under the page's product, ``ext`` the quantity of this product per
    unit of the page's product."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        product = selectors.product_get(user=request.user, pk=pk)
        try:
            level = max(1, min(int(request.GET.get("level", 1)), selectors.MAX_LEVELS))
            ext = float(request.GET.get("ext", 1))
        except ValueError as exc:
            raise Http404 from exc
        rows = selectors.explode(user=request.user, product=product, max_level=1)
        for row in rows:
            row.extended_quantity *= ext
        return render(request, "catalogue/partials/_bom_level.html", {"rows": rows, "level": level, "parent": product})


class ProductFlatView(PortalView):
    """The flattened bill of materials: total quantities per unit, and where the imported value comes from."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        product = selectors.product_get(user=request.user, pk=pk)
        lines = selectors.explode(user=request.user, product=product)
        return render(
            request,
            "catalogue/product_flat.html",
            {
                "object": product,
                "rollup": getattr(product, "rollup", None),
                "flat": selectors.flatten(lines),
                "sources": selectors.import_sources(lines),
                "levels": max((line.level for line in lines), default=0),
            },
        )


class ProductBOMExportView(PortalView):
    """The multi-level bill of materials as an XLSX sheet."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        product = selectors.product_get(user=request.user, pk=pk)
        lines = selectors.explode(user=request.user, product=product)
        response = HttpResponse(
            bom_export.workbook(product, lines),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{bom_export.filename(product)}"'
        return response


# --- revisions and lines ---------------------------------------------------------------------------


class RevisionCreateView(PortalView):
    """Start a new revision of a product's bill of materials (a copy of the current one, or of ``copy_from``)."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        product = selectors.product_get(user=request.user, pk=pk)
        if not can(request.user, "change", product):
            raise PermissionDenied
        form = RevisionForm(request.POST)
        copy_from = None
        if request.POST.get("copy_from"):
            copy_from = selectors.revision_get(user=request.user, pk=request.POST["copy_from"])
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            revision = services.revision_create(actor=request.user, product=product, note=note, copy_from=copy_from)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect_response(request, product.get_absolute_url())
        messages.success(request, _("Revision %(number)s was started.") % {"number": revision.number})
        return redirect_response(request, revision.get_absolute_url())


def _masked_lines(user: Any, lines: Any) -> list[BOMLine]:
    lines = list(lines)
    shown = selectors.visible_product_ids(user=user, ids=[line.component_id for line in lines])
    for line in lines:
        line.component_visible = line.component_id in shown
    return lines


class RevisionDetailView(PortalView):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        revision = selectors.revision_get(user=request.user, pk=pk)
        product = revision.product
        may_change = can(request.user, "change", product)
        return render(
            request,
            "catalogue/revision_detail.html",
            {
                "object": revision,
                "product": product,
                "lines": _masked_lines(request.user, selectors.revision_lines(revision)),
                "revisions": product.revisions.order_by("-number"),
                "is_current": product.current_revision_id == revision.pk,
                "can_change": may_change,
                "can_edit_lines": may_change and not revision.is_frozen and product.current_revision_id == revision.pk,
            },
        )


class RevisionFreezeView(PortalView):
    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        revision = selectors.revision_get(user=request.user, pk=pk)
        if not can(request.user, "change", revision.product):
            raise PermissionDenied
        try:
            services.revision_freeze(actor=request.user, revision=revision)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Revision %(number)s is frozen.") % {"number": revision.number})
        return redirect_response(request, revision.get_absolute_url())


class RevisionCompareView(PortalView):
    """Two revisions of one product compared (``?with=<revision>``): lines added, removed and changed."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        revision = selectors.revision_get(user=request.user, pk=pk)
        other_pk = request.GET.get("with")
        other = selectors.revision_get(user=request.user, pk=other_pk) if other_pk else None
        if other is not None and other.product_id != revision.product_id:
            raise Http404
        diffs = []
        older, newer = revision, other
        if other is not None:
            older, newer = sorted((revision, other), key=lambda r: r.number)
            diffs = selectors.compare_revisions(older, newer)
            shown = selectors.visible_product_ids(user=request.user, ids=[d.component.pk for d in diffs])
            for d in diffs:
                d.visible = d.component.pk in shown
        return render(
            request,
            "catalogue/revision_compare.html",
            {
                "object": revision,
                "product": revision.product,
                "older": older,
                "newer": newer,
                "other": other,
                "diffs": diffs,
                "revisions": revision.product.revisions.exclude(pk=revision.pk).order_by("-number"),
            },
        )


class BOMLineEditView(PortalView):
    """Add a line to a revision (``revision_pk``) or edit one (``pk``); the services refuse loops, frozen and
    past revisions, and the errors show on the form with nothing written."""

    def _load(self, request: HttpRequest, revision_pk: Any = None, pk: Any = None):
        if pk is not None:
            line = selectors.line_get(user=request.user, pk=pk)
            revision = line.revision
        else:
            line = None
            revision = selectors.revision_get(user=request.user, pk=revision_pk)
        if not has_perm(request.user, CHANGE_PRODUCT, revision.product):
            raise PermissionDenied
        return revision, line

    def _form(self, request: HttpRequest, revision: BOMRevision, line: BOMLine | None, data: Any = None):
        instance = line or BOMLine(revision=revision, parent=revision.product)
        return BOMLineForm(data, instance=instance, user=request.user, revision=revision)

    def _render(self, request, revision, line, form, status=200):
        codes = Product.objects.visible_to(request.user, "view").exclude(pk=revision.product_id).order_by("code")
        return render(
            request,
            "catalogue/bomline_form.html",
            {
                "revision": revision,
                "product": revision.product,
                "object": line,
                "form": form,
                "codes": codes.values_list("code", "name")[:2000],
            },
            status=status,
        )

    def get(self, request: HttpRequest, revision_pk: Any = None, pk: Any = None) -> HttpResponse:
        revision, line = self._load(request, revision_pk, pk)
        form = self._form(request, revision, line)
        if revision.is_frozen:
            form.add_error(None, _("This revision is frozen (a baseline): start a new revision to change it."))
        return self._render(request, revision, line, form)

    def post(self, request: HttpRequest, revision_pk: Any = None, pk: Any = None) -> HttpResponse:
        revision, line = self._load(request, revision_pk, pk)
        form = self._form(request, revision, line, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if not data.get("unit"):
                data["unit"] = data["component"].unit
            try:
                if line is None:
                    services.bomline_create(actor=request.user, revision=revision, data=data)
                else:
                    services.bomline_update(actor=request.user, instance=line, data=data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The line was saved."))
                return redirect_response(request, revision.get_absolute_url())
        return self._render(request, revision, line, form, status=422)


class BOMLineDeleteView(PortalView):
    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        line = selectors.line_get(user=request.user, pk=pk)
        if not has_perm(request.user, CHANGE_PRODUCT, line.revision.product):
            raise PermissionDenied
        try:
            services.bomline_delete(actor=request.user, instance=line)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The line was deleted."))
        return redirect_response(request, line.revision.get_absolute_url())


# --- what-if ---------------------------------------------------------------------------------------


class WhatIfView(PortalView):
    """What a new price, origin or replacement of one component would do to every product that uses it
    (GET: nothing written); POST applies the same changes through the services."""

    template_name = "catalogue/whatif.html"

    def _render(self, request, form, rows=None, error=None, status=200):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "rows": rows,
                "error": error,
                "can_apply": has_perm(request.user, CHANGE_PRODUCT),
                "codes": Product.objects.visible_to(request.user, "view")
                .order_by("code")
                .values_list("code", "name")[:2000],
            },
            status=status,
        )

    def _preview(self, request, form):
        changes = form.override()
        ids = {
            "prices": {p.pk: v for p, v in changes["prices"].items()},
            "origins": {p.pk: v for p, v in changes["origins"].items()},
            "replacements": [(o.pk, n.pk, w.pk if w else None) for o, n, w in changes["replacements"]],
        }
        return selectors.whatif(user=request.user, **ids)

    def get(self, request: HttpRequest) -> HttpResponse:
        require_catalogue(request)
        if not request.GET:
            return self._render(request, WhatIfForm(user=request.user))
        if set(request.GET) <= {"component"}:
            # From a product's "What if…" link: the component is filled in, the change not yet asked.
            return self._render(request, WhatIfForm(user=request.user, initial={"component": request.GET["component"]}))
        form = WhatIfForm(request.GET, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        return self._render(request, form, rows=self._preview(request, form))

    def post(self, request: HttpRequest) -> HttpResponse:
        require_catalogue(request)
        if not has_perm(request.user, CHANGE_PRODUCT):
            raise PermissionDenied
        form = WhatIfForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=422)
        try:
            changed = services.whatif_apply(actor=request.user, **form.override())
        except PermissionDenied:
            error = _("You may not change every product these changes touch; nothing was changed.")
            return self._render(request, form, rows=self._preview(request, form), error=error, status=403)
        except ValidationError as exc:
            attach_errors(form, exc)
            return self._render(request, form, rows=self._preview(request, form), status=422)
        messages.success(
            request, _("The changes were applied (%(count)s bill-of-materials lines changed).") % {"count": changed}
        )
        return redirect_response(request, form.cleaned_data["component"].get_absolute_url())


# --- dashboard and recompute -----------------------------------------------------------------------


class DashboardView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        require_catalogue(request)
        user = request.user
        by_class = dashboards.rate_by_class(user=user)
        by_owner = dashboards.rate_by_owner(user=user)
        for g in by_class:
            g.url = reverse("catalogue:product_list") + "?" + urlencode({"product_class": g.key})
        for g in by_owner:
            g.url = reverse("catalogue:product_list") + "?" + end_product_query(organization=g.key)
        top = dashboards.top_imported(user=user)
        trend = dashboards.trend(user=user)
        return render(
            request,
            "catalogue/dashboard.html",
            {
                "title": _("Localisation dashboard"),
                "total": dashboards.totals(user=user),
                "by_class": by_class,
                "by_owner": by_owner,
                "top": top,
                "trend": trend,
                "class_chart": [(g.label, g.rate) for g in by_class],
                "owner_chart": [(g.label, g.rate) for g in by_owner],
                "top_chart": [(r.product.code, r.imported_value) for r in top],
                "trend_chart": [(p.label, p.rate) for p in trend],
                "end_products_url": reverse("catalogue:product_list") + "?" + end_product_query(),
                "can_recompute": has_perm(user, "catalogue.change_productrollup"),
            },
        )


class RecomputeView(PortalView):
    def post(self, request: HttpRequest) -> HttpResponse:
        job = services.rollup_recompute_start(actor=request.user)  # PermissionDenied → 403
        messages.info(request, _("The recompute runs in the background; this page shows its progress."))
        return redirect_response(request, job.get_absolute_url())


# --- editions of the product list ------------------------------------------------------------------


def _edition_urls(edition: CatalogueEdition) -> dict[str, str]:
    return {
        f"{action}_url": reverse(f"catalogue:edition_{action}", kwargs={"pk": edition.pk})
        for action in ("edit", "delete", "history")
    }


def edition_get(*, user: Any, pk: Any) -> CatalogueEdition:
    try:
        return selectors.edition_list(user=user).get(pk=pk)
    except (CatalogueEdition.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


class EditionListView(ObjectListView):
    model = CatalogueEdition
    table_class = EditionTable
    filterset_class = EditionFilterSet
    selector = selectors.edition_list
    export_key = "catalogue:edition"
    add_url_name = "catalogue:edition_add"


class EditionDetailView(ObjectDetailView):
    model = CatalogueEdition
    object_selector = edition_get
    template_name = "catalogue/edition_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        filters = ProductFilterSet(queryset=Product.objects.none(), request=request)
        from cnan.common.forms import style_form

        style_form(filters.form, small=True)
        return {
            **_edition_urls(obj),
            "can_delete": can(request.user, "delete", obj) and not obj.is_published,
            "can_change": can(request.user, "change", obj) and not obj.is_published,
            "entries": list(dashboards.edition_entries(obj).values()),
            "filter_form": filters.form,
            "others": selectors.edition_list(user=request.user).exclude(pk=obj.pk),
        }


class EditionEditView(ObjectEditView):
    model = CatalogueEdition
    object_selector = edition_get
    form_class = EditionForm
    cancel_url_name = "catalogue:edition_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> CatalogueEdition:
        return services.edition_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> CatalogueEdition:
        return services.edition_update(actor=actor, instance=instance, data=data)


class EditionDeleteView(ObjectDeleteView):
    model = CatalogueEdition
    object_selector = edition_get
    success_url_name = "catalogue:edition_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.edition_delete(actor=actor, instance=instance)


class EditionHistoryView(ObjectHistoryView):
    model = CatalogueEdition
    object_selector = edition_get


class EditionProductsView(PortalView):
    """Add the products matching the product-list filters to a draft edition (``action=add``), or take one
    out (``action=remove``, ``product=<id>``)."""

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        edition = edition_get(user=request.user, pk=pk)
        if not can(request.user, "change", edition):
            raise PermissionDenied
        current = [e.product for e in edition.entries.select_related("product")]
        if request.POST.get("action") == "remove":
            products = [p for p in current if str(p.pk) != request.POST.get("product")]
        else:
            filters = request.POST.copy()
            for key in ("csrfmiddlewaretoken", "action"):
                filters.pop(key, None)
            try:
                matched = list(selectors.product_list(user=request.user, filters=filters))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect_response(request, edition.get_absolute_url())
            products = current + matched
        try:
            changed = services.edition_set_products(actor=request.user, edition=edition, products=products)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(count)s entries changed.") % {"count": changed})
        return redirect_response(request, edition.get_absolute_url())


class EditionPublishView(PortalView):
    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        edition = edition_get(user=request.user, pk=pk)
        if not can(request.user, "change", edition):
            raise PermissionDenied
        try:
            services.edition_publish(actor=request.user, edition=edition)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The edition was published."))
        return redirect_response(request, edition.get_absolute_url())


class EditionCompareView(PortalView):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        edition = edition_get(user=request.user, pk=pk)
        other_pk = request.GET.get("with")
        other = edition_get(user=request.user, pk=other_pk) if other_pk else None
        diffs = []
        older, newer = edition, other
        if other is not None:
            older, newer = sorted((edition, other), key=lambda e: (e.published_at is None, e.published_at, e.code))
            diffs = dashboards.edition_compare(older, newer)
        return render(
            request,
            "catalogue/edition_compare.html",
            {
                "object": edition,
                "other": other,
                "older": older,
                "newer": newer,
                "diffs": diffs,
                "others": selectors.edition_list(user=request.user).exclude(pk=edition.pk),
            },
        )
