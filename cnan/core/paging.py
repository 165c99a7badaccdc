"""Keyset paging: pages read by position, so that page 1,000 costs what page 1 costs (BENCHMARKS.md, ``lists``).

A numbered page N costs a scan of the N × size rows before it and a COUNT(*) of the whole selection; a
keyset page reads the rows after (or before) the position of a row already seen, in the list's order,
which an index on that order serves from the position onwards. One reader (``_page``) serves two shapes:

* ``keyset_page``: newest first (descending primary key, which grows with time for append-only tables such
  as the audit log); the position is the key of the last row seen (``?before=``, the older page) or of the
  first row seen (``?after=``, the newer page);
* ``sorted_keyset_page``: the order of a sortable column (one or more model fields, ascending or descending)
  with the primary key breaking ties; the position is an opaque cursor token naming the order and the
  sort values of a row (``?after=``, the next page; ``?before=``, the previous page).

NULLs of a sort column come last in both directions, on SQLite and PostgreSQL alike. Rather than
``NULLS LAST`` in the SQL (which neither database serves from a plain index in both directions), the rows
are read in two segments: those whose first sort field is set, ordered by the sort fields, then those
where it is NULL, ordered by the remaining fields; each segment is a plain ``ORDER BY`` an index on
(field, id) reads in either direction. Only the first sort field may be NULL.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.translation import gettext as _

BEFORE = "before"
AFTER = "after"
MAX_CURSOR_LENGTH = 2048


@dataclass
class KeysetPage:
    rows: list[models.Model]
    older: int | None  # ``before`` of the next (older) page, None on the last page
    newer: int | None  # ``after`` of the previous (newer) page, None on the first page


@dataclass
class SortedKeysetPage:
    rows: list[models.Model]
    ordering: Ordering
    next: str | None  # ``after`` of the next page, None on the last page
    previous: str | None  # ``before`` of the previous page, None on the first page


def _invalid(raw: Any) -> ValidationError:
    return ValidationError(_("The page position “%(value)s” is not valid."), params={"value": raw})


# --- the order ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ordering:
    """The order of a keyset list: ``fields`` (model field paths, most significant first), then the primary
    key, all ascending or all descending. Build it with ``ordering()``, which checks the fields."""

    name: str  # the ``?sort=`` value it answers (``"-lead"``); its cursors carry it
    fields: tuple[str, ...]
    descending: bool
    nullable: bool  # whether the first field may be NULL (those rows come last)
    columns: tuple[models.Field, ...]  # the model field at the end of each path, then the primary key

    def segments(self) -> list[tuple[Q | None, tuple[str, ...], tuple[models.Field, ...]]]:
        """(which rows, the keys they are ordered and compared on, those keys' fields) in reading order."""
        keys = (*self.fields, "pk")
        if not self.nullable:
            return [(None, keys, self.columns)]
        first = self.fields[0]
        return [
            (Q(**{f"{first}__isnull": False}), keys, self.columns),
            (Q(**{f"{first}__isnull": True}), keys[1:], self.columns[1:]),
        ]

    def segment_of(self, position: tuple[Any, ...]) -> int:
        return 1 if self.nullable and position[0] is None else 0


def _field(model: type[models.Model], path: str) -> tuple[models.Field, bool]:
    """The field at the end of ``path`` and whether the path may yield NULL; only single-valued forward
    relations may be crossed and the path must end on a concrete non-relational field."""
    nullable = False
    parts = path.split("__")
    for i, part in enumerate(parts):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        if not getattr(field, "concrete", False):
            raise FieldDoesNotExist(f"{path}: {part} is not a column")
        nullable = nullable or field.null
        if i < len(parts) - 1:
            if not (field.many_to_one or field.one_to_one):
                raise FieldDoesNotExist(f"{path}: {part} is not a single-valued relation")
            model = field.related_model
        elif field.is_relation:
            raise FieldDoesNotExist(f"{path} ends on a relation")
    return field, nullable


def ordering(
    model: type[models.Model], fields: tuple[str, ...] = (), *, descending: bool = False, name: str = ""
) -> Ordering:
    """The keyset order by ``fields`` of ``model`` then its primary key. Raises ``FieldDoesNotExist`` for a
    path that is not a column reached through single-valued relations, and ``ValueError`` when a field
    other than the first may be NULL (its rows could not be placed)."""
    columns, nullable = [], False
    for i, path in enumerate(fields):
        field, null = _field(model, path)
        if null and i:
            raise ValueError(f"{path}: only the first sort field may be NULL")
        nullable = nullable or null
        columns.append(field)
    columns.append(model._meta.pk)
    return Ordering(name=name, fields=tuple(fields), descending=descending, nullable=nullable, columns=tuple(columns))


# --- the reader -----------------------------------------------------------------------------------------

_VALUE = "keyset_value_%d"  # the annotations carrying a row's sort values across relations


def _annotate(queryset: models.QuerySet, order: Ordering) -> models.QuerySet:
    related = {_VALUE % i: F(path) for i, path in enumerate(order.fields) if "__" in path}
    return queryset.annotate(**related) if related else queryset


def _position(order: Ordering, row: models.Model) -> tuple[Any, ...]:
    values = [
        getattr(row, _VALUE % i) if "__" in path else getattr(row, row._meta.get_field(path).attname)
        for i, path in enumerate(order.fields)
    ]
    return (*values, row.pk)


class _Row(Func):
    """A row value ``(a, b, …)``. Compared as a whole (``(a, b) > (x, y)``), it is an index condition that
    PostgreSQL and SQLite both start an index on (a, b) at, however many rows share ``a = x`` before ``y``."""

    template = "(%(expressions)s)"
    output_field = models.Field()


def _after(keys: tuple[str, ...], values: tuple[Any, ...], columns: tuple[models.Field, ...], *, descending: bool) -> Q:
    """The rows strictly after ``values`` in the order of ``keys`` (none of them NULL in the segment)."""
    if len(keys) == 1:
        return Q(**{f"{keys[0]}__{'lt' if descending else 'gt'}": values[0]})
    row = _Row(*(Value(value, output_field=column) for value, column in zip(values, columns, strict=True)))
    return Q((LessThan if descending else GreaterThan)(_Row(*map(F, keys)), row))


def _selections(
    queryset: models.QuerySet, order: Ordering, position: tuple[Any, ...] | None, *, backward: bool
) -> Iterator[models.QuerySet]:
    """The rows after ``position`` (or from the start) in the list's order, or before it in the reverse order
    when ``backward``, as one ordered queryset per segment, in reading order."""
    segments = list(enumerate(order.segments()))
    if backward:
        segments.reverse()
    if position is not None:
        segment = order.segment_of(position)
        segments = segments[next(i for i, (index, _s) in enumerate(segments) if index == segment) :]
    descending = order.descending != backward
    for i, (_index, (which, keys, columns)) in enumerate(segments):
        selection = queryset if which is None else queryset.filter(which)
        if i == 0 and position is not None:
            values = position[len(position) - len(keys) :]  # the NULL segment compares without the first field
            selection = selection.filter(_after(keys, values, columns, descending=descending))
        yield selection.order_by(*(f"-{key}" if descending else key for key in keys))


def _read(
    queryset: models.QuerySet, order: Ordering, position: tuple[Any, ...] | None, *, backward: bool, limit: int
) -> list[models.Model]:
    """Up to ``limit`` rows from ``position`` on (see ``_selections``): one query per segment read."""
    rows: list[models.Model] = []
    for selection in _selections(queryset, order, position, backward=backward):
        rows += list(selection[: limit - len(rows)])
        if len(rows) >= limit:
            break
    return rows


def _exists(queryset: models.QuerySet, order: Ordering, position: tuple[Any, ...], *, backward: bool) -> bool:
    """Whether any row lies beyond ``position`` (an EXISTS query per segment, without the joined columns)."""
    return any(selection.exists() for selection in _selections(queryset, order, position, backward=backward))


def _page(
    queryset: models.QuerySet,
    order: Ordering,
    *,
    after: tuple[Any, ...] | None,
    before: tuple[Any, ...] | None,
    size: int,
) -> tuple[list[models.Model], bool, bool]:
    """(rows, whether a page precedes, whether one follows): the page after ``after``, the one before
    ``before``, or the first. Reads one row more than ``size`` to know whether a page follows in that
    direction; away from the first page, one more short read tells whether a page lies the other way. A
    position that leads nowhere (its rows are gone) gives the first page."""
    queryset = _annotate(queryset, order)

    def first() -> tuple[list[models.Model], bool, bool]:
        rows = _read(queryset, order, None, backward=False, limit=size + 1)
        return rows[:size], False, len(rows) > size

    if before is not None and after is None:
        rows = _read(queryset, order, before, backward=True, limit=size + 1)
        if len(rows) <= size:  # the start of the list is reached: the first page, full
            return first()
        rows = rows[:size][::-1]
        has_next = _exists(queryset, order, _position(order, rows[-1]), backward=False)
        return rows, True, has_next
    if after is None:
        return first()
    rows = _read(queryset, order, after, backward=False, limit=size + 1)
    if not rows:
        return first()
    has_previous = _exists(queryset, order, _position(order, rows[0]), backward=True)
    return rows[:size], has_previous, len(rows) > size


# --- newest first, by primary key (the audit log) -------------------------------------------------------


def _pk_position(params: Mapping[str, Any], name: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = -1
    if value < 0:
        raise _invalid(raw)
    return value


def keyset_page(queryset: models.QuerySet, params: Mapping[str, Any], *, size: int) -> KeysetPage:
    """The page of ``queryset`` that ``params`` (``before`` or ``after``) points at, newest first. Raises
    ``ValidationError`` for a malformed position."""
    before, after = _pk_position(params, BEFORE), _pk_position(params, AFTER)
    order = ordering(queryset.model, descending=True)
    rows, has_newer, has_older = _page(
        queryset,
        order,
        after=(before,) if before is not None else None,  # older rows come after in newest-first order
        before=(after,) if after is not None and before is None else None,
        size=size,
    )
    return KeysetPage(
        rows=rows,
        older=rows[-1].pk if rows and has_older else None,
        newer=rows[0].pk if rows and has_newer else None,
    )


# --- any sortable column, by cursor ---------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and infinities are no sort values


def encode_cursor(order: Ordering, position: tuple[Any, ...]) -> str:
    """The opaque token of a position: URL-safe base64 of the JSON ``[order name, values…, pk]``."""
    data = json.dumps([order.name, *map(_plain, position)], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode_cursor(order: Ordering, token: str) -> tuple[Any, ...]:
    """The position a token names, checked against ``order`` (its name, the number of values, each value's
    type, NULL only where the order allows it). Raises ``ValidationError`` for anything else."""
    try:
        if len(token) > MAX_CURSOR_LENGTH:
            raise ValueError
        blob = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
        data = json.loads(blob, parse_constant=_no_constant)
        if not isinstance(data, list) or len(data) != len(order.columns) + 1 or data[0] != order.name:
            raise ValueError
        position = []
        for i, (raw, column) in enumerate(zip(data[1:], order.columns, strict=True)):
            if raw is None:
                if not (i == 0 and order.nullable):
                    raise ValueError
                position.append(None)
                continue
            if not isinstance(raw, str | int | float | bool):
                raise ValueError
            value = column.to_python(raw)
            if value is None:
                raise ValueError
            position.append(value)
    except (ValueError, TypeError, ValidationError, binascii.Error, UnicodeDecodeError, OverflowError) as exc:
        raise _invalid(token) from exc
    return tuple(position)


def sorted_keyset_page(
    queryset: models.QuerySet, params: Mapping[str, Any], *, size: int, order: Ordering
) -> SortedKeysetPage:
    """The page of ``queryset`` in ``order`` that ``params`` points at: ``after`` (a cursor: the next page),
    ``before`` (the previous page) or neither (the first page). Raises ``ValidationError`` for a malformed
    cursor or one of another order."""
    after, before = params.get(AFTER) or None, params.get(BEFORE) or None
    after_position = decode_cursor(order, after) if after is not None else None
    before_position = decode_cursor(order, before) if before is not None else None
    rows, has_previous, has_next = _page(queryset, order, after=after_position, before=before_position, size=size)
    return SortedKeysetPage(
        rows=rows,
        ordering=order,
        next=encode_cursor(order, _position(order, rows[-1])) if rows and has_next else None,
        previous=encode_cursor(order, _position(order, rows[0])) if rows and has_previous else None,
    )
