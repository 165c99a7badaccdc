"""Keyset ("older / newer") paging for pages over big append-only tables, such as the audit log.

A numbered page N costs a scan of the N × size rows before it and a COUNT(*) of the whole selection;
a keyset page costs what the first page costs, however deep (BENCHMARKS.md, ``lists``). The rows come
newest first (descending primary key, which grows with time for append-only tables); the position is
the key of the last row seen (``before``) or of the first row seen (``after``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

BEFORE = "before"
AFTER = "after"


@dataclass
class KeysetPage:
    rows: list[models.Model]
    older: int | None  # ``before`` of the next (older) page, None on the last page
    newer: int | None  # ``after`` of the previous (newer) page, None on the first page


def _position(params: Mapping[str, Any], name: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = -1
    if value < 0:
        raise ValidationError(_("The page position “%(value)s” is not valid."), params={"value": raw})
    return value


def keyset_page(queryset: models.QuerySet, params: Mapping[str, Any], *, size: int) -> KeysetPage:
    """The page of ``queryset`` that ``params`` (``before`` or ``after``) points at, newest first.

    The rows are read with one more than ``size`` (to know whether a page follows in that direction);
    away from the newest page, one ``exists()`` query tells whether a page lies the other way. Raises
    ``ValidationError`` for a malformed position.
    """
    before, after = _position(params, BEFORE), _position(params, AFTER)
    if after is not None and before is None:
        rows = list(queryset.filter(pk__gt=after).order_by("pk")[: size + 1])
        if not rows:  # nothing newer than the position: show the newest page instead
            return keyset_page(queryset, {}, size=size)
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = queryset.filter(pk__lt=rows[-1].pk).exists()
    else:
        selection = queryset.filter(pk__lt=before) if before is not None else queryset
        rows = list(selection.order_by("-pk")[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = before is not None and queryset.filter(pk__gte=before).exists()
    return KeysetPage(
        rows=rows,
        older=rows[-1].pk if rows and has_older else None,
        newer=rows[0].pk if rows and has_newer else None,
    )
