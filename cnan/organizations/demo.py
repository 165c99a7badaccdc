"""Demo registry, grounded in the seed articles: the Ministry's units they name, a dozen fictional security
enterprises with facilities in several provinces, the Lại Yên park, schools, police units, a testing
centre, steering committees 57 and 158, outside partners, the complex and a few restructurings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stdnum.vn import mst

from cnan.core.demo import DemoWorld, register

from . import services
from .models import (
    ComplexMembership,
    Facility,
    IndustrialPark,
    Organization,
    ProductGroup,
    RestructuringEvent,
)

K = Organization.Kind
D = dt.date


def _tax_code(seed: int) -> str:
    base = f"01{seed:07d}"
    return base + mst.calc_check_digit(base)


# code, name, short name, English name, kind, parent code, province, established
UNITS = [
    ("BCA", "Bộ Công an", "BCA", "Ministry of Public Security", K.MINISTRY, None, "ha-noi", None),
    (
        "H08",
        "Cục Công nghiệp an ninh",
        "Cục CNAN",
        "Department of Security Industry",
        K.DEPARTMENT,
        "BCA",
        "ha-noi",
        None,
    ),
    (
        "VKHCN",
        "Viện Khoa học và Công nghệ",
        "Viện KH&CN",
        "Institute of Science and Technology",
        K.INSTITUTE,
        "BCA",
        "ha-noi",
        None,
    ),
    (
        "KHCL",
        "Cục Khoa học, Chiến lược và Lịch sử Công an",
        "Cục KHCL&LS",
        "Department of Science, Strategy and History",
        K.DEPARTMENT,
        "BCA",
        "ha-noi",
        None,
    ),
    ("HVAN", "Học viện An ninh nhân dân", "HVANND", "People's Security Academy", K.ACADEMY, "BCA", "ha-noi", None),
    ("HVCS", "Học viện Cảnh sát nhân dân", "HVCSND", "People's Police Academy", K.ACADEMY, "BCA", "ha-noi", None),
    (
        "DHKTHC",
        "Trường Đại học Kỹ thuật - Hậu cần Công an nhân dân",
        "ĐH KT-HC",
        "University of Technology and Logistics of the People's Public Security",
        K.ACADEMY,
        "BCA",
        "bac-ninh",
        None,
    ),
    (
        "TTKD",
        "Trung tâm Kiểm định, thử nghiệm sản phẩm công nghiệp an ninh",
        "TT Kiểm định",
        "Security-industry product testing centre",
        K.TESTING_CENTRE,
        "VKHCN",
        "ha-noi",
        D(2019, 5, 1),
    ),
    (
        "BTLCSCD",
        "Bộ Tư lệnh Cảnh sát cơ động",
        "BTL CSCĐ",
        "Mobile Police Command",
        K.OPERATIONAL_UNIT,
        "BCA",
        "ha-noi",
        None,
    ),
    (
        "A05",
        "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao",
        "A05",
        "Department of Cybersecurity and High-tech Crime Prevention",
        K.OPERATIONAL_UNIT,
        "BCA",
        "ha-noi",
        None,
    ),
    (
        "C07",
        "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        "C07",
        "Fire Prevention, Fighting and Rescue Police Department",
        K.OPERATIONAL_UNIT,
        "BCA",
        "ha-noi",
        None,
    ),
    ("K02", "Bộ Tư lệnh Cảnh vệ", "BTL Cảnh vệ", "Guard High Command", K.OPERATIONAL_UNIT, "BCA", "ha-noi", None),
    (
        "CAHN",
        "Công an thành phố Hà Nội",
        "CATP Hà Nội",
        "Hanoi City Police",
        K.PROVINCIAL_POLICE,
        "BCA",
        "ha-noi",
        None,
    ),
    (
        "CAHCM",
        "Công an Thành phố Hồ Chí Minh",
        "CATP HCM",
        "Ho Chi Minh City Police",
        K.PROVINCIAL_POLICE,
        "BCA",
        "ho-chi-minh",
        None,
    ),
    (
        "CADN",
        "Công an thành phố Đà Nẵng",
        "CATP Đà Nẵng",
        "Da Nang City Police",
        K.PROVINCIAL_POLICE,
        "BCA",
        "da-nang",
        None,
    ),
    (
        "CAHP",
        "Công an thành phố Hải Phòng",
        "CATP Hải Phòng",
        "Hai Phong City Police",
        K.PROVINCIAL_POLICE,
        "BCA",
        "hai-phong",
        None,
    ),
    (
        "CANA",
        "Công an tỉnh Nghệ An",
        "CA Nghệ An",
        "Nghe An Provincial Police",
        K.PROVINCIAL_POLICE,
        "BCA",
        "nghe-an",
        None,
    ),
    (
        "CAKH",
        "Công an tỉnh Khánh Hòa",
        "CA Khánh Hòa",
        "Khanh Hoa Provincial Police",
        K.PROVINCIAL_POLICE,
        "BCA",
        "khanh-hoa",
        None,
    ),
    (
        "BCD57",
        "Ban Chỉ đạo 57 Bộ Công an",
        "BCĐ 57",
        "MPS Steering Committee 57 (science, technology, innovation, digital transformation)",
        K.STEERING_COMMITTEE,
        "BCA",
        "ha-noi",
        D(2025, 1, 15),
    ),
    (
        "BCD158",
        "Ban Chỉ đạo 158 Bộ Công an",
        "BCĐ 158",
        "MPS Steering Committee 158 (security industry)",
        K.STEERING_COMMITTEE,
        "BCA",
        "ha-noi",
        D(2025, 6, 10),
    ),
    ("DT", "Đối tác ngoài ngành Công an", "Đối tác", "Outside partners", K.GROUP, None, "", None),
    (
        "DT-SAOVIET",
        "Công ty Cổ phần Điện tử Sao Việt",
        "Sao Việt",
        "Sao Viet Electronics JSC",
        K.PARTNER,
        "DT",
        "ha-noi",
        D(2009, 3, 2),
    ),
    (
        "DT-VLTT",
        "Viện Vật liệu tiên tiến Việt Nam",
        "Viện VLTT",
        "Vietnam Institute of Advanced Materials",
        K.PARTNER,
        "DT",
        "ha-noi",
        D(2012, 8, 20),
    ),
]

FOREIGN_PARTNERS = [
    ("DT-KESTREL", "Kestrel Sicherheitstechnik GmbH", "Kestrel", "DE"),
    ("DT-HANBIT", "Hanbit Security Systems Co., Ltd.", "Hanbit", "KR"),
]

# code, name, short, English, province, legal form, state %, capital (billion VND), product groups, established
ENTERPRISES = [
    (
        "DN-THANGLONG",
        "Công ty TNHH MTV Cơ khí An ninh Thăng Long",
        "Cơ khí Thăng Long",
        "Thang Long Security Engineering Co.",
        "ha-noi",
        "state_llc",
        100,
        320,
        ["vu-khi", "cong-cu-ho-tro"],
        D(1996, 4, 12),
    ),
    (
        "DN-PHUONGNAM",
        "Công ty TNHH MTV Quân trang An ninh Phương Nam",
        "Quân trang Phương Nam",
        "Phuong Nam Security Uniforms Co.",
        "ho-chi-minh",
        "state_llc",
        100,
        210,
        ["quan-trang"],
        D(1999, 9, 1),
    ),
    (
        "DN-HONGHA",
        "Công ty Cổ phần Thiết bị Kỹ thuật nghiệp vụ Hồng Hà",
        "Thiết bị Hồng Hà",
        "Hong Ha Professional Equipment JSC",
        "ha-noi",
        "jsc_state",
        Decimal("65.50"),
        150,
        ["ptktnv", "trang-thiet-bi"],
        D(2004, 2, 18),
    ),
    (
        "DN-SONGHAN",
        "Công ty TNHH MTV Điện tử An ninh Sông Hàn",
        "Điện tử Sông Hàn",
        "Song Han Security Electronics Co.",
        "da-nang",
        "state_llc",
        100,
        180,
        ["trang-thiet-bi", "ptktnv"],
        D(2008, 7, 7),
    ),
    (
        "DN-ANPHU",
        "Công ty Cổ phần Phòng cháy chữa cháy An Phú",
        "PCCC An Phú",
        "An Phu Fire Safety JSC",
        "dong-nai",
        "jsc_state",
        Decimal("51.00"),
        95,
        ["pccc-cnch"],
        D(2002, 11, 25),
    ),
    (
        "DN-HALONG",
        "Công ty TNHH MTV Đóng tàu An ninh Hạ Long",
        "Đóng tàu Hạ Long",
        "Ha Long Security Shipbuilding Co.",
        "quang-ninh",
        "state_llc",
        100,
        410,
        ["tau-xuong"],
        D(2001, 5, 30),
    ),
    (
        "DN-LACHONG",
        "Công ty Cổ phần An ninh mạng Lạc Hồng",
        "An ninh mạng Lạc Hồng",
        "Lac Hong Cybersecurity JSC",
        "ha-noi",
        "jsc_state",
        Decimal("75.00"),
        120,
        ["an-ninh-mang"],
        D(2015, 3, 3),
    ),
    (
        "DN-DONGDO",
        "Công ty TNHH MTV Công nghệ Dữ liệu An ninh Đông Đô",
        "Dữ liệu Đông Đô",
        "Dong Do Security Data Technology Co.",
        "ha-noi",
        "state_llc",
        100,
        260,
        ["du-lieu-ai", "an-ninh-mang"],
        D(2019, 10, 10),
    ),
    (
        "DN-TANBINH",
        "Công ty TNHH MTV In và Vật liệu An ninh Tân Bình",
        "In Tân Bình",
        "Tan Binh Security Printing and Materials Co.",
        "ho-chi-minh",
        "state_llc",
        100,
        230,
        ["vat-tu-ky-thuat"],
        D(1997, 1, 15),
    ),
    (
        "DN-BENTHUY",
        "Công ty TNHH MTV Công cụ hỗ trợ Bến Thủy",
        "CCHT Bến Thủy",
        "Ben Thuy Support Tools Co.",
        "nghe-an",
        "state_llc",
        100,
        85,
        ["cong-cu-ho-tro"],
        D(2006, 6, 6),
    ),
    (
        "DN-TRUONGSON",
        "Công ty Cổ phần Sinh học An ninh Trường Sơn",
        "Sinh học Trường Sơn",
        "Truong Son Security Biotech JSC",
        "hai-phong",
        "jsc_state",
        Decimal("60.00"),
        70,
        ["sinh-hoc"],
        D(2021, 4, 22),
    ),
    (
        "DN-VIETBAC",
        "Tổng công ty Công nghiệp An ninh Việt Bắc",
        "TCT CNAN Việt Bắc",
        "Viet Bac Security Industry Corp.",
        "thai-nguyen",
        "state_llc",
        100,
        950,
        ["cong-cu-ho-tro", "vu-khi"],
        D(2024, 7, 1),
    ),
    (
        "DN-GIALAM",
        "Công ty TNHH MTV Cơ điện An ninh Gia Lâm",
        "Cơ điện Gia Lâm",
        "Gia Lam Security Electromechanics Co.",
        "ha-noi",
        "state_llc",
        100,
        40,
        ["vat-tu-ky-thuat"],
        D(2000, 3, 1),
    ),
]

# enterprise, code, name, kind, province, address, in Lại Yên park, product groups, capacity
FACILITIES = [
    (
        "DN-THANGLONG",
        "CS-TL-01",
        "Xưởng cơ khí chính xác Thăng Long",
        "core",
        "ha-noi",
        "Lại Yên, Hoài Đức",
        True,
        ["vu-khi"],
        "Gia công 12.000 chi tiết cơ khí chính xác/năm",
    ),
    (
        "DN-THANGLONG",
        "CS-TL-02",
        "Nhà máy công cụ hỗ trợ Phú Thọ",
        "other",
        "phu-tho",
        "KCN Thụy Vân, Việt Trì",
        False,
        ["cong-cu-ho-tro"],
        "40.000 dùi cui, 15.000 khiên chống đạn/năm",
    ),
    (
        "DN-PHUONGNAM",
        "CS-PN-01",
        "Nhà máy may quân trang Thủ Đức",
        "core",
        "ho-chi-minh",
        "Linh Trung, Thủ Đức",
        False,
        ["quan-trang"],
        "1,2 triệu bộ quân phục/năm",
    ),
    (
        "DN-PHUONGNAM",
        "CS-PN-02",
        "Xưởng mũ, giày Long An",
        "other",
        "tay-ninh",
        "KCN Đức Hòa",
        False,
        ["quan-trang"],
        "300.000 đôi giày, 200.000 mũ/năm",
    ),
    (
        "DN-HONGHA",
        "CS-HH-01",
        "Trung tâm lắp ráp thiết bị nghiệp vụ Hồng Hà",
        "core",
        "ha-noi",
        "Lại Yên, Hoài Đức",
        True,
        ["ptktnv"],
        "5.000 bộ thiết bị ghi âm, ghi hình chuyên dụng/năm",
    ),
    (
        "DN-SONGHAN",
        "CS-SH-01",
        "Nhà máy điện tử Hòa Khánh",
        "core",
        "da-nang",
        "KCN Hòa Khánh, Liên Chiểu",
        False,
        ["trang-thiet-bi"],
        "20.000 bộ đàm, 3.000 thiết bị định vị/năm",
    ),
    (
        "DN-ANPHU",
        "CS-AP-01",
        "Nhà máy thiết bị PCCC Biên Hòa",
        "other",
        "dong-nai",
        "KCN Biên Hòa 2",
        False,
        ["pccc-cnch"],
        "60.000 bình chữa cháy, 500 bộ quần áo chống cháy/năm",
    ),
    (
        "DN-HALONG",
        "CS-HL-01",
        "Xưởng đóng tàu tuần tra Cẩm Phả",
        "core",
        "quang-ninh",
        "Cẩm Phả",
        False,
        ["tau-xuong"],
        "12 xuồng tuần tra cao tốc/năm",
    ),
    (
        "DN-HALONG",
        "CS-HL-02",
        "Xưởng sửa chữa tàu Cần Thơ",
        "other",
        "can-tho",
        "Cái Răng",
        False,
        ["tau-xuong"],
        "Sửa chữa 40 lượt tàu, xuồng/năm",
    ),
    (
        "DN-LACHONG",
        "CS-LH-01",
        "Trung tâm vận hành an ninh mạng Lạc Hồng",
        "other",
        "ha-noi",
        "Cầu Giấy",
        False,
        ["an-ninh-mang"],
        "Giám sát 24/7 cho 150 hệ thống thông tin",
    ),
    (
        "DN-DONGDO",
        "CS-DD-01",
        "Trung tâm dữ liệu Đông Đô",
        "core",
        "ha-noi",
        "Hòa Lạc",
        False,
        ["du-lieu-ai"],
        "2 MW IT, 1.200 rack",
    ),
    (
        "DN-TANBINH",
        "CS-TB-01",
        "Nhà máy in giấy tờ an ninh Tân Bình",
        "core",
        "ho-chi-minh",
        "Tân Bình",
        False,
        ["vat-tu-ky-thuat"],
        "15 triệu phôi giấy tờ có yếu tố bảo an/năm",
    ),
    (
        "DN-BENTHUY",
        "CS-BT-01",
        "Xưởng công cụ hỗ trợ Vinh",
        "other",
        "nghe-an",
        "KCN Bắc Vinh",
        False,
        ["cong-cu-ho-tro"],
        "20.000 bình xịt hơi cay, 8.000 khóa số tám/năm",
    ),
    (
        "DN-TRUONGSON",
        "CS-TS-01",
        "Phòng thí nghiệm sinh học an ninh Đình Vũ",
        "other",
        "hai-phong",
        "KCN Đình Vũ",
        False,
        ["sinh-hoc"],
        "Xét nghiệm 50.000 mẫu/năm",
    ),
    (
        "DN-VIETBAC",
        "CS-VB-01",
        "Tổ hợp sản xuất công cụ hỗ trợ Sông Công",
        "core",
        "thai-nguyen",
        "KCN Sông Công",
        False,
        ["cong-cu-ho-tro", "vu-khi"],
        "100.000 sản phẩm công cụ hỗ trợ/năm",
    ),
    (
        "VKHCN",
        "CS-VKH-01",
        "Xưởng sản xuất thử nghiệm của Viện KH&CN",
        "core",
        "ha-noi",
        "Lại Yên, Hoài Đức",
        True,
        ["ptktnv", "trang-thiet-bi"],
        "Sản xuất thử nghiệm 20 mẫu thiết bị/năm",
    ),
]

NUCLEUS = [
    "DN-THANGLONG",
    "DN-PHUONGNAM",
    "DN-HONGHA",
    "DN-SONGHAN",
    "DN-HALONG",
    "DN-DONGDO",
    "DN-TANBINH",
    "DN-VIETBAC",
    "VKHCN",
]
MEMBERS = ["DN-LACHONG", "DN-ANPHU", "DN-TRUONGSON", "HVAN", "DHKTHC", "DT-SAOVIET", "DT-VLTT"]


def _present() -> bool:
    return Organization.objects.filter(code="BCA").exists()


@register("organisations", order=10, present=_present)
def build(world: DemoWorld) -> None:
    actor = world.actor
    groups = {g.code: g for g in ProductGroup.objects.all()}
    for code, name, short, name_en, kind, parent, province, since in UNITS:
        world.orgs[code] = services.organization_create(
            actor=actor,
            parent=world.orgs.get(parent) if parent else None,
            data={
                "code": code,
                "name": name,
                "short_name": short,
                "name_en": name_en,
                "kind": kind,
                "province": province,
                "valid_from": since,
                "country": "VN",
            },
        )
    for code, name, short, country in FOREIGN_PARTNERS:
        world.orgs[code] = services.organization_create(
            actor=actor,
            parent=world.orgs["DT"],
            data={"code": code, "name": name, "short_name": short, "kind": K.PARTNER, "country": country},
        )
    for i, (code, name, short, name_en, province, legal, state, capital, pgs, since) in enumerate(ENTERPRISES, 1):
        world.orgs[code] = services.enterprise_create(
            actor=actor,
            parent=world.orgs["H08"],
            data={
                "code": code,
                "name": name,
                "short_name": short,
                "name_en": name_en,
                "province": province,
                "legal_form": legal,
                "state_ownership": Decimal(state),
                "tax_code": _tax_code(1000 + i * 37),
                "charter_capital": Decimal(capital) * 1_000_000_000,
                "valid_from": since,
                "country": "VN",
                "product_groups": [groups[g] for g in pgs],
                "phone": f"024 3{i:03d} 5{i:03d}",
                "address": f"Số {10 + i} đường An Ninh",
            },
        )
    world.log(f"  {len(world.orgs)} organisations")

    park = services.park_create(
        actor=actor,
        data={
            "organization": world.orgs["H08"],
            "code": "KCNAN-LAIYEN",
            "name": "Khu công nghiệp an ninh Lại Yên",
            "province": "ha-noi",
            "address": "Xã Lại Yên, huyện Hoài Đức",
            "area_ha": Decimal("8.57"),
            "approval_decision": "1450/QĐ-BCA",
            "approved_on": D(2005, 9, 14),
            "status": IndustrialPark.Status.OPERATING,
            "description": "Khu công nghiệp an ninh của Bộ Công an; giai đoạn I khánh thành năm 2018.",
        },
    )
    services.park_phase_create(
        actor=actor,
        park=park,
        data={
            "name": "Giai đoạn I",
            "area_ha": Decimal("5.20"),
            "status": IndustrialPark.Status.OPERATING,
            "started_on": D(2012, 3, 1),
            "completed_on": D(2018, 11, 28),
        },
    )
    services.park_phase_create(
        actor=actor,
        park=park,
        data={
            "name": "Giai đoạn II",
            "area_ha": Decimal("3.37"),
            "status": IndustrialPark.Status.UNDER_CONSTRUCTION,
            "started_on": D(2024, 5, 15),
        },
    )

    for n, (owner, code, name, kind, province, address, in_park, pgs, capacity) in enumerate(FACILITIES, 1):
        core = kind == Facility.Kind.CORE
        services.facility_create(
            actor=actor,
            data={
                "organization": world.orgs[owner],
                "code": code,
                "name": name,
                "kind": kind,
                "province": province,
                "address": address,
                "park": park if in_park else None,
                "capacity": capacity,
                "decision_number": f"{100 + n * 13}/QĐ-BCA" if core else "",
                "decision_date": D(2015 + n % 9, 1 + n % 12, 1 + n % 27) if core else None,
                "decision_issuer": "Bộ trưởng Bộ Công an" if core else "",
                "recognised_on": D(2015 + n % 9, 1 + n % 12, 1 + n % 27),
                "product_groups": [groups[g] for g in pgs],
                "capabilities": "Thiết kế, chế tạo, lắp ráp, kiểm tra chất lượng, bảo hành, sửa chữa.",
            },
        )

    admitted = D(2026, 3, 1)
    for code in NUCLEUS:
        services.complex_membership_create(
            actor=actor,
            data={
                "organization": world.orgs[code],
                "role": ComplexMembership.Role.NUCLEUS,
                "admitted_on": admitted,
                "decision_number": "312/QĐ-BCA",
                "decision_date": D(2026, 2, 20),
            },
        )
    for code in MEMBERS:
        services.complex_membership_create(
            actor=actor,
            data={
                "organization": world.orgs[code],
                "role": ComplexMembership.Role.MEMBER,
                "admitted_on": admitted,
                "decision_number": "313/QĐ-BCA",
                "decision_date": D(2026, 2, 20),
            },
        )

    gia_lam = world.orgs["DN-GIALAM"]
    services.organization_update(actor=actor, instance=gia_lam, data={"valid_to": D(2023, 6, 30)})
    services.restructuring_create(
        actor=actor,
        data={
            "kind": RestructuringEvent.Kind.MERGE,
            "organization": world.orgs["DN-THANGLONG"],
            "title": "Sáp nhập Công ty Cơ điện An ninh Gia Lâm vào Công ty Cơ khí An ninh Thăng Long",
            "decision_number": "2051/QĐ-BCA",
            "decision_date": D(2023, 4, 10),
            "decision_issuer": "Bộ trưởng Bộ Công an",
            "effective_on": D(2023, 7, 1),
            "sources": [world.orgs["DN-THANGLONG"], gia_lam],
            "results": [world.orgs["DN-THANGLONG"]],
            "description": "Thu gọn đầu mối, tăng quy mô cơ sở sản xuất theo chỉ đạo sắp xếp lại các cơ sở CNAN.",
        },
    )
    services.restructuring_create(
        actor=actor,
        data={
            "kind": RestructuringEvent.Kind.FORM_CORPORATION,
            "organization": world.orgs["DN-VIETBAC"],
            "title": "Thành lập Tổng công ty Công nghiệp An ninh Việt Bắc theo nhóm sản phẩm công cụ hỗ trợ",
            "decision_number": "4120/QĐ-BCA",
            "decision_date": D(2024, 5, 20),
            "decision_issuer": "Bộ trưởng Bộ Công an",
            "effective_on": D(2024, 7, 1),
            "product_group": groups["cong-cu-ho-tro"],
            "sources": [world.orgs["DN-BENTHUY"]],
            "results": [world.orgs["DN-VIETBAC"]],
            "description": "Hình thành tổng công ty theo nhóm sản phẩm, ngành nghề.",
        },
    )
    services.organization_update(
        actor=actor, instance=world.orgs["DN-BENTHUY"], data={"parent_corporation": world.orgs["DN-VIETBAC"]}
    )
    services.restructuring_create(
        actor=actor,
        data={
            "kind": RestructuringEvent.Kind.EQUITISE,
            "organization": world.orgs["DN-ANPHU"],
            "title": "Cổ phần hóa Công ty Phòng cháy chữa cháy An Phú",
            "decision_number": "918/QĐ-BCA",
            "decision_date": D(2022, 2, 14),
            "decision_issuer": "Bộ trưởng Bộ Công an",
            "effective_on": D(2022, 10, 1),
            "description": "Nhà nước nắm giữ 51% vốn điều lệ.",
        },
    )
    world.log(f"  {Facility.objects.count()} facilities, 1 park, {ComplexMembership.objects.count()} complex members")
