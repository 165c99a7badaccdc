"""The benchmark directives: documents of the Department with numbered tasks led by the benchmark units,
some cascaded to the units under them, with coordinating units, progress reports, and deadline moves and
pauses, at the scale asked (BENCHMARKS.md: 500 / 50,000 / 500,000 assigned tasks), with a fixed seed.

Rows are inserted in bulk (benchmark data, not audited business writes) but follow the schema and the
services' rules: a task's ``assigned_by`` is its document's unit (its parent's lead for a sub-task, which
goes to a unit under that lead and is due no later than its parent); a report of 100 % names its product;
reports are dated between the document's issue and today; ``search_text`` is folded from the model's
``search_fields``. The derived fields (status, progress, current deadline, completion, pause, forecast)
are computed by ``directives.status`` from the same facts the services read (``services._facts``),
sub-tasks before their parents — what ``services.refresh`` would store on the day of generation.
"""

from __future__ import annotations

import datetime as dt
import random

SIZES = {"smoke": 500, "national": 50_000, "10x": 500_000}
SEED = 20260118
NUMBER_SUFFIX = "/KH-BENCH"
BATCH = 2000


def generate(scale: str, log=print) -> None:
    from django.db import transaction
    from django.utils import timezone

    from cnan.common.text import fold_join
    from cnan.directives import status as rules
    from cnan.directives.models import DirectiveDocument, ProgressReport, Task, TaskAdjustment
    from cnan.organizations import services as org_services
    from cnan.organizations.models import Organization

    if DirectiveDocument.objects.filter(number__endswith=NUMBER_SUFFIX).exists():
        log("directives already generated")
        return
    total = SIZES[scale]
    rng = random.Random(SEED)  # noqa: S311 - benchmark data
    today = timezone.localdate()
    dept = Organization.objects.get(code="BENCH-H08")
    units = list(Organization.objects.filter(code__startswith="BENCH-ORG-").order_by("code"))
    with transaction.atomic():
        # A fifth of the units have two sub-units, to which their tasks are cascaded.
        below: dict[int, list] = {}
        for unit in units[: max(2, len(units) // 5)]:
            below[unit.pk] = [
                org_services.organization_create(
                    actor=None,
                    parent=unit,
                    data={"code": f"{unit.code}-D{k}", "name": f"Phòng {k} — {unit.name}", "kind": "operational_unit"},
                )
                for k in (1, 2)
            ]
        log(f"  {sum(len(v) for v in below.values())} sub-units for cascaded tasks")

        # --- the plan in memory: documents, tasks (top-level then their sub-tasks), reports, adjustments
        docs, tops, subs = [], [], []  # tasks: dicts, sub-tasks refer to their parent dict
        n = 0
        d = 0
        while n < total:
            d += 1
            issued = dt.date(2023, 1, 2) + dt.timedelta(days=rng.randrange(0, (today - dt.date(2023, 1, 2)).days))
            doc = DirectiveDocument(
                organization=dept,
                kind=rng.choice(["directive", "plan", "resolution", "conclusion", "decision", "notice"]),
                number=f"{d}{NUMBER_SUFFIX}",
                issuer="Cục trưởng Cục Công nghiệp an ninh",
                issued_on=issued,
                title=f"Kế hoạch triển khai số {d} về phát triển công nghiệp an ninh",
                summary="Nhiệm vụ giao các đơn vị; báo cáo định kỳ theo quý.",
            )
            doc.search_text = fold_join(doc.number, doc.title, doc.summary, doc.issuer)
            docs.append(doc)
            for item in range(1, rng.randint(10, 40) + 1):
                if n >= total:
                    break
                lead = rng.choice(units)
                task = _task(rng, doc, f"{item}", lead, dept, issued, None)
                tops.append(task)
                n += 1
                if lead.pk in below and task["deadline"] and rng.random() < 0.6:
                    for k, sub_lead in enumerate(below[lead.pk], start=1):
                        if n >= total:
                            break
                        sub = _task(rng, doc, f"{item}.{k}", sub_lead, lead, issued, task)
                        subs.append(sub)
                        task["children"].append(sub)
                        n += 1
        for task in [*subs, *tops]:  # sub-tasks first: their parents read their derived state
            if not task["children"]:
                _history(rng, task, today)
            _derive(rules, task, today)
        log(f"  {len(docs)} documents, {len(tops)} tasks and {len(subs)} sub-tasks planned")

        DirectiveDocument.objects.bulk_create(docs, batch_size=BATCH)
        for group in (tops, subs):
            rows = [_row(Task, t, fold_join) for t in group]
            Task.objects.bulk_create(rows, batch_size=BATCH)
            for task, row in zip(group, rows, strict=True):
                task["obj"] = row
        through = Task.coordinating.through
        links = [
            through(task_id=t["obj"].pk, organization_id=unit.pk)
            for t in [*tops, *subs]
            for unit in rng.sample(units, rng.choice([0, 0, 1, 1, 2]))
            if unit.pk != t["lead"].pk
        ]
        through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
        reports = [
            ProgressReport(
                task=t["obj"],
                reported_on=day,
                percent=pct,
                narrative=f"Đã thực hiện {pct} % khối lượng",
                product_delivered=t["expected_product"] if pct == 100 else "",
                state=state,
            )
            for t in [*tops, *subs]
            for day, pct, state in t["reports"]
        ]
        ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
        adjustments = [
            TaskAdjustment(
                task=t["obj"],
                kind=kind,
                decision_number=f"{t['obj'].pk}/QĐ-BENCH",
                decided_on=day,
                new_deadline=new_deadline,
                reason="Điều chỉnh theo đề nghị của đơn vị chủ trì",
            )
            for t in [*tops, *subs]
            for kind, day, new_deadline in t["adjustments"]
        ]
        TaskAdjustment.objects.bulk_create(adjustments, batch_size=BATCH)
        log(
            f"  {len(tops) + len(subs)} tasks, {len(links)} coordinating links, {len(reports)} reports, "
            f"{len(adjustments)} adjustments"
        )


def _task(rng, doc, number, lead, assigned_by, issued, parent) -> dict:
    regular = parent is None and rng.random() < 0.08
    deadline = None
    if not regular:
        deadline = issued + dt.timedelta(days=rng.randint(30, 540))
        if parent is not None:
            deadline = min(deadline, parent["deadline"])
    return {
        "doc": doc,
        "parent": parent,
        "number": number,
        "content": f"Tổ chức thực hiện nội dung {number} của văn bản {doc.number}: rà soát, báo cáo kết quả",
        "lead": lead,
        "assigned_by": assigned_by,
        "deadline": deadline,
        "regular": regular,
        "cycle": "quarter",
        "expected_product": f"Báo cáo kết quả thực hiện nội dung {number}",
        "priority": rng.choice(["high", "normal", "normal", "normal", "low"]),
        "children": [],
        "reports": [],
        "adjustments": [],
    }


def _history(rng, task, today) -> None:
    """Reports and adjustments of a leaf task, dated between its document's issue and today."""
    issued = task["doc"].issued_on
    span = (today - issued).days
    if span <= 0:
        return
    if task["deadline"] and rng.random() < 0.06:
        day = issued + dt.timedelta(days=rng.randint(0, span))
        task["adjustments"].append(("extend", day, task["deadline"] + dt.timedelta(days=rng.randint(60, 180))))
    if rng.random() < 0.02:
        task["adjustments"].append(("pause", issued + dt.timedelta(days=rng.randint(0, span)), None))
    task["adjustments"].sort(key=lambda a: a[1])
    paused_on = next((day for kind, day, _new in task["adjustments"] if kind == "pause"), None)
    horizon = span if task["deadline"] is None else min(span, (task["deadline"] - issued).days + 60)
    if paused_on is not None:  # no reports are taken on a paused task
        horizon = min(horizon, (paused_on - issued).days)
    count = rng.choice([0, 1, 1, 2, 3, 4]) if horizon > 0 else 0
    days = sorted(rng.sample(range(1, horizon + 1), min(count, horizon)))
    pct = 0
    for k, offset in enumerate(days):
        pct = min(100, pct + rng.choice([10, 20, 25, 30, 40, 50]))
        last = k == len(days) - 1
        state = "submitted" if last and rng.random() < 0.2 else "accepted"
        task["reports"].append((issued + dt.timedelta(days=offset), pct, state))
        if pct == 100:
            break


def _derive(rules, task, today) -> None:
    """``services._facts`` + ``services._refresh_node`` over the plan in memory."""
    deadline, paused = task["deadline"], False
    for kind, _day, new_deadline in task["adjustments"]:
        if kind == "extend":
            deadline = new_deadline
        elif kind == "pause":
            paused = True
    accepted = [(day, pct) for day, pct, state in task["reports"] if state == "accepted"]
    children = task["children"]
    if children:
        progress = rules.rolled_progress([c["progress"] for c in children])
        completed_on = rules.children_completed_on([(c["status"], c["completed_on"]) for c in children])
        points = []
    else:
        progress = accepted[-1][1] if accepted else 0
        completed_on = next((day for day, pct in accepted if pct >= 100), None)
        points = accepted
    facts = rules.Facts(
        today=today,
        assigned_on=task["doc"].issued_on,
        deadline=deadline,
        regular=task["regular"],
        cycle=task["cycle"],
        paused=paused,
        completed_on=None if task["regular"] else completed_on,
        last_report_on=accepted[-1][0] if accepted else None,
        progress=progress,
        children=[c["status"] for c in children],
    )
    status = rules.derive(facts)
    outlook = rules.forecast(
        today=today,
        assigned_on=facts.assigned_on,
        deadline=facts.deadline,
        points=points,
        done=status in rules.DONE,
        regular=task["regular"],
    )
    task.update(
        status=status,
        progress=100 if facts.completed_on else facts.progress,
        effective_deadline=facts.deadline,
        completed_on=facts.completed_on,
        paused=facts.paused,
        forecast_on=outlook.completion if outlook else None,
        will_miss=bool(outlook and outlook.will_miss),
    )


def _row(model, t, fold_join):
    return model(
        document=t["doc"],
        parent=t["parent"]["obj"] if t["parent"] else None,
        assigned_by=t["assigned_by"],
        number=t["number"],
        content=t["content"],
        lead=t["lead"],
        deadline=t["deadline"],
        regular=t["regular"],
        reporting_cycle=t["cycle"],
        expected_product=t["expected_product"],
        priority=t["priority"],
        status=t["status"],
        progress=t["progress"],
        effective_deadline=t["effective_deadline"],
        completed_on=t["completed_on"],
        paused=t["paused"],
        forecast_on=t["forecast_on"],
        will_miss=t["will_miss"],
        search_text=fold_join(t["number"], t["content"], t["expected_product"]),
    )
