"""lists_tasks: the assigned tasks of the directives (50,000 at N) as API and HTML lists, read by the
Department's officer (who sees every task through the assigning unit): page 1, a deep page, a filtered
and a searched page, against raw keyset SQL reading the same page (the tasks with their document, lead
and assigning unit, and their coordinating units).

Goals (BENCHMARKS.md, ``lists``): page 1000 ≤ 1.5× page 1; query count constant in page size; ≤ 3× raw
keyset SQL. The API pages by cursor (keyset, by id). The HTML list pages by position in its sorted order
(``core.paging``, by current deadline by default): its deep page is the one after the task at position
25,000 in that order (where ``?page=1000`` at 25 a page used to be), reached by that task's cursor."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from ..setup import best_of

NEEDS = ("world", "directives")
PAGE = 50


def _officer():
    from cnan.accounts import services
    from cnan.accounts.models import Role, User
    from cnan.organizations.models import Organization

    user = User.objects.filter(username="bench-h08").first()
    if user is None:
        user = services.user_create(
            actor=None, data={"username": "bench-h08", "full_name": "Cán bộ Cục (benchmark)"}, password=None
        )
        services.membership_create(
            actor=None,
            data={
                "user": user,
                "organization": Organization.objects.get(code="BENCH-H08"),
                "role": Role.objects.get(code="department_officer"),
            },
        )
    return user


def run(*, scale: str, log=print) -> dict:
    from django.test import Client

    from rest_framework.pagination import Cursor

    from cnan.core import paging
    from cnan.core.api.pagination import KeysetPagination
    from cnan.directives import selectors
    from cnan.directives.models import Task

    user = _officer()
    client = Client()
    client.force_login(user)
    total = Task.objects.count()
    visible = selectors.task_list(user=user).count()
    if visible != total:
        raise RuntimeError(f"the officer sees {visible} of {total} tasks")
    deep_page = min(1000, total // PAGE - 1)
    position = Task.objects.order_by("pk").values_list("pk", flat=True)[deep_page * PAGE - 1]
    paginator = KeysetPagination()
    paginator.base_url = "http://testserver/api/v1/directives/tasks/"
    paginator.page_size = PAGE
    api_deep = (
        paginator.encode_cursor(Cursor(offset=0, reverse=False, position=str(position))).replace(
            "http://testserver", ""
        )
        + f"&limit={PAGE}"
    )
    api_page1 = f"/api/v1/directives/tasks/?limit={PAGE}"
    api_filtered = f"/api/v1/directives/tasks/?limit={PAGE}&status=in_progress&priority=high"
    api_search = f"/api/v1/directives/tasks/?limit={PAGE}&q=bao+cao+ket+qua"
    # The HTML deep page: the tasks after position 25,000 in the list's default order (current deadline, then
    # id, the tasks without one last), reached by the cursor of the task at that position.
    html_position = min(25_000, total // 2)
    order = paging.ordering(Task, ("effective_deadline",), name="effective_deadline")
    in_order = Task.objects.order_by(F("effective_deadline").asc(nulls_last=True), "pk")
    before_deep, first_deep = in_order.values_list("effective_deadline", "pk")[html_position - 1 : html_position + 1]
    html_page1 = f"/directives/tasks/?per_page={PAGE}"
    html_deep = f"/directives/tasks/?per_page={PAGE}&after={paging.encode_cursor(order, before_deep)}"
    html_filtered = f"/directives/tasks/?per_page={PAGE}&status=overdue&rag=red"

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    first = get(api_page1).json()["results"]
    deep = get(api_deep).json()["results"]
    if not (len(first) == PAGE and len(deep) == PAGE and deep[0]["id"] > position):
        raise RuntimeError("the API pages read are not the pages asked for")
    # the page by position (the table's own order, by current deadline): a full page from the task after it
    html = get(html_deep).content.decode()
    shown = list(dict.fromkeys(re.findall(r'href="/directives/tasks/(\d+)/"', html)))
    if len(shown) != PAGE or int(shown[0]) != first_deep[1]:
        raise RuntimeError(f"the deep HTML page is not the full page after position {html_position}")

    table = Task._meta.db_table
    document = Task._meta.get_field("document").related_model._meta.db_table
    org = Task._meta.get_field("lead").related_model._meta.db_table
    coordinating = Task.coordinating.through._meta.db_table

    def raw_keyset():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.id, t.document_id, d.number, t.parent_id, t.number, t.content, t.assigned_by_id, "  # noqa: S608
                f"a.code, t.lead_id, l.code, t.deadline, t.regular, t.reporting_cycle, t.expected_product, "
                f"t.priority, t.status, t.progress, t.effective_deadline, t.completed_on, t.paused, "
                f"t.forecast_on, t.classification, t.created_at, t.updated_at "
                f"FROM {table} t JOIN {document} d ON d.id = t.document_id "
                f"JOIN {org} l ON l.id = t.lead_id JOIN {org} a ON a.id = t.assigned_by_id "
                "WHERE t.id > %s ORDER BY t.id LIMIT %s",
                [position, PAGE],
            )
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT c.task_id, o.id, o.code FROM {coordinating} c JOIN {org} o "  # noqa: S608
                f"ON o.id = c.organization_id WHERE c.task_id IN ({', '.join(['%s'] * len(ids))})",
                ids,
            )
            cursor.fetchall()

    def selector_page():
        list(selectors.task_list(user=user).filter(pk__gt=position).order_by("pk")[:PAGE])

    repeats = 7
    seconds = {
        "api_page1": best_of(repeats, lambda: get(api_page1)),
        "api_page_deep": best_of(repeats, lambda: get(api_deep)),
        "api_filtered": best_of(repeats, lambda: get(api_filtered)),
        "api_search": best_of(repeats, lambda: get(api_search)),
        "html_page1": best_of(repeats, lambda: get(html_page1)),
        "html_page_deep": best_of(repeats, lambda: get(html_deep)),
        "html_filtered": best_of(repeats, lambda: get(html_filtered)),
        "selector_page_deep": best_of(repeats, selector_page),
        "raw_keyset_sql": best_of(repeats, raw_keyset),
    }
    queries = {}
    for size in (10, 100):
        for name, url in (
            ("api", f"/api/v1/directives/tasks/?limit={size}"),
            ("html", f"/directives/tasks/?per_page={size}"),
        ):
            with CaptureQueriesContext(connection) as ctx:
                get(url)
            queries[f"{name}_size_{size}"] = len(ctx.captured_queries)
    ratio = {
        "api_deep_over_page1": seconds["api_page_deep"] / seconds["api_page1"],
        "html_deep_over_page1": seconds["html_page_deep"] / seconds["html_page1"],
        "api_page_over_raw_sql": seconds["api_page_deep"] / seconds["raw_keyset_sql"],
        "selector_over_raw_sql": seconds["selector_page_deep"] / seconds["raw_keyset_sql"],
    }
    log(f"  {total} tasks; API deep page {deep_page}; HTML deep page after position {html_position}; queries {queries}")
    ok = (
        ratio["api_deep_over_page1"] <= 1.5
        and ratio["html_deep_over_page1"] <= 1.5
        and queries["api_size_10"] == queries["api_size_100"]
        and queries["html_size_10"] == queries["html_size_100"]
        and ratio["api_page_over_raw_sql"] <= 3
    )
    return {
        "n": {"tasks": total, "page_size": PAGE, "deep_page": deep_page, "html_position": html_position, **queries},
        "seconds": {k: round(v, 5) for k, v in seconds.items()},
        "ratio": {k: round(v, 2) for k, v in ratio.items()},
        "ok": ok,
    }
