"""Who is acting, under which request id: carried in a ContextVar through views, services and tasks."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from uuid6 import uuid7


@dataclass(frozen=True)
class ActionContext:
    request_id: uuid.UUID
    ip_address: str | None = None
    source: str = "web"  # web, api, task, command


_current: ContextVar[ActionContext | None] = ContextVar("cnan_action_context", default=None)


def current() -> ActionContext | None:
    return _current.get()


def new_request_id() -> uuid.UUID:
    """A fresh request id: a time-ordered UUID (version 7, RFC 9562).

    Change records are indexed by request id; ids that grow with time are appended at the end of that
    index instead of landing on a random page of it, which keeps the audit trail cheap to write.
    """
    return uuid7()


def current_request_id() -> uuid.UUID:
    """The request id of the running request, task or command; a fresh one if none is set."""
    ctx = _current.get()
    return ctx.request_id if ctx else new_request_id()


@contextlib.contextmanager
def action_context(
    *, request_id: uuid.UUID | None = None, ip_address: str | None = None, source: str
) -> Iterator[ActionContext]:
    ctx = ActionContext(request_id=request_id or new_request_id(), ip_address=ip_address, source=source)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


class RequestContextLogFilter(logging.Filter):
    """Adds ``request_id`` to every log record so a log line can be tied to its audit rows."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = _current.get()
        record.request_id = str(ctx.request_id) if ctx else "-"
        return True
