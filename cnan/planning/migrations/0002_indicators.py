"""Reference data: the indicators plans and reports use (DOMAIN.md §2.4): the usual plan-vs-actual lines of a
state enterprise, the five evaluation indicators of Decree 365/2025 and the security industry's own lines.
Where the lists overlap (total revenue, profit after tax, ROE) one indicator serves both.

Rerunnable: ``load`` updates the indicators by code (the browser tests reload it after a flush)."""

from decimal import Decimal

from django.db import migrations

# code, Vietnamese name, English name, unit, direction, aggregation, category, evaluation, required, signed,
# {weight|numerator|denominator: code, scale}
INDICATORS = [
    ("SL-SPCY", "Sản lượng sản phẩm chủ yếu", "Output of main products", "product", "higher", "sum", "production", False, False, False, {}),
    ("GTSX", "Giá trị sản xuất công nghiệp", "Industrial production value", "billion_vnd", "higher", "sum", "production", False, False, False, {}),
    ("DT", "Tổng doanh thu", "Total revenue", "billion_vnd", "higher", "sum", "finance", True, True, False, {}),
    ("LNTT", "Lợi nhuận trước thuế", "Profit before tax", "billion_vnd", "higher", "sum", "finance", False, True, True, {}),
    ("LNST", "Lợi nhuận sau thuế", "Profit after tax", "billion_vnd", "higher", "sum", "finance", True, True, True, {}),
    ("NNS", "Nộp ngân sách nhà nước", "State budget paid", "billion_vnd", "higher", "sum", "finance", False, True, False, {}),
    ("KNXK", "Kim ngạch xuất khẩu", "Export turnover", "billion_vnd", "higher", "sum", "production", False, False, False, {}),
    ("VDT", "Vốn đầu tư", "Investment capital", "billion_vnd", "higher", "sum", "investment", False, False, False, {}),
    ("GN-DTDA", "Giá trị thực hiện, giải ngân vốn đầu tư các dự án", "Investment implemented and disbursed", "billion_vnd", "higher", "sum", "investment", True, False, False, {}),
    ("LD", "Lao động bình quân", "Workers", "person", "higher", "sum", "workforce", False, True, False, {}),
    ("QTL", "Quỹ tiền lương", "Wage fund", "billion_vnd", "higher", "sum", "workforce", False, False, False, {}),
    ("TNBQ", "Thu nhập bình quân người lao động", "Average income", "vnd_per_person_month", "higher", "weighted", "workforce", False, True, False, {"weight": "LD"}),
    ("VCSH", "Vốn chủ sở hữu", "Owner's equity", "billion_vnd", "higher", "sum", "finance", False, False, True, {}),
    ("TTS", "Tổng tài sản", "Total assets", "billion_vnd", "higher", "sum", "finance", False, False, False, {}),
    ("NPT", "Nợ phải trả", "Liabilities", "billion_vnd", "lower", "sum", "finance", False, False, False, {}),
    ("NPT-VCSH", "Hệ số nợ phải trả trên vốn chủ sở hữu", "Debt to equity", "percent", "lower", "ratio", "finance", False, False, False, {"numerator": "NPT", "denominator": "VCSH", "scale": Decimal("100")}),
    ("ROE", "Tỷ suất lợi nhuận sau thuế trên vốn chủ sở hữu (ROE)", "Return on equity (ROE)", "percent", "higher", "ratio", "finance", True, False, True, {"numerator": "LNST", "denominator": "VCSH", "scale": Decimal("100")}),
    ("HTNV", "Mức độ hoàn thành nhiệm vụ được giao", "Performance of assigned tasks", "percent", "higher", "average", "evaluation", True, False, False, {}),
    ("DT-CAND", "Doanh thu từ đặt hàng, giao nhiệm vụ của lực lượng Công an", "Revenue from the force's orders", "billion_vnd", "higher", "sum", "security_industry", False, False, False, {}),
    ("DT-LD", "Doanh thu sản phẩm lưỡng dụng, dân sự", "Revenue from dual-use and civil products", "billion_vnd", "higher", "sum", "security_industry", False, False, False, {}),
    ("SP-MOI", "Số sản phẩm mới", "New products", "product", "higher", "sum", "security_industry", False, False, False, {}),
    ("TL-NDH", "Tỷ lệ nội địa hóa", "Localisation rate", "percent", "higher", "weighted", "security_industry", False, False, False, {"weight": "GTSX"}),
    ("GT-TTNK", "Giá trị thay thế hàng nhập khẩu", "Import-substitution value", "billion_vnd", "higher", "sum", "security_industry", False, False, False, {}),
    ("TT-TN", "Tỷ trọng sản phẩm công nghiệp an ninh trong trang bị của lực lượng (theo giá trị)", "Domestic share of the force's equipment (by value)", "percent", "higher", "average", "security_industry", False, False, False, {}),
]  # fmt: skip

CODES = [row[0] for row in INDICATORS]


def load(apps, schema_editor):
    Indicator = apps.get_model("planning", "Indicator")
    for order, (code, name, name_en, unit, direction, aggregation, category, evaluation, required, signed, _links) in (
        enumerate(INDICATORS, start=1)
    ):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "direction": direction,
                "aggregation": aggregation,
                "category": category,
                "evaluation": evaluation,
                "required": required,
                "signed": signed,
                "active": True,
                "order": order * 10,
            },
        )
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}
    for code, *_rest, links in INDICATORS:
        indicator = by_code[code]
        indicator.weight = by_code[links["weight"]] if "weight" in links else None
        indicator.numerator = by_code[links["numerator"]] if "numerator" in links else None
        indicator.denominator = by_code[links["denominator"]] if "denominator" in links else None
        indicator.scale = links.get("scale", Decimal("1"))
        indicator.save(update_fields=["weight", "numerator", "denominator", "scale"])


def unload(apps, schema_editor):
    Indicator = apps.get_model("planning", "Indicator")
    Indicator.objects.filter(code__in=CODES).update(weight=None, numerator=None, denominator=None)
    Indicator.objects.filter(code__in=CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
