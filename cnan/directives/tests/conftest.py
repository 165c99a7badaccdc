"""Fixtures of the directives' tests: a directive of H08 with tasks led by the two enterprises."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import translation

import pytest

from cnan.directives import services


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def directive(world):
    doc = services.document_create(
        actor=None,
        data={
            "organization": world.h08,
            "kind": "directive",
            "number": "03/CT-BCA",
            "issuer": "Bộ trưởng Bộ Công an",
            "issued_on": dt.date(2025, 1, 10),
            "title": "Về tăng cường sử dụng sản phẩm công nghiệp an ninh",
        },
    )
    t1 = services.task_create(
        actor=None,
        document=doc,
        data={
            "number": "1",
            "content": "Rà soát nhu cầu trang bị",
            "lead": world.ent_a,
            "deadline": dt.date(2025, 6, 30),
            "expected_product": "Báo cáo rà soát",
        },
    )
    t2 = services.task_create(
        actor=None,
        document=doc,
        data={
            "number": "2",
            "content": "Báo cáo định kỳ",
            "lead": world.ent_b,
            "regular": True,
            "reporting_cycle": "quarter",
            "expected_product": "Báo cáo quý",
        },
    )
    return SimpleNamespace(doc=doc, t1=t1, t2=t2, world=world)
