"""The demo science and technology: built by ``manage.py cnan demo`` after the organisations, the accounts,
the catalogue and the directives, through the services (audited).

The Institute of Science and Technology (VKHCN) keeps the 22 key tasks of its 2021 list on security-industry
products: signal intelligence, body armour, helmets, drones and counter-drone systems, cryptography,
biometrics, forensic equipment, non-lethal weapons … Seven of them belong to the Ministry's key S&T programme
the Institute hosts. Their stages run from proposal to application: most of the 2021 work is accepted,
liquidated, registered or applied; one failed for fault and one failed with the risk accepted; some are under
way, on time or late; the list's reserve tasks (awaiting funds) are still proposals, reviewed or approved,
and one was not selected. The Department's officer (``canbo.h08``) passes the managing body's gates and
records the disbursements; the Institute's researcher (``nghiencuu``) proposes, starts, reports, passes the
host's gates and keeps the outputs, IP filings, transfers and cooperation; the academies keep their research
groups. Work that is still open is dated from ``timezone.localdate()`` (so that, whenever the demo is built,
some tasks are on time and some late); what is history has fixed dates.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from cnan.catalogue.models import Product
from cnan.core.demo import DemoWorld, register
from cnan.organizations.models import Organization, ProductGroup

from . import services
from .models import (
    Cooperation,
    GateEvent,
    Grade,
    IPFiling,
    Kind,
    Level,
    Output,
    ResearchGroup,
    ResearchTask,
    TechTransfer,
)

D = dt.date
M = 1_000_000  # budget lines are written in millions of đồng
PROGRAMME = "CT-CNAN-2021"
PRE_START = ("review", "reject", "approve", "contract", "start")
COUNCIL = {
    "review": "PGS.TS. Trần Quốc Hùng (Chủ tịch)\nTS. Lê Thanh Bình (Phản biện 1)\n"
    "TS. Nguyễn Thị Thu Hà (Phản biện 2)\nThS. Phạm Minh Đức (Thư ký)\nĐại diện Cục Công nghiệp an ninh",
    "base_accept": "TS. Vũ Đình Khoa (Chủ tịch)\nTS. Hoàng Văn Sơn (Phản biện)\nThS. Bùi Thị Lan (Thư ký)",
    "accept": "PGS.TS. Nguyễn Văn Thành (Chủ tịch)\nPGS.TS. Đặng Quang Vinh (Phản biện 1)\nTS. Trịnh Minh Tuấn "
    "(Phản biện 2)\nTS. Lương Thị Hồng (Ủy viên)\nĐại tá Ngô Văn Kiên (Ủy viên, đơn vị sử dụng)",
}
DECISION = {
    "review": "{n}/BB-HĐKHCN",
    "reject": "{n}/QĐ-BCA-H08",
    "approve": "{n}/QĐ-BCA",
    "contract": "{n}/HĐ-KHCN-H08",
    "start": "{n}/QĐ-VKHCN",
    "resume": "{n}/QĐ-BCA-H08",
    "adjust": "{n}/QĐ-BCA-H08",
    "pause": "{n}/QĐ-BCA-H08",
    "terminate": "{n}/QĐ-BCA-H08",
    "base_accept": "{n}/QĐ-VKHCN",
    "accept_pass": "{n}/QĐ-BCA",
    "accept_fail": "{n}/QĐ-BCA",
    "accept_fail_risk": "{n}/QĐ-BCA",
    "liquidate": "{n}/TLHĐ-H08",
    "register": "{n}/GCN-KHCN",
    "apply": "",
}
WITH_MINUTES = ("review", "base_accept", "accept_pass", "accept_fail", "accept_fail_risk")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn" and ord(c) < 128)


def minutes_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF of a council's minutes (plain text, without diacritics: the demo needs no font)."""
    rows = [_ascii(title), "", *(_ascii(line) for line in lines)]
    escaped = [r.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for r in rows]
    text = "BT /F1 12 Tf 16 TL 60 780 Td " + " ".join(f"({r}) '" for r in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


@dataclass
class Step:
    """A milestone of the roadmap and the reports against it: (date, percent)."""

    content: str
    output: str
    due: dt.date
    reports: list[tuple[dt.date, int]] = field(default_factory=list)


@dataclass
class Spec:
    n: int
    title: str
    level: str
    kind: str
    pi: str
    start: dt.date
    end: dt.date
    lines: list[tuple[str, int, int, int]]  # source, year, planned, disbursed (millions of đồng)
    path: list[str]
    dates: dict[str, dt.date] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    host: str = "VKHCN"
    formation: str = "commission"
    selection: str = "direct"
    team: str = ""
    summary: str = ""
    in_programme: bool = False
    grade: str = ""
    comments: dict[str, str] = field(default_factory=dict)
    new_end: dt.date | None = None

    @property
    def code(self) -> str:
        return f"VKHCN-2021-{self.n:02d}"


def _present() -> bool:
    return ResearchTask.objects.filter(code=PROGRAMME).exists()


class _Builder:
    def __init__(self, world: DemoWorld) -> None:
        self.world = world
        self.today = timezone.localdate()
        # the personas of the demo (the system actor where an account is missing)
        self.manager = world.users.get("canbo.h08", world.actor)
        self.researcher = world.users.get("nghiencuu", world.actor)
        self.orgs = {
            o.code: o for o in Organization.objects.filter(code__in=["VKHCN", "TTKD", "HVAN", "DHKTHC", "DN-THANGLONG"])
        }
        self.tasks: dict[int, ResearchTask] = {}
        self.decisions = 100

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def ahead(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    def year_end(self, years: int, month: int = 12, day: int = 31) -> dt.date:
        return D(self.today.year + years, month, day)

    # --- tasks -----------------------------------------------------------------------------------------

    def pass_gate(self, task: ResearchTask, spec: Spec, name: str, on: dt.date) -> ResearchTask:
        self.decisions += 7
        actor = self.manager if services.TASK_WORKFLOW.get(name).perm == services.MANAGE else self.researcher
        kwargs: dict[str, Any] = {
            "decision_number": DECISION[name].format(n=self.decisions),
            "decided_on": on,
            "comment": spec.comments.get(name, ""),
        }
        if name in WITH_MINUTES:
            council = COUNCIL["review" if name == "review" else "base_accept" if name == "base_accept" else "accept"]
            kwargs["council"] = council
            pdf = minutes_pdf(
                f"Bien ban hoi dong - {task.code}",
                [
                    f"Nhiem vu: {spec.title}",
                    f"So: {kwargs['decision_number']}",
                    f"Ngay: {on:%d/%m/%Y}",
                    *council.split("\n"),
                ],
            )
            kwargs["minutes"] = ContentFile(pdf, name=f"bien-ban-{name.replace('_', '-')}-{spec.n:02d}.pdf")
        if name == "accept_pass":
            kwargs["grade"] = spec.grade if task.graded else ""
        if name == "adjust":
            kwargs["new_end_on"] = spec.new_end
        return services.gate_pass(actor=actor, task=task, gate=name, **kwargs)

    def default_date(self, spec: Spec, name: str) -> dt.date:
        """Gates before the start, counted back from it (never after today)."""
        back = {"review": (75, 60), "reject": (45, 30), "approve": (40, 25), "contract": (15, 10), "start": (0, 0)}
        before_start, before_today = back[name]
        return min(spec.start - dt.timedelta(days=before_start), self.ago(before_today))

    def milestone(self, task: ResearchTask, step: Step) -> None:
        services.milestone_create(
            actor=self.researcher,
            task=task,
            data={"content": step.content, "expected_output": step.output, "due_on": step.due},
        )

    def task(self, spec: Spec, programme: ResearchTask | None = None) -> ResearchTask:
        budget: list[Mapping[str, Any]] = [
            {"source": s, "year": y, "planned": Decimal(p * M)} for s, y, p, _d in spec.lines
        ]
        task = services.task_create(
            actor=self.researcher,
            data={
                "code": spec.code if spec.kind != Kind.PROGRAMME else PROGRAMME,
                "title": spec.title,
                "level": spec.level,
                "kind": spec.kind,
                "formation": spec.formation,
                "selection": spec.selection,
                "host": self.orgs[spec.host],
                "principal_investigator": spec.pi,
                "team": spec.team,
                "programme": programme if spec.in_programme else None,
                "key_programme": spec.in_programme or spec.kind == Kind.PROGRAMME,
                "summary": spec.summary,
                "start_on": spec.start,
                "end_on": spec.end,
                "budget_total": Decimal(sum(p for _s, _y, p, _d in spec.lines) * M),
            },
            budget=budget,
        )
        later = [step for step in spec.steps if step.due > spec.end]  # due after an adjustment moves the end
        for step in spec.steps:
            if step not in later:
                self.milestone(task, step)
        after_start = [g for g in spec.path if g not in PRE_START]
        for name in [g for g in spec.path if g in PRE_START]:
            task = self.pass_gate(task, spec, name, spec.dates.get(name) or self.default_date(spec, name))
        if "adjust" in after_start:
            task = self.pass_gate(task, spec, "adjust", spec.dates["adjust"])
            after_start.remove("adjust")
        for step in later:
            self.milestone(task, step)
        if "start" in spec.path:
            self.report(task, spec)
        for name in after_start:
            task = self.pass_gate(task, spec, name, spec.dates[name])
        for source, year, _planned, disbursed in spec.lines:
            if disbursed:
                services.disbursement_record(
                    actor=self.manager, task=task, source=source, year=year, disbursed=Decimal(disbursed * M)
                )
        return task

    def report(self, task: ResearchTask, spec: Spec) -> None:
        milestones = {m.number: m for m in task.milestones.all()}
        numbered = sorted(milestones.values(), key=lambda m: (m.due_on, m.number))
        for m, step in zip(numbered, sorted(spec.steps, key=lambda s: s.due), strict=True):
            for on, percent in step.reports:
                services.milestone_report(
                    actor=self.researcher,
                    milestone=m,
                    data={
                        "reported_on": on,
                        "percent": percent,
                        "narrative": "Hoàn thành nội dung theo thuyết minh."
                        if percent == 100
                        else f"Đang triển khai theo kế hoạch, đạt {percent} % khối lượng.",
                        "output_delivered": step.output if percent == 100 else "",
                    },
                )

    def specs(self) -> tuple[Spec, list[Spec]]:
        ahead, ago, year_end = self.ahead, self.ago, self.year_end
        y = self.today.year
        programme = Spec(
            0,
            "Chương trình khoa học và công nghệ trọng điểm cấp Bộ về phát triển sản phẩm công nghiệp an ninh",
            Level.MINISTRY,
            Kind.PROGRAMME,
            "PGS.TS. Trần Quốc Hùng",
            D(2021, 1, 1),
            year_end(2),
            [],
            ["review", "approve", "contract", "start"],
            dates={
                "review": D(2020, 11, 10),
                "approve": D(2020, 12, 15),
                "contract": D(2020, 12, 28),
                "start": D(2021, 1, 5),
            },
            steps=[
                Step(
                    "Sơ kết giai đoạn I của Chương trình", "Báo cáo sơ kết", D(2023, 12, 31), [(D(2023, 12, 20), 100)]
                ),
                Step("Tổng kết Chương trình", "Báo cáo tổng kết", year_end(2, 11, 30)),
            ],
            summary="Tập trung nghiên cứu, làm chủ công nghệ các sản phẩm công nghiệp an ninh trọng yếu: thiết bị "
            "bay không người lái, mật mã, sinh trắc học, vũ khí phi sát thương, phần mềm phân tích dữ liệu.",
        )
        mpass = ["review", "approve", "contract", "start", "base_accept", "accept_pass"]
        specs = [
            Spec(
                1,
                "Nghiên cứu, chế tạo hệ thống trinh sát, thu thập và phân tích tín hiệu vô tuyến băng rộng phục vụ "
                "công tác nghiệp vụ",
                Level.NATIONAL,
                Kind.TOPIC,
                "PGS.TS. Lê Hoàng Nam",
                D(2021, 1, 1),
                D(2025, 12, 31),
                [
                    ("state_st", 2021, 6500, 6500),
                    ("state_st", 2022, 7000, 7000),
                    ("state_st", 2023, 5500, 5500),
                    ("state_st", 2024, 3000, 2100),
                    ("ministry", 2021, 1200, 1200),
                ],
                ["review", "approve", "contract", "start", "adjust"],
                dates={
                    "review": D(2020, 10, 15),
                    "approve": D(2020, 11, 20),
                    "contract": D(2020, 12, 20),
                    "start": D(2021, 1, 15),
                    "adjust": ago(200),
                },
                steps=[
                    Step(
                        "Khảo sát yêu cầu nghiệp vụ, xây dựng thuyết minh kỹ thuật",
                        "Bộ yêu cầu kỹ thuật được phê duyệt",
                        D(2021, 9, 30),
                        [(D(2021, 6, 30), 50), (D(2021, 9, 25), 100)],
                    ),
                    Step(
                        "Thiết kế, chế tạo khối thu băng rộng 20 MHz – 6 GHz",
                        "02 mẫu khối thu",
                        D(2023, 6, 30),
                        [(D(2022, 12, 31), 60), (D(2023, 6, 20), 100)],
                    ),
                    Step(
                        "Phát triển phần mềm phát hiện, phân loại và định vị nguồn phát",
                        "Phần mềm phân tích tín hiệu",
                        ago(120),
                        [(ago(150), 30), (ago(30), 55)],
                    ),
                    Step("Thử nghiệm thực địa, hoàn thiện hệ thống", "Biên bản thử nghiệm", year_end(1, 9, 30)),
                ],
                selection="call",
                team="TS. Phan Văn Quân\nThS. Đinh Thị Hoa\nKS. Vương Minh Tú\nKS. Cao Đức Thịnh",
                summary="Làm chủ công nghệ thu, phân tích tín hiệu vô tuyến băng rộng; chế tạo hệ thống cơ động lắp "
                "trên xe phục vụ trinh sát kỹ thuật.",
                comments={"adjust": "Gia hạn do linh kiện RF nhập khẩu và thiết bị đo kiểm về chậm so với hợp đồng."},
                new_end=year_end(1),
            ),
            Spec(
                2,
                "Nghiên cứu, chế tạo áo giáp chống đạn cấp IV sử dụng tấm chèn gốm SiC – composite UHMWPE",
                Level.MINISTRY,
                Kind.TOPIC,
                "TS. Nguyễn Đức Long",
                D(2021, 3, 1),
                D(2022, 12, 31),
                [("ministry", 2021, 2400, 2400), ("ministry", 2022, 1800, 1800), ("unit", 2022, 300, 300)],
                [*mpass, "liquidate", "register", "apply"],
                dates={
                    "review": D(2021, 1, 20),
                    "approve": D(2021, 2, 5),
                    "contract": D(2021, 2, 25),
                    "start": D(2021, 3, 5),
                    "base_accept": D(2022, 11, 25),
                    "accept_pass": D(2022, 12, 20),
                    "liquidate": D(2023, 2, 15),
                    "register": D(2023, 3, 10),
                    "apply": D(2023, 7, 20),
                },
                steps=[
                    Step(
                        "Nghiên cứu công nghệ ép nóng tấm gốm SiC",
                        "Quy trình ép nóng",
                        D(2021, 9, 30),
                        [(D(2021, 9, 28), 100)],
                    ),
                    Step(
                        "Chế tạo mẫu tấm chèn và áo giáp hoàn chỉnh",
                        "20 bộ áo giáp mẫu",
                        D(2022, 6, 30),
                        [(D(2022, 3, 31), 50), (D(2022, 8, 15), 100)],
                    ),
                    Step(
                        "Bắn thử kiểm tra theo tiêu chuẩn NIJ 0101.06 cấp IV",
                        "Biên bản thử nghiệm đạn đạo",
                        D(2022, 10, 31),
                        [(D(2022, 10, 20), 100)],
                    ),
                ],
                team="ThS. Trần Văn Hải\nKS. Lê Thị Ngọc\nKS. Đỗ Văn Tùng",
                grade=Grade.EXCELLENT,
                comments={
                    "apply": "Chuyển giao cho Công ty TNHH MTV Cơ khí An ninh Thăng Long sản xuất loạt 2.000 bộ áo "
                    "giáp cấp IV trang bị cho lực lượng Cảnh sát cơ động."
                },
            ),
            Spec(
                3,
                "Sản xuất thử nghiệm mũ chống đạn tích hợp thiết bị liên lạc cho lực lượng cơ động",
                Level.MINISTRY,
                Kind.TRIAL_PRODUCTION,
                "TS. Vũ Thị Thanh Hằng",
                D(2021, 4, 1),
                D(2023, 3, 31),
                [("ministry", 2021, 1500, 1500), ("enterprise", 2022, 900, 900)],
                mpass,
                dates={
                    "review": D(2021, 2, 10),
                    "approve": D(2021, 3, 1),
                    "contract": D(2021, 3, 20),
                    "start": D(2021, 4, 5),
                    "base_accept": D(2023, 3, 20),
                    "accept_pass": D(2023, 5, 10),
                },
                steps=[
                    Step(
                        "Thiết kế mũ và giá gắn tai nghe",
                        "Hồ sơ thiết kế",
                        D(2021, 12, 31),
                        [(D(2021, 12, 20), 100)],
                    ),
                    Step(
                        "Sản xuất loạt thử 50 mũ, thử nghiệm",
                        "50 mũ đạt kiểm định",
                        D(2023, 2, 28),
                        [(D(2022, 9, 30), 60), (D(2023, 2, 25), 100)],
                    ),
                ],
                grade=Grade.GOOD,
            ),
            Spec(
                4,
                "Nghiên cứu, chế tạo thiết bị bay không người lái giám sát tình hình an ninh trật tự tầm trung",
                Level.MINISTRY,
                Kind.TOPIC,
                "TS. Phạm Văn Dũng",
                D(2021, 7, 1),
                year_end(1),
                [
                    ("ministry", 2021, 800, 800),
                    ("ministry", 2022, 1500, 1500),
                    ("ministry", 2023, 1500, 1500),
                    ("ministry", 2024, 1200, 1200),
                    ("ministry", 2025, 1000, 600),
                ],
                ["review", "approve", "contract", "start"],
                dates={
                    "review": D(2021, 5, 10),
                    "approve": D(2021, 6, 1),
                    "contract": D(2021, 6, 20),
                    "start": D(2021, 7, 5),
                },
                steps=[
                    Step(
                        "Thiết kế tổng thể UAV cánh bằng, trạm điều khiển mặt đất",
                        "Hồ sơ thiết kế",
                        D(2022, 6, 30),
                        [(D(2022, 6, 25), 100)],
                    ),
                    Step(
                        "Chế tạo mẫu UAV tầm bay 50 km, tích hợp camera ảnh nhiệt",
                        "02 mẫu UAV",
                        ago(45),
                        [(ago(200), 30), (ago(60), 60)],
                    ),
                    Step("Bay thử nghiệm, đánh giá", "Biên bản bay thử", ahead(200)),
                ],
                in_programme=True,
                team="ThS. Nguyễn Quang Minh\nKS. Hà Văn Phúc",
            ),
            Spec(
                5,
                "Nghiên cứu, chế tạo hệ thống phát hiện, vô hiệu hoá thiết bị bay không người lái",
                Level.MINISTRY,
                Kind.TOPIC,
                "TS. Đặng Minh Khôi",
                D(2023, 1, 1),
                year_end(1),
                [
                    ("ministry", 2023, 2000, 2000),
                    ("ministry", 2024, 2500, 2500),
                    ("ministry", 2025, 2500, 2000),
                    ("cnan_fund", 2025, 1000, 500),
                ],
                ["review", "approve", "contract", "start"],
                dates={
                    "review": D(2022, 10, 20),
                    "approve": D(2022, 11, 25),
                    "contract": D(2022, 12, 15),
                    "start": D(2023, 1, 3),
                },
                steps=[
                    Step("Khảo sát, thiết kế hệ thống", "Hồ sơ thiết kế", D(2023, 12, 31), [(D(2023, 12, 20), 100)]),
                    Step(
                        "Chế tạo khối radar phát hiện và khối gây nhiễu",
                        "01 bộ mẫu",
                        D(2025, 6, 30),
                        [(D(2025, 3, 31), 70), (D(2025, 7, 10), 100)],
                    ),
                    Step("Tích hợp, thử nghiệm hệ thống", "Biên bản thử nghiệm", ahead(150), [(ago(20), 40)]),
                    Step("Hoàn thiện hồ sơ, nghiệm thu cơ sở", "Bộ hồ sơ nghiệm thu", year_end(1, 11, 30)),
                ],
                in_programme=True,
            ),
            Spec(
                6,
                "Nghiên cứu thuật toán mật mã khối phục vụ bảo mật thông tin liên lạc nghiệp vụ",
                Level.MINISTRY,
                Kind.TOPIC,
                "PGS.TS. Nguyễn Hữu Hùng",
                D(2021, 2, 1),
                D(2022, 12, 31),
                [("ministry", 2021, 900, 900), ("ministry", 2022, 700, 700)],
                [*mpass, "liquidate", "register"],
                dates={
                    "review": D(2020, 12, 10),
                    "approve": D(2021, 1, 10),
                    "contract": D(2021, 1, 25),
                    "start": D(2021, 2, 3),
                    "base_accept": D(2022, 12, 10),
                    "accept_pass": D(2023, 1, 15),
                    "liquidate": D(2023, 3, 20),
                    "register": D(2023, 4, 12),
                },
                steps=[
                    Step(
                        "Thiết kế thuật toán, phân tích độ an toàn",
                        "Báo cáo phân tích",
                        D(2021, 12, 31),
                        [(D(2021, 12, 28), 100)],
                    ),
                    Step(
                        "Cài đặt thư viện mật mã, kiểm thử hiệu năng",
                        "Thư viện phần mềm",
                        D(2022, 10, 31),
                        [(D(2022, 11, 20), 100)],
                    ),
                ],
                grade=Grade.GOOD,
            ),
            Spec(
                7,
                "Chế tạo thiết bị mã hoá thoại trên mạng vô tuyến chuyên dùng",
                Level.MINISTRY,
                Kind.ST_PROJECT,
                "TS. Bùi Văn Thắng",
                D(2022, 1, 1),
                year_end(1, 6, 30),
                [("ministry", 2022, 1200, 1200), ("ministry", 2023, 1500, 1500), ("ministry", 2024, 800, 300)],
                ["review", "approve", "contract", "start", "pause"],
                dates={
                    "review": D(2021, 10, 5),
                    "approve": D(2021, 11, 12),
                    "contract": D(2021, 12, 10),
                    "start": D(2022, 1, 10),
                    "pause": ago(90),
                },
                steps=[
                    Step("Thiết kế phần cứng khối mã hoá", "Hồ sơ thiết kế", D(2022, 12, 31), [(D(2022, 12, 15), 100)]),
                    Step(
                        "Tích hợp với máy bộ đàm, thử nghiệm",
                        "10 thiết bị mẫu",
                        ahead(100),
                        [(D(2024, 6, 30), 40)],
                    ),
                ],
                in_programme=True,
                comments={
                    "pause": "Tạm dừng để điều chỉnh thiết kế theo chuẩn vô tuyến mới của đơn vị sử dụng; chờ quyết "
                    "định điều chỉnh nội dung."
                },
            ),
            Spec(
                8,
                "Nghiên cứu, chế tạo camera nhận dạng khuôn mặt tích hợp trí tuệ nhân tạo trên thiết bị biên",
                Level.MINISTRY,
                Kind.TOPIC,
                "TS. Trịnh Quốc Việt",
                D(2021, 5, 1),
                D(2023, 4, 30),
                [("ministry", 2021, 1100, 1100), ("ministry", 2022, 1600, 1600), ("enterprise", 2023, 500, 500)],
                [*mpass, "liquidate", "register", "apply"],
                dates={
                    "review": D(2021, 3, 15),
                    "approve": D(2021, 4, 5),
                    "contract": D(2021, 4, 20),
                    "start": D(2021, 5, 4),
                    "base_accept": D(2023, 4, 25),
                    "accept_pass": D(2023, 6, 20),
                    "liquidate": D(2023, 8, 10),
                    "register": D(2023, 9, 5),
                    "apply": D(2024, 2, 1),
                },
                steps=[
                    Step(
                        "Xây dựng mô hình nhận dạng", "Mô hình đã huấn luyện", D(2022, 3, 31), [(D(2022, 3, 30), 100)]
                    ),
                    Step("Chế tạo camera mẫu, thử nghiệm", "30 camera mẫu", D(2023, 3, 31), [(D(2023, 3, 28), 100)]),
                ],
                grade=Grade.EXCELLENT,
                comments={
                    "apply": "Sản xuất tại Công ty TNHH MTV Điện tử An ninh Sông Hàn, đưa vào trang bị cho Công an "
                    "các địa phương."
                },
            ),
            Spec(
                9,
                "Nghiên cứu xây dựng hệ thống xác thực sinh trắc học đa phương thức (vân tay, mống mắt, khuôn mặt)",
                Level.MINISTRY,
                Kind.TOPIC,
                "TS. Lương Thị Hồng",
                D(2022, 6, 1),
                year_end(1, 6, 30),
                [("ministry", 2022, 700, 700), ("ministry", 2023, 1400, 1400), ("ministry", 2024, 1400, 1400)],
                ["review", "approve", "contract", "start"],
                dates={
                    "review": D(2022, 3, 20),
                    "approve": D(2022, 4, 25),
                    "contract": D(2022, 5, 20),
                    "start": D(2022, 6, 6),
                },
                steps=[
                    Step(
                        "Thu thập dữ liệu, thiết kế hệ thống", "Bộ dữ liệu mẫu", D(2023, 6, 30), [(D(2023, 6, 28), 100)]
                    ),
                    Step(
                        "Phát triển thuật toán hợp nhất đa phương thức",
                        "Phần mềm lõi",
                        D(2024, 12, 31),
                        [(D(2024, 6, 30), 50), (D(2024, 12, 20), 100)],
                    ),
                    Step("Thử nghiệm tại cửa khẩu", "Báo cáo thử nghiệm", ahead(60), [(ago(15), 70)]),
                ],
                in_programme=True,
            ),
            Spec(
                10,
                "Sản xuất thử nghiệm vali khám nghiệm hiện trường đa năng thế hệ mới",
                Level.MINISTRY,
                Kind.TRIAL_PRODUCTION,
                "ThS. Hoàng Minh Tâm",
                D(2021, 6, 1),
                D(2022, 12, 31),
                [("ministry", 2021, 600, 600), ("ministry", 2022, 900, 900)],
                mpass,
                dates={
                    "review": D(2021, 4, 10),
                    "approve": D(2021, 5, 5),
                    "contract": D(2021, 5, 25),
                    "start": D(2021, 6, 2),
                    "base_accept": D(2022, 12, 20),
                    "accept_pass": D(2023, 2, 20),
                },
                steps=[
                    Step("Thiết kế bộ dụng cụ", "Hồ sơ thiết kế", D(2021, 12, 31), [(D(2021, 12, 30), 100)]),
                    Step("Sản xuất loạt thử 100 vali", "100 vali", D(2022, 11, 30), [(D(2022, 11, 25), 100)]),
                ],
                grade=Grade.PASS,
            ),
            Spec(
                11,
                "Nghiên cứu bộ kít tách chiết, giám định ADN nhanh tại hiện trường",
                Level.NATIONAL,
                Kind.TOPIC,
                "PGS.TS. Đinh Thị Phương",
                D(2021, 1, 1),
                D(2023, 12, 31),
                [("state_st", 2021, 3000, 3000), ("state_st", 2022, 3500, 3500), ("state_st", 2023, 2000, 2000)],
                ["review", "approve", "contract", "start", "base_accept", "accept_fail_risk"],
                dates={
                    "review": D(2020, 10, 1),
                    "approve": D(2020, 11, 5),
                    "contract": D(2020, 12, 15),
                    "start": D(2021, 1, 10),
                    "base_accept": D(2024, 1, 20),
                    "accept_fail_risk": D(2024, 3, 15),
                },
                steps=[
                    Step(
                        "Xây dựng quy trình tách chiết nhanh",
                        "Quy trình kỹ thuật",
                        D(2022, 6, 30),
                        [(D(2022, 6, 25), 100)],
                    ),
                    Step("Chế tạo bộ kít, thử nghiệm", "500 bộ kít thử", D(2023, 11, 30), [(D(2023, 12, 15), 100)]),
                ],
                selection="call",
                comments={
                    "accept_fail_risk": "Chủ nhiệm và tổ chức chủ trì đã tuân thủ đúng quy trình, không có sai phạm; "
                    "kết quả không đạt do rủi ro khách quan: nhà cung cấp sinh phẩm nhập khẩu ngừng sản xuất giữa "
                    "chừng, sinh phẩm thay thế không đạt độ nhạy. Chấp nhận rủi ro, không thu hồi kinh phí."
                },
            ),
            Spec(
                12,
                "Nghiên cứu, chế tạo thiết bị phục hồi dữ liệu từ điện thoại di động hư hỏng phục vụ giám định kỹ "
                "thuật số",
                Level.MINISTRY,
                Kind.TOPIC,
                "TS. Ngô Thanh Sơn",
                D(2022, 1, 1),
                D(2024, 6, 30),
                [("ministry", 2022, 800, 800), ("ministry", 2023, 900, 900), ("ministry", 2024, 400, 400)],
                ["review", "approve", "contract", "start", "base_accept"],
                dates={
                    "review": D(2021, 10, 15),
                    "approve": D(2021, 11, 20),
                    "contract": D(2021, 12, 15),
                    "start": D(2022, 1, 5),
                    "base_accept": D(2024, 8, 10),
                },
                steps=[
                    Step(
                        "Nghiên cứu kỹ thuật đọc chip nhớ",
                        "Báo cáo kỹ thuật",
                        D(2022, 12, 31),
                        [(D(2022, 12, 20), 100)],
                    ),
                    Step("Chế tạo thiết bị, thử nghiệm", "02 thiết bị mẫu", D(2024, 5, 31), [(D(2024, 7, 15), 100)]),
                ],
                host="TTKD",
            ),
            Spec(
                13,
                "Nghiên cứu, chế tạo súng bắn lưới bắt giữ đối tượng (vũ khí phi sát thương)",
                Level.MINISTRY,
                Kind.TOPIC,
                "ThS. Trần Đình Phong",
                D(2021, 3, 1),
                D(2025, 6, 30),
                [
                    ("ministry", 2021, 500, 500),
                    ("ministry", 2022, 700, 700),
                    ("ministry", 2023, 700, 700),
                    ("ministry", 2024, 600, 600),
                    ("ministry", 2025, 300, 100),
                ],
                ["review", "approve", "contract", "start"],
                dates={
                    "review": D(2021, 1, 15),
                    "approve": D(2021, 2, 1),
                    "contract": D(2021, 2, 20),
                    "start": D(2021, 3, 3),
                },
                steps=[
                    Step("Thiết kế cơ cấu phóng lưới", "Hồ sơ thiết kế", D(2022, 3, 31), [(D(2022, 3, 25), 100)]),
                    Step(
                        "Chế tạo mẫu, bắn thử",
                        "05 súng mẫu",
                        D(2024, 12, 31),
                        [(D(2024, 6, 30), 50), (D(2025, 3, 15), 100)],
                    ),
                    Step(
                        "Hoàn thiện, thử nghiệm tại đơn vị sử dụng",
                        "Báo cáo thử nghiệm",
                        D(2025, 6, 30),
                        [(D(2025, 5, 30), 50), (ago(40), 80)],
                    ),
                ],
                in_programme=True,
            ),
            Spec(
                14,
                "Nghiên cứu, chế tạo đạn cao su và đạn hơi cay cỡ nòng 40 mm",
                Level.MINISTRY,
                Kind.TOPIC,
                "ThS. Lâm Văn Hòa",
                D(2021, 4, 1),
                D(2023, 6, 30),
                [("ministry", 2021, 700, 700), ("ministry", 2022, 800, 800), ("ministry", 2023, 300, 300)],
                ["review", "approve", "contract", "start", "base_accept", "accept_fail"],
                dates={
                    "review": D(2021, 2, 15),
                    "approve": D(2021, 3, 5),
                    "contract": D(2021, 3, 25),
                    "start": D(2021, 4, 2),
                    "base_accept": D(2023, 7, 15),
                    "accept_fail": D(2023, 9, 10),
                },
                steps=[
                    Step("Thiết kế đầu đạn, liều phóng", "Hồ sơ thiết kế", D(2022, 3, 31), [(D(2022, 3, 30), 100)]),
                    Step(
                        "Sản xuất loạt thử, bắn kiểm tra", "1.000 viên đạn thử", D(2023, 5, 31), [(D(2023, 6, 20), 100)]
                    ),
                ],
                comments={
                    "accept_fail": "Đạn chưa đạt yêu cầu về độ chính xác và độ an toàn ở cự ly gần; chủ nhiệm chưa "
                    "hoàn thành đầy đủ nội dung thuyết minh đã phê duyệt."
                },
            ),
            Spec(
                15,
                "Thiết kế dùi cui điện tích hợp camera ghi hình",
                Level.BASE,
                Kind.TOPIC,
                "KS. Phạm Thị Thu",
                D(2021, 3, 1),
                D(2021, 12, 31),
                [("unit", 2021, 350, 350)],
                [*mpass, "liquidate"],
                dates={
                    "review": D(2021, 1, 20),
                    "approve": D(2021, 2, 10),
                    "contract": D(2021, 2, 25),
                    "start": D(2021, 3, 2),
                    "base_accept": D(2021, 12, 28),
                    "accept_pass": D(2022, 2, 15),
                    "liquidate": D(2022, 4, 10),
                },
                steps=[
                    Step("Thiết kế, chế tạo mẫu", "10 dùi cui mẫu", D(2021, 11, 30), [(D(2021, 11, 25), 100)]),
                ],
                formation="base_task",
            ),
            Spec(
                16,
                "Nghiên cứu bình xịt hơi cay dạng gel định hướng thế hệ mới",
                Level.BASE,
                Kind.TOPIC,
                "KS. Đoàn Văn Lực",
                D(2022, 3, 1),
                D(2023, 2, 28),
                [("unit", 2022, 280, 120)],
                ["review", "approve", "contract", "start", "terminate"],
                dates={
                    "review": D(2022, 1, 10),
                    "approve": D(2022, 1, 25),
                    "contract": D(2022, 2, 15),
                    "start": D(2022, 3, 1),
                    "terminate": D(2022, 10, 15),
                },
                steps=[
                    Step("Pha chế dung dịch gel", "Công thức pha chế", D(2022, 8, 31), [(D(2022, 8, 30), 30)]),
                    Step("Chế tạo bình mẫu", "200 bình mẫu", D(2023, 1, 31)),
                ],
                formation="base_task",
                comments={
                    "terminate": "Chấm dứt do sản phẩm tương đương đã có trong Danh mục sản phẩm công nghiệp an "
                    "ninh, không còn nhu cầu đặt hàng."
                },
            ),
            Spec(
                17,
                "Xây dựng phần mềm phân tích dữ liệu lớn phát hiện hành vi lừa đảo trực tuyến",
                Level.MINISTRY,
                Kind.TOPIC,
                "TS. Mai Anh Tuấn",
                ahead(30),
                year_end(2, 6, 30),
                [("ministry", y + 1, 1500, 0), ("ministry", y + 2, 1200, 0)],
                ["review", "approve", "contract"],
                steps=[
                    Step("Thu thập, chuẩn hoá dữ liệu", "Kho dữ liệu mẫu", ahead(300)),
                    Step("Phát triển mô hình phát hiện", "Phần mềm thử nghiệm", year_end(2, 5, 31)),
                ],
                in_programme=True,
                selection="call",
            ),
            Spec(
                18,
                "Nghiên cứu, chế tạo thiết bị gây nhiễu tín hiệu điều khiển thiết bị nổ tự tạo",
                Level.MINISTRY,
                Kind.TOPIC,
                "TS. Kiều Văn Bình",
                ahead(90),
                year_end(2),
                [("ministry", y + 1, 1000, 0), ("ministry", y + 2, 1300, 0)],
                ["review", "approve"],
                in_programme=True,
            ),
            Spec(
                19,
                "Nghiên cứu vật liệu ngụy trang đa phổ cho phương tiện, trang bị nghiệp vụ",
                Level.MINISTRY,
                Kind.POTENTIAL,
                "TS. Đỗ Thị Mai",
                ahead(120),
                year_end(2),
                [("ministry", y + 1, 600, 0), ("ministry", y + 2, 400, 0)],
                ["review"],
            ),
            Spec(
                20,
                "Nghiên cứu, chế tạo robot trinh sát, xử lý vật nghi nổ",
                Level.MINISTRY,
                Kind.TOPIC,
                "TS. Hồ Sĩ Cường",
                ahead(150),
                year_end(3, 6, 30),
                [("ministry", y + 1, 1500, 0), ("ministry", y + 2, 2000, 0), ("unit", y + 3, 500, 0)],
                [],
                selection="call",
            ),
            Spec(
                21,
                "Nghiên cứu giải pháp định vị trong nhà phục vụ tác chiến đô thị",
                Level.BASE,
                Kind.TOPIC,
                "ThS. Chu Văn An",
                ahead(90),
                ahead(455),
                [("unit", self.ahead(90).year, 250, 0)],
                [],
                formation="base_task",
            ),
            Spec(
                22,
                "Nghiên cứu thiết bị cảm biến phát hiện chất nổ dạng vết",
                Level.MINISTRY,
                Kind.TOPIC,
                "TS. Tạ Quang Huy",
                D(y, 1, 1),
                year_end(2),
                [("ministry", y, 900, 0), ("ministry", y + 1, 900, 0)],
                ["review", "reject"],
                dates={"review": ago(200), "reject": ago(150)},
                comments={
                    "reject": "Trùng nội dung với nhiệm vụ cấp Nhà nước đang triển khai; đề nghị phối hợp thay vì "
                    "đầu tư mới."
                },
            ),
        ]
        return programme, specs

    def build_tasks(self) -> None:
        programme_spec, specs = self.specs()
        self.programme = self.task(programme_spec)
        for spec in specs:
            self.tasks[spec.n] = self.task(spec, self.programme)

    # --- outputs, filings, transfers, cooperation, groups ---------------------------------------------------

    def product(self, prefix: str) -> Product | None:
        return Product.objects.filter(code__startswith=f"{prefix}-").order_by("code").first()

    def outputs(self) -> None:
        t = self.tasks
        rows = [
            # task, kind, title, catalogue product prefix, in production, delivered on
            (2, Output.Kind.PRODUCT, "Áo giáp chống đạn cấp IV tấm chèn gốm SiC", "AGN", True, D(2023, 9, 30)),
            (3, Output.Kind.PROTOTYPE, "Mũ chống đạn tích hợp tai nghe liên lạc", "MCD", False, D(2023, 3, 15)),
            (8, Output.Kind.PRODUCT, "Camera nhận dạng khuôn mặt AI trên thiết bị biên", "CAMAI", True, D(2024, 3, 1)),
            (10, Output.Kind.PRODUCT, "Vali khám nghiệm hiện trường đa năng", "VALY", True, D(2023, 4, 10)),
            (15, Output.Kind.PROTOTYPE, "Dùi cui điện tích hợp camera ghi hình", "DC", False, D(2021, 12, 20)),
        ]
        for n, kind, title, prefix, producing, delivered in rows:
            product = self.product(prefix)
            # The Department links an output to the catalogue it keeps (the host may not see every product).
            services.output_create(
                actor=self.manager if product is not None else self.researcher,
                task=t[n],
                data={
                    "kind": kind,
                    "title": title,
                    "product": product,
                    "in_production": producing,
                    "delivered_on": delivered,
                },
            )
        self.armour = Output.objects.get(task=t[2])
        plain = [
            (1, Output.Kind.PROTOTYPE, "Khối thu tín hiệu băng rộng 20 MHz – 6 GHz", D(2023, 6, 20)),
            (6, Output.Kind.SOFTWARE, "Thư viện mật mã khối VKHCN-BC128", D(2022, 11, 20)),
            (
                11,
                Output.Kind.PUBLICATION,
                "Báo cáo khoa học: quy trình tách chiết ADN nhanh từ mẫu vết",
                D(2023, 12, 15),
            ),
            (12, Output.Kind.PROCESS, "Quy trình phục hồi dữ liệu từ chip nhớ điện thoại hư hỏng", D(2024, 7, 15)),
            (14, Output.Kind.STANDARD, "Dự thảo tiêu chuẩn cơ sở đạn cao su 40 mm", D(2023, 6, 20)),
        ]
        for n, kind, title, delivered in plain:
            services.output_create(
                actor=self.researcher, task=t[n], data={"kind": kind, "title": title, "delivered_on": delivered}
            )

    def filing(
        self,
        n: int,
        kind: str,
        title: str,
        filed_on: dt.date,
        path: list[tuple[str, dt.date]],
        grant: str = "",
        **extra: Any,
    ) -> IPFiling:
        """Filed by the Institute, then moved status by status (a grant with its certificate number)."""
        filing = services.filing_create(
            actor=self.researcher,
            data={
                "owner": self.orgs["VKHCN"],
                "task": self.tasks[n],
                "kind": kind,
                "title": title,
                "filed_on": filed_on,
                **extra,
            },
        )
        for status, on in path:
            filing = services.filing_advance(
                actor=self.researcher,
                instance=filing,
                status=status,
                on=on,
                grant_number=grant if status == "granted" else "",
            )
        return filing

    def filings(self) -> None:
        K = IPFiling.Kind
        inventors = "TS. Nguyễn Đức Long\nThS. Trần Văn Hải\nKS. Lê Thị Ngọc"
        self.filing(
            2,
            K.INVENTION,
            "Tấm chèn chống đạn nhiều lớp gốm SiC – composite UHMWPE và phương pháp chế tạo",
            D(2022, 1, 10),
            [
                ("formality", D(2022, 3, 15)),
                ("published", D(2022, 7, 25)),
                ("substantive", D(2023, 1, 10)),
                ("granted", D(2024, 2, 20)),
            ],
            grant="1-0041275",
            output=self.armour,
            inventors=inventors,
            application_number="1-2022-00187",
        )
        # the same invention abroad, once its security control in Việt Nam was recorded (IP Law Art. 89a)
        self.filing(
            2,
            K.INVENTION,
            "Tấm chèn chống đạn nhiều lớp gốm SiC – composite UHMWPE (nộp đơn tại Hàn Quốc)",
            D(2022, 12, 15),
            [("formality", D(2023, 2, 10)), ("published", D(2023, 6, 20))],
            output=self.armour,
            inventors=inventors,
            country="KR",
            application_number="10-2022-0178345",
            security_control_decision="1523/TB-SHTT",
            security_control_on=D(2022, 11, 30),
        )
        self.filing(
            1,
            K.UTILITY,
            "Thiết bị phát hiện nguồn phát vô tuyến ngụy trang",
            D(2023, 8, 1),
            [("formality", D(2023, 10, 2)), ("published", D(2024, 1, 25)), ("substantive", D(2024, 9, 12))],
            inventors="PGS.TS. Lê Hoàng Nam\nTS. Phan Văn Quân",
            application_number="2-2023-00412",
        )
        self.filing(
            3,
            K.DESIGN,
            "Kiểu dáng mũ chống đạn tích hợp giá gắn tai nghe",
            D(2023, 5, 20),
            [("formality", D(2023, 7, 18))],
            inventors="TS. Vũ Thị Thanh Hằng",
            application_number="3-2023-00951",
            security_control_required=False,
        )
        self.filing(
            1,
            K.SOFTWARE,
            "Phần mềm phân tích, phân loại tín hiệu vô tuyến SigView 1.0",
            D(2024, 3, 5),
            [("formality", D(2024, 4, 2)), ("granted", D(2024, 6, 18))],
            grant="4521/2024/QTG",
            inventors="TS. Phan Văn Quân\nKS. Vương Minh Tú",
            application_number="QTG-2024-1187",
            security_control_required=False,
        )
        self.filing(
            14,
            K.UTILITY,
            "Đạn cao su 40 mm có đầu đạn biến dạng giảm chấn",
            D(2022, 9, 10),
            [("formality", D(2022, 11, 15)), ("refused", D(2023, 10, 5))],
            inventors="ThS. Lâm Văn Hòa",
            application_number="2-2022-00305",
        )
        self.filing(
            11,
            K.INVENTION,
            "Phương pháp tách chiết ADN nhanh từ mẫu vết sinh học",
            D(2022, 8, 1),
            [("formality", D(2022, 10, 3)), ("published", D(2023, 2, 27)), ("withdrawn", D(2024, 4, 1))],
            inventors="PGS.TS. Đinh Thị Phương",
            application_number="1-2022-01544",
        )
        self.filing(
            5,
            K.INVENTION,
            "Hệ thống phát hiện và gây nhiễu có chọn lọc thiết bị bay không người lái",
            self.ago(40),
            [],
            inventors="TS. Đặng Minh Khôi",
            application_number=f"1-{self.ago(40).year}-03318",
        )

    def transfers(self) -> None:
        institute = self.orgs["VKHCN"]
        kestrel = services.transfer_create(
            actor=self.researcher,
            data={
                "organization": institute,
                "direction": TechTransfer.Direction.INBOUND,
                "partner": "Kestrel Sicherheitstechnik GmbH",
                "partner_country": "DE",
                "technology": "Công nghệ ép nóng đẳng tĩnh tấm gốm SiC cho tấm chèn chống đạn",
                "task": self.tasks[2],
                "value": Decimal("18500000000"),
                "contract_number": "CGCN-01/2021/VKHCN-KST",
                "signed_on": D(2021, 6, 15),
                "approval_decision": "3125/QĐ-BCA",
                "approved_on": D(2021, 5, 28),
                "status": TechTransfer.Status.IN_PROGRESS,
                "notes": "Chuyển giao thiết bị, quy trình và đào tạo 8 kỹ sư tại Đức.",
            },
        )
        services.transfer_update(
            actor=self.researcher,
            instance=kestrel,
            data={"status": TechTransfer.Status.COMPLETED, "completed_on": D(2022, 4, 30)},
        )
        services.transfer_create(
            actor=self.researcher,
            data={
                "organization": institute,
                "direction": TechTransfer.Direction.INBOUND,
                "partner": "Hanbit Security Systems Co., Ltd.",
                "partner_country": "KR",
                "technology": "Công nghệ nhận dạng khuôn mặt trên thiết bị biên dùng vi xử lý NPU",
                "task": self.tasks[9],
                "value": Decimal("9200000000"),
                "contract_number": "CGCN-03/2026/VKHCN-HB",
                "signed_on": self.ago(60),
                "status": TechTransfer.Status.CONTRACTED,
                "notes": "Hợp đồng đã ký, chờ Bộ phê duyệt trước khi thực hiện.",
            },
        )
        armour = self.product("AGN")
        services.transfer_create(
            actor=self.manager if armour is not None else self.researcher,
            data={
                "organization": institute,
                "direction": TechTransfer.Direction.INTERNAL,
                "partner": "Công ty TNHH MTV Cơ khí An ninh Thăng Long",
                "technology": "Quy trình công nghệ sản xuất áo giáp chống đạn cấp IV",
                "task": self.tasks[2],
                "product": armour,
                "value": Decimal("3500000000"),
                "contract_number": "CGCN-07/2023/VKHCN-TL",
                "signed_on": D(2023, 7, 25),
                "status": TechTransfer.Status.COMPLETED,
                "completed_on": D(2023, 9, 15),
            },
        )

    def cooperation(self) -> None:
        institute = self.orgs["VKHCN"]
        C = Cooperation
        rows = [
            {
                "form": C.Form.MOU,
                "partner": "Trường Đại học Bách khoa Hà Nội",
                "field": "Vật liệu tiên tiến, điện tử – viễn thông",
                "start_on": D(2021, 4, 10),
                "status": C.Status.ACTIVE,
                "activities": "Đồng hướng dẫn nghiên cứu sinh; dùng chung phòng thí nghiệm vật liệu.",
            },
            {
                "form": C.Form.AGREEMENT,
                "partner": "Viện Vật liệu tiên tiến Việt Nam",
                "field": "Vật liệu composite chống đạn",
                "start_on": D(2022, 2, 15),
                "end_on": D(2025, 2, 14),
                "status": C.Status.COMPLETED,
                "activities": "Phối hợp thực hiện đề tài áo giáp cấp IV; thử nghiệm vật liệu.",
            },
            {
                "form": C.Form.AGREEMENT,
                "partner": "Hanbit Security Systems Co., Ltd.",
                "country": "KR",
                "field": "Sinh trắc học, nhận dạng khuôn mặt",
                "start_on": D(2023, 5, 1),
                "end_on": D(2028, 4, 30),
                "approval_decision": "1876/QĐ-BCA",
                "approved_on": D(2023, 4, 12),
                "status": C.Status.ACTIVE,
                "activities": "Trao đổi đoàn chuyên gia; đào tạo 12 kỹ sư; tham gia Triển lãm quốc tế Công nghiệp an "
                "ninh năm 2024.",
            },
            {
                "form": C.Form.MOU,
                "partner": "Kestrel Sicherheitstechnik GmbH",
                "country": "DE",
                "field": "Vật liệu bảo vệ cá nhân thế hệ mới",
                "start_on": self.ahead(30),
                "status": C.Status.PROPOSED,
                "activities": "Đề xuất hợp tác nghiên cứu tấm chèn chống đạn siêu nhẹ; chờ Bộ phê duyệt.",
            },
        ]
        for row in rows:
            services.cooperation_create(actor=self.researcher, data={"organization": institute, **row})

    def groups(self) -> None:
        groups = {g.code: g for g in ProductGroup.objects.all()}
        t = self.tasks
        rows = [
            (
                "HVAN",
                "Nhóm nghiên cứu mật mã và an toàn thông tin",
                "PGS.TS. Nguyễn Hữu Hùng",
                "TS. Lê Văn Chiến\nThS. Nguyễn Thị Yến\nThS. Trần Quốc Bảo",
                "Mật mã, an ninh mạng",
                ["an-ninh-mang"],
                [t[6], t[7]],
                D(2021, 9, 1),
            ),
            (
                "DHKTHC",
                "Nhóm nghiên cứu thiết bị bay không người lái",
                "TS. Phạm Văn Dũng",
                "ThS. Nguyễn Quang Minh\nKS. Hà Văn Phúc\nKS. Lý Thành Đạt",
                "Thiết bị bay không người lái, chống UAV",
                ["trang-thiet-bi", "ptktnv"],
                [t[4], t[5]],
                D(2022, 3, 15),
            ),
            (
                "DHKTHC",
                "Nhóm nghiên cứu vật liệu bảo vệ cá nhân",
                "TS. Đỗ Thị Mai",
                "ThS. Trần Văn Hải\nKS. Lê Thị Ngọc",
                "Vật liệu chống đạn, trang bị bảo vệ",
                ["quan-trang", "cong-cu-ho-tro"],
                [t[2], t[3]],
                D(2021, 6, 1),
            ),
        ]
        for org, name, lead, members, research_field, pgs, tasks, formed in rows:
            services.group_create(
                actor=self.world.actor,
                data={
                    "organization": self.orgs[org],
                    "name": name,
                    "lead": lead,
                    "members": members,
                    "field": research_field,
                    "product_groups": [groups[c] for c in pgs if c in groups],
                    "tasks": tasks,
                    "formed_on": formed,
                },
            )


@register("research", order=50, present=_present)
def build(world: DemoWorld) -> None:
    builder = _Builder(world)
    builder.build_tasks()
    builder.outputs()
    builder.filings()
    builder.transfers()
    builder.cooperation()
    builder.groups()
    world.log(
        f"  {len(builder.tasks)} key S&T tasks in 1 programme, "
        f"{GateEvent.objects.exclude(transition='propose').count()} gates passed, "
        f"{IPFiling.objects.count()} IP filings, {TechTransfer.objects.count()} transfers, "
        f"{Cooperation.objects.count()} cooperation agreements, {ResearchGroup.objects.count()} research groups"
    )
