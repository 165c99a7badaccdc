"""The data migration 0002_indicators: the preloaded indicators exist with valid aggregations, loading again
changes nothing, and backwards it removes them."""

from __future__ import annotations

import importlib

from django.apps import apps

import pytest

from cnan.core.testing import purge_audit_tables
from cnan.planning.models import Indicator

indicators = importlib.import_module("cnan.planning.migrations.0002_indicators")

LOADED = [
    "SL-SPCY",
    "GTSX",
    "DT",
    "LNTT",
    "LNST",
    "NNS",
    "KNXK",
    "VDT",
    "GN-DTDA",
    "LD",
    "QTL",
    "TNBQ",
    "VCSH",
    "TTS",
] + ["NPT", "NPT-VCSH", "ROE", "HTNV", "DT-CAND", "DT-LD", "SP-MOI", "TL-NDH", "GT-TTNK", "TT-TN"]


@pytest.mark.django_db
def test_the_preloaded_indicators_exist_with_valid_aggregations():
    loaded = list(Indicator.objects.order_by("order"))
    assert [i.code for i in loaded] == LOADED
    for indicator in loaded:
        indicator.full_clean()  # the aggregation's indicators are there (weight, numerator, denominator)
    roe = Indicator.objects.get(code="ROE")
    assert (roe.aggregation, roe.numerator.code, roe.denominator.code, roe.scale, roe.unit) == (
        "ratio",
        "LNST",
        "VCSH",
        100,
        "percent",
    )
    income = Indicator.objects.get(code="TNBQ")
    assert (income.unit, income.aggregation, income.weight.code) == ("vnd_per_person_month", "weighted", "LD")
    assert Indicator.objects.get(code="NPT-VCSH").direction == "lower"
    # one indicator where the usual lines and the evaluation indicators overlap
    assert Indicator.objects.filter(name_en__in=["Total revenue", "Profit after tax"]).count() == 2


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_restores_an_edited_indicator():
    before = list(Indicator.objects.order_by("pk").values_list("pk", "code", "numerator_id", "scale", "order"))
    indicators.load(apps, None)
    assert list(Indicator.objects.order_by("pk").values_list("pk", "code", "numerator_id", "scale", "order")) == before
    Indicator.objects.filter(code="ROE").update(scale=1, numerator=None, name="ROE (sửa)")
    indicators.load(apps, None)
    roe = Indicator.objects.get(code="ROE")
    assert (roe.scale, roe.numerator.code, roe.name) == (
        100,
        "LNST",
        "Tỷ suất lợi nhuận sau thuế trên vốn chủ sở hữu (ROE)",
    )


@pytest.fixture
def clean_after_migrations(transactional_db):
    yield
    purge_audit_tables()


@pytest.mark.django_db(transaction=True)
def test_forwards_loads_and_backwards_removes_the_indicators(clean_after_migrations, migrator):
    old_state = migrator.apply_initial_migration(("planning", "0001_initial"))
    assert old_state.apps.get_model("planning", "Indicator").objects.count() == 0
    new_state = migrator.apply_tested_migration(("planning", "0002_indicators"))
    assert new_state.apps.get_model("planning", "Indicator").objects.count() == len(LOADED)
    back = migrator.apply_tested_migration(("planning", "0001_initial"))
    assert back.apps.get_model("planning", "Indicator").objects.count() == 0
