"""Global search: every app registers its searchable models; one query per model, same visibility rule.

A searchable model has a ``search_text`` column holding its folded text (no diacritics, lower case),
kept by the audited services from the model's ``search_fields``. A query matches when every folded
word of it occurs in ``search_text``, so "cong nghiep" finds "Công nghiệp" on SQLite and PostgreSQL.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db import models
from django.db.models import Q

from cnan.common.text import fold


@dataclass(frozen=True)
class SearchTarget:
    model: type[models.Model]
    icon: str = "bi-search"
    order: int = 100
    prepare: Callable[[models.QuerySet], models.QuerySet] | None = None
    subtitle: Callable[[Any], str] | None = None

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_registry: dict[str, SearchTarget] = {}


def register(model: type[models.Model], **options: Any) -> None:
    target = SearchTarget(model=model, **options)
    _registry[target.key] = target


def targets() -> list[SearchTarget]:
    return sorted(_registry.values(), key=lambda t: (t.order, t.key))


def text_filter(queryset: models.QuerySet, query: str) -> models.QuerySet:
    """Filter on ``search_text`` ignoring diacritics and case; every word must match.

    Portable on SQLite and PostgreSQL (a trigram index may back it on PostgreSQL)."""
    words = fold(query).split()
    if not words:
        return queryset.none()
    return queryset.filter(reduce(operator.and_, (Q(search_text__contains=w) for w in words)))


@dataclass
class SearchResult:
    target: SearchTarget
    objects: list[Any]
    total: int


def search(*, user: Any, query: str, limit: int = 10, only: str | None = None) -> list[SearchResult]:
    results: list[SearchResult] = []
    if len(fold(query)) < 2:
        return results
    for target in targets():
        if only and target.key != only:
            continue
        qs = text_filter(target.model._default_manager.visible_to(user, "view"), query)  # type: ignore[attr-defined]
        if target.prepare:
            qs = target.prepare(qs)
        found = list(qs[: limit + 1])
        if not found:
            continue
        total = len(found) if len(found) <= limit else qs.count()
        results.append(SearchResult(target=target, objects=found[:limit], total=total))
    return results
