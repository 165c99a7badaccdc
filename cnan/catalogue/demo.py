"""Demo catalogue: about three hundred products of the security industry with multi-level bills of materials.

Purchased parts and materials (foreign and domestic, prices in đồng) → made parts → shared modules (a Li-ion
battery pack, a radio module, an aramid panel …) → assemblies → end products in families of models → kits
and systems made of end products (3 to 6 levels). Some products have a frozen revision 1 and a current
revision 2 that replaced an imported component by a domestic one. The 2025 edition of the product list is
published; the 2026 edition is a draft. Everything goes through the services (audited, rolled up), bottom-up so
that each line rolls up one product only; randomness comes from the world's seeded source.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cnan.core.demo import DemoWorld, register
from cnan.organizations.models import ProductGroup

from . import services
from .models import CatalogueEdition, Lifecycle, Product, Sourcing, unit_factor

# owner keys → enterprise codes of the organisations' demo
OWNERS = {
    "TL": "DN-THANGLONG",
    "PN": "DN-PHUONGNAM",
    "HH": "DN-HONGHA",
    "SH": "DN-SONGHAN",
    "AP": "DN-ANPHU",
    "HL": "DN-HALONG",
    "LH": "DN-LACHONG",
    "DD": "DN-DONGDO",
    "TB": "DN-TANBINH",
    "BT": "DN-BENTHUY",
    "TS": "DN-TRUONGSON",
    "VB": "DN-VIETBAC",
}

GROUP_OF_CLASS = {
    "weapon": "vu-khi",
    "support_tool": "cong-cu-ho-tro",
    "technical_means": "ptktnv",
    "technical_material": "vat-tu-ky-thuat",
    "equipment": "trang-thiet-bi",
    "uniform": "quan-trang",
    "fire_rescue": "pccc-cnch",
    "patrol_craft": "tau-xuong",
    "cyber": "an-ninh-mang",
    "biotech": "sinh-hoc",
}

# Purchased parts and materials: code, name, unit, price (VND), origin, supplier, owner
PARTS = [
    # fibres, fabrics, plates, metals
    ("VT-ARAMID", "Sợi aramid (Kevlar 29)", "kg", 1_450_000, "US", "DuPont de Nemours", "TB"),
    ("VT-UHMWPE", "Tấm sợi UHMWPE", "kg", 1_900_000, "NL", "Avient Protective Materials", "TB"),
    ("VT-SIC", "Phôi gốm SiC ép nóng", "piece", 2_300_000, "CN", "Zhejiang Light-Tough Composite", "TB"),
    ("VT-ALO", "Phôi gốm Al₂O₃ 99%", "piece", 850_000, "VN", "Công ty Gốm kỹ thuật Bát Tràng", "TB"),
    ("VT-EPOXY", "Nhựa epoxy gia cường", "kg", 180_000, "KR", "Kukdo Chemical", "TB"),
    ("VT-NHUA-PF", "Nhựa phenolic", "kg", 95_000, "VN", "Công ty Hóa chất Đức Giang", "TB"),
    ("VT-THEP-HK", "Thép hợp kim 30CrMnSiA", "kg", 62_000, "VN", "Công ty Gang thép Thái Nguyên", "TL"),
    ("VT-THEP-KG", "Thép không gỉ SUS304", "kg", 78_000, "KR", "POSCO", "TL"),
    ("VT-NHOM", "Nhôm hợp kim 6061-T6", "kg", 95_000, "VN", "Công ty Nhôm Đông Á", "TL"),
    ("VT-PC", "Hạt nhựa polycarbonate", "kg", 120_000, "DE", "Covestro", "TL"),
    ("VT-ABS", "Hạt nhựa ABS", "kg", 48_000, "VN", "Công ty Nhựa Bình Minh", "SH"),
    ("VT-CAOSU", "Cao su tổng hợp EPDM", "kg", 65_000, "VN", "Công ty Cao su Sao Vàng", "TL"),
    ("VT-VAI-PE", "Vải polyester chống thấm", "m", 42_000, "VN", "Tổng công ty Dệt may Hà Nội", "PN"),
    ("VT-VAI-KK", "Vải kaki ngụy trang", "m", 58_000, "VN", "Công ty Dệt 8-3", "PN"),
    ("VT-VAI-NOMEX", "Vải chống cháy Nomex IIIA", "m", 610_000, "US", "DuPont de Nemours", "AP"),
    ("VT-VAI-COTTON", "Vải cotton pha", "m", 35_000, "VN", "Công ty Dệt Nam Định", "PN"),
    ("VT-CHI", "Chỉ may polyester", "roll", 18_000, "VN", "Công ty Phong Phú", "PN"),
    ("VT-KHOA-DAN", "Khóa dán velcro", "m", 9_000, "CN", "Velcro Shanghai", "PN"),
    ("VT-DA", "Da bò thuộc", "m2", 420_000, "VN", "Công ty Da giày Sài Gòn", "PN"),
    ("VT-DE-GIAY", "Đế giày cao su đúc", "pair", 95_000, "VN", "Công ty Giày Thượng Đình", "PN"),
    ("VT-OC-VIT", "Bộ ốc vít inox", "set", 12_000, "VN", "Công ty Cơ khí Hà Nội", "TL"),
    # electronics
    ("VT-CMOS", "Cảm biến ảnh CMOS 1/2.8 inch", "piece", 640_000, "JP", "Sony Semiconductor Solutions", "SH"),
    ("VT-CMOS-VN", "Cảm biến ảnh CMOS đóng gói trong nước", "piece", 560_000, "VN", "Công ty Vi mạch Sông Hàn", "SH"),
    ("VT-SOC", "Vi xử lý hình ảnh SoC", "piece", 520_000, "CN", "HiSilicon", "SH"),
    ("VT-SOC-AI", "Vi xử lý có nhân AI (NPU)", "piece", 1_350_000, "US", "Ambarella", "SH"),
    ("VT-LENS", "Ống kính quang học 2.8-12 mm", "piece", 380_000, "JP", "Fujinon", "SH"),
    ("VT-LENS-VN", "Ống kính quang học lắp ráp trong nước", "piece", 310_000, "VN", "Công ty Quang học Hồng Hà", "SH"),
    ("VT-IR-LED", "Đèn LED hồng ngoại 850 nm", "piece", 22_000, "CN", "Everlight", "SH"),
    ("VT-THERMAL", "Lõi ảnh nhiệt 640×512", "piece", 38_000_000, "IL", "SCD Semiconductor Devices", "SH"),
    ("VT-PCB", "Mạch in nhiều lớp trắng", "piece", 65_000, "VN", "Công ty Mạch in Sông Hàn", "SH"),
    ("VT-PCB-HDI", "Mạch in HDI 8 lớp", "piece", 210_000, "KR", "Daeduck Electronics", "SH"),
    ("VT-MCU", "Vi điều khiển ARM Cortex-M4", "piece", 95_000, "US", "STMicroelectronics Inc.", "SH"),
    ("VT-RF-IC", "Vi mạch thu phát RF", "piece", 310_000, "US", "Analog Devices", "SH"),
    ("VT-RF-PA", "Khuếch đại công suất RF", "piece", 260_000, "JP", "Mitsubishi Electric", "SH"),
    ("VT-DSP", "Vi mạch xử lý tín hiệu số", "piece", 280_000, "US", "Texas Instruments", "SH"),
    ("VT-ANTEN", "Anten VHF/UHF", "piece", 85_000, "VN", "Công ty Điện tử Viễn thông Sông Hàn", "SH"),
    ("VT-GPS", "Mô-đun định vị GNSS", "piece", 240_000, "CH", "u-blox", "SH"),
    ("VT-LCD", "Màn hình LCD 2.4 inch", "piece", 190_000, "KR", "LG Display", "SH"),
    ("VT-LCD7", "Màn hình cảm ứng 7 inch", "piece", 1_250_000, "KR", "LG Display", "HH"),
    ("VT-CELL", "Pin Li-ion 18650 3.500 mAh", "piece", 78_000, "KR", "Samsung SDI", "SH"),
    ("VT-CELL-VN", "Pin Li-ion 18650 sản xuất trong nước", "piece", 64_000, "VN", "Công ty Pin Hà Nội", "SH"),
    ("VT-BMS", "Vi mạch quản lý pin", "piece", 72_000, "CN", "Texas Instruments Shenzhen", "SH"),
    ("VT-LOA", "Loa 1 W chống nước", "piece", 28_000, "CN", "AAC Technologies", "SH"),
    ("VT-MIC", "Micro MEMS", "piece", 15_000, "CN", "Goertek", "SH"),
    ("VT-NFC", "Vi mạch đọc NFC/ISO 14443", "piece", 145_000, "DE", "Infineon Technologies", "HH"),
    ("VT-SE", "Vi mạch bảo mật (secure element)", "piece", 160_000, "DE", "Infineon Technologies", "HH"),
    ("VT-FP", "Cảm biến vân tay quang học", "piece", 690_000, "KR", "Suprema", "HH"),
    ("VT-SSD", "Ổ lưu trữ SSD 1 TB công nghiệp", "piece", 2_600_000, "KR", "Samsung Electronics", "DD"),
    ("VT-HDD", "Ổ cứng giám sát 8 TB", "piece", 5_200_000, "US", "Seagate", "DD"),
    ("VT-CPU-SV", "Bộ vi xử lý máy chủ 32 nhân", "piece", 48_000_000, "US", "Intel", "DD"),
    ("VT-GPU", "Bộ tăng tốc AI GPU", "piece", 210_000_000, "US", "NVIDIA", "DD"),
    ("VT-RAM", "Bộ nhớ máy chủ 64 GB ECC", "piece", 6_800_000, "KR", "SK hynix", "DD"),
    ("VT-MB-SV", "Bo mạch chủ máy chủ", "piece", 14_000_000, "TW", "Supermicro", "DD"),
    ("VT-NIC", "Card mạng 25 GbE", "piece", 7_500_000, "US", "Broadcom", "LH"),
    ("VT-FPGA", "Vi mạch FPGA", "piece", 4_200_000, "US", "AMD Xilinx", "LH"),
    ("VT-CASE-1U", "Vỏ máy chủ 1U", "piece", 2_100_000, "VN", "Công ty Cơ khí chính xác Đông Đô", "LH"),
    ("VT-PSU", "Bộ nguồn công nghiệp 500 W", "piece", 2_400_000, "TW", "Delta Electronics", "LH"),
    ("VT-OS-LIC", "Bản quyền hệ điều hành nhúng", "licence", 350_000, "US", "Wind River", "LH"),
    ("VT-DB-LIC", "Bản quyền cơ sở dữ liệu", "licence", 12_000_000, "US", "Oracle", "DD"),
    ("VT-LED", "Chip LED công suất cao", "piece", 35_000, "JP", "Nichia", "TL"),
    ("VT-TASER-HV", "Mô-đun cao áp xung điện", "piece", 820_000, "CN", "Shenzhen Hi-Volt", "BT"),
    # chemistry, fire, marine
    ("VT-CAPSAICIN", "Tinh chất capsaicin (OC 10%)", "l", 1_650_000, "IN", "Synthite Industries", "BT"),
    ("VT-DUNG-MOI", "Dung môi pha chế", "l", 45_000, "VN", "Công ty Hóa chất Đức Giang", "BT"),
    ("VT-BINH-AL", "Bình áp lực nhôm 60 ml", "piece", 26_000, "VN", "Công ty Bao bì Sài Gòn", "BT"),
    ("VT-VAN-XIT", "Van và đầu phun định liều", "piece", 19_000, "IT", "Coster Tecnologie", "BT"),
    ("VT-KHI-N2", "Khí đẩy nitơ", "l", 12_000, "VN", "Công ty Khí công nghiệp Việt Nam", "BT"),
    ("VT-BOT-CC", "Bột chữa cháy ABC", "kg", 48_000, "VN", "Công ty Hóa chất PCCC Đồng Nai", "AP"),
    ("VT-FOAM", "Chất tạo bọt AFFF 3%", "l", 135_000, "DE", "Dr. Sthamer", "AP"),
    ("VT-BINH-THEP", "Vỏ bình thép chịu áp", "piece", 210_000, "VN", "Công ty Cơ khí Đồng Nai", "AP"),
    ("VT-BINH-COMP", "Bình khí composite 6.8 l", "piece", 9_800_000, "DE", "Dräger Safety", "AP"),
    ("VT-VAN-THO", "Van điều áp thở", "piece", 4_600_000, "DE", "Dräger Safety", "AP"),
    ("VT-MAT-NA", "Mặt nạ toàn mặt", "piece", 3_900_000, "US", "MSA Safety", "AP"),
    ("VT-BOM-LT", "Bơm ly tâm chữa cháy", "piece", 68_000_000, "IT", "Rosenbauer Italia", "AP"),
    ("VT-VOI", "Vòi chữa cháy D65", "m", 95_000, "VN", "Công ty Thiết bị PCCC Sài Gòn", "AP"),
    ("VT-DONG-CO", "Động cơ diesel thủy 6 xi-lanh", "piece", 1_350_000_000, "JP", "Yanmar", "HL"),
    ("VT-DONG-CO-NG", "Động cơ xăng ngoài 200 HP", "piece", 420_000_000, "JP", "Yamaha Motor", "HL"),
    ("VT-HOP-SO", "Hộp số thủy", "piece", 310_000_000, "DE", "ZF Friedrichshafen", "HL"),
    ("VT-CHAN-VIT", "Chân vịt hợp kim đồng", "piece", 46_000_000, "VN", "Công ty Đúc Hải Phòng", "HL"),
    ("VT-TRUC", "Trục chân vịt inox", "piece", 28_000_000, "VN", "Công ty Cơ khí Hạ Long", "HL"),
    ("VT-COMPOSITE", "Sợi thủy tinh và nhựa composite", "kg", 88_000, "VN", "Công ty Composite Hải Phòng", "HL"),
    ("VT-THEP-TAU", "Thép đóng tàu AH36", "t", 21_500_000, "VN", "Công ty Thép Hòa Phát", "HL"),
    ("VT-RADAR", "Ra-đa hàng hải băng X", "piece", 180_000_000, "JP", "Furuno Electric", "HL"),
    ("VT-ECHO", "Máy đo sâu hồi âm", "piece", 32_000_000, "JP", "Furuno Electric", "HL"),
    # forensics, biotech
    ("VT-THUOC-THU", "Bộ thuốc thử ma túy nhanh", "set", 210_000, "US", "Sirchie", "HH"),
    ("VT-BOT-VT", "Bột hiện vân tay từ tính", "g", 3_800, "US", "Sirchie", "HH"),
    ("VT-DEN-UV", "Đèn cực tím 365 nm", "piece", 420_000, "CN", "Shenzhen Uvled", "HH"),
    ("VT-HOP-DUNG", "Hộp đựng chuyên dụng chống sốc", "piece", 380_000, "VN", "Công ty Nhựa Tiền Phong", "HH"),
    ("VT-ENZYME", "Enzyme khuếch đại PCR", "ml", 2_400_000, "US", "Thermo Fisher Scientific", "TS"),
    ("VT-MOI", "Bộ mồi (primer) STR", "set", 18_000_000, "US", "Promega", "TS"),
    ("VT-ONG-NGHIEM", "Ống nghiệm vô trùng", "box", 120_000, "VN", "Công ty Vật tư y tế Hà Nội", "TS"),
]

# Made parts, modules and assemblies (bottom-up): code, name, class, owner, lines [(component, quantity, unit?)]
MADE = [
    # --- materials and armour ------------------------------------------------------------------------
    ("BP-VAI-ARAMID", "Vải dệt aramid 4 lớp", "technical_material", "TB", [("VT-ARAMID", "0.4", None, "4")]),
    (
        "BP-TAM-ARAMID",
        "Tấm aramid chống đạn cấp IIIA (30×25 cm)",
        "technical_material",
        "TB",
        [("BP-VAI-ARAMID", "1"), ("VT-EPOXY", "60", "g")],
    ),
    ("BP-TAM-PE", "Tấm UHMWPE ép nóng (25×30 cm)", "technical_material", "TB", [("VT-UHMWPE", "0.9")]),
    (
        "BP-TAM-GOM-SIC",
        "Tấm gốm SiC ghép lớp cấp IV",
        "technical_material",
        "TB",
        [("VT-SIC", "1"), ("BP-TAM-PE", "1"), ("VT-EPOXY", "0.15")],
    ),
    (
        "BP-TAM-GOM-AL",
        "Tấm gốm Al₂O₃ ghép lớp cấp III",
        "technical_material",
        "TB",
        [("VT-ALO", "1"), ("BP-TAM-PE", "1"), ("VT-EPOXY", "0.15")],
    ),
    (
        "BP-KHOI-GIAP-T",
        "Khối chống đạn mặt trước",
        "technical_material",
        "TB",
        [("BP-TAM-ARAMID", "2"), ("VT-VAI-PE", "0.4")],
    ),
    (
        "BP-KHOI-GIAP-S",
        "Khối chống đạn mặt sau",
        "technical_material",
        "TB",
        [("BP-TAM-ARAMID", "2"), ("VT-VAI-PE", "0.4")],
    ),
    (
        "BP-VO-AO-GIAP",
        "Vỏ áo giáp vải ngụy trang",
        "uniform",
        "PN",
        [("VT-VAI-KK", "1.6"), ("VT-KHOA-DAN", "1.2"), ("VT-CHI", "0.3")],
    ),
    (
        "BP-VO-MU-ARAMID",
        "Vỏ mũ ép aramid",
        "technical_material",
        "TB",
        [("BP-TAM-ARAMID", "3", None, "5"), ("VT-NHUA-PF", "0.35")],
    ),
    ("BP-LOT-MU", "Bộ lót và quai mũ", "uniform", "PN", [("VT-VAI-PE", "0.3"), ("VT-KHOA-DAN", "0.2")]),
    ("BP-KINH-CHAN", "Kính chắn polycarbonate", "support_tool", "TL", [("VT-PC", "0.8")]),
    ("BP-THANH-NHOM", "Thanh nhôm định hình khung khiên", "component", "TL", [("VT-NHOM", "1.3", None, "8")]),
    ("BP-KHUNG-KHIEN", "Khung khiên nhôm", "support_tool", "TL", [("BP-THANH-NHOM", "1"), ("VT-OC-VIT", "1")]),
    # --- mechanics of support tools ------------------------------------------------------------------
    ("BP-PHOI-DUI", "Phôi rèn thân dùi cui", "component", "TL", [("VT-THEP-HK", "450", "g", "3")]),
    ("BP-THAN-DUI", "Thân dùi cui thép hợp kim", "support_tool", "TL", [("BP-PHOI-DUI", "3"), ("VT-OC-VIT", "1")]),
    ("BP-CAN-DUI", "Cán dùi cui bọc cao su", "support_tool", "TL", [("VT-CAOSU", "0.12"), ("VT-NHOM", "0.05")]),
    ("BP-PHOI-KHOA", "Chi tiết dập cơ cấu khóa", "component", "TL", [("VT-THEP-KG", "0.12", None, "5")]),
    ("BP-MAT-KHOA", "Cơ cấu khóa còng", "support_tool", "TL", [("BP-PHOI-KHOA", "1"), ("VT-OC-VIT", "1")]),
    (
        "BP-CHIET-XUAT-OC",
        "Dịch chiết OC cô đặc",
        "support_tool",
        "BT",
        [("VT-CAPSAICIN", "8", "ml"), ("VT-DUNG-MOI", "20", "ml")],
    ),
    (
        "BP-DUNG-DICH-OC",
        "Dung dịch cay OC pha chế",
        "support_tool",
        "BT",
        [("BP-CHIET-XUAT-OC", "1"), ("VT-DUNG-MOI", "30", "ml")],
    ),
    # --- electronics: the shared modules -------------------------------------------------------------
    ("BP-MACH-NGUON", "Mạch nguồn DC-DC", "component", "SH", [("VT-PCB", "1"), ("VT-MCU", "1")]),
    ("BP-CUM-CELL-2S", "Cụm cell pin 2S", "component", "SH", [("VT-CELL", "2"), ("VT-BMS", "1")]),
    ("BP-CUM-CELL-4S", "Cụm cell pin 4S2P", "component", "SH", [("VT-CELL", "8"), ("VT-BMS", "1")]),
    (
        "BP-PIN-2S",
        "Khối pin Li-ion 7,4 V 3.500 mAh",
        "component",
        "SH",
        [("BP-CUM-CELL-2S", "1"), ("VT-PCB", "1"), ("VT-ABS", "50", "g")],
    ),
    (
        "BP-PIN-4S",
        "Khối pin Li-ion 14,8 V 7.000 mAh",
        "component",
        "SH",
        [("BP-CUM-CELL-4S", "1"), ("VT-PCB", "1"), ("VT-ABS", "120", "g")],
    ),
    (
        "BP-MACH-RF",
        "Mạch thu phát RF lắp ráp",
        "component",
        "SH",
        [("VT-RF-IC", "1"), ("VT-RF-PA", "1"), ("VT-PCB-HDI", "1")],
    ),
    (
        "BP-MODULE-RF",
        "Mô-đun thu phát vô tuyến VHF/UHF",
        "component",
        "SH",
        [("BP-MACH-RF", "1"), ("VT-DSP", "1"), ("VT-SE", "1")],
    ),
    ("BP-MACH-DK", "Mạch điều khiển trung tâm", "component", "SH", [("VT-MCU", "1"), ("VT-PCB", "1")]),
    ("BP-MACH-XL-ANH", "Mạch xử lý ảnh", "component", "SH", [("VT-SOC", "1"), ("VT-PCB-HDI", "1")]),
    ("BP-MACH-XL-AI", "Mạch xử lý ảnh có NPU", "component", "SH", [("VT-SOC-AI", "1"), ("VT-PCB-HDI", "1")]),
    (
        "BP-MODULE-CAM",
        "Mô-đun camera 4 MP",
        "component",
        "SH",
        [("VT-CMOS", "1"), ("BP-MACH-XL-ANH", "1"), ("VT-LENS", "1")],
    ),
    (
        "BP-MODULE-CAM-AI",
        "Mô-đun camera 8 MP có nhận dạng AI",
        "component",
        "SH",
        [("VT-CMOS", "1"), ("BP-MACH-XL-AI", "1"), ("VT-LENS", "1")],
    ),
    ("BP-MODULE-IR", "Mô-đun chiếu sáng hồng ngoại", "component", "SH", [("VT-IR-LED", "6"), ("VT-PCB", "1")]),
    (
        "BP-MODULE-NHIET",
        "Mô-đun ảnh nhiệt",
        "component",
        "SH",
        [("VT-THERMAL", "1"), ("VT-DSP", "1"), ("VT-PCB-HDI", "1")],
    ),
    ("BP-MACH-DOC-CHIP", "Mạch anten và đọc NFC", "component", "HH", [("VT-NFC", "1"), ("VT-PCB", "1")]),
    (
        "BP-MODULE-DOC-CHIP",
        "Mô-đun đọc chip CCCD",
        "component",
        "HH",
        [("BP-MACH-DOC-CHIP", "1"), ("VT-SE", "1"), ("VT-MCU", "1")],
    ),
    ("BP-VO-CAM", "Vỏ camera nhôm đúc IP67", "component", "SH", [("VT-NHOM", "0.6"), ("VT-OC-VIT", "1")]),
    ("BP-VO-CAM-DOME", "Vỏ camera dome chống va đập", "component", "SH", [("VT-PC", "0.3"), ("VT-NHOM", "0.3")]),
    ("BP-VO-BODYCAM", "Vỏ camera đeo người", "component", "SH", [("VT-ABS", "90", "g"), ("VT-OC-VIT", "1")]),
    ("BP-VO-MAY-BD", "Vỏ máy bộ đàm chống nước", "component", "SH", [("VT-ABS", "140", "g"), ("VT-CAOSU", "0.02")]),
    (
        "BP-GIAO-DIEN-AT",
        "Khối loa, micro và phím",
        "component",
        "SH",
        [("VT-LOA", "1"), ("VT-MIC", "1"), ("VT-LCD", "1"), ("VT-PCB", "1")],
    ),
    (
        "BP-BO-MACH-SV",
        "Bo mạch máy chủ lắp sẵn CPU và bộ nhớ",
        "component",
        "LH",
        [("VT-MB-SV", "1"), ("VT-CPU-SV", "1"), ("VT-RAM", "4")],
    ),
    (
        "BP-MAY-CHU-1U",
        "Máy chủ 1U lắp ráp trong nước",
        "equipment",
        "LH",
        [("VT-CASE-1U", "1"), ("BP-BO-MACH-SV", "1"), ("VT-SSD", "2"), ("VT-PSU", "2"), ("VT-NIC", "1")],
    ),
    (
        "BP-MAY-CHU-AI",
        "Máy chủ suy luận AI",
        "equipment",
        "DD",
        [("BP-MAY-CHU-1U", "1"), ("VT-GPU", "2"), ("VT-RAM", "4")],
    ),
    (
        "BP-THIET-BI-LUU",
        "Khối lưu trữ video 64 TB",
        "equipment",
        "DD",
        [("VT-CASE-1U", "1"), ("VT-HDD", "8"), ("BP-MACH-DK", "1"), ("VT-PSU", "1")],
    ),
    (
        "BP-PHAN-CUNG-FW",
        "Phần cứng tường lửa FPGA",
        "cyber",
        "LH",
        [("BP-MAY-CHU-1U", "1"), ("VT-FPGA", "2"), ("VT-NIC", "2")],
    ),
    # --- forensics, biotech, uniforms ------------------------------------------------------------------
    ("BP-BO-HIEN-VT", "Bộ hiện vân tay", "technical_means", "HH", [("VT-BOT-VT", "120"), ("VT-HOP-DUNG", "1")]),
    ("BP-DEN-KN", "Đèn khám nghiệm đa phổ", "technical_means", "HH", [("VT-DEN-UV", "2"), ("BP-PIN-2S", "1")]),
    ("BP-HON-HOP-PCR", "Hỗn hợp phản ứng PCR", "biotech", "TS", [("VT-ENZYME", "0.5"), ("VT-ONG-NGHIEM", "1")]),
    ("BP-BO-STR", "Bộ phản ứng STR 24 locus", "biotech", "TS", [("BP-HON-HOP-PCR", "2"), ("VT-MOI", "1")]),
    ("BP-CAT-KK", "Bộ chi tiết cắt vải ngụy trang", "uniform", "PN", [("VT-VAI-KK", "1.8", None, "6")]),
    (
        "BP-AO-QP",
        "Áo quân phục dã chiến",
        "uniform",
        "PN",
        [("BP-CAT-KK", "1"), ("VT-CHI", "0.5"), ("VT-KHOA-DAN", "0.3")],
    ),
    ("BP-QUAN-QP", "Quần quân phục dã chiến", "uniform", "PN", [("BP-CAT-KK", "1"), ("VT-CHI", "0.4")]),
    ("BP-CAT-PE", "Bộ chi tiết cắt vải chống thấm", "uniform", "PN", [("VT-VAI-PE", "2.2", None, "6")]),
    ("BP-AO-MUA", "Áo mưa chiến thuật", "uniform", "PN", [("BP-CAT-PE", "1"), ("VT-CHI", "0.3")]),
    ("BP-CAT-DA", "Bộ chi tiết cắt da mũ giày", "uniform", "PN", [("VT-DA", "0.35", None, "10")]),
    ("BP-MU-GIAY", "Mũ giày da khâu hoàn chỉnh", "uniform", "PN", [("BP-CAT-DA", "1"), ("VT-CHI", "0.2")]),
    ("BP-CAT-NOMEX", "Bộ chi tiết cắt vải chống cháy", "fire_rescue", "AP", [("VT-VAI-NOMEX", "3.2", None, "5")]),
    (
        "BP-AO-CC",
        "Áo chữa cháy ba lớp",
        "fire_rescue",
        "AP",
        [("BP-CAT-NOMEX", "1"), ("VT-CHI", "0.5"), ("VT-KHOA-DAN", "0.5")],
    ),
    # --- fire and rescue ----------------------------------------------------------------------------
    ("BP-VO-BINH", "Vỏ bình sơn tĩnh điện", "fire_rescue", "AP", [("VT-BINH-THEP", "1")]),
    ("BP-BINH-BOT", "Bình bột chữa cháy 8 kg", "fire_rescue", "AP", [("BP-VO-BINH", "1"), ("VT-BOT-CC", "8")]),
    ("BP-CUM-VAN", "Cụm van thở và mặt nạ", "fire_rescue", "AP", [("VT-VAN-THO", "1"), ("VT-MAT-NA", "1")]),
    ("BP-BO-THO", "Bộ dưỡng khí và van thở", "fire_rescue", "AP", [("VT-BINH-COMP", "1"), ("BP-CUM-VAN", "1")]),
    (
        "BP-CUM-BOM",
        "Cụm bơm chữa cháy lắp khung",
        "fire_rescue",
        "AP",
        [("VT-BOM-LT", "1"), ("VT-THEP-HK", "180"), ("VT-VOI", "60")],
    ),
    # --- patrol craft -------------------------------------------------------------------------------
    ("BP-THAN-TAU-12", "Thân vỏ composite xuồng 12 m", "patrol_craft", "HL", [("VT-COMPOSITE", "3800")]),
    ("BP-THAN-TAU-25", "Thân vỏ thép tàu 25 m", "patrol_craft", "HL", [("VT-THEP-TAU", "48"), ("VT-COMPOSITE", "900")]),
    ("BP-TRUC-CHAN-VIT", "Cụm trục và chân vịt", "patrol_craft", "HL", [("VT-CHAN-VIT", "1"), ("VT-TRUC", "1")]),
    (
        "BP-CUM-DONG-LUC",
        "Cụm động lực diesel",
        "patrol_craft",
        "HL",
        [("VT-DONG-CO", "1"), ("VT-HOP-SO", "1"), ("BP-TRUC-CHAN-VIT", "1")],
    ),
    (
        "BP-CUM-DONG-LUC-NG",
        "Cụm động lực máy ngoài",
        "patrol_craft",
        "HL",
        [("VT-DONG-CO-NG", "2"), ("BP-MACH-DK", "1")],
    ),
]

# Families of end products: prefix, name, class, owner, models, lifecycle weights, components
# (component, min, max quantity), optional alternatives {slot: [codes]} chosen per model, margin range.
FAMILIES: list[dict[str, Any]] = [
    {
        "prefix": "DC",
        "name": "Dùi cui điện tử",
        "cls": "support_tool",
        "owner": "BT",
        "models": 5,
        "lines": [
            ("BP-THAN-DUI", 1, 1),
            ("BP-CAN-DUI", 1, 1),
            ("VT-TASER-HV", 1, 1),
            ("BP-PIN-2S", 1, 1),
            ("VT-LED", 1, 2),
        ],
        "margin": (1.4, 1.8),
    },
    {
        "prefix": "DCK",
        "name": "Dùi cui kim loại gấp",
        "cls": "support_tool",
        "owner": "TL",
        "models": 5,
        "lines": [("BP-THAN-DUI", 1, 1), ("BP-CAN-DUI", 1, 1), ("VT-OC-VIT", 1, 1)],
        "margin": (1.3, 1.7),
    },
    {
        "prefix": "KCD",
        "name": "Khiên chống đạn",
        "cls": "support_tool",
        "owner": "TL",
        "models": 4,
        "lines": [("BP-KHUNG-KHIEN", 1, 1), ("BP-TAM-ARAMID", 6, 10), ("BP-KINH-CHAN", 1, 1), ("VT-LED", 0, 4)],
        "margin": (1.3, 1.6),
    },
    {
        "prefix": "KCV",
        "name": "Khiên chống va đập",
        "cls": "support_tool",
        "owner": "TL",
        "models": 4,
        "lines": [("BP-KHUNG-KHIEN", 1, 1), ("BP-KINH-CHAN", 1, 2), ("VT-CAOSU", 1, 2)],
        "margin": (1.3, 1.6),
    },
    {
        "prefix": "MCD",
        "name": "Mũ chống đạn",
        "cls": "support_tool",
        "owner": "PN",
        "models": 5,
        "lines": [("BP-VO-MU-ARAMID", 1, 1), ("BP-LOT-MU", 1, 1), ("VT-OC-VIT", 1, 1)],
        "margin": (1.3, 1.7),
    },
    {
        "prefix": "AG",
        "name": "Áo giáp chống đạn cấp IIIA",
        "cls": "support_tool",
        "owner": "PN",
        "models": 5,
        "lines": [("BP-KHOI-GIAP-T", 1, 1), ("BP-KHOI-GIAP-S", 1, 1), ("BP-VO-AO-GIAP", 1, 1)],
        "margin": (1.3, 1.6),
    },
    {
        "prefix": "AGN",
        "name": "Áo giáp chống đạn cấp IV",
        "cls": "support_tool",
        "owner": "PN",
        "models": 4,
        "lines": [("BP-KHOI-GIAP-T", 1, 1), ("BP-KHOI-GIAP-S", 1, 1), ("BP-VO-AO-GIAP", 1, 1)],
        "alternatives": {"plate": ["BP-TAM-GOM-SIC", "BP-TAM-GOM-AL"]},
        "plate_qty": 2,
        "margin": (1.3, 1.5),
    },
    {
        "prefix": "CS",
        "name": "Còng số 8",
        "cls": "support_tool",
        "owner": "TL",
        "models": 4,
        "lines": [("BP-MAT-KHOA", 2, 2), ("VT-THEP-KG", 1, 1)],
        "margin": (1.5, 2.0),
    },
    {
        "prefix": "BXC",
        "name": "Bình xịt hơi cay",
        "cls": "support_tool",
        "owner": "BT",
        "models": 5,
        "lines": [("BP-DUNG-DICH-OC", 1, 2), ("VT-BINH-AL", 1, 1), ("VT-VAN-XIT", 1, 1), ("VT-KHI-N2", 1, 1)],
        "margin": (1.6, 2.2),
    },
    {
        "prefix": "CAM",
        "name": "Camera giám sát thân trụ",
        "cls": "technical_means",
        "owner": "SH",
        "models": 5,
        "lines": [("BP-MODULE-CAM", 1, 1), ("BP-VO-CAM", 1, 1), ("BP-MODULE-IR", 1, 2), ("BP-MACH-NGUON", 1, 1)],
        "margin": (1.3, 1.7),
    },
    {
        "prefix": "CAMD",
        "name": "Camera giám sát bán cầu",
        "cls": "technical_means",
        "owner": "SH",
        "models": 4,
        "lines": [("BP-MODULE-CAM", 1, 1), ("BP-VO-CAM-DOME", 1, 1), ("BP-MODULE-IR", 1, 1), ("BP-MACH-NGUON", 1, 1)],
        "margin": (1.3, 1.7),
    },
    {
        "prefix": "CAMAI",
        "name": "Camera nhận dạng khuôn mặt",
        "cls": "technical_means",
        "owner": "SH",
        "models": 4,
        "lines": [("BP-MODULE-CAM-AI", 1, 1), ("BP-VO-CAM", 1, 1), ("BP-MODULE-IR", 1, 2), ("BP-MACH-NGUON", 1, 1)],
        "margin": (1.3, 1.6),
    },
    {
        "prefix": "CAMN",
        "name": "Camera ảnh nhiệt",
        "cls": "technical_means",
        "owner": "SH",
        "models": 4,
        "lines": [("BP-MODULE-NHIET", 1, 1), ("BP-MODULE-CAM", 1, 1), ("BP-VO-CAM", 1, 1), ("BP-MACH-NGUON", 1, 1)],
        "margin": (1.2, 1.4),
    },
    {
        "prefix": "BWC",
        "name": "Camera đeo người",
        "cls": "technical_means",
        "owner": "SH",
        "models": 4,
        "lines": [
            ("BP-MODULE-CAM", 1, 1),
            ("BP-VO-BODYCAM", 1, 1),
            ("BP-PIN-2S", 1, 1),
            ("VT-GPS", 0, 1),
            ("BP-GIAO-DIEN-AT", 1, 1),
        ],
        "margin": (1.3, 1.7),
    },
    {
        "prefix": "BD",
        "name": "Máy bộ đàm cầm tay",
        "cls": "technical_means",
        "owner": "SH",
        "models": 5,
        "lines": [
            ("BP-MODULE-RF", 1, 1),
            ("BP-VO-MAY-BD", 1, 1),
            ("BP-PIN-2S", 1, 1),
            ("VT-ANTEN", 1, 1),
            ("BP-GIAO-DIEN-AT", 1, 1),
            ("VT-GPS", 0, 1),
        ],
        "margin": (1.3, 1.7),
    },
    {
        "prefix": "BDX",
        "name": "Máy thông tin vô tuyến lắp xe",
        "cls": "technical_means",
        "owner": "SH",
        "models": 4,
        "lines": [
            ("BP-MODULE-RF", 1, 2),
            ("BP-PIN-4S", 1, 1),
            ("VT-ANTEN", 1, 2),
            ("BP-GIAO-DIEN-AT", 1, 1),
            ("VT-GPS", 1, 1),
        ],
        "margin": (1.3, 1.6),
    },
    {
        "prefix": "DCC",
        "name": "Thiết bị đọc chip căn cước",
        "cls": "technical_means",
        "owner": "HH",
        "models": 5,
        "lines": [
            ("BP-MODULE-DOC-CHIP", 1, 1),
            ("BP-PIN-2S", 1, 1),
            ("VT-LCD7", 0, 1),
            ("VT-FP", 0, 1),
            ("VT-ABS", 1, 1),
        ],
        "margin": (1.4, 1.8),
    },
    {
        "prefix": "VALY",
        "name": "Vali khám nghiệm hiện trường",
        "cls": "technical_means",
        "owner": "HH",
        "models": 4,
        "lines": [("VT-HOP-DUNG", 1, 1), ("BP-BO-HIEN-VT", 1, 2), ("BP-DEN-KN", 1, 1), ("VT-THUOC-THU", 1, 3)],
        "margin": (1.3, 1.7),
    },
    {
        "prefix": "ADN",
        "name": "Bộ kít giám định ADN",
        "cls": "biotech",
        "owner": "TS",
        "models": 4,
        "lines": [("BP-BO-STR", 1, 3), ("VT-ONG-NGHIEM", 1, 2)],
        "margin": (1.2, 1.5),
    },
    {
        "prefix": "QP",
        "name": "Bộ quân phục chiến đấu",
        "cls": "uniform",
        "owner": "PN",
        "models": 5,
        "lines": [("BP-AO-QP", 1, 2), ("BP-QUAN-QP", 1, 2), ("VT-KHOA-DAN", 0, 1)],
        "margin": (1.3, 1.6),
    },
    {
        "prefix": "QPM",
        "name": "Bộ trang phục mưa",
        "cls": "uniform",
        "owner": "PN",
        "models": 4,
        "lines": [("BP-AO-MUA", 1, 1), ("BP-CAT-PE", 0, 1), ("VT-CHI", 1, 1)],
        "margin": (1.3, 1.6),
    },
    {
        "prefix": "GD",
        "name": "Giày da chiến thuật",
        "cls": "uniform",
        "owner": "PN",
        "models": 4,
        "lines": [("BP-MU-GIAY", 1, 1), ("VT-DE-GIAY", 1, 1), ("VT-CHI", 1, 1)],
        "margin": (1.3, 1.6),
    },
    {
        "prefix": "DPC",
        "name": "Đèn pin chiến thuật",
        "cls": "equipment",
        "owner": "TL",
        "models": 4,
        "lines": [("VT-LED", 1, 3), ("VT-NHOM", 1, 1), ("BP-PIN-2S", 1, 1), ("BP-MACH-NGUON", 1, 1)],
        "margin": (1.4, 1.8),
    },
    {
        "prefix": "BCC",
        "name": "Bình chữa cháy xách tay",
        "cls": "fire_rescue",
        "owner": "AP",
        "models": 4,
        "lines": [("BP-BINH-BOT", 1, 1), ("VT-VAN-XIT", 1, 1)],
        "margin": (1.3, 1.6),
    },
    {
        "prefix": "TPCC",
        "name": "Bộ trang phục chữa cháy",
        "cls": "fire_rescue",
        "owner": "AP",
        "models": 4,
        "lines": [("BP-AO-CC", 1, 1), ("BP-CAT-NOMEX", 1, 1), ("VT-KHOA-DAN", 1, 1)],
        "margin": (1.2, 1.5),
    },
    {
        "prefix": "MTKT",
        "name": "Mặt nạ phòng độc cách ly",
        "cls": "fire_rescue",
        "owner": "AP",
        "models": 4,
        "lines": [("BP-BO-THO", 1, 1), ("BP-PIN-2S", 0, 1), ("BP-MODULE-RF", 0, 1)],
        "margin": (1.15, 1.35),
    },
    {
        "prefix": "FW",
        "name": "Tường lửa thế hệ mới",
        "cls": "cyber",
        "owner": "LH",
        "models": 4,
        "lines": [("BP-PHAN-CUNG-FW", 1, 1), ("VT-OS-LIC", 1, 1)],
        "margin": (1.4, 1.9),
    },
    {
        "prefix": "IDS",
        "name": "Thiết bị phát hiện xâm nhập mạng",
        "cls": "cyber",
        "owner": "LH",
        "models": 4,
        "lines": [("BP-MAY-CHU-1U", 1, 1), ("VT-FPGA", 1, 1), ("VT-OS-LIC", 1, 1)],
        "margin": (1.4, 1.9),
    },
    {
        "prefix": "NVR",
        "name": "Đầu ghi hình mạng",
        "cls": "equipment",
        "owner": "DD",
        "models": 4,
        "lines": [("BP-THIET-BI-LUU", 1, 1), ("BP-MACH-DK", 1, 1), ("VT-OS-LIC", 1, 1)],
        "margin": (1.3, 1.6),
    },
    {
        "prefix": "AIS",
        "name": "Máy chủ phân tích video AI",
        "cls": "cyber",
        "owner": "DD",
        "models": 4,
        "lines": [("BP-MAY-CHU-AI", 1, 1), ("VT-DB-LIC", 1, 1)],
        "margin": (1.3, 1.6),
    },
]

# Families whose first models were localised: (family prefix, models, imported component, domestic one)
LOCALISED = [
    ("CAM", 2, "VT-CMOS", "VT-CMOS-VN"),
    ("CAMD", 2, "VT-LENS", "VT-LENS-VN"),
    ("BD", 2, "VT-CELL", "VT-CELL-VN"),
    ("DC", 2, "VT-CELL", "VT-CELL-VN"),
    ("BWC", 2, "VT-CMOS", "VT-CMOS-VN"),
    ("DCC", 2, "VT-CELL", "VT-CELL-VN"),
]

# Systems and kits made of end products: code, name, class, owner, lines [(code or "FAMILY#n", quantity)], price
SYSTEMS = [
    (
        "HT-GS-NUT",
        "Hệ thống giám sát nút giao thông",
        "technical_means",
        "DD",
        [("CAMAI#1", 4), ("CAM#2", 6), ("NVR#1", 1), ("BP-MACH-NGUON", 2)],
    ),
    (
        "HT-GS-CUA-KHAU",
        "Hệ thống giám sát cửa khẩu",
        "technical_means",
        "DD",
        [("CAMAI#2", 8), ("CAMN#1", 4), ("AIS#1", 1), ("NVR#2", 2), ("DCC#1", 6)],
    ),
    ("HT-GS-TRU-SO", "Hệ thống giám sát trụ sở", "technical_means", "SH", [("CAMD#1", 12), ("CAM#1", 8), ("NVR#1", 1)]),
    (
        "BO-CD-01",
        "Bộ trang bị cảnh sát cơ động",
        "support_tool",
        "TL",
        [("MCD#1", 1), ("AG#1", 1), ("KCV#1", 1), ("DCK#1", 1), ("CS#1", 1), ("BXC#1", 1)],
    ),
    (
        "BO-CD-02",
        "Bộ trang bị chống khủng bố",
        "support_tool",
        "TL",
        [("MCD#3", 1), ("AGN#1", 1), ("KCD#1", 1), ("DC#1", 1), ("BD#1", 1), ("BWC#1", 1), ("DPC#1", 1)],
    ),
    (
        "BO-TT-01",
        "Bộ trang bị tuần tra giao thông",
        "equipment",
        "SH",
        [("BWC#2", 1), ("BD#2", 1), ("DPC#2", 1), ("QPM#1", 1), ("DCC#2", 1)],
    ),
    (
        "BO-KN-01",
        "Bộ trang bị khám nghiệm hiện trường lưu động",
        "technical_means",
        "HH",
        [("VALY#1", 2), ("ADN#1", 1), ("CAM#3", 1), ("DPC#3", 2)],
    ),
    (
        "BO-PCCC-01",
        "Bộ trang bị cứu nạn cứu hộ cá nhân",
        "fire_rescue",
        "AP",
        [("TPCC#1", 1), ("MTKT#1", 1), ("BD#3", 1), ("DPC#4", 1)],
    ),
    (
        "XE-CC-01",
        "Xe chữa cháy cỡ nhỏ chuyên dụng",
        "fire_rescue",
        "AP",
        [("BP-CUM-BOM", 1), ("BCC#1", 4), ("BDX#1", 1), ("MTKT#2", 4), ("BP-PIN-4S", 2)],
    ),
    (
        "X12-TT",
        "Xuồng tuần tra đường sông 12 m",
        "patrol_craft",
        "HL",
        [("BP-THAN-TAU-12", 1), ("BP-CUM-DONG-LUC-NG", 1), ("BDX#2", 1), ("VT-ECHO", 1), ("CAMN#2", 1)],
    ),
    (
        "X12-CN",
        "Xuồng cứu nạn đường sông 12 m",
        "patrol_craft",
        "HL",
        [("BP-THAN-TAU-12", 1), ("BP-CUM-DONG-LUC-NG", 1), ("BD#4", 2), ("BO-PCCC-01", 2)],
    ),
    (
        "T25-TT",
        "Tàu tuần tra ven biển 25 m",
        "patrol_craft",
        "HL",
        [
            ("BP-THAN-TAU-25", 1),
            ("BP-CUM-DONG-LUC", 2),
            ("VT-RADAR", 1),
            ("VT-ECHO", 1),
            ("BDX#3", 2),
            ("CAMN#3", 2),
            ("HT-GS-TRU-SO", 1),
        ],
    ),
    (
        "T25-CH",
        "Tàu chỉ huy tuần tra ven biển 25 m",
        "patrol_craft",
        "HL",
        [
            ("BP-THAN-TAU-25", 1),
            ("BP-CUM-DONG-LUC", 2),
            ("VT-RADAR", 2),
            ("BDX#4", 3),
            ("CAMN#4", 2),
            ("AIS#2", 1),
            ("FW#1", 1),
        ],
    ),
    (
        "HT-ANM-01",
        "Hệ thống giám sát an ninh mạng cấp bộ",
        "cyber",
        "LH",
        [("FW#2", 2), ("IDS#1", 4), ("AIS#3", 1), ("BP-MAY-CHU-1U", 6)],
    ),
    (
        "CUM-TT-BIEN",
        "Cụm tuần tra bảo vệ vùng biển",
        "patrol_craft",
        "HL",
        [("T25-TT", 2), ("T25-CH", 1), ("X12-TT", 2), ("HT-GS-TRU-SO", 1)],
    ),
]

LIFECYCLES = [
    (Lifecycle.SERIAL, 9, 55),
    (Lifecycle.CERTIFIED, 8, 20),
    (Lifecycle.TRIAL, 7, 12),
    (Lifecycle.RESEARCH, 5, 8),
    (Lifecycle.DISCONTINUED, 9, 5),
]
SUFFIX = "ABCDEFGH"
HUNDRED = Decimal(100)


def _present() -> bool:
    return Product.objects.filter(code="VT-ARAMID").exists()


class _Builder:
    def __init__(self, world: DemoWorld) -> None:
        self.world = world
        self.rng = world.rng
        self.actor = world.actor
        self.groups = {g.code: g for g in ProductGroup.objects.all()}
        self.products: dict[str, Product] = {}
        self.cost: dict[str, Decimal] = {}
        self.imported: dict[str, Decimal] = {}
        self.family_models: dict[str, list[str]] = {}

    def owner(self, key: str) -> Any:
        return self.world.orgs[OWNERS[key]]

    def lifecycle(self) -> tuple[str, int]:
        roll = self.rng.randrange(100)
        for value, trl, weight in LIFECYCLES:
            if roll < weight:
                return value, trl if value != Lifecycle.RESEARCH else self.rng.randint(4, 6)
            roll -= weight
        return Lifecycle.SERIAL, 9

    def create(self, code: str, data: dict[str, Any]) -> Product:
        product = services.product_create(actor=self.actor, data={"code": code, **data})
        self.products[code] = product
        return product

    # --- purchased parts ------------------------------------------------------------------------------

    def parts(self) -> None:
        for code, name, unit, price, origin, supplier, owner in PARTS:
            self.create(
                code,
                {
                    "organization": self.owner(owner),
                    "name": name,
                    "product_class": "component" if unit in ("piece", "set", "licence") else "technical_material",
                    "group": self.groups["vat-tu-ky-thuat"],
                    "use": "dual_use",
                    "sourcing": Sourcing.PURCHASED,
                    "supplier": supplier,
                    "origin_country": origin,
                    "unit": unit,
                    "price": Decimal(price),
                    "lifecycle": Lifecycle.SERIAL,
                },
            )
            self.cost[code] = Decimal(price)
            self.imported[code] = Decimal(price) if origin != "VN" else Decimal(0)

    # --- made products ----------------------------------------------------------------------------------

    def made(
        self,
        code: str,
        name: str,
        cls: str,
        owner: str,
        lines: list[tuple],
        *,
        margin: tuple[float, float] | None = None,
        lifecycle: tuple[str, int] | None = None,
        standards: str = "",
    ) -> Product:
        """A made product and its first revision; priced at its cost × margin when ``margin`` is given."""
        cost, imported = Decimal(0), Decimal(0)
        resolved = []
        for line in lines:
            component_code, quantity = line[0], Decimal(str(line[1]))
            unit = line[2] if len(line) > 2 and line[2] else None
            scrap = Decimal(line[3]) if len(line) > 3 else Decimal(0)
            component = self.products[component_code]
            factor = unit_factor(unit, component.unit) if unit else Decimal(1)
            effective = quantity * (factor or Decimal(1)) * (1 + scrap / HUNDRED)
            cost += effective * self.cost[component_code]
            imported += effective * self.imported[component_code]
            resolved.append((component, quantity, unit or component.unit, scrap))
        price = Decimal(0)
        if margin is not None:
            value = cost * Decimal(str(round(self.rng.uniform(*margin), 2)))
            price = (value / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000  # whole thousands
        state, trl = lifecycle or (Lifecycle.SERIAL, 9)
        product = self.create(
            code,
            {
                "organization": self.owner(owner),
                "name": name,
                "product_class": cls,
                "group": self.groups.get(GROUP_OF_CLASS.get(cls, "")),
                "use": "specialised" if cls in ("support_tool", "technical_means", "weapon") else "dual_use",
                "exclusive": cls == "support_tool",
                "strategic_technology": cls in ("cyber", "patrol_craft") or "AI" in name,
                "sourcing": Sourcing.MADE,
                "unit": "set" if name.startswith("Bộ") else "piece",
                "price": price,
                "lifecycle": state,
                "trl": trl,
                "standards": standards,
            },
        )
        revision = services.revision_create(actor=self.actor, product=product, note="Cấu hình tiêu chuẩn")
        for position, (component, quantity, unit, scrap) in enumerate(resolved, 1):
            services.bomline_create(
                actor=self.actor,
                revision=revision,
                data={
                    "component": component,
                    "position": position * 10,
                    "quantity": quantity,
                    "unit": unit,
                    "scrap_percent": scrap,
                },
            )
        product.current_revision = revision
        self.cost[code] = cost
        # a product with a price is valued at it; its parents still roll up its cost
        self.imported[code] = imported
        return product

    def families(self) -> None:
        localised = {prefix: (count, old, new) for prefix, count, old, new in LOCALISED}
        for family in FAMILIES:
            prefix = family["prefix"]
            codes = []
            for n in range(1, family["models"] + 1):
                model = f"{prefix}-{n:02d}{SUFFIX[self.rng.randrange(3)]}"
                lines: list[tuple] = []
                for component, low, high in family["lines"]:
                    quantity = self.rng.randint(low, high)
                    if quantity:
                        lines.append((component, quantity))
                for choices in family.get("alternatives", {}).values():
                    lines.append((choices[(n - 1) % len(choices)], family.get("plate_qty", 1)))
                plan = localised.get(prefix)
                old_new = plan[1:] if plan and n <= plan[0] else None
                self.made(
                    model,
                    f"{family['name']} {model}",
                    family["cls"],
                    family["owner"],
                    lines,
                    margin=family["margin"],
                    lifecycle=self.lifecycle(),
                    standards="TCVN 12709:2019" if family["cls"] == "support_tool" else "",
                )
                if old_new:
                    self.localise(model, *old_new)
                codes.append(model)
            self.family_models[prefix] = codes

    def localise(self, code: str, old: str, new: str) -> None:
        """Revision 1 (with the imported part somewhere below) is frozen; revision 2 takes the domestic part:
        directly when the product uses it, else through a localised copy of the sub-assembly that does."""
        product = self.products[code]
        services.revision_freeze(actor=self.actor, revision=product.current_revision)
        revision = services.revision_create(
            actor=self.actor,
            product=product,
            note=f"Nội địa hóa: thay {self.products[old].name} bằng {self.products[new].name}",
        )
        for line in list(revision.lines.select_related("component")):
            target = self._localised_component(line.component.code, old, new)
            if target is not None:
                services.bomline_update(actor=self.actor, instance=line, data={"component": self.products[target]})

    def _localised_component(self, code: str, old: str, new: str) -> str | None:
        """The domestic twin of ``code`` (made once, "… (nội địa hóa)"), or None if ``old`` is not below it."""
        if code == old:
            return new
        spec = next((m for m in MADE if m[0] == code), None)
        if spec is None:
            return None
        lines, changed = [], False
        for line in spec[4]:
            twin_line = self._localised_component(line[0], old, new)
            changed |= twin_line is not None
            lines.append((twin_line or line[0], *line[1:]))
        if not changed:
            return None
        twin = f"{code}-{new.removeprefix('VT-')}"
        if twin not in self.products:
            self.made(twin, f"{spec[1]} (nội địa hóa)", spec[2], spec[3], lines)
        return twin

    def systems(self) -> None:
        for code, name, cls, owner, lines in SYSTEMS:
            resolved = []
            for ref, quantity in lines:
                if "#" in ref:
                    prefix, n = ref.split("#")
                    ref = self.family_models[prefix][int(n) - 1]
                resolved.append((ref, quantity))
            self.made(code, name, cls, owner, resolved, margin=(1.1, 1.25), lifecycle=self.lifecycle())

    def editions(self) -> None:
        h08 = self.world.orgs["H08"]
        ends = [p for code, p in self.products.items() if not code.startswith(("VT-", "BP-"))]
        published = services.edition_create(
            actor=self.actor,
            data={
                "organization": h08,
                "code": "2025",
                "title": "Danh mục sản phẩm CNAN 2025",
                "decision_number": "1520/QĐ-BCA",
                "decision_date": dt.date(2025, 3, 14),
                "note": "Danh mục sản phẩm, dịch vụ của tổ hợp công nghiệp an ninh quốc gia.",
            },
        )
        listed = [p for p in ends if p.lifecycle in (Lifecycle.SERIAL, Lifecycle.CERTIFIED)]
        services.edition_set_products(actor=self.actor, edition=published, products=listed)
        services.edition_publish(actor=self.actor, edition=published)
        draft = services.edition_create(
            actor=self.actor,
            data={"organization": h08, "code": "2026", "title": "Danh mục sản phẩm CNAN 2026 (dự thảo)"},
        )
        services.edition_set_products(
            actor=self.actor,
            edition=draft,
            products=[p for p in ends if p.lifecycle != Lifecycle.DISCONTINUED],
        )


@register("catalogue", order=30, present=_present)
def build(world: DemoWorld) -> None:
    builder = _Builder(world)
    builder.parts()
    for code, name, cls, owner, lines in MADE:
        builder.made(code, name, cls, owner, lines)
    builder.families()
    builder.systems()
    builder.editions()
    made = sum(1 for p in builder.products.values() if p.sourcing == Sourcing.MADE)
    world.log(
        f"  {len(builder.products)} products ({made} made, {len(builder.products) - made} purchased), "
        f"{CatalogueEdition.objects.count()} editions of the product list"
    )
