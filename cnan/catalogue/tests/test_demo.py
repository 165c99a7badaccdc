"""The demo catalogue: built by `manage.py cnan demo` after the organisations, through the services."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db.models import Count, F

import pytest

from cnan.catalogue.models import BOMLine, BOMRevision, CatalogueEdition, Product, ProductRollup
from cnan.core.models import ObjectChange

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_built_rolled_up_and_audited():
    output = StringIO()
    call_command("cnan", "demo", stdout=output)
    assert "… catalogue" in output.getvalue()

    products = Product.objects.count()
    assert 250 <= products <= 400
    # every product has its stored figures, every rate within [0, 100]
    assert ProductRollup.objects.count() == products
    assert not ProductRollup.objects.filter(localisation_rate__lt=0).exists()
    assert not ProductRollup.objects.filter(localisation_rate__gt=100).exists()
    # end products have multi-level BOMs, 3 to 6 levels deep
    ends = ProductRollup.objects.exclude(product__code__startswith="VT-").exclude(product__code__startswith="BP-")
    depths = set(ends.values_list("depth", flat=True))
    assert min(depths) >= 3 and max(depths) == 6
    # shared sub-assemblies (the battery pack, the radio module, the aramid panel) and imported parts
    shared = (
        Product.objects.filter(code__in=["BP-PIN-2S", "BP-MODULE-RF", "BP-TAM-ARAMID"])
        .annotate(parents=Count("used_in_lines__parent", distinct=True))
        .values_list("code", "parents")
    )
    assert all(parents >= 2 for _code, parents in shared) and len(shared) == 3
    imported = Product.objects.exclude(origin_country="VN")
    assert imported.filter(sourcing="purchased").count() >= 50
    assert BOMLine.objects.filter(component__in=imported, revision=F("parent__current_revision")).exists()
    # localised products: revision 1 frozen, revision 2 current with a domestic part, a history that moved up
    localised = BOMRevision.objects.filter(number=2, product__current_revision=F("pk"))
    assert localised.count() >= 6
    for revision in localised.select_related("product")[:3]:
        first = revision.product.revisions.get(number=1)
        assert first.is_frozen
        rates = list(revision.product.rollup_history.order_by("id").values_list("localisation_rate", flat=True))
        assert rates[-1] > rates[-2]
    # the 2025 edition is published with the rates of the day; 2026 is a draft
    published = CatalogueEdition.objects.get(code="2025")
    assert published.title == "Danh mục sản phẩm CNAN 2025" and published.is_published
    assert not published.entries.filter(localisation_rate__isnull=True).exists()
    assert not CatalogueEdition.objects.get(code="2026").is_published
    # written through the audited services
    assert ObjectChange.objects.filter(content_type__model="product", action="create").count() == products
