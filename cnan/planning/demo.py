"""The demo planning and performance: built by ``manage.py cnan demo`` after the organisations, the accounts,
the catalogue and the supply, through the services (audited).

The Department (H08) keeps the industry's 2021–2025 five-year plan and its annual plans 2021–2026 with
targets per demo enterprise for the key indicators (revenue, profit after tax, owner's equity — ROE's parts —,
budget paid, investment disbursed, performance of assigned tasks, average income, workers, revenue from the
force's orders, new products, localisation rate and the production value that weighs it), all approved with
decision numbers. Each enterprise has its strategy to 2030 with a vision to 2045 (the first one still a draft).
The yearly reporting periods 2021–2025 and the quarters of 2026 begun so far are open; every enterprise's
yearly reports 2021–2025 are accepted (values growing with noise: some enterprises ahead of their targets,
some behind), one report is corrected (version 2 with its reason), and the 2026 quarterly reports are in mixed
states (accepted, submitted, returned with a comment, a draft). Randomness comes from the world's seeded
source."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from cnan.core.demo import DemoWorld, register
from cnan.organizations.models import Organization

from . import services
from .models import Indicator, PeriodKind, Plan, Report, ReportingPeriod, Scenario, period_dates

D = dt.date
YEARS = (2021, 2022, 2023, 2024, 2025)
ENTERPRISES_WANTED = 6
# code → (base of a mid-sized enterprise in 2021, yearly growth); money in billion VND
KEY: dict[str, tuple[float, float]] = {
    "DT": (900, 0.09),
    "LNTT": (70, 0.08),
    "LNST": (56, 0.08),
    "VCSH": (600, 0.05),
    "NNS": (45, 0.07),
    "GN-DTDA": (60, 0.10),
    "HTNV": (100, 0.0),
    "TNBQ": (11_500_000, 0.06),
    "LD": (800, 0.02),
    "DT-CAND": (420, 0.10),
    "SP-MOI": (4, 0.10),
    "TL-NDH": (55, 0.05),
    "GTSX": (700, 0.09),
}
COUNTS = {"LD", "SP-MOI"}
RATES = {"HTNV", "TL-NDH"}  # percentages that do not scale with the enterprise's size
RETURN_COMMENT = "Đề nghị bổ sung số liệu nộp ngân sách và giải trình doanh thu quý giảm so với cùng kỳ."


def _present() -> bool:
    return Plan.objects.filter(code="KH5N-CNAN-2021-2025").exists()


class _Builder:
    def __init__(self, world: DemoWorld) -> None:
        self.world = world
        self.rng = world.rng
        self.today = timezone.localdate()
        self.officer = world.users.get("canbo.h08", world.actor)
        self.h08 = Organization.objects.get(code="H08")
        self.ind = {i.code: i for i in Indicator.objects.filter(code__in=KEY)}
        accounts = {
            m.organization_id: user
            for name, user in world.users.items()
            if name.startswith("dn.")
            for m in user.active_memberships()
        }
        under = Organization.objects.enterprises().filter(path__startswith=self.h08.path).order_by("code")
        chosen = [e for e in under if e.pk in accounts]
        chosen += [e for e in under if e.pk not in accounts][: max(0, ENTERPRISES_WANTED - len(chosen))]
        self.enterprises: list[Organization] = chosen
        self.actor = {e.pk: accounts.get(e.pk, world.actor) for e in chosen}
        # each enterprise's size and whether it runs ahead of its plans or behind
        self.size = {e.pk: Decimal(str(round(self.rng.uniform(0.4, 2.5), 2))) for e in chosen}
        self.pace = {e.pk: (n % 2 == 0) for n, e in enumerate(chosen)}
        self.decision = 100

    def target(self, enterprise: Organization, code: str, year: int) -> Decimal:
        base, growth = KEY[code]
        value = Decimal(str(base * (1 + growth) ** (year - 2021)))
        if code not in RATES:
            value *= self.size[enterprise.pk]
        step = Decimal("1") if code in COUNTS or code == "TNBQ" else Decimal("0.1")
        return value.quantize(step, rounding=ROUND_HALF_UP)

    def actual(self, enterprise: Organization, code: str, year: int, share: Decimal = Decimal(1)) -> Decimal:
        ahead = self.pace[enterprise.pk]
        factor = self.rng.uniform(1.02, 1.12) if ahead else self.rng.uniform(0.86, 0.97)
        if code == "HTNV":
            return Decimal("100") if ahead else Decimal(str(round(self.rng.uniform(88, 97), 1)))
        value = self.target(enterprise, code, year) * Decimal(str(round(factor, 4)))
        if code not in RATES and code != "TNBQ":
            value *= share
        if code in COUNTS:
            return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def approve(self, plan: Plan, actor: Any, day: dt.date) -> Plan:
        self.decision += 1
        plan = services.plan_transition(actor=actor, plan=plan, action="submit")
        return services.plan_transition(
            actor=self.officer,
            plan=plan,
            action="approve",
            decision_number=f"{self.decision}/QĐ-BCA-H08",
            decided_on=min(day, self.today),
        )

    def plan(self, kind: str, code: str, name: str, start: int, end: int, parent: Plan | None = None) -> Plan:
        plan = services.plan_create(
            actor=self.officer,
            data={
                "kind": kind,
                "code": code,
                "name": name,
                "owner": self.h08,
                "start_year": start,
                "end_year": end,
                "parent": parent,
            },
        )
        for year in range(start, end + 1):
            for e in self.enterprises:
                for code_ in KEY:
                    services.target_set(
                        actor=self.officer,
                        plan=plan,
                        unit=e,
                        indicator=self.ind[code_],
                        year=year,
                        value=self.target(e, code_, year),
                    )
        return plan

    def report(self, enterprise: Organization, period: ReportingPeriod, year: int, share: Decimal) -> Report:
        actor = self.actor[enterprise.pk]
        report = services.report_create(actor=actor, enterprise=enterprise, period=period)
        scenario = Scenario.ACTUAL if period.kind == PeriodKind.YEAR else Scenario.ESTIMATE
        rows = [(self.ind[c], scenario, self.actual(enterprise, c, year, share)) for c in KEY]
        services.report_values_set(actor=actor, report=report, values=rows)
        return report

    def move(self, report: Report, state: str) -> Report:
        actor = self.actor[report.enterprise_id]
        if state == Report.State.DRAFT:
            return report
        report = services.report_transition(actor=actor, report=report, action="submit")
        if state == Report.State.RETURNED:
            return services.report_transition(
                actor=self.officer, report=report, action="return", comment=RETURN_COMMENT
            )
        if state == Report.State.ACCEPTED:
            return services.report_transition(actor=self.officer, report=report, action="accept")
        return report

    def build(self) -> str:
        # the industry plan to 2030 sets the domestic share of the force's equipment (Directive 03/CT-BCA),
        # which the supply app's self-reliance dashboard measures
        industry = services.plan_create(
            actor=self.officer,
            data={
                "kind": Plan.Kind.INDUSTRY_PLAN,
                "code": "QH-CNAN-2021-2030",
                "name": "Quy hoạch công nghiệp an ninh thời kỳ 2021–2030, tầm nhìn đến năm 2045",
                "owner": self.h08,
                "start_year": 2021,
                "end_year": 2030,
                "vision_year": 2045,
            },
        )
        for year, share in ((2025, Decimal("50")), (2030, Decimal("70"))):
            services.target_set(
                actor=self.officer,
                plan=industry,
                unit=self.h08,
                indicator=Indicator.objects.get(code="TT-TN"),
                year=year,
                value=share,
            )
        self.approve(industry, self.officer, D(2020, 12, 28))
        five = self.plan(
            Plan.Kind.FIVE_YEAR,
            "KH5N-CNAN-2021-2025",
            "Kế hoạch phát triển công nghiệp an ninh 5 năm 2021–2025",
            2021,
            2025,
        )
        self.approve(five, self.officer, D(2021, 1, 8))
        for year in (*YEARS, 2026):
            annual = self.plan(
                Plan.Kind.ANNUAL,
                f"KH-CNAN-{year}",
                f"Kế hoạch sản xuất, kinh doanh ngành công nghiệp an ninh năm {year}",
                year,
                year,
                parent=five if year in YEARS else None,
            )
            self.approve(annual, self.officer, D(year, 1, 15))
        for n, e in enumerate(self.enterprises):
            strategy = services.plan_create(
                actor=self.actor[e.pk],
                data={
                    "kind": Plan.Kind.STRATEGY,
                    "code": f"CL-{e.code}-2030",
                    "name": f"Chiến lược phát triển {e.name} đến năm 2030, tầm nhìn đến năm 2045",
                    "owner": e,
                    "start_year": 2021,
                    "end_year": 2030,
                    "vision_year": 2045,
                },
            )
            if n:
                self.approve(strategy, self.actor[e.pk], D(2021, 6, 30))
        periods = 0
        for year in YEARS:
            period = services.period_open(
                actor=self.officer, kind=PeriodKind.YEAR, year=year, due_on=D(year + 1, 1, 31)
            )
            periods += 1
            for e in self.enterprises:
                self.move(self.report(e, period, year, Decimal(1)), Report.State.ACCEPTED)
        # a correction of an accepted yearly report (version 2, with the audited figures)
        first = self.enterprises[0]
        accepted = Report.objects.get(enterprise=first, period__kind=PeriodKind.YEAR, period__year=2024, version=1)
        correction = services.report_correct(
            actor=self.actor[first.pk],
            report=accepted,
            reason="Điều chỉnh theo báo cáo tài chính đã được kiểm toán năm 2024.",
        )
        services.report_values_set(
            actor=self.actor[first.pk],
            report=correction,
            values=[(self.ind["DT"], Scenario.AUDITED, self.actual(first, "DT", 2024))],
        )
        self.move(correction, Report.State.ACCEPTED)
        quarter_states = {
            1: [Report.State.ACCEPTED] * len(self.enterprises),
            2: [Report.State.ACCEPTED, Report.State.SUBMITTED] * len(self.enterprises),
            3: [Report.State.ACCEPTED, Report.State.SUBMITTED, Report.State.RETURNED, Report.State.DRAFT]
            * len(self.enterprises),
        }
        for number in (1, 2, 3, 4):
            starts_on, ends_on = period_dates(PeriodKind.QUARTER, 2026, number)
            if starts_on > self.today:
                break
            period = services.period_open(
                actor=self.officer,
                kind=PeriodKind.QUARTER,
                year=2026,
                number=number,
                due_on=ends_on + dt.timedelta(days=20),
            )
            periods += 1
            if number in quarter_states and ends_on < self.today:
                for e, state in zip(self.enterprises, quarter_states[number], strict=False):
                    self.move(self.report(e, period, 2026, Decimal("0.25")), state)
        for period in ReportingPeriod.objects.filter(kind=PeriodKind.YEAR, year__lt=2025):
            services.period_close(actor=self.officer, period=period)
        ahead = sum(1 for v in self.pace.values() if v)
        return (
            f"  planning: {Plan.objects.count()} plans, {len(self.enterprises)} enterprises "
            f"({ahead} ahead of their targets, {len(self.enterprises) - ahead} behind), {periods} periods, "
            f"{Report.objects.count()} reports (1 corrected)"
        )


@register("planning", order=70, present=_present)
def build(world: DemoWorld) -> None:
    world.log(_Builder(world).build())
