"""Pages of the import pipeline (``core.imports``): template, upload and validation, result, commit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .. import imports, selectors, services
from ..exports import CONTENT_TYPES
from ..forms import ImportUploadForm
from ..models import ImportBatch
from ..tasks import import_commit
from .generic import PortalView, redirect_response

ERRORS_PER_PAGE = 100


def _spec(request: HttpRequest, key: str) -> imports.ImportSpec:
    """The import ``key`` if the user may use it: 404 for an unknown one, 403 without its permissions."""
    try:
        spec = imports.get(key)
    except KeyError as exc:
        raise Http404(_("No such import.")) from exc
    if not imports.may_use(request.user, spec):
        raise PermissionDenied
    return spec


def _params(request: HttpRequest, spec: imports.ImportSpec, raw: dict[str, Any]) -> dict[str, Any]:
    try:
        return imports.resolve_params(request.user, spec, raw)
    except ObjectDoesNotExist as exc:
        raise Http404(_("No such record, or you may not see it.")) from exc


def _context(spec: imports.ImportSpec, params: dict[str, Any], raw: dict[str, str]) -> dict[str, Any]:
    query = f"?{urlencode(raw)}" if raw else ""
    return {
        "spec": spec,
        "title": spec.title(),
        "heading": spec.heading(params) if spec.heading else "",
        "list_url": spec.list_url(params) if spec.list_url else "",
        "template_url": reverse("core:import_template", kwargs={"key": spec.key}) + query,
        "start_url": reverse("core:import_start", kwargs={"key": spec.key}) + query,
        "columns": [
            {
                "label": str(c.label),
                "required": c.required,
                "kind": imports.kind_label(c.kind),
                "allowed": imports.allowed_values(c),
                "help_text": c.help_text,
            }
            for c in spec.columns
        ],
    }


class ImportTemplateView(PortalView):
    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        spec = _spec(request, key)
        _params(request, spec, imports.raw_params(spec, request.GET))
        response = HttpResponse(imports.template_bytes(spec), content_type=CONTENT_TYPES["xlsx"])
        response["Content-Disposition"] = f'attachment; filename="{imports.template_name(spec)}"'
        return response


class ImportStartView(PortalView):
    """The upload form; a posted file is checked and validated at once (nothing is written) and kept as
    a batch, whose page shows the errors or the rows ready to import."""

    template_name = "core/import_start.html"

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        spec = _spec(request, key)
        raw = imports.raw_params(spec, request.GET)
        params = _params(request, spec, raw)
        return render(request, self.template_name, {**_context(spec, params, raw), "form": ImportUploadForm()})

    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        spec = _spec(request, key)
        raw = imports.raw_params(spec, request.GET)
        params = _params(request, spec, raw)
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = imports.validate(spec, request.user, upload, upload.name, params, size=upload.size)
            except imports.ImportRefused as exc:
                form.add_error("file", exc.message)
            else:
                batch = services.import_batch_create(
                    owner=request.user,
                    spec_key=spec.key,
                    params=raw,
                    upload=upload,
                    file_name=upload.name,
                    language=request.LANGUAGE_CODE,
                    row_count=result.row_count,
                    errors=result.errors,
                    error_count=result.error_count,
                    preview=imports.preview(spec, result.rows) if result.ok else {},
                )
                return redirect_response(request, batch.get_absolute_url())
        context = {**_context(spec, params, raw), "form": form}
        return render(request, self.template_name, context, status=422)


def _batch(request: HttpRequest, pk: Any) -> tuple[ImportBatch, imports.ImportSpec, dict[str, Any]]:
    """The user's own batch (404 for anyone else's), its spec (403 if they may no longer use it)."""
    try:
        batch = selectors.import_batch_get(user=request.user, pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(_("No such import.")) from exc
    spec = _spec(request, batch.spec_key)
    return batch, spec, _params(request, spec, batch.params)


class ImportBatchView(PortalView):
    template_name = "core/import_batch.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        batch, spec, params = _batch(request, pk)
        errors = Paginator(batch.errors or [], ERRORS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            **_context(spec, params, batch.params),
            "batch": batch,
            "errors": errors,
            "errors_capped": batch.error_count > len(batch.errors or []),
            "preview": batch.preview or {},
        }
        return render(request, self.template_name, context)


class ImportCommitView(PortalView):
    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        batch, spec, _params_ = _batch(request, pk)
        title = _("Import of %(title)s (%(count)s rows, %(file)s)") % {
            "title": spec.title(),
            "count": batch.row_count,
            "file": batch.file_name,
        }
        try:
            job = services.import_batch_commit_start(actor=request.user, batch=batch, title=title)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect_response(request, batch.get_absolute_url())
        transaction.on_commit(lambda: import_commit.enqueue(str(job.pk)))
        messages.info(request, _("The import runs in the background; this page shows its progress."))
        return redirect_response(request, job.get_absolute_url())
