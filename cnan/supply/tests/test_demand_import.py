"""Importing a demand plan's lines through the core pipeline (``supply:demand``): classes by code or
Vietnamese label, groups by code, products the user may see; an error per row and column with nothing
written; the commit through ``services.line_create``, all or nothing."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest

from cnan.catalogue import services as catalogue
from cnan.catalogue.models import ProductClass
from cnan.core import imports
from cnan.core.models import ImportBatch, Job
from cnan.core.testing import database_state, import_xlsx, login
from cnan.organizations import services as org_services
from cnan.organizations.models import Organization, ProductGroup
from cnan.supply import services
from cnan.supply.imports import DEMAND
from cnan.supply.models import DemandLine, DemandPlan


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def scene(world, make_user):
    unit = org_services.organization_create(
        actor=None,
        parent=world.bca,
        data={"code": "K02", "name": "Bộ Tư lệnh Cảnh sát cơ động", "kind": Organization.Kind.OPERATIONAL_UNIT},
    )
    group = ProductGroup.objects.order_by("pk").first()
    vest = catalogue.product_create(
        actor=None,
        data={
            "organization": world.ent_a,
            "code": "AGC-01",
            "name": "Áo giáp chống đạn",
            "product_class": "support_tool",
            "group": group,
            "price": Decimal("12000000"),
        },
    )
    uo = make_user("unit_officer", unit)
    plan = services.plan_create(actor=uo, data={"unit": unit, "year": 2026})
    return type(
        "Scene",
        (),
        {
            "unit": unit,
            "group": group,
            "vest": vest,
            "plan": plan,
            "uo": uo,
            "officer": make_user("department_officer", world.h08),
            "leader": make_user("ministry_leader", world.bca),
        },
    )


def row(**values):
    return {
        "product_class": "support_tool",
        "product_group": "",
        "specification": "Áo giáp cấp bảo vệ III",
        "quantity": 100,
        "unit_value": "12.000.000",
        "needed_by": "30/06/2026",
        "force_type": "rapid_response",
        **values,
    }


def validate(user, plan, rows):
    spec = imports.get(DEMAND)
    data = import_xlsx(DEMAND, rows)
    return imports.validate(spec, user, io.BytesIO(data), "nhu-cau.xlsx", {"plan": plan})


def test_the_import_is_offered_to_who_may_change_the_plan(scene):
    url = imports.url_for(scene.uo, DEMAND, plan=scene.plan.pk)
    assert url == reverse("core:import_start", kwargs={"key": DEMAND}) + f"?plan={scene.plan.pk}"
    assert imports.url_for(scene.leader, DEMAND, plan=scene.plan.pk) is None
    spec = imports.get(DEMAND)
    with pytest.raises(Exception):  # noqa: B017, PT011 - not visible: ObjectDoesNotExist; not allowed: PermissionDenied
        imports.resolve_params(scene.leader, spec, {"plan": str(scene.plan.pk)})


def test_template_download(scene):
    client = login(Client(), scene.uo)
    response = client.get(reverse("core:import_template", kwargs={"key": DEMAND}) + f"?plan={scene.plan.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_bad_rows_give_a_message_per_row_and_column_and_nothing_is_written(scene):
    group = scene.group.code
    rows = [
        row(product_class="no-such-class"),  # an unknown class
        row(quantity=0),  # a quantity of zero
        row(needed_by="not a date"),  # a date that is not a date
        row(product="AGC-01", product_class="weapon", product_group=group),  # a product whose class differs
        row(product_group="no-such-group"),
        row(product_class="", unit_value=""),  # neither a class nor a product
        row(needed_by="31/12/2030"),  # beyond the plan's following year
    ]
    before = database_state(("supply", "core"))
    result = validate(scene.officer, scene.plan, rows)
    assert not result.ok
    cells = {(e["row"], e["column"]) for e in result.errors}
    assert (2, "Product class") in cells
    assert (3, "Quantity") in cells
    assert (4, "Needed by") in cells
    assert (5, "Product class") in cells
    assert (6, "Product group") in cells
    assert {(7, "Product class"), (7, "Reference unit value (VND)")} <= cells
    assert (8, "Needed by") in cells
    messages = {e["row"]: e["message"] for e in result.errors}
    assert "another class" in messages[5]
    assert result.rows == []
    assert database_state(("supply", "core")) == before


def test_the_unit_may_not_name_a_product_it_does_not_see(scene):
    result = validate(scene.uo, scene.plan, [row(product="AGC-01")])
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "Product code")]


def test_a_submitted_plan_takes_no_rows(scene):
    services.line_create(
        actor=scene.uo,
        plan=scene.plan,
        data={
            "product_class": "support_tool",
            "specification": "x",
            "quantity": 1,
            "unit_value": 1,
            "needed_by": "2026-06-30",
            "force_type": "other",
        },
    )
    services.plan_transition(actor=scene.uo, plan=scene.plan, action="submit")
    result = validate(scene.uo, scene.plan, [row()])
    assert not result.ok and "returned" in result.errors[0]["message"]


def test_vietnamese_labels_are_accepted_and_the_commit_writes_every_line(scene, django_capture_on_commit_callbacks):
    with translation.override("vi"):
        header = [str(c.label) for c in imports.get(DEMAND).columns]
        rows = [
            row(product_class=str(ProductClass.SUPPORT_TOOL.label)),  # "Công cụ hỗ trợ"
            row(product="AGC-01", product_class="", unit_value="", quantity=20, force_type="investigation"),
            row(product_group=scene.group.code, quantity=5, force_type="other"),
        ]
        data = import_xlsx(DEMAND, rows, header=header)
    client = Client()
    client.cookies["cnan_language"] = "vi"
    login(client, scene.officer)
    url = reverse("core:import_start", kwargs={"key": DEMAND}) + f"?plan={scene.plan.pk}"
    response = client.post(url, {"file": SimpleUploadedFile("nhu-cau.xlsx", data)})
    assert response.status_code in (200, 302)
    batch = ImportBatch.objects.latest("created_at")
    assert batch.errors == [] and batch.row_count == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("core:import_commit", kwargs={"pk": batch.pk})).status_code == 302
    job = Job.objects.get(kind="import")
    assert job.status == Job.Status.SUCCEEDED, job.message
    lines = list(DemandLine.objects.filter(plan=scene.plan).order_by("number"))
    assert [(line.number, line.quantity, line.tier) for line in lines] == [(1, 100, 1), (2, 20, 2), (3, 5, 4)]
    assert lines[1].product == scene.vest and lines[1].unit_value == Decimal("12000000")
    assert lines[1].product_class == "support_tool" and lines[1].product_group == scene.group
    assert lines[0].unit_value == Decimal("12000000")
    assert DemandPlan.objects.get(pk=scene.plan.pk).state == DemandPlan.State.DRAFT
