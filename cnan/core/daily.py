"""Daily jobs: django-tasks has no scheduler, so an app marks the tasks to run once a day with
``@daily.register`` (in its ``tasks`` module) and ``manage.py cnan daily`` — started each morning by
``deploy/cnan-daily.timer`` — queues them all (or runs them with ``--now``). Each takes one optional
argument, the day as an ISO date, and must be idempotent for a day."""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import autodiscover_modules

_registry: dict[str, Any] = {}


def register(task: Any) -> Any:
    """Mark a django-tasks task as daily (decorator, above ``@task()``)."""
    _registry[task.module_path] = task
    return task


def tasks() -> list[Any]:
    """Every registered daily task (each installed app's ``tasks`` module is imported first)."""
    autodiscover_modules("tasks")
    return [_registry[name] for name in sorted(_registry)]
