from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import home, search, selectors, services
from ..filters import ObjectChangeFilterSet
from ..models import Job, ObjectChange
from ..tables import ObjectChangeTable
from .generic import ObjectDetailView, ObjectListView, PortalView, redirect_response, safe_next


class HomeView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "widgets": home.widgets_for(request.user),
            "jobs": list(selectors.job_list(user=request.user)[:5]),
            "notifications": list(selectors.notification_list(user=request.user)[:5]),
        }
        return render(request, "core/home.html", context)


class SearchView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()[:200]
        only = request.GET.get("type") or None
        results = search.search(user=request.user, query=query, only=only, limit=50 if only else 10)
        return render(
            request,
            "core/search.html",
            {"query": query, "results": results, "only": only, "too_short": 0 < len(query) < 2},
        )


class ObjectChangeListView(ObjectListView):
    model = ObjectChange
    table_class = ObjectChangeTable
    filterset_class = ObjectChangeFilterSet
    selector = selectors.objectchange_list
    export_key = "core:objectchange"
    title = None
    keyset_paging = True

    def get_title(self) -> str:
        return _("Audit log")


class ObjectChangeDetailView(ObjectDetailView):
    model = ObjectChange
    object_selector = selectors.objectchange_get
    template_name = "core/objectchange_detail.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object(request, pk)
        return render(request, self.template_name, {"object": obj, "model_opts": obj._meta, "changes": [obj]})


class JobListView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(selectors.job_list(user=request.user), 25).get_page(request.GET.get("page"))
        return render(request, "core/job_list.html", {"page": page})


def _job(request: HttpRequest, pk: Any) -> Job:
    try:
        return selectors.job_get(user=request.user, pk=pk)
    except (Job.DoesNotExist, ValueError) as exc:
        raise Http404(_("No such job.")) from exc


class JobDetailView(PortalView):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        job = _job(request, pk)
        if getattr(request, "htmx", None) and request.htmx.target == "job-status":
            # htmx polls this fragment; status 286 tells it to stop once the job has finished.
            return render(request, "core/job_detail.html#status", {"job": job}, status=286 if job.is_finished else 200)
        return render(request, "core/job_detail.html", {"job": job})


class JobDownloadView(PortalView):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        job = _job(request, pk)
        if job.status != Job.Status.SUCCEEDED or not job.result_file:
            raise Http404(_("This job has no file to download."))
        return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)


class NotificationListView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(selectors.notification_list(user=request.user), 25).get_page(request.GET.get("page"))
        return render(request, "core/notification_list.html", {"page": page})


class NotificationReadView(PortalView):
    def post(self, request: HttpRequest) -> HttpResponse:
        ids = request.POST.getlist("id")
        try:
            parsed = [int(i) for i in ids] if ids else None
        except ValueError:
            return HttpResponse(_("Invalid notification id."), status=400)
        services.notification_mark_read(user=request.user, notification_ids=parsed)
        return redirect_response(request, safe_next(request, "/notifications/"))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)
