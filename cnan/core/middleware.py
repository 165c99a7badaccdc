from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
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


class SessionRefreshMiddleware:
    """Slides a signed-in session's expiry forward (the inactivity timeout, ``SESSION_COOKIE_AGE``).

    Instead of writing the session on every request (``SESSION_SAVE_EVERY_REQUEST``, one database
    write per page or API read), the session is saved again only when its last refresh is older than
    ``SESSION_REFRESH_SECONDS``: an idle session still dies after the timeout, give or take that margin.
    Requests without a session (token-authenticated API calls) are left alone.
    """

    KEY = "_cnan_refreshed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or SESSION_KEY not in session:
            return response
        now = int(time.time())
        if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response
