from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import action_context, new_request_id

_REQUEST_ID = re.compile(r"^[0-9a-fA-F-]{32,36}$")


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Gives every request an id (``X-Request-ID`` if a proxy sent a valid one) and sets the action context."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("X-Request-ID", "")
        try:
            request_id = uuid.UUID(header) if _REQUEST_ID.match(header) else new_request_id()
        except ValueError:
            request_id = new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        source = "api" if request.path.startswith("/api/") else "web"
        with action_context(request_id=request_id, ip_address=_client_ip(request), source=source):
            response = self.get_response(request)
        response["X-Request-ID"] = str(request_id)
        return response
