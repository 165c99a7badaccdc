"""Exact query counts of every list page and API list, equal with 1 row and with 20 rows (CONVENTIONS.md §3).

Each list is filled with ``n`` rows that all differ in what the page or serializer reads beside the row
(parent, owner, park, product groups, phases, memberships, actor, organisation …), so that a relation read
row by row (N+1) shows as a count that grows with ``n``. The viewer sees exactly those ``n`` rows.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from types import SimpleNamespace

from django.test import Client
from django.urls import reverse

import pytest
from rest_framework.test import APIClient
from stdnum.vn import mst

from cnan.catalogue import services as catalogue_services
from cnan.core import audit
from cnan.core import services as core_services
from cnan.core.context import action_context
from cnan.core.models import ObjectChange
from cnan.core.testing import login
from cnan.organizations import services
from cnan.organizations.models import ProductGroup

SIZES = (1, 20)


def _tax_code(i: int) -> str:
    """The ``i``-th valid tax code of a test series (a base whose check digit is 10 has no valid code)."""
    base = 4_000_000 + i * 10
    while len(digit := mst.calc_check_digit(f"0{base:08d}")) != 1:
        base += 1
    return f"0{base:08d}{digit}"


def build(n: int, make_user) -> SimpleNamespace:
    """A chain of ``n`` enterprises E1 ⊃ E2 ⊃ … (each the parent and parent corporation of the next), each
    with two product groups, a current complex membership, a park with a phase, a facility in that park, a
    restructuring event, a member of staff and a change record (all of one request)."""
    groups = list(ProductGroup.objects.order_by("pk"))
    root = services.organization_create(
        actor=None, parent=None, data={"code": "QC", "name": "Bộ thử", "kind": "ministry"}
    )
    parent, corporation = root, None
    enterprises, staff = [], []
    request_id = uuid.uuid4()
    for i in range(1, n + 1):
        ent = services.enterprise_create(
            actor=None,
            parent=parent,
            data={
                "code": f"QE-{i}",
                "name": f"Doanh nghiệp thử {i}",
                "legal_form": "jsc",
                "tax_code": _tax_code(i),
                "province": "ha-noi",
                "charter_capital": Decimal(1000 * i),
                "parent_corporation": corporation,
                "product_groups": groups[i % 6 : i % 6 + 2],
            },
        )
        park = services.park_create(
            actor=None, data={"organization": ent, "code": f"QP-{i}", "name": f"Khu thử {i}", "province": "ha-noi"}
        )
        services.park_phase_create(actor=None, park=park, data={"name": "Giai đoạn I"})
        services.facility_create(
            actor=None,
            data={
                "organization": ent,
                "code": f"QF-{i}",
                "name": f"Cơ sở thử {i}",
                "kind": "other",
                "province": "ha-noi",
                "park": park,
                "product_groups": groups[i % 5 : i % 5 + 2],
            },
        )
        services.complex_membership_create(
            actor=None, data={"organization": ent, "role": "member", "admitted_on": dt.date(2020, 1, i % 28 + 1)}
        )
        services.restructuring_create(
            actor=None,
            data={
                "kind": "equitise",
                "organization": ent,
                "title": f"Cổ phần hoá {i}",
                "decision_number": f"{i}/QĐ",
                "decision_date": dt.date(2021, 1, 1),
                "effective_on": dt.date(2021, 2, 1),
                "product_group": groups[i % 7],
                "sources": [ent],
                "results": [ent],
            },
        )
        person = make_user("lab_officer", ent, username=f"staff-{i}")
        staff.append(person)
        with action_context(request_id=request_id, source="web"):
            audit.record(
                action=ObjectChange.Action.UPDATE,
                instance=ent,
                actor=person,
                before={"name": "cũ"},
                after={"name": ent.name},
            )
        catalogue_services.product_create(
            actor=None,
            data={
                "organization": ent,
                "code": f"QPR-{i}",
                "name": f"Sản phẩm thử {i}",
                "product_class": "support_tool",
                "group": groups[i % 7],
                "price": Decimal(1000 * i),
            },
        )
        catalogue_services.edition_create(
            actor=None, data={"organization": ent, "code": f"QD-{i}", "title": f"Danh mục thử {i}"}
        )
        _directives_rows(i, ent)
        _research_rows(i, ent, groups)
        enterprises.append(ent)
        parent = corporation = ent
    extra_groups = [ProductGroup.objects.create(code=f"qg-{i}", name=f"Nhóm thử {i}") for i in range(n)]
    return SimpleNamespace(root=root, enterprises=enterprises, staff=staff, request_id=request_id, groups=extra_groups)


def _directives_rows(i: int, ent) -> None:
    """A committee of the enterprise, a document of it (in the committee) with a task it leads, coordinated
    by itself."""
    from cnan.directives import services as directive_services

    committee = directive_services.committee_create(
        actor=None, data={"organization": ent, "code": f"QBCD-{i}", "name": f"Ban chỉ đạo thử {i}"}
    )
    document = directive_services.document_create(
        actor=None,
        data={
            "organization": ent,
            "kind": "plan",
            "number": f"{i}/KH-QE",
            "issuer": "Giám đốc",
            "issued_on": dt.date(2025, 1, i % 28 + 1),
            "title": f"Kế hoạch thử {i}",
            "committee": committee,
        },
    )
    directive_services.task_create(
        actor=None,
        document=document,
        data={
            "number": str(i),
            "content": f"Nhiệm vụ thử {i}",
            "lead": ent,
            "coordinating": [ent],
            "deadline": dt.date(2030, 1, 1),
            "expected_product": "Báo cáo",
        },
    )


def _research_rows(i: int, ent, groups) -> None:
    """An S&T topic hosted by the enterprise with a milestone and an output that became its product; a filing,
    a transfer (of the product), a cooperation agreement and a research group (on the topic) of the
    enterprise."""
    from cnan.catalogue.models import Product
    from cnan.research import services as research_services

    product = Product.objects.get(code=f"QPR-{i}")
    task = research_services.task_create(
        actor=None,
        data={
            "code": f"QĐT-{i}",
            "title": f"Đề tài thử {i}",
            "level": "ministry",
            "kind": "topic",
            "formation": "commission",
            "selection": "direct",
            "host": ent,
            "principal_investigator": f"TS. Thử {i}",
            "start_on": dt.date(2025, 1, i % 28 + 1),
            "end_on": dt.date(2027, 12, 31),
        },
    )
    research_services.milestone_create(
        actor=None,
        task=task,
        data={"content": f"Bước thử {i}", "expected_output": "Báo cáo", "due_on": dt.date(2026, 1, i % 28 + 1)},
    )
    research_services.output_create(
        actor=None, task=task, data={"kind": "product", "title": f"Kết quả thử {i}", "product": product}
    )
    research_services.filing_create(
        actor=None,
        data={
            "owner": ent,
            "task": task,
            "kind": "utility",
            "title": f"Giải pháp thử {i}",
            "filed_on": dt.date(2025, 3, 1),
        },
    )
    research_services.transfer_create(
        actor=None,
        data={
            "organization": ent,
            "direction": "internal",
            "partner": f"Đối tác thử {i}",
            "technology": f"Công nghệ thử {i}",
            "task": task,
            "product": product,
        },
    )
    research_services.cooperation_create(
        actor=None,
        data={
            "organization": ent,
            "form": "mou",
            "partner": f"Trường thử {i}",
            "field": "Vật liệu",
            "start_on": dt.date(2025, 1, 1),
        },
    )
    research_services.group_create(
        actor=None,
        data={
            "organization": ent,
            "name": f"Nhóm thử {i}",
            "lead": "TS. Lê",
            "field": "Điện tử",
            "tasks": [task],
            "product_groups": groups[i % 6 : i % 6 + 2],
        },
    )


@pytest.fixture
def viewers(db, make_user):
    """An enterprise officer of E1 (sees the chain) and an auditor (sees users and the audit log)."""

    def make(data):
        return SimpleNamespace(
            officer=make_user("enterprise_officer", data.enterprises[0], username="viewer"),
            auditor=make_user("auditor", data.root, username="auditor"),
        )

    return make


def rows_shown(route: str, response) -> int:
    html = response.content.decode()
    if route == "core:job_list":
        return html.count('<tr><td><a href="/jobs/')
    if route == "core:notification_list":
        return html.count("Thông báo thử số")
    if route == "core:objectchange_list":  # keyset paging shows no count: its rows link to their detail
        return len(re.findall(r'href="/audit/\d+/"', html))
    if route == "directives:task_list":  # keyset paging too (sorted): a row links its item and its content
        return len(set(re.findall(r'href="/directives/tasks/(\d+)/"', html)))
    if ":" in route:  # a list page: the count it shows above its table
        return int(re.search(r'id="result-count">\s*(\d+)', html).group(1))
    payload = response.json()
    return len(payload["results"] if isinstance(payload, dict) else payload)


# route: (who looks, query string, exact number of queries). Every count holds for 1 row and for 20.
# Pages: session, user, grants (2), unread notifications (once, however many templates render the
# context processors), then the page's own: count, page of rows, one query per prefetch, one per filter
# select with a queryset. A steady-state view does not write the session (core SessionRefreshMiddleware
# saves it at most once a minute).
PAGES = {
    "organizations:organization_list": ("officer", "", 7),
    "organizations:enterprise_list": ("officer", "", 10),
    "organizations:facility_list": ("officer", "", 10),
    "organizations:industrialpark_list": ("officer", "", 7),
    "organizations:complexmembership_list": ("officer", "", 7),
    "organizations:restructuringevent_list": ("officer", "", 9),
    # keyset paging: no count; the object-type select is the filter's one query
    "core:objectchange_list": ("auditor", "?request_id={request_id}", 7),
    "accounts:user_list": ("auditor", "?q=staff", 9),
    # one's own jobs and notifications: the paginator's count and the page
    "core:job_list": ("officer", "", 7),
    "core:notification_list": ("officer", "", 7),
    # the owner and product-group selects of the filter form are one query each
    "catalogue:product_list": ("officer", "", 9),
    "catalogue:edition_list": ("officer", "", 7),
    # the standing-agency select; the type / committee selects and the document, committee and unit
    # selects of the task filters
    "directives:committee_list": ("officer", "", 8),
    "directives:document_list": ("officer", "", 8),
    # the task list pages by position, without a count: its rows with a deadline, then (the page not being
    # full) those without one; then the four selects of its filters
    "directives:task_list": ("officer", "", 11),
    # the host and programme selects of the task filters; the unit select of the others (and the product-group
    # select of the groups'); whether the reader may see an output's product is part of the page's query
    "research:task_list": ("officer", "", 9),
    "research:milestone_list": ("officer", "", 7),
    "research:output_list": ("officer", "", 8),
    "research:filing_list": ("officer", "", 8),
    "research:transfer_list": ("officer", "", 8),
    "research:cooperation_list": ("officer", "", 8),
    "research:group_list": ("officer", "", 9),
}

# API (token or forced authentication: no session): grants (2), the page of rows, one query per prefetch.
APIS = {
    "organization-list": ("officer", "", 3),
    "enterprise-list": ("officer", "", 5),
    "facility-list": ("officer", "", 4),
    "industrialpark-list": ("officer", "", 4),
    "complexmembership-list": ("officer", "", 3),
    "restructuringevent-list": ("officer", "", 5),
    "productgroup-list": ("officer", "", 1),
    "objectchange-list": ("auditor", "?request_id={request_id}", 3),
    "user-list": ("auditor", "?q=staff", 4),
    # owner, group and stored figures joined to the page
    "product-list": ("officer", "", 3),
    "catalogueedition-list": ("officer", "", 3),
    # members, visible documents implemented, coordinating units: one prefetch each
    "directives-committee-list": ("officer", "", 4),
    "directives-document-list": ("officer", "", 4),
    "directives-task-list": ("officer", "", 4),
}


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("route", list(PAGES))
def test_list_page_runs_the_same_exact_number_of_queries_for_1_and_20_rows(
    route, n, make_user, viewers, django_assert_num_queries
):
    data = build(n, make_user)
    who, query, expected = PAGES[route]
    viewer = getattr(viewers(data), who)
    for i in range(n):
        core_services.job_create(owner=viewer, kind="export", title=f"Xuất thử số {i}", params={})
        core_services.notification_send(recipient=viewer, title=f"Thông báo thử số {i}", url="/jobs/")
    client = login(Client(), viewer)
    url = reverse(route) + query.format(request_id=data.request_id)
    client.get(url)  # a warm-up request: the measured one is a steady-state page view

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200
    assert rows_shown(route, response) == n


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("route", list(APIS))
def test_api_list_runs_the_same_exact_number_of_queries_for_1_and_20_rows(
    route, n, make_user, viewers, django_assert_num_queries
):
    data = build(n, make_user)
    who, query, expected = APIS[route]
    client = APIClient()
    client.force_authenticate(getattr(viewers(data), who))
    url = reverse(route) + query.format(request_id=data.request_id)

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200
    shown = rows_shown(route, response)
    assert shown == (ProductGroup.objects.count() if route == "productgroup-list" else n)
