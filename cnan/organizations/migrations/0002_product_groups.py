"""Reference data: the product groups of the security industry (DOMAIN.md §1.3; focus groups of Art. 45a.2.a)."""

from django.db import migrations

GROUPS = [
    # code, Vietnamese name, English name, focus group of the complex
    ("vu-khi", "Vũ khí", "Weapons", False),
    ("vat-lieu-no", "Vật liệu nổ, tiền chất thuốc nổ", "Explosives and precursors", False),
    ("cong-cu-ho-tro", "Công cụ hỗ trợ", "Support tools", True),
    ("ptktnv", "Phương tiện kỹ thuật nghiệp vụ, giám định", "Professional technical and forensic means", True),
    ("vat-tu-ky-thuat", "Vật tư kỹ thuật", "Technical materials", False),
    ("trang-thiet-bi", "Trang thiết bị, dịch vụ kỹ thuật", "Technical equipment and services", True),
    ("quan-trang", "Quân trang, trang phục Công an", "Police uniforms and gear", True),
    ("pccc-cnch", "Phòng cháy, chữa cháy và cứu nạn, cứu hộ", "Fire-fighting and rescue", True),
    ("tau-xuong", "Tàu, xuồng tuần tra ven biển, đường sông", "Coastal and river patrol craft", True),
    ("an-ninh-mang", "An toàn, an ninh mạng", "Cyber safety and cybersecurity", True),
    ("du-lieu-ai", "Dữ liệu lớn, điện toán đám mây, blockchain, trí tuệ nhân tạo", "Big data, cloud, blockchain, AI", True),
    ("sinh-hoc", "Công nghệ sinh học phục vụ an ninh sinh học", "Biotechnology for biosecurity", True),
]


def load(apps, schema_editor):
    ProductGroup = apps.get_model("organizations", "ProductGroup")
    for order, (code, name, name_en, focus) in enumerate(GROUPS, start=1):
        ProductGroup.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_focus_group": focus, "ordering": order * 10}
        )


def unload(apps, schema_editor):
    ProductGroup = apps.get_model("organizations", "ProductGroup")
    ProductGroup.objects.filter(code__in=[g[0] for g in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
