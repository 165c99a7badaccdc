"""Fixtures of the research tests: the Institute (VKHCN) hosts a ministry-level topic; a department
officer (H08) manages it; a researcher of the Institute runs it; a researcher elsewhere does neither."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

import pytest

from cnan.research import services
from cnan.research.models import Formation, Kind, Level, Selection

START = dt.date(2024, 1, 1)
END = dt.date(2025, 12, 31)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def minutes(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 bien ban hoi dong")


def task_data(world, **extra):
    return {
        "code": "ĐT-BCA-2024-01",
        "title": "Nghiên cứu chế tạo thiết bị giám sát tín hiệu",
        "level": Level.MINISTRY,
        "kind": Kind.TOPIC,
        "formation": Formation.COMMISSION,
        "selection": Selection.DIRECT,
        "host": world.institute,
        "principal_investigator": "TS. Nguyễn Văn An",
        "team": "ThS. Trần Bình\nKS. Lê Cường",
        "start_on": START,
        "end_on": END,
        "budget_total": Decimal("3000000000"),
        **extra,
    }


BUDGET = [
    {"source": "ministry", "year": 2024, "planned": Decimal("2000000000")},
    {"source": "unit", "year": 2025, "planned": Decimal("1000000000")},
]


@pytest.fixture
def people(world, make_user):
    return SimpleNamespace(
        officer=make_user("department_officer", world.h08, clearance=1),
        researcher=make_user("research_officer", world.institute),
        outsider=make_user("research_officer", world.ent_b),
        auditor=make_user("auditor", world.bca),
    )


@pytest.fixture
def topic(world, people):
    task = services.task_create(actor=people.researcher, data=task_data(world), budget=BUDGET)
    services.milestone_create(
        actor=people.researcher,
        task=task,
        data={"content": "Khảo sát, thiết kế", "expected_output": "Hồ sơ thiết kế", "due_on": dt.date(2024, 6, 30)},
    )
    services.milestone_create(
        actor=people.researcher,
        task=task,
        data={"content": "Chế tạo mẫu", "expected_output": "02 mẫu thiết bị", "due_on": dt.date(2025, 9, 30)},
    )
    return task
