"""lists: the audit log (the biggest table here) as API and HTML pages, deep pages vs page 1 vs raw SQL.

Goals (BENCHMARKS.md): page 1000 ≤ 1.5× page 1; query count constant in page size; ≤ 3× raw keyset SQL."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..setup import best_of

PAGE = 50


def _auditor():
    from cnan.accounts import services
    from cnan.accounts.models import Role, User
    from cnan.organizations.models import Organization

    user = User.objects.filter(username="bench-auditor").first()
    if user is None:
        user = services.user_create(
            actor=None, data={"username": "bench-auditor", "full_name": "Kiểm toán"}, password=None
        )
        services.membership_create(
            actor=None,
            data={
                "user": user,
                "organization": Organization.objects.get(code="BENCH-BCA"),
                "role": Role.objects.get(code="auditor"),
            },
        )
    return user


def run(*, scale: str, log=print) -> dict:
    from django.test import Client

    from rest_framework.pagination import Cursor

    from cnan.core.api.pagination import NewestFirstPagination
    from cnan.core.models import ObjectChange

    client = Client()
    client.force_login(_auditor())
    total = ObjectChange.objects.count()
    deep_page = min(1000, total // PAGE - 1)
    position = ObjectChange.objects.order_by("-id").values_list("id", flat=True)[deep_page * PAGE - 1]
    paginator = NewestFirstPagination()
    paginator.base_url = "http://testserver/api/v1/audit/changes/"
    paginator.cursor_query_param = "cursor"
    paginator.page_size = PAGE
    deep_url = paginator.encode_cursor(Cursor(offset=0, reverse=False, position=str(position)))
    api_page1 = f"/api/v1/audit/changes/?limit={PAGE}"
    api_deep = deep_url.replace("http://testserver", "") + f"&limit={PAGE}"

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    html_deep = get(f"/audit/?per_page={PAGE}&before={position + 1}").content.decode()
    if f'href="/audit/{position}/"' not in html_deep:
        raise RuntimeError("the deep HTML page is not the page asked for")
    first = get(api_page1).json()["results"]
    deep = get(api_deep).json()["results"]
    if not (len(first) == PAGE and len(deep) == PAGE and deep[0]["id"] < position):
        raise RuntimeError("the pages read are not the pages asked for")

    table = ObjectChange._meta.db_table

    def raw_keyset():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, time, actor_name, object_repr, action, before, after FROM {table} "  # noqa: S608
                "WHERE id < %s ORDER BY id DESC LIMIT %s",
                [position, PAGE],
            )
            cursor.fetchall()

    repeats = 7
    seconds = {
        "api_page1": best_of(repeats, lambda: get(api_page1)),
        "api_page_deep": best_of(repeats, lambda: get(api_deep)),
        "html_page1": best_of(repeats, lambda: get(f"/audit/?per_page={PAGE}")),
        # the audit log pages by position (keyset): page 1000 is "the 50 changes before this one"
        "html_page_deep": best_of(repeats, lambda: get(f"/audit/?per_page={PAGE}&before={position + 1}")),
        "raw_keyset_sql": best_of(repeats, raw_keyset),
    }
    queries = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as ctx:
            get(f"/api/v1/audit/changes/?limit={size}")
        queries[f"api_limit_{size}"] = len(ctx.captured_queries)
    ratio = {
        "api_deep_over_page1": seconds["api_page_deep"] / seconds["api_page1"],
        "html_deep_over_page1": seconds["html_page_deep"] / seconds["html_page1"],
        "api_page_over_raw_sql": seconds["api_page_deep"] / seconds["raw_keyset_sql"],
    }
    log(f"  {total} audit rows; deep page = {deep_page}; queries {queries}")
    ok = (
        ratio["api_deep_over_page1"] <= 1.5
        and ratio["html_deep_over_page1"] <= 1.5
        and queries["api_limit_10"] == queries["api_limit_100"]
        and ratio["api_page_over_raw_sql"] <= 3
    )
    return {
        "n": {"audit_rows": total, "page_size": PAGE, "deep_page": deep_page, **queries},
        "seconds": {k: round(v, 5) for k, v in seconds.items()},
        "ratio": {k: round(v, 2) for k, v in ratio.items()},
        "ok": ok,
    }
