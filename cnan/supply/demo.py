"""The demo supply and import substitution: built by ``manage.py cnan demo`` after the organisations, the
accounts, the catalogue, the directives and the research, through the services (audited).

Twenty operational units of the force (the organisations' demo names a few; the missing ones are departments
of the Ministry and rooms of the provincial police, three of them with an officer account) declare their
equipment needs for 2025 and 2026: lines by catalogue product or by product class and group, specifications in
Vietnamese, the force each line equips (special forces and rapid-response units first). The 2025 plans are
consolidated; the 2026 plans are in every state (draft, submitted, returned with the Department's comment,
consolidated). Each enterprise keeps its capacity per product group (2021–2026); the Department's officer
(``canbo.h08``) places production orders from the consolidated lines in the four modes, some beyond capacity
with a reason, one cancelled; the enterprises deliver, the units accept (most with their acceptance record,
some still pending) and rate the quality. Orders of 2021–2024 (before the portal, without demand lines) and
the imported purchases of 2021–2026 are the baseline: the domestic share by value rises every year. One
allocation run of 2026 is computed and proposed, not yet accepted. Randomness comes from the world's seeded
source; dates that would fall after today are brought back to today.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models.functions import ExtractYear
from django.utils import timezone

from cnan.accounts import roles
from cnan.accounts import services as accounts
from cnan.accounts.models import Role
from cnan.catalogue.models import Product, Sourcing
from cnan.core.classification import Classification
from cnan.core.demo import DEMO_PASSWORD, DemoWorld, register
from cnan.organizations import services as organizations
from cnan.organizations.models import Organization

from . import selectors, services, tasks
from .models import (
    AllocationRun,
    Delivery,
    DemandLine,
    DemandPlan,
    ForceType,
    Funding,
    OrderMode,
    PriceBasis,
    ProductionOrder,
)

D = dt.date
F = ForceType
UNITS_WANTED = 20
UNITS_2025 = 12  # the units whose 2025 plan is in the portal (enough for a trend)
YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
# the domestic share by value the baseline aims at each year (imports are sized to it)
SHARE_TARGET = {2021: 0.17, 2022: 0.23, 2023: 0.30, 2024: 0.37, 2025: 0.45, 2026: 0.54}

# The operational units the organisations' demo may lack: code, name, short name, English name, parent code
# (a provincial police or the Ministry), the force type of most of its needs.
EXTRA_UNITS = [
    (
        "BTLCSCD-DN",
        "Trung đoàn Cảnh sát đặc nhiệm",
        "E. Đặc nhiệm",
        "Special Police Regiment",
        "BTLCSCD",
        F.SPECIAL_FORCES,
    ),
    (
        "BTLCSCD-TB",
        "Trung đoàn Cảnh sát cơ động Tây Bắc",
        "E. CSCĐ Tây Bắc",
        "North-west Mobile Police Regiment",
        "BTLCSCD",
        F.RAPID_RESPONSE,
    ),
    ("C02", "Cục Cảnh sát hình sự", "C02", "Criminal Police Department", "BCA", F.INVESTIGATION),
    (
        "C04",
        "Cục Cảnh sát điều tra tội phạm về ma túy",
        "C04",
        "Drug Crime Investigation Police Department",
        "BCA",
        F.INVESTIGATION,
    ),
    ("C08", "Cục Cảnh sát giao thông", "C08", "Traffic Police Department", "BCA", F.PUBLIC_ORDER),
    ("A04", "Cục An ninh nội địa", "A04", "Domestic Security Department", "BCA", F.SECURITY_INTELLIGENCE),
    (
        "CAHN-PK02",
        "Phòng Cảnh sát cơ động - Công an thành phố Hà Nội",
        "PK02 Hà Nội",
        "Mobile Police Division, Hanoi City Police",
        "CAHN",
        F.RAPID_RESPONSE,
    ),
    (
        "CAHN-PA05",
        "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao - Công an thành phố Hà Nội",
        "PA05 Hà Nội",
        "Cybersecurity Division, Hanoi City Police",
        "CAHN",
        F.SECURITY_INTELLIGENCE,
    ),
    (
        "CAHN-PC07",
        "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ - Công an thành phố Hà Nội",
        "PC07 Hà Nội",
        "Fire and Rescue Police Division, Hanoi City Police",
        "CAHN",
        F.FIRE_RESCUE,
    ),
    (
        "CAHCM-PK02",
        "Phòng Cảnh sát cơ động - Công an Thành phố Hồ Chí Minh",
        "PK02 TP HCM",
        "Mobile Police Division, Ho Chi Minh City Police",
        "CAHCM",
        F.RAPID_RESPONSE,
    ),
    (
        "CAHCM-PC02",
        "Phòng Cảnh sát hình sự - Công an Thành phố Hồ Chí Minh",
        "PC02 TP HCM",
        "Criminal Police Division, Ho Chi Minh City Police",
        "CAHCM",
        F.INVESTIGATION,
    ),
    (
        "CAHCM-PC08",
        "Phòng Cảnh sát giao thông - Công an Thành phố Hồ Chí Minh",
        "PC08 TP HCM",
        "Traffic Police Division, Ho Chi Minh City Police",
        "CAHCM",
        F.PUBLIC_ORDER,
    ),
    (
        "CADN-PK02",
        "Phòng Cảnh sát cơ động - Công an thành phố Đà Nẵng",
        "PK02 Đà Nẵng",
        "Mobile Police Division, Da Nang City Police",
        "CADN",
        F.RAPID_RESPONSE,
    ),
    (
        "CAHP-PA05",
        "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao - Công an thành phố Hải Phòng",
        "PA05 Hải Phòng",
        "Cybersecurity Division, Hai Phong City Police",
        "CAHP",
        F.SECURITY_INTELLIGENCE,
    ),
    (
        "CANA-PC04",
        "Phòng Cảnh sát điều tra tội phạm về ma túy - Công an tỉnh Nghệ An",
        "PC04 Nghệ An",
        "Drug Crime Investigation Division, Nghe An Provincial Police",
        "CANA",
        F.INVESTIGATION,
    ),
    (
        "CAKH-PK02",
        "Phòng Cảnh sát cơ động - Công an tỉnh Khánh Hòa",
        "PK02 Khánh Hòa",
        "Mobile Police Division, Khanh Hoa Provincial Police",
        "CAKH",
        F.RAPID_RESPONSE,
    ),
    (
        "CAHP-PC08",
        "Phòng Cảnh sát giao thông - Công an thành phố Hải Phòng",
        "PC08 Hải Phòng",
        "Traffic Police Division, Hai Phong City Police",
        "CAHP",
        F.PUBLIC_ORDER,
    ),
]
# the force type of the organisations' demo's own operational units
KNOWN_FORCES = {
    "BTLCSCD": F.RAPID_RESPONSE,
    "A05": F.SECURITY_INTELLIGENCE,
    "C07": F.FIRE_RESCUE,
    "K02": F.SPECIAL_FORCES,
}
# user name, full name, position, unit code (officers of a few of the added units)
OFFICERS = [
    ("donvi.pk02hn", "Nguyễn Tiến Dũng", "Trợ lý hậu cần, Đội Tham mưu", "CAHN-PK02"),
    ("donvi.dacnhiem", "Phạm Quốc Khánh", "Trợ lý trang bị", "BTLCSCD-DN"),
    ("donvi.pc02hcm", "Lê Thị Mỹ Linh", "Cán bộ Đội Hậu cần", "CAHCM-PC02"),
]

# A need: the family of catalogue products that supplies it (code prefix), the specification, quantities.
NEEDS: dict[str, tuple[str, tuple[int, int]]] = {
    "AGN": ("Áo giáp chống đạn cấp IV (NIJ 0101.06), tấm chèn gốm – composite, khối lượng ≤ 9 kg", (60, 240)),
    "AG": ("Áo giáp chống đạn mềm cấp IIIA, mặc trong, khối lượng ≤ 4,5 kg, có túi tấm chèn", (150, 600)),
    "MCD": ("Mũ chống đạn cấp IIIA, có ray gắn đèn và giá lắp kính nhìn đêm", (120, 400)),
    "KCD": ("Khiên chống đạn cấp III có kính quan sát, bánh xe di chuyển", (20, 80)),
    "KCV": ("Khiên chống va đập polycarbonate dày 4 mm, chịu va đập 147 J", (100, 400)),
    "DC": ("Dùi cui điện, điện áp đầu ra ≥ 500 kV, pin sạc Li-ion, có đèn chiếu sáng", (100, 500)),
    "BXC": ("Bình xịt hơi cay OC 1,3 %, tầm phun 3–4 m, dung tích 60 ml", (300, 1200)),
    "CS": ("Còng số 8 thép không gỉ, khóa kép, kèm bao đeo thắt lưng", (200, 800)),
    "BD": ("Máy bộ đàm cầm tay số DMR, mã hóa AES-256, chống nước IP67, pin ≥ 12 giờ", (100, 500)),
    "BWC": ("Camera đeo người ghi hình Full HD, ghi liên tục ≥ 10 giờ, định vị GPS, mã hóa dữ liệu", (80, 400)),
    "CAMN": ("Camera ảnh nhiệt cầm tay, độ phân giải 640×512, phát hiện người ở cự ly ≥ 1 km", (10, 40)),
    "DCC": ("Thiết bị đọc chip căn cước công dân, kết nối Bluetooth và USB-C", (60, 300)),
    "VALY": ("Vali khám nghiệm hiện trường đa năng: thu dấu vết đường vân, sinh học, vi vết", (15, 60)),
    "ADN": ("Bộ kít giám định ADN STR 24 locus, 100 phản ứng/bộ", (20, 80)),
    "QP": ("Bộ quân phục chiến đấu vải rip-stop ngụy trang, chống cháy lan", (400, 1500)),
    "GD": ("Giày da chiến thuật cổ cao, đế chống trượt, chống đâm xuyên", (300, 1200)),
    "QPM": ("Bộ trang phục đi mưa phản quang cho lực lượng tuần tra", (300, 1200)),
    "TPCC": ("Bộ trang phục chữa cháy vải Nomex IIIA đạt EN 469", (100, 400)),
    "MTKT": ("Mặt nạ phòng độc cách ly, bình khí nén 6,8 lít, thời gian thở ≥ 45 phút", (30, 120)),
    "BCC": ("Bình chữa cháy xách tay bột ABC 8 kg", (200, 800)),
    "FW": ("Tường lửa thế hệ mới, thông lượng ≥ 10 Gbps, kiểm soát ứng dụng, chống xâm nhập", (2, 8)),
    "IDS": ("Thiết bị phát hiện xâm nhập mạng, 8 cổng 10 GbE, cập nhật tập luật trong nước", (2, 8)),
    "AIS": ("Máy chủ phân tích video bằng trí tuệ nhân tạo, ≥ 64 luồng camera", (1, 4)),
    "DPC": ("Đèn pin chiến thuật 1.000 lumen, chống nước IPX7, có chế độ chớp", (200, 800)),
    "NVR": ("Đầu ghi hình mạng 32 kênh, lưu trữ ≥ 30 ngày", (5, 20)),
}
# what each force asks for, most pressing first
FORCE_NEEDS: dict[str, list[str]] = {
    F.SPECIAL_FORCES: ["AGN", "MCD", "KCD", "BD", "BWC", "GD", "DPC"],
    F.RAPID_RESPONSE: ["AG", "KCV", "MCD", "DC", "BXC", "QP", "BD", "KCD"],
    F.SECURITY_INTELLIGENCE: ["FW", "IDS", "AIS", "BD", "CAMN", "NVR"],
    F.INVESTIGATION: ["VALY", "DCC", "ADN", "BWC", "CAMN", "CS"],
    F.PUBLIC_ORDER: ["BWC", "QPM", "DC", "BXC", "BD", "DPC", "CS"],
    F.FIRE_RESCUE: ["TPCC", "MTKT", "BCC", "DPC", "BD"],
}
# the 2026 state of each unit's plan by its position among the twenty (the rest are consolidated)
STATES_2026 = {
    DemandPlan.State.DRAFT: ("CAHN-PK02", "BTLCSCD-DN", "CAKH-PK02", "C08"),
    DemandPlan.State.SUBMITTED: ("CAHCM-PC02", "CAHP-PA05", "CANA-PC04"),
    DemandPlan.State.RETURNED: ("CAHN-PC07", "CAHCM-PC08", "C04"),
}
RETURN_COMMENTS = [
    "Đề nghị bổ sung căn cứ định mức trang bị và số biên chế của đơn vị đối với dòng {n}.",
    "Số lượng dòng {n} vượt định mức trang bị năm 2026; đề nghị rà soát, điều chỉnh.",
    "Đề nghị ghi rõ yêu cầu kỹ thuật (tiêu chuẩn, cấp bảo vệ) của dòng {n} để đối chiếu sản phẩm trong nước.",
]
OVER_CAPACITY_REASONS = [
    "Nhiệm vụ cấp bách bảo đảm an ninh, trật tự sự kiện trọng đại; doanh nghiệp cam kết tăng ca, bổ sung dây chuyền.",
    "Doanh nghiệp đã đầu tư dây chuyền mới đưa vào vận hành trong năm, năng lực thực tế cao hơn số đã đăng ký.",
    "Thuê gia công một phần chi tiết tại cơ sở thành viên tổ hợp; Cục CNAN giám sát chất lượng.",
]
FEEDBACK = {
    5: "Sản phẩm đạt yêu cầu kỹ thuật, cán bộ chiến sĩ đánh giá cao độ bền và tính tiện dụng.",
    4: "Đạt yêu cầu; đề nghị doanh nghiệp bổ sung tài liệu hướng dẫn sử dụng bằng hình ảnh.",
    3: "Cơ bản đạt yêu cầu; một số chi tiết hoàn thiện chưa đồng đều giữa các lô.",
    2: "Một số sản phẩm trong lô lỗi hoàn thiện (đường may, khóa cài, vỏ nứt) sau 3 tháng sử dụng; đề nghị "
    "doanh nghiệp bảo hành, thay thế.",
}
# imported purchases: product class, description, countries of origin, typical unit value (VND)
IMPORTS = [
    ("support_tool", "Áo giáp chống đạn cấp IV nhập khẩu", ["US", "IL", "KR"], 32_000_000),
    ("support_tool", "Mũ chống đạn cấp IIIA có giá lắp kính nhìn đêm", ["US", "TR"], 14_500_000),
    ("technical_means", "Máy bộ đàm số mã hóa", ["US", "DE", "CN"], 9_800_000),
    ("technical_means", "Camera ảnh nhiệt cầm tay", ["US", "FR", "IL"], 185_000_000),
    ("technical_means", "Thiết bị phân tích dữ liệu điện thoại di động", ["IL", "SE"], 1_250_000_000),
    ("cyber", "Tường lửa thế hệ mới cho trung tâm dữ liệu", ["US", "IL"], 650_000_000),
    ("cyber", "Hệ thống giám sát an ninh mạng (SIEM)", ["US", "GB"], 4_800_000_000),
    ("fire_rescue", "Mặt nạ phòng độc cách ly kèm bình khí", ["DE", "FR"], 68_000_000),
    ("fire_rescue", "Bộ trang phục chữa cháy cấu trúc", ["DE", "KR"], 24_000_000),
    ("biotech", "Máy giải trình tự gen phục vụ giám định", ["US", "JP"], 5_200_000_000),
    ("equipment", "Kính nhìn đêm hai mắt thế hệ 3", ["US", "FR", "RU"], 145_000_000),
    ("patrol_craft", "Xuồng tuần tra cao tốc vỏ composite", ["JP", "KR"], 9_500_000_000),
]
MODES = [
    (OrderMode.ORDERING, PriceBasis.ESTIMATE),
    (OrderMode.TASK, PriceBasis.ESTIMATE),
    (OrderMode.PLAN, PriceBasis.COST_PLUS),
    (OrderMode.BIDDING, PriceBasis.BID),
]


@dataclass
class Need:
    """A line to create and, once the plan is consolidated, what the Department orders of it."""

    prefix: str
    product: Product
    force: str
    by_product: bool
    line: DemandLine | None = None


@dataclass
class UnitPlan:
    unit: Organization
    force: str
    officer: Any
    needs: dict[int, list[Need]] = field(default_factory=dict)


def _present() -> bool:
    return DemandPlan.objects.exists()


def _round(value: float | Decimal, step: int = 1_000_000) -> Decimal:
    return (Decimal(value) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


class _Builder:
    def __init__(self, world: DemoWorld) -> None:
        self.world = world
        self.rng = world.rng
        self.today = timezone.localdate()
        self.system = world.actor
        self.manager = world.users.get("canbo.h08", world.actor)
        self.orders: list[ProductionOrder] = []
        self.number = 0
        self.per_year: dict[int, int] = defaultdict(int)
        self.decision = 200
        self.suppliers: dict[int, Any] | None = None
        self.consolidated: set[int] = set()
        self.products = self._products()

    def day(self, day: dt.date) -> dt.date:
        """A date of history, never after today."""
        return min(day, self.today)

    def on(self, year: int, lo: tuple[int, int], hi: tuple[int, int]) -> dt.date:
        start, end = D(year, *lo), D(year, *hi)
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def _products(self) -> dict[str, list[Product]]:
        """The end products an enterprise can deliver, by family (the code's prefix)."""
        out: dict[str, list[Product]] = defaultdict(list)
        found = (
            Product.objects.filter(
                lifecycle__in=selectors.SUPPLIABLE,
                sourcing=Sourcing.MADE,
                origin_country="VN",
                organization__kind=Organization.Kind.ENTERPRISE,
                group__isnull=False,
                price__gt=0,
            )
            .exclude(code__startswith="BP-")
            .select_related("organization", "group")
            .order_by("code")
        )
        for product in found:
            out[product.code.split("-")[0]].append(product)
        return out

    # --- units -----------------------------------------------------------------------------------------

    def units(self) -> list[UnitPlan]:
        existing = list(Organization.objects.filter(kind=Organization.Kind.OPERATIONAL_UNIT).order_by("code"))
        forces = {u.code: KNOWN_FORCES.get(u.code, F.RAPID_RESPONSE) for u in existing}
        codes = {u.code for u in existing}
        for code, name, short, name_en, parent_code, force in EXTRA_UNITS:
            if len(existing) >= UNITS_WANTED:
                break
            if code in codes:
                continue
            parent = Organization.objects.get(code=parent_code)
            unit = organizations.organization_create(
                actor=self.system,
                parent=parent,
                data={
                    "code": code,
                    "name": name,
                    "short_name": short,
                    "name_en": name_en,
                    "kind": Organization.Kind.OPERATIONAL_UNIT,
                    "province": parent.province,
                    "country": "VN",
                },
            )
            self.world.orgs[code] = unit
            existing.append(unit)
            forces[code] = force
        role = Role.objects.get(code=roles.UNIT_OFFICER)
        for username, full_name, position, unit_code in OFFICERS:
            if unit_code not in forces or username in self.world.users:
                continue
            user = accounts.user_create(
                actor=self.system,
                data={
                    "username": username,
                    "full_name": full_name,
                    "position": position,
                    "clearance": Classification.MAT,
                    "email": f"{username.replace('.', '_')}@cnan.example",
                    "language": "vi",
                },
                password=DEMO_PASSWORD,
            )
            accounts.membership_create(
                actor=self.system,
                data={
                    "user": user,
                    "organization": self.world.orgs.get(unit_code) or Organization.objects.get(code=unit_code),
                    "role": role,
                    "valid_from": D(2025, 1, 1),
                },
            )
            self.world.users[username] = user
        officers = {}
        for username, user in self.world.users.items():
            if username.startswith("donvi."):
                for membership in user.active_memberships():
                    officers[membership.organization_id] = user
        return [UnitPlan(u, forces[u.code], officers.get(u.pk)) for u in existing]

    # --- demand ----------------------------------------------------------------------------------------

    def plan(self, up: UnitPlan, year: int) -> DemandPlan:
        actor = up.officer or self.system
        plan = services.plan_create(
            actor=actor,
            data={
                "unit": up.unit,
                "year": year,
                "note": f"Nhu cầu trang bị năm {year} theo định mức và nhiệm vụ được giao của đơn vị.",
            },
        )
        wanted = FORCE_NEEDS[up.force]
        count = self.rng.randint(3, min(6, len(wanted)))
        prefixes = [p for p in wanted[:count] if self.products.get(p)]
        # a rapid-response or investigation unit also equips a special team of the first tier
        if up.force in (F.RAPID_RESPONSE, F.INVESTIGATION, F.PUBLIC_ORDER) and self.products.get("AGN"):
            prefixes.append("AGN")
        needs = []
        for n, prefix in enumerate(dict.fromkeys(prefixes), 1):
            choices = self.products[prefix]
            product = choices[self.rng.randrange(len(choices))]
            force = up.force if prefix != "AGN" or up.force == F.SPECIAL_FORCES else F.SPECIAL_FORCES
            # an officer of a unit declares by class and group (the unit does not see the enterprises'
            # records); the others name a catalogue product for about half of their lines
            by_product = up.officer is None and n % 2 == 1
            spec, (lo, hi) = NEEDS[prefix]
            quantity = self.rng.randint(lo, hi)
            if year == 2025:
                quantity = max(1, int(quantity * 0.8))
            data: dict[str, Any] = {
                "number": n,
                "product_class": product.product_class,
                "product_group": product.group,
                "specification": spec,
                "quantity": quantity,
                # what a unit would cost bought in: the catalogue price plus the importer's margin
                "unit_value": _round(float(product.price) * self.rng.uniform(1.25, 1.6), 1000),
                "needed_by": D(year, self.rng.choice((6, 9, 12)), 30) if n % 3 else D(year + 1, 3, 31),
                "force_type": force,
            }
            if by_product:
                data["product"] = product
            line = services.line_create(actor=actor, plan=plan, data=data)
            needs.append(Need(prefix, product, force, by_product, line))
        up.needs[year] = needs
        return plan

    def move(self, up: UnitPlan, plan: DemandPlan, state: str) -> DemandPlan:
        if state == DemandPlan.State.DRAFT:
            return plan
        plan = services.plan_transition(actor=up.officer or self.system, plan=plan, action="submit")
        if state == DemandPlan.State.RETURNED:
            comment = RETURN_COMMENTS[self.rng.randrange(len(RETURN_COMMENTS))].format(n=1)
            return services.plan_transition(actor=self.manager, plan=plan, action="return", comment=comment)
        if state == DemandPlan.State.CONSOLIDATED:
            return services.plan_transition(
                actor=self.manager,
                plan=plan,
                action="consolidate",
                comment="Tổng hợp vào nhu cầu trang bị toàn lực lượng năm {}.".format(plan.year),
            )
        return plan

    # --- capacity --------------------------------------------------------------------------------------

    def capacities(self, demand: dict[tuple[int, int | None, int], int]) -> int:
        """Each enterprise's capacity per product group of the products it delivers, 2021–2026: above what
        the units asked of it, growing over the years; a few pairs tight in 2026 (orders go beyond them)."""
        pairs: dict[tuple[Organization, Any], int] = {}
        for products in self.products.values():
            for p in products:
                pairs[(p.organization, p.group)] = max(
                    demand.get((p.organization_id, p.group_id, y), 0) for y in (2025, 2026)
                )
        count = 0
        tight = 0
        for (enterprise, group), peak in sorted(pairs.items(), key=lambda kv: (kv[0][0].code, kv[0][1].code)):
            base = max(10, peak)
            for year in YEARS:
                factor = 0.55 + 0.13 * (year - 2021)  # 0.55 in 2021 … 1.2 in 2026
                units = int(base * factor * self.rng.uniform(1.1, 1.3))
                if (
                    year == 2026
                    and peak
                    and tight < 3
                    and enterprise.code in ("DN-PHUONGNAM", "DN-SONGHAN", "DN-LACHONG")
                ):
                    units = int(peak * 0.6)  # the 2026 demand outgrows this line's capacity
                    tight += 1
                services.capacity_set(
                    actor=self.system, enterprise=enterprise, product_group=group, year=year, units=max(1, units)
                )
                count += 1
        return count

    # --- orders and deliveries -----------------------------------------------------------------------

    def order(
        self,
        *,
        customer: Organization,
        product: Product,
        year: int,
        quantity: int,
        ordered_on: dt.date,
        due_on: dt.date,
        line: DemandLine | None = None,
    ) -> ProductionOrder:
        self.number += 1
        self.per_year[year] += 1
        mode, basis = MODES[self.number % len(MODES)]
        price = Decimal(product.price)
        if mode == OrderMode.BIDDING:
            price = price * Decimal("0.94")
        data: dict[str, Any] = {
            "number": f"ĐH-{year}-{self.per_year[year]:03d}",
            "mode": mode,
            "customer": customer,
            "enterprise": product.organization,
            "product": product,
            "demand_line": line,
            "year": year,
            "quantity": quantity,
            "unit_price": _round(price, 1000),
            "price_basis": basis,
            "funding": (Funding.MINISTRY, Funding.STATE, Funding.MINISTRY, Funding.UNIT)[self.number % 4],
            "ordered_on": ordered_on,
            "due_on": due_on,
        }
        draft = ProductionOrder(**{k: v for k, v in data.items() if k != "demand_line"})
        if services.capacity_check(draft) is not None:
            data["over_capacity_reason"] = OVER_CAPACITY_REASONS[self.number % len(OVER_CAPACITY_REASONS)]
        order = services.order_create(actor=self.manager, data=data)
        self.orders.append(order)
        return order

    def enterprise_actor(self, enterprise: Organization) -> Any:
        if self.suppliers is None:
            self.suppliers = {
                m.organization_id: user
                for username, user in self.world.users.items()
                if username.startswith("dn.")
                for m in user.active_memberships()
            }
        return self.suppliers.get(enterprise.pk, self.system)

    def deliver(
        self,
        order: ProductionOrder,
        parts: list[tuple[int, dt.date]],
        *,
        accept: int,
        customer_actor: Any,
        feedback: bool,
    ) -> None:
        """Deliveries of ``parts`` (units, date); the first ``accept`` of them accepted (nghiệm thu)."""
        supplier = self.enterprise_actor(order.enterprise)
        for k, (units, on) in enumerate(parts):
            if units <= 0 or on > self.today:
                continue
            delivery = services.delivery_create(
                actor=supplier,
                order=order,
                data={"delivered_on": on, "quantity": units, "note": f"Giao lô {k + 1} theo hợp đồng."},
            )
            if k >= accept:
                continue
            accepted_on = self.day(on + dt.timedelta(days=self.rng.randint(3, 12)))
            self.decision += 1
            delivery = services.delivery_accept(
                actor=customer_actor,
                delivery=delivery,
                accepted_on=accepted_on,
                acceptance_number=f"{self.decision}/BB-NT",
            )
            if feedback and self.rng.random() < 0.55:
                rating = self.rng.choice((5, 5, 4, 4, 4, 3, 2))
                services.feedback_create(
                    actor=customer_actor,
                    delivery=delivery,
                    data={
                        "given_on": self.day(accepted_on + dt.timedelta(days=self.rng.randint(30, 90))),
                        "rating": rating,
                        "comment": FEEDBACK[rating],
                    },
                )

    def history(self, units: list[UnitPlan]) -> None:
        """Orders of 2021–2024, placed before the portal (no demand lines), delivered and accepted."""
        families = ["AG", "MCD", "DC", "BXC", "BD", "QP", "GD", "TPCC", "BCC", "DPC", "VALY", "FW"]
        families = [f for f in families if self.products.get(f)]
        for year in YEARS[:4]:
            for k in range(2 + (year - 2021)):
                family = families[(k + year) % len(families)]
                product = self.products[family][0]
                up = units[(k * 3 + year) % len(units)]
                lo, hi = NEEDS[family][1]
                quantity = self.rng.randint(lo, hi) * (2 + (year - 2021))
                order = self.order(
                    customer=up.unit,
                    product=product,
                    year=year,
                    quantity=quantity,
                    ordered_on=self.on(year, (2, 1), (4, 30)),
                    due_on=D(year, 11, 30),
                )
                self.deliver(
                    order,
                    [(quantity, self.on(year, (8, 1), (10, 31)))],
                    accept=1,
                    customer_actor=up.officer or self.manager,
                    feedback=False,
                )

    def place(self, units: list[UnitPlan], year: int) -> ProductionOrder | None:
        """Orders from the consolidated lines of ``year``. 2025: nearly all delivered and accepted. 2026:
        class lines ordered in full, product lines in part or not at all (the allocation run proposes the
        rest); deliveries accepted, pending or still to come; one order cancelled."""
        cancel: ProductionOrder | None = None
        k = 0
        waiting: set[int] = set()
        for up in units:
            for need in up.needs.get(year, []):
                line = need.line
                if line is None or line.plan_id not in self.consolidated:
                    continue
                k += 1
                customer_actor = up.officer or self.manager
                if year == 2025:
                    if k % 9 == 0:
                        continue  # bought abroad that year
                    order = self.order(
                        customer=up.unit,
                        product=need.product,
                        year=year,
                        quantity=line.quantity,
                        ordered_on=self.on(year, (2, 15), (4, 30)),
                        due_on=D(year, 12, 15),
                        line=line,
                    )
                    parts = [(order.quantity, self.on(year, (7, 1), (11, 20)))]
                    self.deliver(order, parts, accept=1, customer_actor=customer_actor, feedback=True)
                    continue
                if need.by_product:
                    share = (0, 0.5, 0.6, 0)[k % 4]
                    if not share:
                        continue  # left for the allocation run
                    quantity = max(1, int(line.quantity * share))
                else:
                    quantity = line.quantity
                order = self.order(
                    customer=up.unit,
                    product=need.product,
                    year=year,
                    quantity=quantity,
                    ordered_on=self.day(self.on(year, (2, 1), (5, 15))),
                    due_on=self.on(year + 1, (1, 15), (3, 31)) if k % 3 == 0 else self.on(year, (10, 1), (12, 20)),
                    line=line,
                )
                enterprise = order.enterprise_id
                supplier_has_officer = self.enterprise_actor(order.enterprise) is not self.system
                if supplier_has_officer and enterprise not in waiting:
                    waiting.add(enterprise)  # the enterprise's officer has an order to deliver
                    continue
                if cancel is None and need.by_product:
                    cancel = order
                    continue
                pattern = k % 5
                first = max(1, order.quantity // 2)
                early = (first, self.day(self.on(year, (6, 1), (8, 31))))
                late = (order.quantity - first, self.day(self.on(year, (9, 1), (11, 10))))
                if pattern in (0, 4):  # all delivered and accepted
                    whole = (order.quantity, late[1])
                    self.deliver(order, [whole], accept=1, customer_actor=customer_actor, feedback=True)
                elif pattern == 1:  # all delivered, the last lot awaiting acceptance
                    self.deliver(order, [early, late], accept=1, customer_actor=customer_actor, feedback=True)
                elif pattern == 2:  # half delivered and accepted, the rest in production
                    self.deliver(order, [early], accept=1, customer_actor=customer_actor, feedback=False)
                # pattern 3: placed, nothing delivered yet
        if cancel is not None:
            cancel = services.order_cancel(
                actor=self.manager,
                instance=cancel,
                reason="Đơn vị điều chỉnh nhu cầu sau khi được điều chuyển trang bị từ đơn vị khác; hủy đơn hàng.",
            )
        return cancel

    # --- imports -----------------------------------------------------------------------------------------

    def imports(self, units: list[UnitPlan]) -> int:
        """Imported purchases sized so that the domestic share by value rises year on year."""
        domestic: dict[int, Decimal] = defaultdict(Decimal)
        accepted = Delivery.objects.filter(accepted_on__isnull=False).annotate(year=ExtractYear("accepted_on"))
        for year, quantity, price in accepted.values_list("year", "quantity", "order__unit_price"):
            domestic[year] += quantity * price
        count = 0
        for year in YEARS:
            share = SHARE_TARGET[year]
            target = float(domestic[year]) * (1 - share) / share if domestic[year] else 80_000_000_000.0
            picks = [IMPORTS[(year + j * 5) % len(IMPORTS)] for j in range(5)]
            weights = [self.rng.uniform(0.6, 1.4) for _ in picks]
            total = sum(weights)
            for j, ((cls, description, countries, unit_value), w) in enumerate(zip(picks, weights, strict=True)):
                value = target * w / total
                quantity = max(1, round(value / unit_value))
                up = units[(year * 7 + j * 3) % len(units)]
                services.import_create(
                    actor=up.officer or self.system,
                    data={
                        "unit": up.unit,
                        "year": year,
                        "product_class": cls,
                        "description": description,
                        "country": countries[(year + j) % len(countries)],
                        "quantity": quantity,
                        "value": _round(value),
                    },
                )
                count += 1
        return count

    # --- the allocation run ----------------------------------------------------------------------------

    def allocation(self) -> AllocationRun:
        """One run for 2026, computed here (the demo needs no worker: the task is called directly; when
        the queued copy runs later it finds its job finished and does nothing)."""
        run = services.allocation_start(actor=self.manager, year=2026, budget=None)
        tasks.allocation_compute.call(str(run.pk))
        run.refresh_from_db()
        return run

    def build(self) -> str:
        units = self.units()
        plans = 0
        state_of = {code: state for state, codes in STATES_2026.items() for code in codes}
        for year in (2025, 2026):
            for up in units if year == 2026 else units[:UNITS_2025]:
                state = state_of.get(up.unit.code, DemandPlan.State.CONSOLIDATED) if year == 2026 else "consolidated"
                plan = self.move(up, self.plan(up, year), state)
                for need in up.needs.get(year, []):
                    if need.line is not None:
                        need.line.plan = plan  # as it is after its transitions
                plans += 1
        self.consolidated = set(
            DemandPlan.objects.filter(state=DemandPlan.State.CONSOLIDATED).values_list("pk", flat=True)
        )
        demand: dict[tuple[int, int | None, int], int] = defaultdict(int)
        for up in units:
            for year, needs in up.needs.items():
                for need in needs:
                    demand[(need.product.organization_id, need.product.group_id, year)] += (
                        need.line.quantity if need.line else 0
                    )
        capacities = self.capacities(demand)
        self.history(units)
        self.place(units, 2025)
        self.place(units, 2026)
        purchases = self.imports(units)
        run = self.allocation()
        lines = DemandLine.objects.count()
        deliveries = Delivery.objects.count()
        pending = Delivery.objects.filter(accepted_on__isnull=True).count()
        beyond = ProductionOrder.objects.exclude(over_capacity_reason="").count()
        shares = selectors.self_reliance(user=self.manager if self.manager is not None else None, by="year")
        trend = " → ".join(f"{r.key}: {r.share_value:.0%}" for r in shares if r.share_value is not None)
        return (
            f"  {plans} demand plans of {len(units)} units ({lines} lines), {capacities} capacities, "
            f"{len(self.orders)} orders ({beyond} beyond capacity), {deliveries} deliveries ({pending} awaiting "
            f"acceptance), {purchases} imported purchases, allocation run {run.get_state_display()} "
            f"({len(run.proposal)} offers); domestic share {trend}"
        )


@register("supply", order=60, present=_present)
def build(world: DemoWorld) -> None:
    world.log(_Builder(world).build())
