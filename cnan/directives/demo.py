"""The demo steering and directives: built by ``manage.py cnan demo`` after the organisations and the
catalogue, through the services.

The documents are those the seed articles name (Resolutions 12-NQ/TW and 57-NQ/TW, Conclusion 158-KL/TW,
Directive 03/CT-BCA, Decision 14, Plan 118, the Overall Project of the security industry), with the chain
of what implements what, and the seven key areas the Deputy Minister set the Department at its 2023
conference. A task's status depends on today's date, so the open work (the committees' plans for the
current year, the deadlines still ahead, the regular reports) is dated from ``timezone.localdate()``:
whenever the demo is built, some tasks are on time, some overdue, some slipping by their forecast, some
done late, one paused by a decision and some regular. Dates in the past that only describe history
(documents issued, work completed years ago) are fixed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cnan.core.demo import DemoWorld, register
from cnan.organizations.models import Organization

from . import services
from .models import DirectiveDocument, ProgressReport, SteeringCommittee, Task

D = dt.date
Kind = DirectiveDocument.Kind

# The seven key areas of the 2023 conference of the Department (seed: "Phát triển Công nghiệp An ninh tạo
# động lực cho đổi mới trang bị hiện đại", Báo CAND): number, content, expected product.
KEY_AREAS_2023 = [
    (
        "1",
        "Triển khai thực hiện hiệu quả Nghị quyết 15 của Đảng ủy Công an Trung ương và Chỉ thị số 16 của Bộ trưởng "
        "về nhiệm vụ công tác năm 2023, phát biểu chỉ đạo của Thủ tướng Chính phủ và kết luận của Bộ trưởng tại "
        "Hội nghị Công an toàn quốc lần thứ 78.",
        "Báo cáo kết quả thực hiện định kỳ",
    ),
    (
        "2",
        "Thực hiện quyết liệt, có hiệu quả các mục tiêu, nhiệm vụ đề ra tại Nghị quyết 12 của Bộ Chính trị.",
        "Báo cáo sơ kết thực hiện Nghị quyết 12-NQ/TW trong lĩnh vực công nghiệp an ninh",
    ),
    (
        "3",
        "Tập trung tham mưu, triển khai có hiệu quả Nghị quyết 08 của Đảng ủy Công an Trung ương về phát triển "
        "công nghiệp an ninh theo hướng hiện đại.",
        "Chương trình hành động thực hiện Nghị quyết 08 được ban hành",
    ),
    (
        "4",
        "Tham mưu hoàn thiện các văn bản quy phạm pháp luật tạo hành lang pháp lý vững chắc về phát triển công "
        "nghiệp an ninh, doanh nghiệp Công an nhân dân.",
        "Dự thảo văn bản quy phạm pháp luật trình cấp có thẩm quyền",
    ),
    (
        "5",
        "Phối hợp chặt chẽ với các cơ sở nghiên cứu trong và ngoài lực lượng CAND để nghiên cứu, sản xuất những "
        "sản phẩm đặc thù, chuyên sâu phục vụ yêu cầu công tác, chiến đấu; nâng cao hiệu quả quản lý nhà nước "
        "đối với các đơn vị sự nghiệp, cơ sở sản xuất trong CAND.",
        "Danh mục sản phẩm đặc thù được nghiên cứu, sản xuất và đưa vào trang bị",
    ),
    (
        "6",
        "Đẩy nhanh tiến độ xây dựng Dự án tổng thể phát triển công nghiệp an ninh và các dự án thành phần theo "
        "Quyết định 14 của Thủ tướng, gắn với các Đề án thành phần của Kế hoạch 118 của Bộ Công an; chủ động đề "
        "xuất Phương án sắp xếp, đổi mới, tái cơ cấu các doanh nghiệp của Bộ Công an.",
        "Dự án tổng thể và Phương án sắp xếp doanh nghiệp trình Bộ trưởng phê duyệt",
    ),
    (
        "7",
        "Tiếp tục coi trọng công tác xây dựng Đảng, xây dựng lực lượng, siết chặt kỷ luật, kỷ cương công tác; đề "
        "xuất giải pháp chiến lược về phát triển nguồn nhân lực, thu hút nhân lực chất lượng cao phục vụ phát "
        "triển công nghiệp an ninh.",
        "Đề án phát triển nguồn nhân lực chất lượng cao ngành công nghiệp an ninh",
    ),
]


def _present() -> bool:
    return SteeringCommittee.objects.filter(code="BCĐ 158").exists()


class _Builder:
    def __init__(self, world: DemoWorld) -> None:
        self.actor = world.actor
        self.today = timezone.localdate()
        self.orgs: dict[str, Organization] = {
            o.code: o
            for o in Organization.objects.filter(
                code__in=[
                    "BCA",
                    "H08",
                    "VKHCN",
                    "KHCL",
                    "A05",
                    "C07",
                    "BTLCSCD",
                    "TTKD",
                    "DHKTHC",
                    "HVAN",
                    "DN-THANGLONG",
                    "DN-SONGHAN",
                    "DN-HONGHA",
                    "DN-PHUONGNAM",
                    "DN-LACHONG",
                    "DN-DONGDO",
                ]
            )
        }
        self.tasks = 0
        self.reports = 0

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def ahead(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    def document(self, org: str, kind: str, number: str, issuer: str, issued_on: dt.date, title: str, **extra: Any):
        return services.document_create(
            actor=self.actor,
            data={
                "organization": self.orgs[org],
                "kind": kind,
                "number": number,
                "issuer": issuer,
                "issued_on": issued_on,
                "title": title,
                **extra,
            },
        )

    def task(
        self,
        doc: DirectiveDocument,
        number: str,
        content: str,
        lead: str,
        product: str,
        *,
        deadline: dt.date | None = None,
        cycle: str | None = None,
        coordinating: tuple[str, ...] = (),
        parent: Task | None = None,
        priority: str = Task.Priority.NORMAL,
    ) -> Task:
        data: dict[str, Any] = {
            "number": number,
            "content": content,
            "lead": self.orgs[lead],
            "coordinating": [self.orgs[c] for c in coordinating],
            "expected_product": product,
            "priority": priority,
        }
        if cycle:
            data.update(regular=True, reporting_cycle=cycle)
        else:
            data["deadline"] = deadline
        self.tasks += 1
        return services.task_create(actor=self.actor, document=doc, data=data, parent=parent)

    def report(
        self, task: Task, on: dt.date, percent: int, narrative: str, product: str = "", *, review: str = "accept"
    ) -> ProgressReport:
        """A report of the lead unit; ``review``: accept, return (with a comment) or "" (awaiting review)."""
        report = services.report_submit(
            actor=self.actor,
            task=task,
            data={"reported_on": on, "percent": percent, "narrative": narrative, "product_delivered": product},
        )
        self.reports += 1
        if review == "accept":
            services.report_review(actor=self.actor, report=report, action="accept")
        elif review == "return":
            services.report_review(
                actor=self.actor,
                report=report,
                action="return",
                comment="Đề nghị bổ sung số liệu cụ thể và tài liệu chứng minh kết quả.",
            )
        return report

    # --- committees --------------------------------------------------------------------------------

    def committees(self) -> None:
        o = self.orgs
        self.bcd57 = services.committee_create(
            actor=self.actor,
            data={
                "organization": o["KHCL"],
                "code": "BCĐ 57",
                "name": "Ban Chỉ đạo 57 Bộ Công an về phát triển khoa học, công nghệ, đổi mới sáng tạo "
                "và chuyển đổi số",
                "founding_decision": "Quyết định thành lập Ban Chỉ đạo 57 Bộ Công an",
                "founded_on": D(2025, 1, 15),
                "head": "Bộ trưởng Bộ Công an",
                "deputies": "Thứ trưởng Nguyễn Văn Long, Phó Trưởng Ban Thường trực",
                "members": [o[c] for c in ("KHCL", "VKHCN", "A05", "H08", "DHKTHC")],
                "description": "Chỉ đạo thực hiện Nghị quyết 57-NQ/TW của Bộ Chính trị trong Công an nhân dân.",
            },
        )
        self.bcd158 = services.committee_create(
            actor=self.actor,
            data={
                "organization": o["H08"],
                "code": "BCĐ 158",
                "name": "Ban Chỉ đạo 158 Bộ Công an về xây dựng, phát triển công nghiệp an ninh",
                "founding_decision": "Quyết định thành lập Ban Chỉ đạo 158 Bộ Công an",
                "founded_on": D(2025, 6, 10),
                "head": "Bộ trưởng Bộ Công an",
                "members": [o[c] for c in ("H08", "VKHCN", "KHCL", "TTKD", "DN-THANGLONG", "DN-SONGHAN")],
                "description": "Chỉ đạo xây dựng, phát triển công nghiệp an ninh theo hướng tự chủ, lưỡng dụng, "
                "hiện đại.",
            },
        )
        meeting = {"actor": self.actor}
        services.meeting_create(
            **meeting,
            committee=self.bcd57,
            data={
                "held_on": D(2025, 3, 20),
                "title": "Phiên họp thứ nhất Ban Chỉ đạo 57 Bộ Công an",
                "agenda": "Quán triệt Nghị quyết 57-NQ/TW; phân công nhiệm vụ các thành viên.",
            },
        )
        services.meeting_create(
            **meeting,
            committee=self.bcd158,
            data={
                "held_on": D(2025, 7, 15),
                "title": "Phiên họp thứ nhất Ban Chỉ đạo 158 Bộ Công an",
                "agenda": "Quán triệt Kết luận 158-KL/TW; quy chế hoạt động của Ban Chỉ đạo.",
            },
        )
        self.conference = services.meeting_create(
            **meeting,
            committee=self.bcd158,
            data={
                "held_on": D(2026, 1, 16),
                "title": "Hội nghị tổng kết hoạt động năm 2025, triển khai nhiệm vụ năm 2026 của Ban Chỉ đạo 57 và "
                "Ban Chỉ đạo 158 Bộ Công an",
                "agenda": "Đánh giá kết quả; phương hướng, nhiệm vụ trọng tâm và giải pháp đột phá về khoa học công "
                "nghệ, đổi mới sáng tạo và phát triển công nghiệp an ninh.",
                "conclusion": "Năm 2026 giải quyết dứt điểm 6 điểm nghẽn về chuyển đổi số trong nội bộ ngành Công an; "
                "xây dựng, phát triển công nghiệp an ninh là nhiệm vụ của toàn lực lượng Công an nhân dân.",
            },
        )

    # --- documents ---------------------------------------------------------------------------------

    def documents(self) -> None:
        bct = "Bộ Chính trị"
        self.nq12 = self.document(
            "BCA",
            Kind.RESOLUTION,
            "12-NQ/TW",
            bct,
            D(2022, 3, 16),
            "Về đẩy mạnh xây dựng lực lượng Công an nhân dân thật sự trong sạch, vững mạnh, chính quy, tinh nhuệ, "
            "hiện đại, đáp ứng yêu cầu, nhiệm vụ trong tình hình mới",
        )
        self.nq57 = self.document(
            "BCA",
            Kind.RESOLUTION,
            "57-NQ/TW",
            bct,
            D(2024, 12, 22),
            "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            committee=self.bcd57,
        )
        self.kl158 = self.document(
            "BCA",
            Kind.CONCLUSION,
            "158-KL/TW",
            bct,
            D(2025, 5, 30),
            "Kết luận của Bộ Chính trị về xây dựng, phát triển công nghiệp an ninh",
            committee=self.bcd158,
        )
        self.ct03 = self.document(
            "H08",
            Kind.DIRECTIVE,
            "03/CT-BCA",
            "Bộ trưởng Bộ Công an",
            D(2020, 4, 8),
            "Về việc tăng cường sử dụng sản phẩm công nghiệp an ninh phục vụ công tác, chiến đấu của lực lượng "
            "Công an nhân dân",
        )
        self.qd14 = self.document(
            "BCA",
            Kind.DECISION,
            "14/QĐ-TTg",
            "Thủ tướng Chính phủ",
            D(2022, 1, 5),
            "Về triển khai thực hiện Đề án “Đẩy mạnh phát triển công nghiệp quốc phòng, an ninh đáp ứng yêu cầu xây "
            "dựng và bảo vệ Tổ quốc trong tình hình mới” giai đoạn 2021 – 2025",
        )
        self.kh118 = self.document(
            "H08",
            Kind.PLAN,
            "118/KH-BCA",
            "Bộ Công an",
            D(2022, 4, 20),
            "Kế hoạch của Bộ Công an thực hiện Nghị quyết 12-NQ/TW của Bộ Chính trị, với các Đề án thành phần về "
            "công nghiệp an ninh",
            implements=[self.nq12],
        )
        self.project = self.document(
            "H08",
            Kind.PROJECT,
            "DATT-CNAN",
            "Bộ Công an",
            D(2023, 5, 10),
            "Dự án tổng thể phát triển công nghiệp an ninh và các dự án thành phần",
            implements=[self.qd14, self.kh118],
        )
        self.notice2023 = self.document(
            "BCA",
            Kind.NOTICE,
            "45/TB-BCA",
            "Thứ trưởng Lê Văn Tuyến",
            D(2023, 2, 20),
            "Kết luận của Thứ trưởng Lê Văn Tuyến tại Hội nghị triển khai công tác năm 2023 của Cục Công nghiệp an "
            "ninh: 7 mặt công tác trọng tâm",
            implements=[self.nq12, self.kh118],
        )
        # The committees' plans for the current year (dated from today: their tasks are the open work).
        start57, start158 = self.ago(200), self.ago(150)
        self.plan57 = self.document(
            "KHCL",
            Kind.PLAN,
            "15/KH-BCĐ57",
            "Ban Chỉ đạo 57 Bộ Công an",
            start57,
            f"Kế hoạch triển khai nhiệm vụ năm {start57.year} của Ban Chỉ đạo 57 Bộ Công an",
            committee=self.bcd57,
            implements=[self.nq57],
        )
        self.plan158 = self.document(
            "H08",
            Kind.PLAN,
            "27/KH-BCĐ158",
            "Ban Chỉ đạo 158 Bộ Công an",
            start158,
            f"Kế hoạch triển khai nhiệm vụ năm {start158.year} của Ban Chỉ đạo 158 Bộ Công an",
            committee=self.bcd158,
            meeting=self.conference if self.conference.held_on <= start158 else None,
            implements=[self.kl158, self.project],
        )

    # --- tasks and their progress ------------------------------------------------------------------------

    def plan_118(self) -> None:
        doc = self.kh118
        t = self.task(
            doc,
            "1",
            "Xây dựng Đề án thành phần phát triển công nghiệp an ninh thực hiện Nghị quyết 12-NQ/TW.",
            "H08",
            "Đề án thành phần được Bộ trưởng phê duyệt",
            deadline=D(2022, 12, 31),
            coordinating=("KHCL",),
        )
        self.report(t, D(2022, 8, 15), 50, "Hoàn thành dự thảo, lấy ý kiến các đơn vị.")
        self.report(t, D(2022, 12, 20), 100, "Đề án đã được phê duyệt.", "Quyết định phê duyệt Đề án thành phần")
        t = self.task(
            doc,
            "2",
            "Nghiên cứu, làm chủ công nghệ chế tạo vật liệu bảo vệ cá nhân thế hệ mới.",
            "VKHCN",
            "Bộ hồ sơ công nghệ và mẫu thử đạt yêu cầu kiểm định",
            deadline=D(2023, 6, 30),
            coordinating=("DN-THANGLONG", "TTKD"),
        )
        self.report(t, D(2023, 3, 1), 60, "Đã chế tạo mẫu thử lần 1.")
        self.report(t, D(2023, 9, 15), 100, "Mẫu thử đạt kiểm định.", "Biên bản kiểm định mẫu thử số 27/BB-TTKD")
        t = self.task(
            doc,
            "3",
            "Xây dựng cơ sở dữ liệu năng lực các cơ sở công nghiệp an ninh.",
            "H08",
            "Cơ sở dữ liệu năng lực cơ sở CNAN vận hành",
            deadline=D(2024, 12, 31),
            coordinating=("DN-DONGDO",),
        )
        self.report(t, D(2023, 6, 30), 40, "Hoàn thành thiết kế cơ sở dữ liệu.")
        self.report(t, D(2024, 10, 15), 60, "Đã nhập dữ liệu của 9/15 doanh nghiệp.")

    def notice_2023(self) -> None:
        doc = self.notice2023
        t = {}
        for number, content, product in KEY_AREAS_2023:
            kwargs: dict[str, Any] = {"priority": Task.Priority.HIGH}
            if number == "1":
                kwargs["cycle"] = "quarter"
            elif number == "7":
                kwargs["cycle"] = "half_year"
            elif number == "2":
                kwargs.update(deadline=D(2025, 12, 31), coordinating=("KHCL",))
            elif number == "3":
                kwargs["deadline"] = D(2024, 12, 31)
            elif number == "4":
                kwargs.update(deadline=D(2024, 6, 30), coordinating=("KHCL",))
            elif number == "5":
                kwargs.update(deadline=self.ahead(150), coordinating=("VKHCN", "TTKD"))
            elif number == "6":
                kwargs.update(deadline=D(2025, 6, 30), coordinating=("KHCL",))
            t[number] = self.task(doc, number, content, "H08", product, **kwargs)
        self.report(t["1"], self.ago(35), 0, "Báo cáo quý: các nhiệm vụ năm được triển khai đúng kế hoạch.")
        self.report(t["2"], D(2024, 6, 30), 50, "Sơ kết giữa kỳ.")
        self.report(t["2"], D(2025, 12, 20), 100, "Hoàn thành sơ kết.", "Báo cáo sơ kết số 112/BC-H08")
        self.report(t["3"], D(2024, 12, 25), 100, "Chương trình hành động ban hành.", "Chương trình số 08/CTr-BCA")
        self.report(t["4"], D(2024, 3, 1), 70, "Dự thảo đã lấy ý kiến Bộ Tư pháp.")
        self.report(t["4"], D(2024, 11, 12), 100, "Văn bản được ban hành.", "Thông tư quy định về doanh nghiệp CAND")
        # 5: cascaded to the enterprises that make and the institute that researches
        subs = [
            ("5.1", "DN-THANGLONG", "Sản xuất loạt đầu áo giáp chống đạn thế hệ mới.", 110),
            ("5.2", "DN-SONGHAN", "Chế tạo thiết bị thông tin vô tuyến chuyên dụng.", 130),
            ("5.3", "DN-HONGHA", "Hoàn thiện thiết kế phương tiện kỹ thuật nghiệp vụ.", 140),
        ]
        sub = {}
        for number, lead, content, days in subs:
            sub[number] = self.task(
                doc,
                number,
                content,
                lead,
                "Sản phẩm đạt kiểm định, đưa vào trang bị",
                deadline=self.ahead(days),
                parent=t["5"],
            )
        self.report(sub["5.1"], self.ago(20), 100, "Đã bàn giao loạt đầu.", "Biên bản bàn giao 200 bộ áo giáp")
        self.report(sub["5.2"], self.ago(60), 40, "Hoàn thành mẫu thử.")
        self.report(sub["5.2"], self.ago(5), 55, "Đang thử nghiệm hiện trường.", review="")
        # 6: the deadline moved by a decision; the pace still will not meet it (slipping)
        services.adjustment_create(
            actor=self.actor,
            task=t["6"],
            data={
                "kind": "extend",
                "decision_number": "1702/QĐ-BCA",
                "decided_on": D(2025, 6, 20),
                "new_deadline": self.ahead(60),
                "reason": "Chờ ý kiến thẩm định của các bộ, ngành về Dự án tổng thể.",
            },
        )
        self.report(t["6"], D(2024, 6, 30), 30, "Hoàn thành đề cương Dự án tổng thể.")
        self.report(t["6"], self.ago(10), 50, "Đang hoàn thiện hồ sơ trình thẩm định.")
        self.report(t["7"], self.ago(70), 0, "Báo cáo 6 tháng về xây dựng lực lượng, nguồn nhân lực.")

    def directive_03(self) -> None:
        doc = self.ct03
        for number, lead, last in (("1", "BTLCSCD", 40), ("2", "C07", 200)):
            t = self.task(
                doc,
                number,
                "Báo cáo định kỳ kết quả sử dụng sản phẩm công nghiệp an ninh trong đơn vị.",
                lead,
                "Báo cáo quý về số lượng, chủng loại sản phẩm CNAN được trang bị, sử dụng",
                cycle="quarter",
            )
            self.report(t, self.ago(last + 92), 0, "Báo cáo quý.")
            self.report(t, self.ago(last), 0, "Báo cáo quý.")
        # paused by a decision
        t = self.task(
            doc,
            "3",
            "Xây dựng cơ chế đặt hàng sản phẩm công nghiệp an ninh từ nguồn ngân sách chi thường xuyên.",
            "H08",
            "Dự thảo Thông tư quy định cơ chế đặt hàng",
            deadline=self.ahead(200),
            coordinating=("KHCL",),
        )
        self.report(t, self.ago(120), 30, "Đã khảo sát nhu cầu các đơn vị.")
        services.adjustment_create(
            actor=self.actor,
            task=t,
            data={
                "kind": "pause",
                "decision_number": "815/QĐ-BCA",
                "decided_on": self.ago(50),
                "reason": "Tạm dừng chờ sửa đổi Luật Ngân sách nhà nước.",
            },
        )

    def plan_158(self) -> None:
        doc = self.plan158
        on_track = self.task(
            doc,
            "1",
            "Sản xuất thử nghiệm mũ chống đạn tích hợp thiết bị liên lạc.",
            "DN-THANGLONG",
            "Lô 50 mũ chống đạn đạt kiểm định",
            deadline=self.ahead(60),
            coordinating=("TTKD",),
            priority=Task.Priority.HIGH,
        )
        self.report(on_track, self.ago(100), 30, "Hoàn thành thiết kế.")
        self.report(on_track, self.ago(50), 60, "Chế tạo xong khuôn mẫu.")
        self.report(on_track, self.ago(10), 85, "Đang sản xuất lô thử.")
        slipping = self.task(
            doc,
            "2",
            "Nội địa hoá mô-đun vô tuyến của máy thông tin cầm tay.",
            "DN-SONGHAN",
            "Mô-đun vô tuyến sản xuất trong nước, tỷ lệ nội địa hoá từ 60 %",
            deadline=self.ahead(30),
            priority=Task.Priority.HIGH,
        )
        self.report(slipping, self.ago(90), 10, "Đã ký hợp đồng chuyển giao công nghệ.")
        self.report(slipping, self.ago(40), 25, "Linh kiện nhập khẩu về chậm.", review="return")
        self.report(slipping, self.ago(20), 20, "Đang lắp ráp mẫu đầu tiên.")
        self.task(
            doc,
            "3",
            "Xây dựng tiêu chuẩn cơ sở cho vật liệu chống đạn composite.",
            "VKHCN",
            "Bộ tiêu chuẩn cơ sở được ban hành",
            deadline=self.ahead(200),
            coordinating=("TTKD",),
        )
        t = self.task(
            doc,
            "4",
            "Tổng hợp danh mục sản phẩm công nghiệp an ninh năm để Bộ trưởng phê duyệt.",
            "H08",
            "Danh mục sản phẩm CNAN được phê duyệt",
            deadline=self.ago(20),
        )
        self.report(t, self.ago(25), 100, "Danh mục đã trình và được phê duyệt.", "Quyết định phê duyệt danh mục")
        t = self.task(
            doc,
            "5",
            "Rà soát định mức vật tư các sản phẩm quân trang chủ lực.",
            "DN-PHUONGNAM",
            "Báo cáo rà soát định mức",
            deadline=self.ago(40),
        )
        self.report(t, self.ago(70), 50, "Đã rà soát 12/25 sản phẩm.")
        self.report(t, self.ago(10), 100, "Hoàn thành rà soát.", "Báo cáo rà soát định mức số 31/BC")
        t = self.task(
            doc,
            "6",
            "Đầu tư nâng cấp phòng thử nghiệm đạn đạo.",
            "TTKD",
            "Phòng thử nghiệm được công nhận",
            deadline=self.ago(10),
        )
        self.report(t, self.ago(30), 70, "Đã lắp đặt thiết bị, chờ công nhận.")
        parent = self.task(
            doc,
            "7",
            "Rà soát năng lực sản xuất của các cơ sở công nghiệp an ninh.",
            "H08",
            "Báo cáo năng lực sản xuất các cơ sở CNAN",
            deadline=self.ahead(90),
        )
        for number, lead, done in (("7.1", "DN-THANGLONG", 100), ("7.2", "DN-HONGHA", 40)):
            sub = self.task(
                doc,
                number,
                "Tự rà soát năng lực sản xuất của đơn vị.",
                lead,
                "Báo cáo tự rà soát",
                deadline=self.ahead(60),
                parent=parent,
            )
            self.report(sub, self.ago(5), done, "Báo cáo rà soát.", "Báo cáo tự rà soát" if done == 100 else "")

    def plan_57(self) -> None:
        doc = self.plan57
        t = self.task(
            doc,
            "1",
            "Giải quyết các điểm nghẽn về chuyển đổi số trong nội bộ ngành Công an.",
            "A05",
            "Báo cáo kết quả xử lý 6 điểm nghẽn",
            deadline=self.ahead(40),
            coordinating=("KHCL",),
            priority=Task.Priority.HIGH,
        )
        self.report(t, self.ago(150), 30, "Xử lý xong 2 điểm nghẽn.")
        self.report(t, self.ago(60), 60, "Xử lý xong 4 điểm nghẽn.")
        self.report(t, self.ago(7), 90, "Xử lý xong 5 điểm nghẽn.")
        t = self.task(
            doc,
            "2",
            "Xây dựng nhóm nghiên cứu bám sát sản phẩm công nghiệp an ninh cần phát triển.",
            "DHKTHC",
            "Quyết định thành lập các nhóm nghiên cứu và danh mục đề tài",
            deadline=self.ahead(20),
            coordinating=("HVAN", "VKHCN"),
        )
        self.report(t, self.ago(120), 15, "Đã đề xuất danh mục đề tài.")
        self.report(t, self.ago(30), 25, "Đang hoàn thiện hồ sơ thành lập nhóm.")
        self.task(
            doc,
            "3",
            "Đăng ký sáng chế, giải pháp hữu ích từ kết quả nghiên cứu đưa vào sản xuất.",
            "VKHCN",
            "Đơn đăng ký sáng chế được chấp nhận",
            deadline=self.ahead(300),
        )
        t = self.task(
            doc,
            "4",
            "Báo cáo tháng về tiến độ chuyển đổi số.",
            "KHCL",
            "Báo cáo tháng",
            cycle="month",
        )
        self.report(t, self.ago(45), 0, "Báo cáo tháng.")
        self.report(t, self.ago(15), 0, "Báo cáo tháng.")


@register("directives", order=40, present=_present)
def build(world: DemoWorld) -> None:
    builder = _Builder(world)
    builder.committees()
    builder.documents()
    builder.plan_118()
    builder.notice_2023()
    builder.directive_03()
    builder.plan_158()
    builder.plan_57()
    world.log(
        f"  2 steering committees, {DirectiveDocument.objects.count()} documents, {builder.tasks} tasks, "
        f"{builder.reports} progress reports"
    )
