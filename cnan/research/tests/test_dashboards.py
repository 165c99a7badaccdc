"""The S&T dashboard: each figure against values computed by hand from a small world, one GROUP BY query per
figure, the visibility rule (another host's tasks are not counted), and the page with its drill-down links
leading to lists that hold what the figure counts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from cnan.core.testing import login
from cnan.research import dashboards, services
from cnan.research.models import Formation, Level, Stage

from .conftest import minutes, task_data

TODAY = timezone.localdate()
M = Decimal(1_000_000)


def run(task, people):
    """Through the gates to work in progress (the Department's, then the host's start)."""
    for name in ("review", "approve", "contract", "start"):
        actor = people.researcher if name == "start" else people.officer
        extra = {"council": "Hội đồng", "minutes": minutes()} if name == "review" else {}
        task = services.gate_pass(
            actor=actor, task=task, gate=name, decision_number=f"{name}/QĐ", decided_on=task.start_on, **extra
        )
    return task


def milestone(people, task, due):
    return services.milestone_create(
        actor=people.researcher, task=task, data={"content": "Bước", "expected_output": "Báo cáo", "due_on": due}
    )


@pytest.fixture
def figures(world, people, topic):
    """The Institute: the proposed topic (2024 ministry 2,000 M, 2025 unit 1,000 M), a national topic on time
    (this year state S&T 800 M of which 300 M disbursed, next year 200 M) and a base task that is late (unit
    100 M this year, all disbursed); outputs (one in production linked to a product, one in production alone,
    one prototype) and two filings (one at its formality examination). ENT-B: a proposed topic (S&T fund
    500 M) and a filing."""
    from cnan.catalogue import services as catalogue_services

    year = TODAY.year
    national = services.task_create(
        actor=people.researcher,
        data=task_data(
            world,
            code="ĐT-QG-01",
            level=Level.NATIONAL,
            start_on=TODAY - dt.timedelta(days=30),
            end_on=dt.date(year + 1, 12, 31),
            budget_total=1000 * M,
        ),
        budget=[
            {"source": "state_st", "year": year, "planned": 800 * M},
            {"source": "state_st", "year": year + 1, "planned": 200 * M},
        ],
    )
    milestone(people, national, dt.date(year + 1, 6, 30))
    national = run(national, people)
    services.disbursement_record(actor=people.officer, task=national, source="state_st", year=year, disbursed=300 * M)
    base = services.task_create(
        actor=people.researcher,
        data=task_data(
            world,
            code="CS-01",
            level=Level.BASE,
            formation=Formation.BASE_TASK,
            start_on=TODAY - dt.timedelta(days=200),
            end_on=TODAY + dt.timedelta(days=100),
            budget_total=100 * M,
        ),
        budget=[{"source": "unit", "year": year, "planned": 100 * M, "disbursed": 100 * M}],
    )
    milestone(people, base, TODAY - dt.timedelta(days=10))
    milestone(people, base, TODAY + dt.timedelta(days=50))
    base = run(base, people)
    product = catalogue_services.product_create(
        actor=None,
        data={
            "organization": world.institute,
            "code": "SP-QG",
            "name": "Thiết bị quốc gia",
            "product_class": "support_tool",
            "price": Decimal(1000),
        },
    )
    for task, title, in_production, linked in (
        (national, "Thiết bị hoàn chỉnh", True, product),
        (national, "Mẫu thử", False, None),
        (base, "Quy trình", True, None),
    ):
        services.output_create(
            actor=people.researcher,
            task=task,
            data={"kind": "product", "title": title, "in_production": in_production, "product": linked},
        )
    filed = TODAY - dt.timedelta(days=40)
    first = services.filing_create(
        actor=people.researcher,
        data={"owner": world.institute, "kind": "invention", "title": "Sáng chế A", "filed_on": filed},
    )
    services.filing_advance(actor=people.researcher, instance=first, status="formality", on=filed)
    services.filing_create(
        actor=people.researcher,
        data={"owner": world.institute, "kind": "utility", "title": "Giải pháp B", "filed_on": filed},
    )
    elsewhere = services.task_create(
        actor=people.outsider,
        data=task_data(world, code="ĐT-SH-01", host=world.ent_b, budget_total=500 * M),
        budget=[{"source": "cnan_fund", "year": 2024, "planned": 500 * M}],
    )
    services.filing_create(
        actor=people.outsider,
        data={"owner": world.ent_b, "kind": "software", "title": "Phần mềm C", "filed_on": filed},
    )
    return {"topic": topic, "national": national, "base": base, "elsewhere": elsewhere}


def cells(rows):
    """Non-zero cells of the pipeline: (stage, level) → count."""
    return {(r.key, level): n for r in rows for level, n in r.cells if n}


def test_the_pipeline_counts_tasks_by_stage_and_level(figures, people):
    assert cells(dashboards.pipeline(user=people.officer)) == {
        (Stage.PROPOSED, Level.MINISTRY): 2,
        (Stage.IN_PROGRESS, Level.NATIONAL): 1,
        (Stage.IN_PROGRESS, Level.BASE): 1,
    }
    rows = dashboards.pipeline(user=people.researcher)
    assert cells(rows) == {
        (Stage.PROPOSED, Level.MINISTRY): 1,
        (Stage.IN_PROGRESS, Level.NATIONAL): 1,
        (Stage.IN_PROGRESS, Level.BASE): 1,
    }
    assert [r.key for r in rows] == list(Stage.values)  # every stage, zero ones included
    assert {g.key: g.count for g in dashboards.level_totals(rows)} == {
        "national": 1,
        "ministry": 1,
        "provincial": 0,
        "base": 1,
    }


def test_the_budget_by_year_and_by_source(figures, people):
    year = TODAY.year
    expected: dict[int, tuple[Decimal, Decimal]] = {}
    for y, planned, disbursed in (
        (2024, 2000 * M, 0),  # the proposed topic
        (2025, 1000 * M, 0),
        (year, 800 * M, 300 * M),  # the national topic
        (year + 1, 200 * M, 0),
        (year, 100 * M, 100 * M),  # the base task
        (2024, 500 * M, 0),  # ENT-B's topic
    ):
        p, d = expected.get(y, (Decimal(0), Decimal(0)))
        expected[y] = (p + planned, d + disbursed)
    by_year = dashboards.budget_by_year(user=people.officer)
    assert {m.key: (m.planned, m.disbursed) for m in by_year} == expected
    assert [m.key for m in by_year] == sorted(expected)
    by_source = {m.key: (m.planned, m.disbursed) for m in dashboards.budget_by_source(user=people.researcher)}
    assert by_source == {
        "state_st": (1000 * M, 300 * M),
        "ministry": (2000 * M, 0),
        "unit": (1000 * M + 100 * M, 100 * M),
        "enterprise": (0, 0),
        "cnan_fund": (0, 0),  # ENT-B's topic is not the Institute's to see
        "other": (0, 0),
    }
    total = dashboards.budget_total(dashboards.budget_by_source(user=people.researcher))
    assert (total.planned, total.disbursed) == (4100 * M, 400 * M)
    assert total.rate == Decimal("9.8")  # 400 / 4,100 = 9.76 %


def test_late_tasks_and_milestones(figures, people):
    assert dashboards.schedule_counts(user=people.officer) == {"on_time": 1, "late": 1}
    assert [t.code for t in dashboards.late_tasks(user=people.officer)] == ["CS-01"]
    # the milestones of the proposal, never started, are overdue too (the milestone list's "late")
    count, late = dashboards.late_milestones(user=people.officer)
    assert count == 3
    assert [(m.task.code, m.due_on) for m in late] == [
        ("ĐT-BCA-2024-01", dt.date(2024, 6, 30)),
        ("ĐT-BCA-2024-01", dt.date(2025, 9, 30)),
        ("CS-01", TODAY - dt.timedelta(days=10)),
    ]
    assert dashboards.schedule_counts(user=people.outsider) == {"on_time": 0, "late": 0}
    assert dashboards.late_milestones(user=people.outsider) == (0, [])


def test_outputs_and_filings(figures, people):
    assert dashboards.outputs(user=people.officer) == {"total": 3, "production": 2, "linked": 1}
    assert sorted(o.title for o in dashboards.outputs_in_production(user=people.officer)) == [
        "Quy trình",
        "Thiết bị hoàn chỉnh",
    ]
    assert dashboards.outputs(user=people.outsider) == {"total": 0, "production": 0, "linked": 0}
    statuses = {g.key: g.count for g in dashboards.filings_by_status(user=people.officer)}
    assert statuses == {
        "filed": 2,
        "formality": 1,
        "published": 0,
        "substantive": 0,
        "granted": 0,
        "refused": 0,
        "withdrawn": 0,
    }
    assert {g.key: g.count for g in dashboards.filings_by_status(user=people.researcher) if g.count} == {
        "filed": 1,
        "formality": 1,
    }


def test_each_figure_is_one_query(figures, people, django_assert_num_queries):
    user = people.officer
    dashboards.pipeline(user=user)  # the user's grants are read once, before
    for figure in (
        dashboards.pipeline,
        dashboards.budget_by_year,
        dashboards.budget_by_source,
        dashboards.schedule_counts,
        dashboards.outputs,
        dashboards.filings_by_status,
    ):
        with django_assert_num_queries(1):
            figure(user=user)


def page_count(client, url: str) -> int:
    html = client.get(url).content.decode()
    return int(re.search(r'id="result-count">\s*(\d+)', html).group(1))


def test_the_page_shows_the_figures_and_links_to_what_they_count(figures, people):
    client = login(Client(), people.officer)
    client.cookies["cnan_language"] = "en"
    response = client.get(reverse("research:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="total-tasks".*?<div class="fs-3">4</div>', html, re.S)
    assert re.search(r'id="late-tasks".*?<div class="fs-3">1</div>', html, re.S)
    assert re.search(r'id="late-milestones".*?<div class="fs-3">3</div>', html, re.S)
    assert html.count('data-chart="bar"') == 6
    # each number opens the list of what it counts, with the same count
    pipeline = re.search(r'id="pipeline".*?</table>', html, re.S).group(0)
    links = dict(re.findall(r'<a href="(/research/[^"]+\?[^"]+)">(\d+)</a>', pipeline))
    assert links, "no drill-down link"
    for url, n in links.items():
        assert page_count(client, url.replace("&amp;", "&")) == int(n), url
    proposed_ministry = reverse("research:task_list") + "?stage=proposed&amp;level=ministry"
    assert f'<a href="{proposed_ministry}">2</a>' in html
    for anchor in (
        "total-tasks",
        "on-time-tasks",
        "late-tasks",
        "late-milestones",
        "outputs-production",
        "outputs-linked",
    ):
        target, shown = re.search(rf'href="([^"]+)"[^>]*id="{anchor}".*?class="fs-\d">(\d+)<', html, re.S).groups()
        assert page_count(client, target.replace("&amp;", "&")) == int(shown), anchor
    by_year = re.search(r'id="budget-by-year".*?</table>', html, re.S).group(0)
    assert re.search(rf'data-key="{TODAY.year}".*?data-planned="900000000".*?data-disbursed="400000000"', by_year)


def test_another_host_sees_only_its_own_figures(figures, people):
    client = login(Client(), people.outsider)
    html = client.get(reverse("research:dashboard")).content.decode()
    assert re.search(r'id="total-tasks".*?<div class="fs-3">1</div>', html, re.S)
    assert "CS-01" not in html and "Thiết bị hoàn chỉnh" not in html
