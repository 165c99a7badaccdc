"""One authorisation matrix over every route of the portal and the API (CONVENTIONS.md §3, "Tests").

Each row of ``CASES`` is one route and method: the permission it needs, the record it acts on (an
attribute of the ``scene``), a user who holds the permission, a user whose scope covers the record but
who lacks it, and the expected answer for five actors:

* ``anonymous``: HTML pages redirect to the login page; the API answers 401 ``not_authenticated``;
* ``other``: an enterprise officer of ENT-B (clearance 3) acting on ENT-A's records;
* ``lacking``: a user of the record's own organisation (clearance 3) without the permission;
* ``holder``: a user holding the permission there (clearance 1);
* ``uncleared``: the holder's role with clearance 0, acting on the classified twin of the record.

``None`` marks an actor that has no meaning for a route (e.g. another organisation on one's own profile).
Every refused write is checked to have changed nothing (no row of any CNAN table, no change record);
every allowed write to have written exactly ``writes`` change records. Lists, search and exports are
checked to show the record to the holder and never to the others (``marker``).

``test_every_route_is_in_the_matrix`` fails as soon as a route is added without a row here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from cnan.accounts import services as account_services
from cnan.accounts.models import Role
from cnan.core import imports
from cnan.core import services as core_services
from cnan.core.models import ImportBatch, Notification, ObjectChange
from cnan.core.permissions import has_perm
from cnan.core.testing import changes_for, database_state, import_xlsx, login
from cnan.organizations import forms as org_forms
from cnan.organizations import services as org_services
from cnan.organizations.api import serializers as org_serializers
from cnan.organizations.models import ProductGroup

PASSWORD = "Gió-Đông-2026-thử"
NEW_PASSWORD = "Mưa-Hạ-2027-thử"
SECRET = {"classification": 1, "classification_basis": "Mục 2 danh mục bí mật nhà nước (thử nghiệm)"}

ACTORS = ("anonymous", "other", "lacking", "holder", "uncleared")
LOGIN = "login"  # an HTML page: redirect to the login page
ANON = "anon"  # the API: 401 with code not_authenticated and a Token challenge

# Who holds what (role code, scene attribute of the organisation). "member" is a role without permissions.
EO_A = ("enterprise_officer", "ent_a")
LAB_A = ("lab_officer", "ent_a")
NONE_A = ("member", "ent_a")
DO = ("department_officer", "h08")
LAB_H08 = ("lab_officer", "h08")
NONE_H08 = ("member", "h08")
ADMIN = ("system_admin", "bca")
AUDITOR = ("auditor", "bca")
OWNER = "owner"  # the scene's owner of a job and a notification (an enterprise officer of ENT-A)

# Routes left out of the matrix on purpose: Django's own language switch and JavaScript catalogue, and the
# sign-in / sign-out pages (tested in cnan/accounts/tests/test_auth.py).
FRAMEWORK_ROUTES = {"set_language", "javascript-catalog", "accounts:login", "accounts:logout"}


# --- the scene ------------------------------------------------------------------------------------


@pytest.fixture
def scene(world, make_user, isolated_profile):
    """The world plus one record of each kind owned by ENT-A (or H08), its classified twin, and the people."""
    s = SimpleNamespace(**vars(world))
    Role.objects.create(code="member", name="Thành viên (không quyền)")
    create_org = org_services.organization_create
    s.unit_a = create_org(
        actor=None, parent=s.ent_a, data={"code": "ENT-A-PX", "name": "Phân xưởng lắp ráp", "kind": "group"}
    )
    s.unit_secret = create_org(
        actor=None, parent=s.ent_a, data={"code": "ENT-A-PM", "name": "Phòng nghiên cứu kín", "kind": "group", **SECRET}
    )
    enterprise = {"legal_form": "llc", "province": "ha-noi"}
    s.ent_a_sub = org_services.enterprise_create(
        actor=None,
        parent=s.ent_a,
        data={"code": "ENT-A1", "name": "Công ty con Thăng Long Một", "tax_code": "0300000025", **enterprise},
    )
    s.ent_secret = org_services.enterprise_create(
        actor=None,
        parent=s.ent_a,
        data={
            "code": "ENT-AS",
            "name": "Công ty Thăng Long Đặc Biệt",
            "tax_code": "0300000032",
            **enterprise,
            **SECRET,
        },
    )
    s.facility_secret = org_services.facility_create(
        actor=None,
        data={
            "organization": s.ent_a,
            "code": "FS",
            "name": "Xưởng đặc chủng",
            "kind": "other",
            "province": "ha-noi",
            **SECRET,
        },
    )
    s.park2 = org_services.park_create(
        actor=None, data={"organization": s.h08, "code": "P2", "name": "Khu CNAN Hoài Đức", "province": "ha-noi"}
    )
    s.park_secret = org_services.park_create(
        actor=None,
        data={"organization": s.h08, "code": "P-S", "name": "Khu CNAN Phía Tây", "province": "ha-noi", **SECRET},
    )
    s.phase = org_services.park_phase_create(actor=None, park=s.park2, data={"name": "Giai đoạn I"})
    s.phase_secret = org_services.park_phase_create(actor=None, park=s.park_secret, data={"name": "Giai đoạn I"})
    s.cm_a = org_services.complex_membership_create(
        actor=None,
        data={
            "organization": s.ent_a,
            "role": "member",
            "admitted_on": dt.date(2021, 1, 4),
            "decision_number": "45A/QĐ-TTg",
        },
    )
    event = {
        "kind": "equitise",
        "organization": s.ent_a,
        "decision_date": dt.date(2022, 1, 3),
        "effective_on": dt.date(2022, 6, 1),
    }
    s.event_a = org_services.restructuring_create(
        actor=None, data={"title": "Cổ phần hoá Thăng Long", "decision_number": "5/QĐ-BCA", **event}
    )
    s.event_secret = org_services.restructuring_create(
        actor=None, data={"title": "Sắp xếp lại khối đặc chủng", "decision_number": "6/QĐ-BCA", **event, **SECRET}
    )
    s.product_group = ProductGroup.objects.order_by("pk").first()

    s.subject = make_user("enterprise_officer", s.ent_a, username="subject-a", password=PASSWORD)
    s.membership_a = s.subject.memberships.get()
    TOTPDevice.objects.create(user=s.subject, name="phone", confirmed=True)
    s.owner = make_user("enterprise_officer", s.ent_a, username="owner-a", clearance=1, password=PASSWORD)
    s.job = core_services.job_create(owner=s.owner, kind="export", title="Xuất danh sách cơ sở (thử)", params={})
    s.job.result_file.save("co-so.csv", ContentFile(b"code,name\r\nFA,x\r\n"), save=False)
    s.job.result_name = "co-so.csv"
    core_services.job_finish(job=s.job, ok=True, message="1 dòng")
    s.notification = core_services.notification_send(recipient=s.owner, title="Thông báo riêng của chủ sở hữu")
    s.import_batch = _ready_import_batch(s.owner)
    s.change_a = changes_for(s.facility_a).first()
    s.facility_type = ContentType.objects.get_for_model(s.facility_a)
    s.change_secret = changes_for(s.facility_secret).first()
    s.other = make_user("enterprise_officer", s.ent_b, username="other-b", clearance=3, password=PASSWORD)
    _catalogue_pages_scene(s)
    _directives_api_scene(s)
    _directives_pages_scene(s)
    _research_scene(s)
    _research_api_scene(s)
    _supply_demand_scene(s)
    _supply_orders_scene(s)
    _supply_allocation_scene(s)
    _supply_dashboard_scene(s)
    _supply_api_scene(s)
    _planning_plans_scene(s)
    _planning_reports_scene(s)
    _planning_achievement_scene(s)
    _planning_api_scene(s)

    def person(spec: Any, *, clearance: int, name: str):
        if spec == OWNER:
            return s.owner
        role, org = spec
        return make_user(role, getattr(s, org), clearance=clearance, username=name, password=PASSWORD)

    s.person = person
    return s


# --- payloads ---------------------------------------------------------------------------------------

FACILITY_IMPORT = "organizations:facilities"
IMPORT_ROW = {"code": "F-IMP", "name": "Xưởng nhập từ tệp", "organization": "ENT-A", "province": "ha-noi"}


def _ready_import_batch(owner: Any):
    """A validated facility import of ``owner``'s, ready to commit."""
    data = import_xlsx(FACILITY_IMPORT, [IMPORT_ROW])
    spec = imports.get(FACILITY_IMPORT)
    result = imports.validate(spec, owner, io.BytesIO(data), "co-so.xlsx", {})
    assert result.ok, result.errors
    return core_services.import_batch_create(
        owner=owner,
        spec_key=FACILITY_IMPORT,
        params={},
        upload=ContentFile(data),
        file_name="co-so.xlsx",
        language="vi",
        row_count=result.row_count,
        errors=[],
        error_count=0,
        preview=imports.preview(spec, result.rows),
    )


def import_upload(s, user, obj):
    return {"file": SimpleUploadedFile("co-so.xlsx", import_xlsx(FACILITY_IMPORT, [IMPORT_ROW]))}


def form_payload(form_class: type, instance: Any, user: Any, **changes: Any) -> dict[str, Any]:
    """What a browser posts back from the edit form of ``instance``, with ``changes`` typed in."""
    form = form_class(instance=instance, user=user)
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = str(getattr(value, "pk", value))
    data.update(changes)
    return data


def api_payload(serializer_class: type, instance: Any, user: Any, **changes: Any) -> dict[str, Any]:
    """A full PUT body: the record as its write serializer shows it, with ``changes``."""
    shown = serializer_class(instance, context={"user": user}).data
    data = {k: v for k, v in shown.items() if v is not None}
    data.update(changes)
    return data


def edit(form_class: type, **changes: Any) -> Callable:
    return lambda s, user, obj: form_payload(form_class, obj, user, **changes)


def put(serializer_class: type, **changes: Any) -> Callable:
    return lambda s, user, obj: api_payload(serializer_class, obj, user, **changes)


def const(**data: Any) -> Callable:
    return lambda s, user, obj: data


def mfa_setup_payload(s, user, obj):
    if user is None:
        return {"token": "123456"}
    device = account_services.totp_device_start(user=user)
    return {"token": f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"}


def mfa_verify_payload(s, user, obj):
    if user is None:
        return {"token": "123456"}
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return {"token": f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"}


def org_add(s, user, parent):
    return {
        "code": "ENT-A-NEW",
        "name": "Tổ công tác mới",
        "kind": "group",
        "parent": parent.pk,
        "country": "VN",
        "classification": 0,
    }


def enterprise_add(s, user, parent):
    return {
        "code": "ENT-NEW",
        "name": "Công ty mới",
        "parent": parent.pk,
        "legal_form": "llc",
        "tax_code": "0300000057",
        "province": "ha-noi",
        "country": "VN",
        "classification": 0,
    }


def facility_add(s, user, owner):
    return {
        "organization": owner.pk,
        "code": "F-NEW",
        "name": "Xưởng mới",
        "kind": "other",
        "province": "ha-noi",
        "classification": 0,
    }


def park_add(s, user, manager):
    return {
        "organization": manager.pk,
        "code": "P-NEW",
        "name": "Khu mới",
        "province": "ha-noi",
        "status": "planned",
        "classification": 0,
    }


def complex_add(s, user, org):
    return {"organization": org.pk, "role": "member", "admitted_on": "2024-01-02"}


def event_add(s, user, org):
    return {
        "kind": "equitise",
        "organization": org.pk,
        "title": "Cổ phần hoá mới",
        "decision_number": "9/QĐ-BCA",
        "decision_date": "2024-01-02",
        "effective_on": "2024-02-01",
        "classification": 0,
    }


def new_user(s, user, obj):
    return {
        "username": "newcomer",
        "full_name": "Người mới",
        "clearance": 0,
        "language": "vi",
        "is_active": "on",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }


def user_edit(s, user, subject):
    return {
        "username": subject.username,
        "full_name": subject.full_name,
        "position": "Trưởng phòng",
        "clearance": subject.clearance,
        "language": subject.language,
        "is_active": "on",
    }


def name_of(obj: Any) -> str:
    for attr in ("name", "title", "object_repr", "username", "decision_number"):
        if getattr(obj, attr, None):
            return getattr(obj, attr)
    return str(obj)


# --- the table --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    route: str
    method: str
    perm: str | None  # the permission the route needs (None: any signed-in user, or ownership)
    obj: str | None  # scene attribute of the record the route acts on (lists: a record that must appear)
    holder: Any
    lacker: Any
    expect: tuple  # anonymous, other, lacking, holder, uncleared
    secret: str | None = None  # scene attribute of the classified twin (for ``uncleared``)
    kwarg: str | None = "pk"  # the URL keyword taking the record's pk (None: no URL keyword)
    data: Callable | None = None  # (scene, user, record) -> body
    query: str = ""
    marker: bool = False  # lists: the record's name must show for the holder only
    export: bool = False  # lists: ?export=csv must follow the same rule
    writes: int = 1  # change records an allowed write adds
    computes: bool = False  # a POST that only computes (the what-if): an allowed call changes nothing either
    label: str = ""
    url_kwargs: dict[str, Any] | None = None  # fixed URL keywords (e.g. an import's key)

    @property
    def api(self) -> bool:
        return ":" not in self.route and self.route not in FRAMEWORK_ROUTES

    @property
    def id(self) -> str:
        return f"{self.route}{'[' + self.label + ']' if self.label else ''}-{self.method}"


def html_crud(
    name: str,
    *,
    obj: str,
    secret: str | None,
    view: tuple,
    add: tuple,
    change: tuple,
    delete: tuple,
    add_owner: str,
    add_secret: str | None,
    add_data: Callable,
    edit_form: type,
    edit_changes: dict,
    delete_obj: str | None = None,
    other_add: tuple = (403, 403),
) -> list[Case]:
    """The six routes of a registry model's pages (list, add, detail, edit, delete, history).

    Pages look the record up first, so another organisation gets 404 on every record page whatever it holds;
    ``other_add`` is what it gets on the add page (GET, POST naming ENT-A as owner)."""
    perm = f"organizations.%s_{name}"
    route = f"organizations:{name}_%s"
    hidden = 404 if secret else None
    delete_obj = delete_obj or obj
    return [
        Case(
            route % "list",
            "GET",
            perm % "view",
            obj,
            *view,
            (LOGIN, 200, 403, 200, 200 if secret else None),
            secret=secret,
            kwarg=None,
            query="?per_page=100",
            marker=True,
            export=True,
        ),
        Case(route % "add", "GET", perm % "add", add_owner, *add, (LOGIN, other_add[0], 403, 200, None), kwarg=None),
        Case(
            route % "add",
            "POST",
            perm % "add",
            add_owner,
            *add,
            (LOGIN, other_add[1], 403, 302, 422 if add_secret else None),
            secret=add_secret,
            kwarg=None,
            data=add_data,
        ),
        Case(route % "detail", "GET", perm % "view", obj, *view, (LOGIN, 404, 404, 200, hidden), secret=secret),
        Case(route % "edit", "GET", perm % "change", obj, *change, (LOGIN, 404, 403, 200, hidden), secret=secret),
        Case(
            route % "edit",
            "POST",
            perm % "change",
            obj,
            *change,
            (LOGIN, 404, 403, 302, hidden),
            secret=secret,
            data=edit(edit_form, **edit_changes),
        ),
        Case(
            route % "delete", "GET", perm % "delete", delete_obj, *delete, (LOGIN, 404, 403, 200, hidden), secret=secret
        ),
        Case(
            route % "delete",
            "POST",
            perm % "delete",
            delete_obj,
            *delete,
            (LOGIN, 404, 403, 302, hidden),
            secret=secret,
        ),
        Case(route % "history", "GET", perm % "view", obj, *view, (LOGIN, 404, 404, 200, hidden), secret=secret),
    ]


def api_crud(
    basename: str,
    *,
    obj: str,
    secret: str | None,
    view: tuple,
    add: tuple,
    change: tuple,
    delete: tuple,
    other: tuple,
    add_owner: str,
    add_secret: str | None,
    add_data: Callable,
    put_serializer: type,
    changes: dict,
    delete_obj: str | None = None,
) -> list[Case]:
    """A registry viewset: list and create, retrieve, replace, update and destroy.

    The API checks the permission before it looks the record up, so another organisation gets 403 where it
    holds the permission nowhere and 404 where it holds it elsewhere: ``other`` = (POST, PUT/PATCH, DELETE)."""
    perm = f"organizations.%s_{basename}"
    hidden = 404 if secret else None
    other_post, other_change, other_delete = other
    return [
        Case(
            f"{basename}-list",
            "GET",
            perm % "view",
            obj,
            *view,
            (ANON, 200, 403, 200, 200 if secret else None),
            secret=secret,
            kwarg=None,
            marker=True,
        ),
        Case(
            f"{basename}-list",
            "POST",
            perm % "add",
            add_owner,
            *add,
            (ANON, other_post, 403, 201, 400 if add_secret else None),
            secret=add_secret,
            kwarg=None,
            data=add_data,
        ),
        Case(f"{basename}-detail", "GET", perm % "view", obj, *view, (ANON, 404, 403, 200, hidden), secret=secret),
        Case(
            f"{basename}-detail",
            "PUT",
            perm % "change",
            obj,
            *change,
            (ANON, other_change, 403, 200, hidden),
            secret=secret,
            data=put(put_serializer, **changes),
        ),
        Case(
            f"{basename}-detail",
            "PATCH",
            perm % "change",
            obj,
            *change,
            (ANON, other_change, 403, 200, hidden),
            secret=secret,
            data=const(**changes),
        ),
        Case(
            f"{basename}-detail",
            "DELETE",
            perm % "delete",
            delete_obj or obj,
            *delete,
            (ANON, other_delete, 403, 204, hidden),
            secret=secret,
        ),
    ]


# --- the catalogue's pages ----------------------------------------------------------------------------


def _catalogue_pages_scene(s: SimpleNamespace) -> None:
    """ENT-A's product with a BOM line, its classified twin, a component, and an edition of H08 listing it."""
    from decimal import Decimal

    from cnan.catalogue import services as cat

    def product(code: str, name: str, **extra: Any):
        data = {"organization": s.ent_a, "code": code, "name": name, "product_class": "support_tool"}
        return cat.product_create(actor=None, data={"unit": "piece", "price": Decimal(5000), **data, **extra})

    s.cat_part = product("PG-PART", "Thép tấm mẫu", product_class="component", price=Decimal(1000))
    s.cat_product = product("PG-1", "Áo giáp mẫu")
    s.cat_spare = product("PG-2", "Kính bảo hộ mẫu")
    s.cat_secret = product("PG-S", "Thiết bị đặc chủng mẫu", **SECRET)
    line = {"component": s.cat_part, "quantity": Decimal(2), "unit": "piece"}
    s.cat_revision = cat.revision_create(actor=None, product=s.cat_product)
    s.cat_line = cat.bomline_create(actor=None, revision=s.cat_revision, data=line)
    s.cat_secret_revision = cat.revision_create(actor=None, product=s.cat_secret)
    s.cat_secret_line = cat.bomline_create(actor=None, revision=s.cat_secret_revision, data=line)
    s.cat_edition = cat.edition_create(
        actor=None, data={"organization": s.h08, "code": "PG-2025", "title": "Danh mục sản phẩm mẫu 2025"}
    )
    cat.edition_set_products(actor=None, edition=s.cat_edition, products=[s.cat_product])
    s.cat_product.refresh_from_db()
    s.cat_secret.refresh_from_db()


def catalogue_product_add(s, user, owner):
    return {
        "organization": owner.pk,
        "code": "PG-NEW",
        "name": "Mũ bảo hộ mới",
        "product_class": "support_tool",
        "use": "specialised",
        "lifecycle": "serial",
        "sourcing": "made",
        "origin_country": "VN",
        "unit": "piece",
        "price": "1000000",
        "classification": 0,
    }


def catalogue_product_edit(s, user, product):
    from cnan.catalogue.forms import ProductForm

    return form_payload(ProductForm, product, user, name=product.name + " (sửa)")


def catalogue_line_add(s, user, revision):
    return {"component": s.cat_part.code, "quantity": "3", "unit": "", "scrap_percent": "0", "position": "20"}


def catalogue_line_edit(s, user, line):
    return {"component": line.component.code, "quantity": "4", "unit": "piece", "scrap_percent": "0", "position": "10"}


def catalogue_edition_edit(s, user, edition):
    from cnan.catalogue.forms import EditionForm

    return form_payload(EditionForm, edition, user, title="Danh mục sản phẩm mẫu 2025 (sửa)")


def catalogue_api() -> list[Case]:
    """The catalogue API. It checks the permission before it looks the record up: another enterprise (which
    holds the product permissions at ENT-B) gets 404 on ENT-A's records, and 400 where a body names one."""
    from cnan.catalogue.api import serializers as cs

    view = ("catalogue.view_product", "cat_product")
    bom = "catalogue.change_product"
    secret = {"secret": "cat_secret"}
    seen = (ANON, 404, 403, 200, 404)
    ed = "catalogue.%s_catalogueedition"
    return [
        Case(
            "product-list",
            "GET",
            *view,
            EO_A,
            NONE_A,
            (ANON, 200, 403, 200, 200),
            **secret,
            kwarg=None,
            query="?limit=500",
            marker=True,
        ),
        Case(
            "product-list",
            "POST",
            "catalogue.add_product",
            "ent_a",
            EO_A,
            LAB_A,
            (ANON, 400, 403, 201, 400),
            secret="ent_secret",
            kwarg=None,
            data=lambda s, user, owner: {**catalogue_product_add(s, user, owner), "lifecycle": "serial"},
        ),
        Case("product-detail", "GET", *view, EO_A, NONE_A, seen, **secret),
        Case(
            "product-detail",
            "PUT",
            bom,
            "cat_product",
            EO_A,
            LAB_A,
            seen,
            **secret,
            data=put(cs.ProductWriteSerializer, name="Áo giáp mẫu (sửa)"),
        ),
        Case(
            "product-detail", "PATCH", bom, "cat_product", EO_A, LAB_A, seen, **secret, data=const(name="Áo giáp (sửa)")
        ),
        Case(
            "product-detail",
            "DELETE",
            "catalogue.delete_product",
            "cat_spare",
            EO_A,
            LAB_A,
            (ANON, 404, 403, 204, 404),
            **secret,
        ),
        *[
            Case(f"product-{name}", "GET", *view, EO_A, NONE_A, seen, **secret)
            for name in ("explosion", "flattened", "import-sources", "where-used", "history", "revisions")
        ],
        # a new revision copies the current one: the revision, the product's current revision, its one line
        Case(
            "bomrevision-list",
            "POST",
            bom,
            "cat_product",
            EO_A,
            LAB_A,
            (ANON, 400, 403, 201, 400),
            **secret,
            kwarg=None,
            data=lambda s, user, product: {"product": product.pk, "note": "Sửa đổi"},
            writes=3,
        ),
        Case(
            "bomrevision-detail",
            "GET",
            "catalogue.view_product",
            "cat_revision",
            EO_A,
            NONE_A,
            seen,
            secret="cat_secret_revision",
        ),
        Case(
            "bomrevision-compare",
            "GET",
            "catalogue.view_product",
            "cat_revision",
            EO_A,
            NONE_A,
            seen,
            secret="cat_secret_revision",
        ),
        Case("bomrevision-freeze", "POST", bom, "cat_revision", EO_A, LAB_A, seen, secret="cat_secret_revision"),
        Case(
            "bomline-list",
            "POST",
            bom,
            "cat_revision",
            EO_A,
            LAB_A,
            (ANON, 400, 403, 201, 404),
            secret="cat_secret_revision",
            kwarg=None,
            data=lambda s, user, revision: {"revision": revision.pk, "component": s.cat_part.pk, "quantity": "3"},
        ),
        Case(
            "bomline-detail", "GET", "catalogue.view_product", "cat_line", EO_A, NONE_A, seen, secret="cat_secret_line"
        ),
        Case(
            "bomline-detail",
            "PUT",
            bom,
            "cat_line",
            EO_A,
            LAB_A,
            seen,
            secret="cat_secret_line",
            data=put(cs.BOMLineWriteSerializer, quantity="4"),
        ),
        Case(
            "bomline-detail",
            "PATCH",
            bom,
            "cat_line",
            EO_A,
            LAB_A,
            seen,
            secret="cat_secret_line",
            data=const(quantity="4"),
        ),
        Case(
            "bomline-detail",
            "DELETE",
            bom,
            "cat_line",
            EO_A,
            LAB_A,
            (ANON, 404, 403, 204, 404),
            secret="cat_secret_line",
        ),
        # the what-if names products: another enterprise may not name ENT-A's part (400)
        Case(
            "catalogue-whatif",
            "POST",
            "catalogue.view_product",
            "cat_part",
            EO_A,
            NONE_A,
            (ANON, 400, 403, 200, None),
            kwarg=None,
            data=lambda s, user, part: {"prices": [{"product": part.pk, "price": "2000"}]},
            writes=0,
            computes=True,
        ),
        Case(
            "catalogue-whatif-apply",
            "POST",
            bom,
            "cat_part",
            EO_A,
            LAB_A,
            (ANON, 400, 403, 200, None),
            kwarg=None,
            data=lambda s, user, part: {"prices": [{"product": part.pk, "price": "2000"}]},
        ),
        Case(
            "catalogue-rollup-recompute",
            "POST",
            "catalogue.change_productrollup",
            None,
            DO,
            EO_A,
            (ANON, 403, 403, 202, None),
            kwarg=None,
            writes=0,
        ),
        Case(
            "catalogueedition-list",
            "GET",
            ed % "view",
            "cat_edition",
            DO,
            NONE_H08,
            (ANON, 200, 403, 200, None),
            kwarg=None,
            marker=True,
        ),
        Case(
            "catalogueedition-list",
            "POST",
            ed % "add",
            None,
            DO,
            LAB_H08,
            (ANON, 403, 403, 201, None),
            kwarg=None,
            data=lambda s, user, obj: {"organization": s.h08.pk, "code": "PG-2026", "title": "Danh mục mới"},
        ),
        Case("catalogueedition-detail", "GET", ed % "view", "cat_edition", DO, NONE_H08, (ANON, 404, 403, 200, None)),
        Case(
            "catalogueedition-detail",
            "PUT",
            ed % "change",
            "cat_edition",
            DO,
            LAB_H08,
            (ANON, 403, 403, 200, None),
            data=put(cs.EditionWriteSerializer, title="Danh mục sản phẩm mẫu 2025 (sửa)"),
        ),
        Case(
            "catalogueedition-detail",
            "PATCH",
            ed % "change",
            "cat_edition",
            DO,
            LAB_H08,
            (ANON, 403, 403, 200, None),
            data=const(title="Danh mục (sửa)"),
        ),
        # the entry, then the edition
        Case(
            "catalogueedition-detail",
            "DELETE",
            ed % "delete",
            "cat_edition",
            DO,
            LAB_H08,
            (ANON, 403, 403, 204, None),
            writes=2,
        ),
        # the product listed is replaced by the part: one entry removed, one added
        Case(
            "catalogueedition-set-products",
            "POST",
            ed % "change",
            "cat_edition",
            DO,
            LAB_H08,
            (ANON, 403, 403, 200, None),
            data=lambda s, user, e: {"products": [s.cat_part.pk]},
            writes=2,
        ),
        # publishing freezes the one entry and stamps the edition
        Case(
            "catalogueedition-publish",
            "POST",
            ed % "change",
            "cat_edition",
            DO,
            LAB_H08,
            (ANON, 403, 403, 200, None),
            writes=2,
        ),
    ]


def catalogue_pages() -> list[Case]:
    """Every page of the catalogue. Product pages look the product up first (another enterprise: 404); BOM
    changes need ``catalogue.change_product`` on the product; editions belong to H08 (the Department)."""
    view = ("catalogue.view_product", "cat_product")
    secret = {"secret": "cat_secret"}
    bom = ("catalogue.change_product",)
    seen = (LOGIN, 404, 404, 200, 404)
    changed = (LOGIN, 404, 403, 302, 404)
    r = "catalogue:%s"
    ed = "catalogue.%s_catalogueedition"
    return [
        Case(
            r % "product_list",
            "GET",
            *view,
            EO_A,
            NONE_A,
            (LOGIN, 200, 403, 200, 200),
            **secret,
            kwarg=None,
            query="?per_page=100",
            marker=True,
            export=True,
        ),
        Case(
            r % "product_add",
            "GET",
            "catalogue.add_product",
            "ent_a",
            EO_A,
            LAB_A,
            (LOGIN, 200, 403, 200, None),
            kwarg=None,
        ),
        Case(
            r % "product_add",
            "POST",
            "catalogue.add_product",
            "ent_a",
            EO_A,
            LAB_A,
            (LOGIN, 422, 403, 302, 422),
            secret="ent_secret",
            kwarg=None,
            data=catalogue_product_add,
        ),
        Case(r % "product_detail", "GET", *view, EO_A, NONE_A, seen, **secret),
        Case(r % "product_history", "GET", *view, EO_A, NONE_A, seen, **secret),
        Case(r % "product_bom_level", "GET", *view, EO_A, NONE_A, seen, **secret),
        Case(r % "product_flat", "GET", *view, EO_A, NONE_A, seen, **secret),
        Case(r % "product_bom_export", "GET", *view, EO_A, NONE_A, seen, **secret),
        Case(r % "product_edit", "GET", *bom, "cat_product", EO_A, LAB_A, (LOGIN, 404, 403, 200, 404), **secret),
        Case(
            r % "product_edit", "POST", *bom, "cat_product", EO_A, LAB_A, changed, **secret, data=catalogue_product_edit
        ),
        Case(
            r % "product_delete",
            "GET",
            "catalogue.delete_product",
            "cat_spare",
            EO_A,
            LAB_A,
            (LOGIN, 404, 403, 200, 404),
            **secret,
        ),
        Case(r % "product_delete", "POST", "catalogue.delete_product", "cat_spare", EO_A, LAB_A, changed, **secret),
        # a new revision copies the current one: the revision, the product's current revision, its one line
        Case(r % "revision_add", "POST", *bom, "cat_product", EO_A, LAB_A, changed, **secret, writes=3),
        Case(
            r % "revision_detail",
            "GET",
            "catalogue.view_bomrevision",
            "cat_revision",
            EO_A,
            NONE_A,
            seen,
            secret="cat_secret_revision",
        ),
        Case(
            r % "revision_compare",
            "GET",
            "catalogue.view_bomrevision",
            "cat_revision",
            EO_A,
            NONE_A,
            seen,
            secret="cat_secret_revision",
        ),
        Case(r % "revision_freeze", "POST", *bom, "cat_revision", EO_A, LAB_A, changed, secret="cat_secret_revision"),
        Case(
            r % "bomline_add",
            "GET",
            *bom,
            "cat_revision",
            EO_A,
            LAB_A,
            (LOGIN, 404, 403, 200, 404),
            secret="cat_secret_revision",
            kwarg="revision_pk",
        ),
        Case(
            r % "bomline_add",
            "POST",
            *bom,
            "cat_revision",
            EO_A,
            LAB_A,
            changed,
            secret="cat_secret_revision",
            kwarg="revision_pk",
            data=catalogue_line_add,
        ),
        Case(
            r % "bomline_edit",
            "GET",
            *bom,
            "cat_line",
            EO_A,
            LAB_A,
            (LOGIN, 404, 403, 200, 404),
            secret="cat_secret_line",
        ),
        Case(
            r % "bomline_edit",
            "POST",
            *bom,
            "cat_line",
            EO_A,
            LAB_A,
            changed,
            secret="cat_secret_line",
            data=catalogue_line_edit,
        ),
        Case(r % "bomline_delete", "POST", *bom, "cat_line", EO_A, LAB_A, changed, secret="cat_secret_line"),
        Case(
            r % "whatif", "GET", "catalogue.view_product", None, EO_A, NONE_A, (LOGIN, 200, 403, 200, None), kwarg=None
        ),
        Case(
            r % "whatif",
            "POST",
            *bom,
            "cat_part",
            EO_A,
            LAB_A,
            # another enterprise may change products, but may not name ENT-A's: the form refuses the code
            (LOGIN, 422, 403, 302, None),
            kwarg=None,
            data=lambda s, user, part: {"component": part.code, "price": "2000"},
        ),
        Case(
            r % "dashboard",
            "GET",
            "catalogue.view_product",
            None,
            EO_A,
            NONE_A,
            (LOGIN, 200, 403, 200, None),
            kwarg=None,
        ),
        Case(
            r % "rollup_recompute",
            "POST",
            "catalogue.change_productrollup",
            None,
            DO,
            EO_A,
            (LOGIN, 403, 403, 302, None),
            kwarg=None,
            writes=0,
        ),
        Case(
            r % "edition_list",
            "GET",
            ed % "view",
            "cat_edition",
            DO,
            NONE_H08,
            (LOGIN, 200, 403, 200, None),
            kwarg=None,
            query="?per_page=100",
            marker=True,
            export=True,
        ),
        Case(r % "edition_add", "GET", ed % "add", None, DO, LAB_H08, (LOGIN, 403, 403, 200, None), kwarg=None),
        Case(
            r % "edition_add",
            "POST",
            ed % "add",
            None,
            DO,
            LAB_H08,
            (LOGIN, 403, 403, 302, None),
            kwarg=None,
            data=lambda s, user, obj: {"organization": s.h08.pk, "code": "PG-2026", "title": "Danh mục mới"},
        ),
        Case(r % "edition_detail", "GET", ed % "view", "cat_edition", DO, NONE_H08, (LOGIN, 404, 404, 200, None)),
        Case(r % "edition_history", "GET", ed % "view", "cat_edition", DO, NONE_H08, (LOGIN, 404, 404, 200, None)),
        Case(r % "edition_compare", "GET", ed % "view", "cat_edition", DO, NONE_H08, (LOGIN, 404, 404, 200, None)),
        Case(r % "edition_edit", "GET", ed % "change", "cat_edition", DO, LAB_H08, (LOGIN, 404, 403, 200, None)),
        Case(
            r % "edition_edit",
            "POST",
            ed % "change",
            "cat_edition",
            DO,
            LAB_H08,
            (LOGIN, 404, 403, 302, None),
            data=catalogue_edition_edit,
        ),
        Case(
            r % "edition_products",
            "POST",
            ed % "change",
            "cat_edition",
            DO,
            LAB_H08,
            (LOGIN, 404, 403, 302, None),
            data=lambda s, user, e: {"action": "add", "q": s.cat_part.code},
        ),
        # publishing freezes the one entry and stamps the edition
        Case(
            r % "edition_publish",
            "POST",
            ed % "change",
            "cat_edition",
            DO,
            LAB_H08,
            (LOGIN, 404, 403, 302, None),
            writes=2,
        ),
        Case(r % "edition_delete", "GET", ed % "delete", "cat_edition", DO, LAB_H08, (LOGIN, 404, 403, 200, None)),
        # the entry, then the edition
        Case(
            r % "edition_delete",
            "POST",
            ed % "delete",
            "cat_edition",
            DO,
            LAB_H08,
            (LOGIN, 404, 403, 302, None),
            writes=2,
        ),
    ]


# --- the directives' API ------------------------------------------------------------------------------


def _directives_api_scene(s: SimpleNamespace) -> None:
    """H08's committee and directive, a task led by ENT-A with a submitted report and its evidence, and the
    classified twin of each; spares to delete."""
    from cnan.directives import services as dirs

    def committee(code: str, **extra: Any):
        return dirs.committee_create(
            actor=None, data={"organization": s.h08, "code": code, "name": f"Ban Chỉ đạo mẫu {code}", **extra}
        )

    def document(number: str, **extra: Any):
        data = {"organization": s.h08, "kind": "directive", "issuer": "Bộ trưởng", "issued_on": dt.date(2025, 1, 10)}
        return dirs.document_create(
            actor=None, data={**data, "number": number, "title": f"Chỉ thị mẫu {number}", **extra}
        )

    def task(doc: Any, number: str, **extra: Any):
        data = {"content": f"Nhiệm vụ mẫu {number}", "lead": s.ent_a, "expected_product": "Báo cáo"}
        return dirs.task_create(
            actor=None,
            document=doc,
            data={**data, "number": number, "deadline": dt.date(2027, 12, 31), **extra},
        )

    def report(t: Any):
        upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 mau")
        return dirs.report_submit(
            actor=None, task=t, data={"percent": 30, "narrative": "Đã triển khai"}, files=[upload]
        )

    s.dir_committee = committee("BCĐ-M")
    s.dir_committee_secret = committee("BCĐ-K", **SECRET)
    s.dir_committee_spare = committee("BCĐ-X")

    def meeting(title: str, **extra: Any):
        data = {"held_on": dt.date(2025, 1, 6), "title": title, **extra}
        return dirs.meeting_create(actor=None, committee=s.dir_committee, data=data)

    s.dir_meeting = meeting("Phiên họp mẫu")
    s.dir_meeting_secret = meeting("Phiên họp mật", **SECRET)
    s.dir_meeting_spare = meeting("Phiên họp thừa")
    s.dir_doc = document("03/CT-MAU")
    s.dir_doc_secret = document("04/CT-MAU", **SECRET)
    s.dir_doc_spare = document("05/CT-MAU")
    s.dir_task = task(s.dir_doc, "1")
    s.dir_task_secret = task(s.dir_doc, "2", **SECRET)
    s.dir_task_spare = task(s.dir_doc, "3")
    s.dir_report = report(s.dir_task)
    s.dir_report_secret = report(s.dir_task_secret)
    s.dir_evidence = s.dir_report.evidence.get()
    s.dir_evidence_secret = s.dir_report_secret.evidence.get()


def directives_task_add(s, user, doc):
    return {
        "document": doc.pk,
        "number": "9",
        "content": "Nhiệm vụ mới",
        "lead": s.ent_a.pk,
        "regular": True,
        "expected_product": "Báo cáo quý",
    }


def _research_scene(s: SimpleNamespace) -> None:
    """ENT-A hosts an S&T topic (in progress, with two milestones, an output and a report) and keeps a
    filing, a transfer, a cooperation agreement and a research group; each has a classified twin and a
    spare to delete. The Department (H08) manages the tasks' gates."""
    from cnan.research import services as rs
    from cnan.research.models import Stage

    def topic(code: str, **extra: Any):
        data = {
            "code": code,
            "title": f"Đề tài mẫu {code}",
            "level": "ministry",
            "kind": "topic",
            "formation": "commission",
            "selection": "direct",
            "host": s.ent_a,
            "principal_investigator": "TS. Nguyễn Văn An",
            "start_on": dt.date(2025, 1, 1),
            "end_on": dt.date(2027, 12, 31),
            "budget_total": 0,
            **extra,
        }
        return rs.task_create(actor=None, data=data)

    def milestone(task: Any, number: int, due: dt.date):
        return rs.milestone_create(
            actor=None,
            task=task,
            data={"number": number, "content": f"Bước {number}", "expected_output": "Báo cáo", "due_on": due},
        )

    s.rs_task = topic("ĐT-MAU-1")
    s.rs_task_secret = topic("ĐT-MAU-2", **SECRET)
    s.rs_task_spare = topic("ĐT-MAU-3")
    s.rs_milestone = milestone(s.rs_task, 1, dt.date(2025, 6, 30))
    s.rs_milestone_spare = milestone(s.rs_task, 2, dt.date(2026, 6, 30))
    s.rs_milestone_secret = milestone(s.rs_task_secret, 1, dt.date(2025, 6, 30))
    for task in (s.rs_task, s.rs_task_secret):  # under way: reports are taken
        type(task).objects.filter(pk=task.pk).update(stage=Stage.IN_PROGRESS)
        task.refresh_from_db()
    s.rs_report = rs.milestone_report(
        actor=None,
        milestone=s.rs_milestone,
        data={"reported_on": dt.date(2025, 5, 1), "percent": 40, "narrative": "Đang khảo sát"},
    )

    def output(task: Any, title: str, **extra: Any):
        return rs.output_create(actor=None, task=task, data={"kind": "prototype", "title": title, **extra})

    s.rs_output = output(s.rs_task, "Mẫu thử nghiệm A")
    s.rs_output_secret = output(s.rs_task, "Mẫu thử nghiệm mật", **SECRET)
    s.rs_output_spare = output(s.rs_task, "Mẫu thử nghiệm thừa")

    def filing(title: str, **extra: Any):
        data = {"owner": s.ent_a, "task": s.rs_task, "kind": "utility", "title": title, "filed_on": dt.date(2025, 3, 1)}
        return rs.filing_create(actor=None, data={**data, **extra})

    s.rs_filing = filing("Giải pháp hữu ích mẫu")
    s.rs_filing_secret = filing("Giải pháp mật", **SECRET)
    s.rs_filing_spare = filing("Giải pháp thừa")

    def transfer(technology: str, **extra: Any):
        data = {"organization": s.ent_a, "direction": "inbound", "partner": "Công ty Đối tác", "technology": technology}
        return rs.transfer_create(actor=None, data={**data, **extra})

    s.rs_transfer = transfer("Công nghệ mẫu")
    s.rs_transfer_secret = transfer("Công nghệ mật", **SECRET)
    s.rs_transfer_spare = transfer("Công nghệ thừa")

    def cooperation(partner: str, **extra: Any):
        data = {
            "organization": s.ent_a,
            "form": "mou",
            "partner": partner,
            "field": "Vật liệu",
            "start_on": dt.date(2025, 1, 1),
        }
        return rs.cooperation_create(actor=None, data={**data, **extra})

    s.rs_coop = cooperation("Trường Đại học mẫu")
    s.rs_coop_secret = cooperation("Đối tác mật", **SECRET)
    s.rs_coop_spare = cooperation("Đối tác thừa")

    def group(name: str, **extra: Any):
        data = {"organization": s.ent_a, "name": name, "lead": "TS. Lê Minh", "field": "Điện tử", "tasks": [s.rs_task]}
        return rs.group_create(actor=None, data={**data, **extra})

    s.rs_group = group("Nhóm nghiên cứu mẫu")
    s.rs_group_secret = group("Nhóm mật", **SECRET)
    s.rs_group_spare = group("Nhóm thừa")


def directives_api() -> list[Case]:
    """The directives API. Reads need the view permission somewhere (403), then the record visible (404);
    writes need the permission somewhere (403), the record visible (404), and the service checks it on the
    side of the task it acts for."""
    from cnan.directives.api import serializers as ds

    c, d, t = "directives.%s_steeringcommittee", "directives.%s_directivedocument", "directives.%s_task"
    seen = (ANON, 404, 403, 200, 404)
    h08_write = (ANON, 403, 403, 200, 404)
    committee = {"secret": "dir_committee_secret"}
    meeting = {"secret": "dir_meeting_secret"}
    doc = {"secret": "dir_doc_secret"}
    task = {"secret": "dir_task_secret"}
    report = {"secret": "dir_report_secret"}
    return [
        Case(
            "directives-committee-list",
            "GET",
            c % "view",
            "dir_committee",
            DO,
            NONE_H08,
            (ANON, 200, 403, 200, 200),
            **committee,
            kwarg=None,
            marker=True,
        ),
        Case(
            "directives-committee-list",
            "POST",
            c % "add",
            None,
            DO,
            LAB_H08,
            (ANON, 403, 403, 201, None),
            kwarg=None,
            data=lambda s, user, obj: {"organization": s.h08.pk, "code": "BCĐ-N", "name": "Ban mới"},
        ),
        Case("directives-committee-detail", "GET", c % "view", "dir_committee", DO, NONE_H08, seen, **committee),
        Case(
            "directives-committee-detail",
            "PUT",
            c % "change",
            "dir_committee",
            DO,
            LAB_H08,
            h08_write,
            **committee,
            data=put(ds.CommitteeWriteSerializer, name="Ban Chỉ đạo mẫu (sửa)"),
        ),
        Case(
            "directives-committee-detail",
            "PATCH",
            c % "change",
            "dir_committee",
            DO,
            LAB_H08,
            h08_write,
            **committee,
            data=const(name="Ban (sửa)"),
        ),
        Case(
            "directives-committee-detail",
            "DELETE",
            c % "delete",
            "dir_committee_spare",
            DO,
            LAB_H08,
            (ANON, 403, 403, 204, 404),
            **committee,
        ),
        Case("directives-committee-meetings", "GET", c % "view", "dir_committee", DO, NONE_H08, seen, **committee),
        Case(
            "directives-committee-meetings",
            "POST",
            c % "change",
            "dir_committee",
            DO,
            LAB_H08,
            (ANON, 403, 403, 201, 404),
            **committee,
            data=const(held_on="2026-01-16", title="Hội nghị tổng kết"),
        ),
        Case(
            "directives-meeting-detail", "GET", "directives.view_meeting", "dir_meeting", DO, NONE_H08, seen, **meeting
        ),
        Case(
            "directives-meeting-detail",
            "PUT",
            c % "change",
            "dir_meeting",
            DO,
            LAB_H08,
            h08_write,
            **meeting,
            data=const(held_on="2025-01-07", title="Phiên họp mẫu (sửa)", classification=0),
        ),
        Case(
            "directives-meeting-detail",
            "PATCH",
            c % "change",
            "dir_meeting",
            DO,
            LAB_H08,
            h08_write,
            **meeting,
            data=const(agenda="Chương trình (sửa)"),
        ),
        Case(
            "directives-meeting-detail",
            "DELETE",
            c % "change",
            "dir_meeting_spare",
            DO,
            LAB_H08,
            (ANON, 403, 403, 204, 404),
            **meeting,
        ),
        Case(
            "directives-document-list",
            "GET",
            d % "view",
            "dir_doc",
            DO,
            NONE_H08,
            (ANON, 200, 403, 200, 200),
            **doc,
            kwarg=None,
            marker=True,
        ),
        Case(
            "directives-document-list",
            "POST",
            d % "add",
            None,
            DO,
            LAB_H08,
            (ANON, 403, 403, 201, None),
            kwarg=None,
            data=lambda s, user, obj: {
                "organization": s.h08.pk,
                "kind": "plan",
                "number": "1/KH-MAU",
                "issuer": "Cục trưởng",
                "issued_on": "2025-02-01",
                "title": "Kế hoạch mẫu",
                "implements": [s.dir_doc.pk],
            },
        ),
        Case("directives-document-detail", "GET", d % "view", "dir_doc", DO, NONE_H08, seen, **doc),
        Case(
            "directives-document-detail",
            "PUT",
            d % "change",
            "dir_doc",
            DO,
            LAB_H08,
            h08_write,
            **doc,
            data=put(ds.DocumentWriteSerializer, title="Chỉ thị mẫu (sửa)"),
        ),
        Case(
            "directives-document-detail",
            "PATCH",
            d % "change",
            "dir_doc",
            DO,
            LAB_H08,
            h08_write,
            **doc,
            data=const(title="Chỉ thị (sửa)"),
        ),
        Case(
            "directives-document-detail",
            "DELETE",
            d % "delete",
            "dir_doc_spare",
            DO,
            LAB_H08,
            (ANON, 403, 403, 204, 404),
            **doc,
        ),
        Case(
            "directives-task-list",
            "GET",
            t % "view",
            "dir_task",
            EO_A,
            NONE_A,
            (ANON, 200, 403, 200, 200),
            **task,
            kwarg=None,
            query="?limit=500",
            marker=True,
        ),
        # another enterprise does not see H08's directive (400); the uncleared, not its classified twin
        Case(
            "directives-task-list",
            "POST",
            t % "add",
            "dir_doc",
            DO,
            NONE_H08,
            (ANON, 400, 403, 201, 400),
            **doc,
            kwarg=None,
            data=directives_task_add,
        ),
        Case("directives-task-detail", "GET", t % "view", "dir_task", EO_A, NONE_A, seen, **task),
        Case(
            "directives-task-detail",
            "PUT",
            t % "change",
            "dir_task",
            DO,
            NONE_H08,
            seen,
            **task,
            data=put(ds.TaskWriteSerializer, content="Nhiệm vụ mẫu (sửa)"),
        ),
        Case(
            "directives-task-detail",
            "PATCH",
            t % "change",
            "dir_task",
            DO,
            NONE_H08,
            seen,
            **task,
            data=const(content="Nhiệm vụ (sửa)"),
        ),
        Case(
            "directives-task-detail",
            "DELETE",
            t % "delete",
            "dir_task_spare",
            DO,
            NONE_H08,
            (ANON, 404, 403, 204, 404),
            **task,
        ),
        Case("directives-task-reports", "GET", t % "view", "dir_task", EO_A, NONE_A, seen, **task),
        Case(
            "directives-task-reports",
            "POST",
            "directives.add_progressreport",
            "dir_task",
            EO_A,
            NONE_A,
            (ANON, 404, 403, 201, 404),
            **task,
            data=const(percent=40, narrative="Tiếp tục triển khai"),
        ),
        Case("directives-task-adjustments", "GET", t % "view", "dir_task", EO_A, NONE_A, seen, **task),
        Case(
            "directives-task-adjustments",
            "POST",
            "directives.add_taskadjustment",
            "dir_task",
            DO,
            NONE_H08,
            (ANON, 404, 403, 201, 404),
            **task,
            data=const(kind="pause", decision_number="9/QĐ-H08", decided_on="2025-05-01", reason="Chờ kinh phí"),
        ),
        Case(
            "directives-report-detail",
            "GET",
            "directives.view_progressreport",
            "dir_report",
            EO_A,
            NONE_A,
            seen,
            **report,
        ),
        # the report's state and its event
        Case(
            "directives-report-accept",
            "POST",
            "directives.change_progressreport",
            "dir_report",
            DO,
            NONE_H08,
            seen,
            **report,
            writes=2,
        ),
        Case(
            "directives-report-return",
            "POST",
            "directives.change_progressreport",
            "dir_report",
            DO,
            NONE_H08,
            seen,
            **report,
            data=const(comment="Bổ sung số liệu"),
            writes=2,
        ),
        Case(
            "directives-evidence-download",
            "GET",
            "directives.view_evidence",
            "dir_evidence",
            EO_A,
            NONE_A,
            seen,
            secret="dir_evidence_secret",
        ),
    ]


# --- the research API ----------------------------------------------------------------------------------


def _research_api_scene(s: SimpleNamespace) -> None:
    """The topic's budget line (for a disbursement) and a review gate with its minutes, on the topic and on
    its classified twin (set up directly: the scene's topics were put in progress without their gates)."""
    from cnan.research.models import BudgetLine, GateEvent, ResearchTask

    ResearchTask.objects.filter(pk=s.rs_task.pk).update(budget_total=500_000_000)
    BudgetLine.objects.create(task=s.rs_task, source="ministry", year=2025, planned=500_000_000)
    s.rs_task.refresh_from_db()

    def review(task: Any) -> Any:
        return GateEvent.objects.create(
            task=task,
            transition="review",
            from_state="proposed",
            to_state="reviewed",
            decision_number="5/QĐ-H08",
            decided_on=dt.date(2024, 12, 1),
            council="PGS.TS. Chủ tịch hội đồng\nTS. Phản biện",
            minutes=ContentFile(b"%PDF-1.4 bien ban hoi dong", name="bien-ban.pdf"),
        )

    s.rs_gate = review(s.rs_task)
    s.rs_gate_secret = review(s.rs_task_secret)


def research_task_add(s, user, host):
    return {
        "code": "ĐT-MAU-9",
        "title": "Đề tài mới",
        "level": "ministry",
        "kind": "topic",
        "formation": "commission",
        "selection": "call",
        "host": host.pk,
        "principal_investigator": "TS. Trần Hà",
        "start_on": "2025-01-01",
        "end_on": "2026-12-31",
        "budget_total": "1000000000",
        "budget": [{"source": "unit", "year": 2025, "planned": "1000000000"}],
    }


def research_api() -> list[Case]:
    """The research API. Reads need the view permission somewhere (403), then the record visible (404);
    writes need the permission somewhere (403), the record visible (404), and the service checks it at the
    host (a task's content, its host gates, its roadmap and reports) or at the managing body (its other
    gates, disbursements). An owner or a task named in a body is one the user may use, else 400."""
    from cnan.research.api import serializers as rs

    t = "research.%s_researchtask"
    seen = (ANON, 404, 403, 200, 404)
    host_write = (ANON, 404, 403, 200, 404)
    task = {"secret": "rs_task_secret"}
    owned = {"obj": "ent_a", "secret": "unit_secret", "kwarg": None}

    def owner_add(basename: str, model: str, body: dict[str, Any]) -> Case:
        return Case(
            f"research-{basename}-list",
            "POST",
            f"research.add_{model}",
            holder=EO_A,
            lacker=LAB_A,
            expect=(ANON, 400, 403, 201, 400),
            data=lambda s, user, org: {**body, "organization": org.pk},
            **owned,
        )

    def crud(basename: str, model: str, attr: str, changes: dict[str, Any], serializer: type) -> list[Case]:
        """List, retrieve, replace, update and delete of a record of ENT-A (its twin ``<attr>_secret``)."""
        perm = f"research.%s_{model}"
        secret = {"secret": f"{attr}_secret"}
        return [
            Case(
                f"research-{basename}-list",
                "GET",
                perm % "view",
                attr,
                EO_A,
                NONE_A,
                (ANON, 200, 403, 200, 200),
                **secret,
                kwarg=None,
                marker=True,
            ),
            Case(f"research-{basename}-detail", "GET", perm % "view", attr, EO_A, NONE_A, seen, **secret),
            Case(
                f"research-{basename}-detail",
                "PUT",
                perm % "change",
                attr,
                EO_A,
                LAB_A,
                host_write,
                **secret,
                data=put(serializer, **changes),
            ),
            Case(
                f"research-{basename}-detail",
                "PATCH",
                perm % "change",
                attr,
                EO_A,
                LAB_A,
                host_write,
                **secret,
                data=const(**changes),
            ),
            Case(
                f"research-{basename}-detail",
                "DELETE",
                perm % "delete",
                f"{attr}_spare",
                EO_A,
                LAB_A,
                (ANON, 404, 403, 204, 404),
                **secret,
            ),
        ]

    return [
        # --- tasks
        Case(
            "research-task-list",
            "GET",
            t % "view",
            "rs_task",
            EO_A,
            NONE_A,
            (ANON, 200, 403, 200, 200),
            **task,
            kwarg=None,
            query="?limit=500",
            marker=True,
        ),
        # the proposal of another organisation (400), or for a unit the uncleared may not see (400);
        # the task, its budget line and its proposal event
        Case(
            "research-task-list",
            "POST",
            t % "add",
            "ent_a",
            EO_A,
            LAB_A,
            (ANON, 400, 403, 201, 400),
            secret="unit_secret",
            kwarg=None,
            data=research_task_add,
            writes=3,
        ),
        Case("research-task-detail", "GET", t % "view", "rs_task", EO_A, NONE_A, seen, **task),
        Case(
            "research-task-detail",
            "PUT",
            t % "change",
            "rs_task",
            EO_A,
            LAB_A,
            host_write,
            **task,
            data=put(rs.ResearchTaskSerializer, title="Đề tài mẫu (sửa)"),
        ),
        Case(
            "research-task-detail",
            "PATCH",
            t % "change",
            "rs_task",
            EO_A,
            LAB_A,
            host_write,
            **task,
            data=const(summary="Mục tiêu (sửa)"),
        ),
        Case(
            "research-task-detail",
            "DELETE",
            t % "delete",
            "rs_task_spare",
            EO_A,
            LAB_A,
            (ANON, 404, 403, 204, 404),
            **task,
        ),
        Case("research-task-gates", "GET", "research.view_gateevent", "rs_task", EO_A, NONE_A, seen, **task),
        # a gate of the managing body: the stage and its event
        Case(
            "research-task-gate-pass",
            "POST",
            t % "manage",
            "rs_task",
            DO,
            NONE_H08,
            (ANON, 403, 403, 200, 404),
            **task,
            url_kwargs={"gate": "pause"},
            data=const(decision_number="7/QĐ-H08", decided_on="2025-05-01", comment="Chờ bố trí kinh phí"),
            writes=2,
        ),
        Case("research-task-milestones", "GET", "research.view_milestone", "rs_task", EO_A, NONE_A, seen, **task),
        Case(
            "research-task-milestones",
            "POST",
            t % "change",
            "rs_task",
            EO_A,
            LAB_A,
            (ANON, 404, 403, 201, 404),
            **task,
            data=const(number=3, content="Bước 3", expected_output="Mẫu thử", due_on="2027-06-30"),
        ),
        Case("research-task-budget", "GET", "research.view_budgetline", "rs_task", EO_A, NONE_A, seen, **task),
        Case(
            "research-task-budget",
            "POST",
            t % "manage",
            "rs_task",
            DO,
            NONE_H08,
            (ANON, 403, 403, 200, 404),
            **task,
            data=const(source="ministry", year=2025, disbursed="100000000"),
        ),
        # --- the roadmap
        Case(
            "research-milestone-detail",
            "GET",
            "research.view_milestone",
            "rs_milestone",
            EO_A,
            NONE_A,
            seen,
            secret="rs_milestone_secret",
        ),
        Case(
            "research-milestone-detail",
            "PUT",
            t % "change",
            "rs_milestone",
            EO_A,
            LAB_A,
            host_write,
            secret="rs_milestone_secret",
            data=const(number=1, content="Bước 1 (sửa)", expected_output="Báo cáo", due_on="2025-06-30"),
        ),
        Case(
            "research-milestone-detail",
            "PATCH",
            t % "change",
            "rs_milestone",
            EO_A,
            LAB_A,
            host_write,
            secret="rs_milestone_secret",
            data=const(content="Bước 1 (sửa)"),
        ),
        Case(
            "research-milestone-detail",
            "DELETE",
            t % "change",
            "rs_milestone_spare",
            EO_A,
            LAB_A,
            (ANON, 404, 403, 204, 404),
            secret="rs_milestone_secret",
        ),
        Case(
            "research-milestone-reports",
            "GET",
            "research.view_milestonereport",
            "rs_milestone",
            EO_A,
            NONE_A,
            seen,
            secret="rs_milestone_secret",
        ),
        Case(
            "research-milestone-reports",
            "POST",
            "research.add_milestonereport",
            "rs_milestone",
            EO_A,
            LAB_A,
            (ANON, 404, 403, 201, 404),
            secret="rs_milestone_secret",
            data=const(reported_on="2025-08-01", percent=60, narrative="Hoàn thành khảo sát"),
        ),
        # --- outputs (of a task the user may see), filings, transfers, cooperation, groups
        Case(
            "research-output-list",
            "POST",
            "research.add_output",
            "rs_task",
            EO_A,
            LAB_A,
            (ANON, 400, 403, 201, 400),
            **task,
            kwarg=None,
            data=lambda s, user, t_: {"task": t_.pk, "kind": "prototype", "title": "Mẫu thử mới"},
        ),
        *crud("output", "output", "rs_output", {"title": "Mẫu thử nghiệm A (sửa)"}, rs.OutputSerializer),
        Case(
            "research-filing-list",
            "POST",
            "research.add_ipfiling",
            holder=EO_A,
            lacker=LAB_A,
            expect=(ANON, 400, 403, 201, 400),
            data=lambda s, user, org: {
                "owner": org.pk,
                "kind": "utility",
                "title": "Giải pháp mới",
                "filed_on": "2025-04-01",
            },
            **owned,
        ),
        *crud("filing", "ipfiling", "rs_filing", {"title": "Giải pháp hữu ích mẫu (sửa)"}, rs.IPFilingSerializer),
        Case(
            "research-filing-advance",
            "POST",
            "research.change_ipfiling",
            "rs_filing",
            EO_A,
            LAB_A,
            host_write,
            secret="rs_filing_secret",
            data=const(status="formality", on="2025-04-01"),
        ),
        owner_add(
            "transfer",
            "techtransfer",
            {"direction": "inbound", "partner": "Công ty Đối tác mới", "technology": "Công nghệ mới"},
        ),
        *crud(
            "transfer", "techtransfer", "rs_transfer", {"technology": "Công nghệ mẫu (sửa)"}, rs.TechTransferSerializer
        ),
        owner_add(
            "cooperation",
            "cooperation",
            {"form": "mou", "partner": "Trường mới", "field": "Điện tử", "start_on": "2025-02-01"},
        ),
        *crud("cooperation", "cooperation", "rs_coop", {"field": "Vật liệu (sửa)"}, rs.CooperationSerializer),
        owner_add("group", "researchgroup", {"name": "Nhóm mới", "lead": "TS. Hà Minh", "field": "Quang học"}),
        *crud("group", "researchgroup", "rs_group", {"name": "Nhóm nghiên cứu mẫu (sửa)"}, rs.ResearchGroupSerializer),
        # --- gate minutes, through the task's visibility
        Case(
            "research-gate-minutes",
            "GET",
            "research.view_gateevent",
            "rs_gate",
            EO_A,
            NONE_A,
            seen,
            secret="rs_gate_secret",
        ),
    ]


S = org_serializers
F = org_forms

# --- the directives' pages ---------------------------------------------------------------------------


def _directives_pages_scene(s: SimpleNamespace) -> None:
    """The spare document carries an attachment (downloaded through its page, never a media address)."""
    from cnan.directives import services as dirs

    dirs.document_update(
        actor=None,
        instance=s.dir_doc_spare,
        data={"attachment": ContentFile(b"%PDF-1.4 chi thi", name="chi-thi.pdf")},
    )


def directives_pages() -> list[Case]:
    """Every page of the directives. H08's committees and documents are the Department's; ENT-A sees and
    reports on the task it leads (another enterprise: 404). Writes on a task need the permission on the side
    they act for: the assigning unit (H08) edits, adjusts and reviews, the lead (ENT-A) reports and cascades;
    the auditor sees everything and may do none of it (403)."""
    from cnan.directives.forms import CommitteeForm, DocumentForm, TaskForm

    r = "directives:%s"
    seen = (LOGIN, 404, 404, 200, 404)
    edit_get = (LOGIN, 404, 403, 200, 404)
    changed = (LOGIN, 404, 403, 302, 404)
    com = "directives.%s_steeringcommittee"
    doc = "directives.%s_directivedocument"
    task = "directives.%s_task"
    view_com = (com % "view", "dir_committee", DO, NONE_H08)
    view_doc = (doc % "view", "dir_doc", DO, NONE_H08)
    view_task = (task % "view", "dir_task", EO_A, NONE_A)
    return [
        Case(
            r % "committee_list",
            "GET",
            com % "view",
            "dir_committee",
            DO,
            NONE_H08,
            (LOGIN, 200, 403, 200, 200),
            secret="dir_committee_secret",
            kwarg=None,
            marker=True,
            export=True,
        ),
        Case(r % "committee_add", "GET", com % "add", None, DO, LAB_H08, (LOGIN, 403, 403, 200, None), kwarg=None),
        Case(
            r % "committee_add",
            "POST",
            com % "add",
            None,
            DO,
            LAB_H08,
            (LOGIN, 403, 403, 302, None),
            kwarg=None,
            data=lambda s, user, obj: {
                "organization": s.h08.pk,
                "code": "BCĐ-N",
                "name": "Ban Chỉ đạo mới",
                "classification": 0,
            },
        ),
        Case(r % "committee_detail", "GET", *view_com, seen, secret="dir_committee_secret"),
        Case(r % "steeringcommittee_history", "GET", *view_com, seen, secret="dir_committee_secret"),
        Case(
            r % "steeringcommittee_edit",
            "GET",
            com % "change",
            "dir_committee",
            DO,
            LAB_H08,
            edit_get,
            secret="dir_committee_secret",
        ),
        Case(
            r % "steeringcommittee_edit",
            "POST",
            com % "change",
            "dir_committee",
            DO,
            LAB_H08,
            changed,
            secret="dir_committee_secret",
            data=edit(CommitteeForm, head="Thứ trưởng (sửa)"),
        ),
        Case(
            r % "steeringcommittee_delete",
            "GET",
            com % "delete",
            "dir_committee_spare",
            DO,
            LAB_H08,
            edit_get,
            secret="dir_committee_secret",
        ),
        Case(
            r % "steeringcommittee_delete",
            "POST",
            com % "delete",
            "dir_committee_spare",
            DO,
            LAB_H08,
            changed,
            secret="dir_committee_secret",
        ),
        Case(
            r % "meeting_add",
            "GET",
            com % "change",
            "dir_committee",
            DO,
            LAB_H08,
            edit_get,
            secret="dir_committee_secret",
            kwarg="committee_pk",
        ),
        Case(
            r % "meeting_add",
            "POST",
            com % "change",
            "dir_committee",
            DO,
            LAB_H08,
            changed,
            secret="dir_committee_secret",
            kwarg="committee_pk",
            data=const(held_on="2026-01-05", title="Phiên họp thứ nhất", classification=0),
        ),
        Case(
            r % "meeting_history",
            "GET",
            "directives.view_meeting",
            "dir_meeting",
            DO,
            NONE_H08,
            seen,
            secret="dir_meeting_secret",
        ),
        Case(
            r % "meeting_edit",
            "GET",
            com % "change",
            "dir_meeting",
            DO,
            LAB_H08,
            edit_get,
            secret="dir_meeting_secret",
        ),
        Case(
            r % "meeting_edit",
            "POST",
            com % "change",
            "dir_meeting",
            DO,
            LAB_H08,
            changed,
            secret="dir_meeting_secret",
            data=const(held_on="2025-01-07", title="Phiên họp mẫu (sửa)", classification=0),
        ),
        Case(
            r % "meeting_delete",
            "GET",
            com % "change",
            "dir_meeting_spare",
            DO,
            LAB_H08,
            edit_get,
            secret="dir_meeting_secret",
        ),
        Case(
            r % "meeting_delete",
            "POST",
            com % "change",
            "dir_meeting_spare",
            DO,
            LAB_H08,
            changed,
            secret="dir_meeting_secret",
        ),
        Case(
            r % "document_list",
            "GET",
            doc % "view",
            "dir_doc",
            DO,
            NONE_H08,
            (LOGIN, 200, 403, 200, 200),
            secret="dir_doc_secret",
            kwarg=None,
            marker=True,
            export=True,
        ),
        Case(r % "document_add", "GET", doc % "add", None, DO, LAB_H08, (LOGIN, 403, 403, 200, None), kwarg=None),
        Case(
            r % "document_add",
            "POST",
            doc % "add",
            None,
            DO,
            LAB_H08,
            (LOGIN, 403, 403, 302, None),
            kwarg=None,
            data=lambda s, user, obj: {
                "organization": s.h08.pk,
                "kind": "plan",
                "number": "06/KH-MAU",
                "issuer": "Cục trưởng",
                "issued_on": "2025-02-01",
                "title": "Kế hoạch mới",
                "classification": 0,
            },
        ),
        Case(r % "document_detail", "GET", *view_doc, seen, secret="dir_doc_secret"),
        Case(r % "directivedocument_history", "GET", *view_doc, seen, secret="dir_doc_secret"),
        Case(r % "document_export", "GET", *view_doc, seen, secret="dir_doc_secret"),
        Case(
            r % "document_attachment",
            "GET",
            doc % "view",
            "dir_doc_spare",
            DO,
            NONE_H08,
            seen,
            secret="dir_doc_secret",
        ),
        Case(
            r % "directivedocument_edit",
            "GET",
            doc % "change",
            "dir_doc",
            DO,
            LAB_H08,
            edit_get,
            secret="dir_doc_secret",
        ),
        Case(
            r % "directivedocument_edit",
            "POST",
            doc % "change",
            "dir_doc",
            DO,
            LAB_H08,
            changed,
            secret="dir_doc_secret",
            data=edit(DocumentForm, summary="Tóm tắt (sửa)"),
        ),
        Case(
            r % "directivedocument_delete",
            "GET",
            doc % "delete",
            "dir_doc_spare",
            DO,
            LAB_H08,
            edit_get,
            secret="dir_doc_secret",
        ),
        Case(
            r % "directivedocument_delete",
            "POST",
            doc % "delete",
            "dir_doc_spare",
            DO,
            LAB_H08,
            changed,
            secret="dir_doc_secret",
        ),
        # a task of H08's document: the assigning unit adds it (the auditor sees the document: 403)
        Case(
            r % "task_add",
            "GET",
            task % "add",
            "dir_doc",
            DO,
            AUDITOR,
            edit_get,
            secret="dir_doc_secret",
            kwarg="document_pk",
        ),
        Case(
            r % "task_add",
            "POST",
            task % "add",
            "dir_doc",
            DO,
            AUDITOR,
            changed,
            secret="dir_doc_secret",
            kwarg="document_pk",
            data=lambda s, user, d: {
                "number": "9",
                "content": "Nhiệm vụ mới",
                "lead": s.ent_a.pk,
                "deadline": "2027-06-30",
                "reporting_cycle": "quarter",
                "expected_product": "Báo cáo",
                "priority": "normal",
                "classification": 0,
            },
        ),
        Case(
            r % "task_list",
            "GET",
            task % "view",
            "dir_task",
            EO_A,
            NONE_A,
            (LOGIN, 200, 403, 200, 200),
            secret="dir_task_secret",
            kwarg=None,
        ),
        Case(r % "task_detail", "GET", *view_task, seen, secret="dir_task_secret"),
        Case(r % "task_history", "GET", *view_task, seen, secret="dir_task_secret"),
        Case(r % "task_edit", "GET", task % "change", "dir_task", DO, AUDITOR, edit_get, secret="dir_task_secret"),
        Case(
            r % "task_edit",
            "POST",
            task % "change",
            "dir_task",
            DO,
            AUDITOR,
            changed,
            secret="dir_task_secret",
            data=edit(TaskForm, content="Nhiệm vụ mẫu 1 (sửa)"),
        ),
        Case(
            r % "task_delete",
            "GET",
            task % "delete",
            "dir_task_spare",
            DO,
            AUDITOR,
            edit_get,
            secret="dir_task_secret",
        ),
        Case(
            r % "task_delete",
            "POST",
            task % "delete",
            "dir_task_spare",
            DO,
            AUDITOR,
            changed,
            secret="dir_task_secret",
        ),
        # the lead cascades part of its task to a unit under it
        Case(
            r % "subtask_add",
            "GET",
            task % "add",
            "dir_task",
            EO_A,
            AUDITOR,
            edit_get,
            secret="dir_task_secret",
            kwarg="parent_pk",
        ),
        Case(
            r % "subtask_add",
            "POST",
            task % "add",
            "dir_task",
            EO_A,
            AUDITOR,
            changed,
            secret="dir_task_secret",
            kwarg="parent_pk",
            data=lambda s, user, t: {
                "number": "1.1",
                "content": "Phần việc của phân xưởng",
                "lead": s.unit_a.pk,
                "deadline": "2027-06-30",
                "reporting_cycle": "quarter",
                "expected_product": "Báo cáo",
                "priority": "normal",
                "classification": 0,
            },
        ),
        Case(
            r % "report_add",
            "POST",
            "directives.add_progressreport",
            "dir_task",
            EO_A,
            AUDITOR,
            changed,
            secret="dir_task_secret",
            data=const(percent="50", narrative="Đã có dự thảo", reported_on="2026-01-05"),
        ),
        # accepting: the report's state and its event
        Case(
            r % "report_review",
            "POST",
            "directives.change_progressreport",
            "dir_report",
            DO,
            AUDITOR,
            changed,
            secret="dir_report_secret",
            data=const(action="accept"),
            writes=2,
        ),
        Case(
            r % "adjustment_add",
            "POST",
            "directives.add_taskadjustment",
            "dir_task",
            DO,
            AUDITOR,
            changed,
            secret="dir_task_secret",
            data=const(
                kind="extend",
                decision_number="88/QĐ-H08",
                decided_on="2026-01-05",
                new_deadline="2028-06-30",
                reason="Chờ kinh phí",
            ),
        ),
        Case(
            r % "evidence_download",
            "GET",
            "directives.view_evidence",
            "dir_evidence",
            EO_A,
            NONE_A,
            seen,
            secret="dir_evidence_secret",
        ),
        Case(r % "dashboard", "GET", task % "view", None, EO_A, NONE_A, (LOGIN, 200, 403, 200, None), kwarg=None),
    ]


def research_pages() -> list[Case]:
    """Every page of the research app. ENT-A hosts the topic: its enterprise officer changes it, keeps its
    roadmap, reports on it and keeps its outputs, filings, transfers, agreements and groups (another
    enterprise: 404; a lab officer who only sees them: 403); the Department (H08) passes the managing body's
    gates, which the host may not (403). Minutes are downloaded through the task's visibility."""
    from cnan.research.forms import (
        CooperationForm,
        FilingForm,
        GroupForm,
        MilestoneForm,
        OutputForm,
        ResearchTaskForm,
        TransferForm,
    )

    r = "research:%s"
    listed = (LOGIN, 200, 403, 200, 200)
    seen = (LOGIN, 404, 404, 200, 404)
    edit_get = (LOGIN, 404, 403, 200, 404)
    changed = (LOGIN, 404, 403, 302, 404)
    add_get = (LOGIN, 200, 403, 200, None)
    add_post = (LOGIN, 422, 403, 302, None)  # another enterprise may add its own, not ENT-A's

    def lst(route: str, model: str, obj: str, secret: str | None, marker: bool = True) -> Case:
        return Case(
            r % route,
            "GET",
            f"research.view_{model}",
            obj,
            EO_A,
            NONE_A,
            listed if secret else listed[:4] + (None,),
            secret=secret,
            kwarg=None,
            query="?per_page=100",
            marker=marker,
            export=marker,
        )

    def crud(
        model: str,
        prefix: str,
        *,
        obj: str,
        secret: str,
        spare: str,
        add_data: Callable,
        form: type,
        changes: dict[str, Any],
        add_route: str | None = None,
    ) -> list[Case]:
        """The add, detail, edit, delete and history pages of a record kept by its unit (ENT-A)."""
        perm = f"research.%s_{model}"
        cases = [
            Case(r % f"{prefix}_detail", "GET", perm % "view", obj, EO_A, NONE_A, seen, secret=secret),
            Case(r % f"{model}_history", "GET", perm % "view", obj, EO_A, NONE_A, seen, secret=secret),
            Case(r % f"{model}_edit", "GET", perm % "change", obj, EO_A, LAB_A, edit_get, secret=secret),
            Case(
                r % f"{model}_edit",
                "POST",
                perm % "change",
                obj,
                EO_A,
                LAB_A,
                changed,
                secret=secret,
                data=edit(form, **changes),
            ),
            Case(r % f"{model}_delete", "GET", perm % "delete", spare, EO_A, LAB_A, edit_get, secret=secret),
            Case(r % f"{model}_delete", "POST", perm % "delete", spare, EO_A, LAB_A, changed, secret=secret),
        ]
        if add_route:
            cases += [
                Case(r % add_route, "GET", perm % "add", None, EO_A, LAB_A, add_get, kwarg=None),
                Case(r % add_route, "POST", perm % "add", None, EO_A, LAB_A, add_post, kwarg=None, data=add_data),
            ]
        return cases

    task = "research.%s_researchtask"
    on_task = {"secret": "rs_task_secret", "kwarg": "task_pk"}
    return [
        Case(r % "dashboard", "GET", task % "view", None, EO_A, NONE_A, (LOGIN, 200, 403, 200, None), kwarg=None),
        # S&T tasks: the host proposes and changes them
        lst("task_list", "researchtask", "rs_task", "rs_task_secret"),
        Case(r % "task_add", "GET", task % "add", None, EO_A, LAB_A, add_get, kwarg=None),
        Case(
            r % "task_add",
            "POST",
            task % "add",
            None,
            EO_A,
            LAB_A,
            add_post,
            kwarg=None,
            data=lambda s, user, obj: {
                "code": "ĐT-MAU-8",
                "title": "Đề tài đề xuất mới",
                "level": "ministry",
                "kind": "topic",
                "formation": "commission",
                "selection": "call",
                "host": s.ent_a.pk,
                "principal_investigator": "TS. Trần Hà",
                "start_on": "2026-01-01",
                "end_on": "2027-12-31",
                "budget_total": "0",
                "classification": "0",
            },
            writes=2,  # the task and its proposal (the gate event)
        ),
        Case(r % "task_detail", "GET", task % "view", "rs_task", EO_A, NONE_A, seen, secret="rs_task_secret"),
        Case(r % "researchtask_history", "GET", task % "view", "rs_task", EO_A, NONE_A, seen, secret="rs_task_secret"),
        Case(
            r % "researchtask_edit", "GET", task % "change", "rs_task", EO_A, LAB_A, edit_get, secret="rs_task_secret"
        ),
        Case(
            r % "researchtask_edit",
            "POST",
            task % "change",
            "rs_task",
            EO_A,
            LAB_A,
            changed,
            secret="rs_task_secret",
            data=edit(ResearchTaskForm, title="Đề tài mẫu (sửa)"),
        ),
        Case(
            r % "researchtask_delete",
            "GET",
            task % "delete",
            "rs_task_spare",
            EO_A,
            LAB_A,
            edit_get,
            secret="rs_task_secret",
        ),
        Case(
            r % "researchtask_delete",
            "POST",
            task % "delete",
            "rs_task_spare",
            EO_A,
            LAB_A,
            changed,
            secret="rs_task_secret",
        ),
        # a gate of the managing body: the Department passes it, the host may not (403)
        Case(
            r % "task_gate",
            "GET",
            task % "manage",
            "rs_task",
            DO,
            EO_A,
            edit_get,
            secret="rs_task_secret",
            url_kwargs={"gate": "adjust"},
        ),
        Case(
            r % "task_gate",
            "POST",
            task % "manage",
            "rs_task",
            DO,
            EO_A,
            changed,
            secret="rs_task_secret",
            url_kwargs={"gate": "adjust"},
            data=const(decision_number="7/QĐ-H08", decided_on="2025-06-01", comment="Gia hạn", new_end_on="2028-06-30"),
            writes=2,  # the task's new end and the gate's event
        ),
        Case(r % "gate_minutes", "GET", task % "view", "rs_gate", EO_A, NONE_A, seen, secret="rs_gate_secret"),
        # the roadmap: the host keeps it and reports on it
        lst("milestone_list", "milestone", "rs_milestone", None, marker=False),
        Case(r % "milestone_add", "GET", task % "change", "rs_task", EO_A, LAB_A, edit_get, **on_task),
        Case(
            r % "milestone_add",
            "POST",
            task % "change",
            "rs_task",
            EO_A,
            LAB_A,
            changed,
            data=const(content="Bước 3", expected_output="Báo cáo", due_on="2027-06-30"),
            **on_task,
        ),
        Case(
            r % "milestone_edit",
            "GET",
            task % "change",
            "rs_milestone",
            EO_A,
            LAB_A,
            edit_get,
            secret="rs_milestone_secret",
        ),
        Case(
            r % "milestone_edit",
            "POST",
            task % "change",
            "rs_milestone",
            EO_A,
            LAB_A,
            changed,
            secret="rs_milestone_secret",
            data=edit(MilestoneForm, content="Bước 1 (sửa)"),
        ),
        Case(
            r % "milestone_delete",
            "GET",
            task % "change",
            "rs_milestone_spare",
            EO_A,
            LAB_A,
            edit_get,
            secret="rs_milestone_secret",
        ),
        Case(
            r % "milestone_delete",
            "POST",
            task % "change",
            "rs_milestone_spare",
            EO_A,
            LAB_A,
            changed,
            secret="rs_milestone_secret",
        ),
        Case(
            r % "milestone_history",
            "GET",
            "research.view_milestone",
            "rs_milestone",
            EO_A,
            NONE_A,
            seen,
            secret="rs_milestone_secret",
        ),
        Case(
            r % "milestone_report",
            "GET",
            "research.add_milestonereport",
            "rs_milestone",
            EO_A,
            LAB_A,
            edit_get,
            secret="rs_milestone_secret",
        ),
        Case(
            r % "milestone_report",
            "POST",
            "research.add_milestonereport",
            "rs_milestone",
            EO_A,
            LAB_A,
            changed,
            secret="rs_milestone_secret",
            data=const(reported_on="2025-06-01", percent="60", narrative="Đã thiết kế xong"),
        ),
        # outputs: added from the task's page
        lst("output_list", "output", "rs_output", "rs_output_secret"),
        Case(r % "output_add", "GET", "research.add_output", "rs_task", EO_A, LAB_A, edit_get, **on_task),
        Case(
            r % "output_add",
            "POST",
            "research.add_output",
            "rs_task",
            EO_A,
            LAB_A,
            changed,
            data=const(kind="software", title="Phần mềm điều khiển", classification="0"),
            **on_task,
        ),
        *crud(
            "output",
            "output",
            obj="rs_output",
            secret="rs_output_secret",
            spare="rs_output_spare",
            add_data=const(),
            form=OutputForm,
            changes={"title": "Mẫu thử nghiệm A (sửa)"},
        ),
        # IP filings, with their status moving on
        lst("filing_list", "ipfiling", "rs_filing", "rs_filing_secret"),
        *crud(
            "ipfiling",
            "filing",
            obj="rs_filing",
            secret="rs_filing_secret",
            spare="rs_filing_spare",
            add_route="filing_add",
            add_data=lambda s, user, obj: {
                "owner": s.ent_a.pk,
                "kind": "design",
                "title": "Kiểu dáng công nghiệp mới",
                "country": "VN",
                "filed_on": "2025-05-01",
                "classification": "0",
            },
            form=FilingForm,
            changes={"application_number": "2-2025-00077"},
        ),
        Case(
            r % "filing_advance",
            "GET",
            "research.change_ipfiling",
            "rs_filing",
            EO_A,
            LAB_A,
            edit_get,
            secret="rs_filing_secret",
        ),
        Case(
            r % "filing_advance",
            "POST",
            "research.change_ipfiling",
            "rs_filing",
            EO_A,
            LAB_A,
            changed,
            secret="rs_filing_secret",
            data=const(status="formality", on="2025-04-01"),
        ),
        # transfers, cooperation agreements, research groups
        lst("transfer_list", "techtransfer", "rs_transfer", "rs_transfer_secret", marker=False),
        *crud(
            "techtransfer",
            "transfer",
            obj="rs_transfer",
            secret="rs_transfer_secret",
            spare="rs_transfer_spare",
            add_route="transfer_add",
            add_data=lambda s, user, obj: {
                "organization": s.ent_a.pk,
                "direction": "internal",
                "partner": "Viện Khoa học và Công nghệ",
                "partner_country": "VN",
                "technology": "Công nghệ hàn mới",
                "value": "0",
                "status": "negotiating",
                "classification": "0",
            },
            form=TransferForm,
            changes={"notes": "Đang đàm phán giá"},
        ),
        lst("cooperation_list", "cooperation", "rs_coop", "rs_coop_secret", marker=False),
        *crud(
            "cooperation",
            "cooperation",
            obj="rs_coop",
            secret="rs_coop_secret",
            spare="rs_coop_spare",
            add_route="cooperation_add",
            add_data=lambda s, user, obj: {
                "organization": s.ent_a.pk,
                "form": "agreement",
                "partner": "Học viện Kỹ thuật",
                "country": "VN",
                "field": "Cơ khí chính xác",
                "start_on": "2025-03-01",
                "status": "proposed",
                "classification": "0",
            },
            form=CooperationForm,
            changes={"activities": "Trao đổi chuyên gia"},
        ),
        lst("group_list", "researchgroup", "rs_group", "rs_group_secret"),
        *crud(
            "researchgroup",
            "group",
            obj="rs_group",
            secret="rs_group_secret",
            spare="rs_group_spare",
            add_route="group_add",
            add_data=lambda s, user, obj: {
                "organization": s.ent_a.pk,
                "name": "Nhóm vật liệu mới",
                "lead": "TS. Phạm Hùng",
                "field": "Vật liệu",
                "classification": "0",
            },
            form=GroupForm,
            changes={"lead": "TS. Lê Minh (sửa)"},
        ),
    ]


def _not_the_enterprises(cases: list[Case], routes: set[str]) -> list[Case]:
    """Another enterprise's officer (``other``) holds no read permission on the units' demand, their imported
    purchases or the optimiser's runs: 403 where a holder of the permission elsewhere would read an empty
    list or get 404."""
    return [
        replace(c, expect=(c.expect[0], 403, *c.expect[2:])) if c.method == "GET" and c.route in routes else c
        for c in cases
    ]


# --- supply: demand ------------------------------------------------------------


def _supply_demand_scene(s: SimpleNamespace) -> None:
    """The records the supply demand rows act on: an operational unit (K02-M) with a draft plan for 2026 (two
    lines, one spare), its classified twin for 2027 (with a line), a spare plan for 2028 and a plan for 2029
    submitted to the Department; ENT-A's capacity;
    the unit's imported purchase, its classified twin and a spare."""
    from cnan.supply import services as ss

    s.sd_unit = org_services.organization_create(
        actor=None, parent=s.bca, data={"code": "K02-M", "name": "Đơn vị nghiệp vụ mẫu", "kind": "operational_unit"}
    )

    def line(plan: Any, **extra: Any):
        data = {
            "product_class": "support_tool",
            "product_group": s.product_group,
            "specification": "Cấp bảo vệ III",
            "quantity": 10,
            "unit_value": 1000000,
            "needed_by": dt.date(plan.year, 6, 30),
            "force_type": "rapid_response",
            **extra,
        }
        return ss.line_create(actor=None, plan=plan, data=data)

    s.sd_plan = ss.plan_create(actor=None, data={"unit": s.sd_unit, "year": 2026})
    s.sd_plan_secret = ss.plan_create(actor=None, data={"unit": s.sd_unit, "year": 2027, **SECRET})
    s.sd_plan_spare = ss.plan_create(actor=None, data={"unit": s.sd_unit, "year": 2028})
    s.sd_line = line(s.sd_plan)
    s.sd_line_spare = line(s.sd_plan, quantity=3)
    s.sd_line_secret = line(s.sd_plan_secret)
    s.sd_plan_sub = ss.plan_create(actor=None, data={"unit": s.sd_unit, "year": 2029})
    line(s.sd_plan_sub)
    s.sd_plan_sub = ss.plan_transition(actor=None, plan=s.sd_plan_sub, action="submit")
    s.sd_capacity = ss.capacity_set(actor=None, enterprise=s.ent_a, product_group=s.product_group, year=2031, units=50)

    def purchase(description: str, **extra: Any):
        data = {
            "unit": s.sd_unit,
            "year": 2024,
            "product_class": "support_tool",
            "description": description,
            "country": "IL",
            "quantity": 5,
            "value": 500000000,
            **extra,
        }
        return ss.import_create(actor=None, data=data)

    s.sd_import = purchase("Áo giáp nhập mẫu")
    s.sd_import_secret = purchase("Thiết bị nhập mật", **SECRET)
    s.sd_import_spare = purchase("Thiết bị nhập thừa")


def supply_demand_cases() -> list[Case]:
    """The demand pages. The unit's officer (K02-M) declares its plans and lines and records its imported
    purchases; a leader who reads everything may not change them (403); a member of the unit without a role
    sees nothing (403 on lists, 404 on records); ENT-B's officer: 404 on the unit's records. ENT-A's officer
    keeps ENT-A's capacity; ENT-B's may not set it (its form does not offer ENT-A: 422)."""
    from cnan.supply.forms_demand import DemandLineForm, DemandPlanForm, ImportPurchaseForm

    r = "supply:%s"
    uo = ("unit_officer", "sd_unit")
    none_u = ("member", "sd_unit")
    leader = ("ministry_leader", "bca")
    plan = "supply.%s_demandplan"
    line = "supply.%s_demandline"
    imp = "supply.%s_importpurchase"
    listed = (LOGIN, 200, 403, 200, 200)
    seen = (LOGIN, 404, 404, 200, 404)
    edit_get = (LOGIN, 404, 403, 200, 404)
    changed = (LOGIN, 404, 403, 302, 404)
    add_get = (LOGIN, 403, 403, 200, None)
    add_post = (LOGIN, 403, 403, 302, None)
    on_plan = {"secret": "sd_plan_secret"}

    def new_line(s, user, obj):
        return {
            "product_class": "support_tool",
            "product_group": s.product_group.pk,
            "specification": "Mũ chống đạn",
            "quantity": "4",
            "unit_value": "2000000",
            "needed_by": "2026-09-30",
            "force_type": "investigation",
            "classification": "0",
        }

    def new_import(s, user, obj):
        return {
            "unit": s.sd_unit.pk,
            "year": "2025",
            "product_class": "support_tool",
            "description": "Thiết bị nhập mới",
            "country": "DE",
            "quantity": "2",
            "value": "300000000",
            "classification": "0",
        }

    def capacity(s, user, obj):
        return {"enterprise": s.ent_a.pk, "product_group": s.product_group.pk, "year": "2031", "units": "80"}

    return [
        # demand plans and their workflow
        Case(
            r % "plan_list",
            "GET",
            plan % "view",
            "sd_plan",
            uo,
            none_u,
            listed,
            secret="sd_plan_secret",
            kwarg=None,
            query="?per_page=100",
            marker=True,
            export=True,
        ),
        Case(r % "plan_add", "GET", plan % "add", None, uo, none_u, add_get, kwarg=None),
        Case(
            r % "plan_add",
            "POST",
            plan % "add",
            None,
            uo,
            none_u,
            add_post,
            kwarg=None,
            data=lambda s, user, obj: {"unit": s.sd_unit.pk, "year": "2030", "note": "", "classification": "0"},
        ),
        Case(r % "plan_detail", "GET", plan % "view", "sd_plan", uo, none_u, seen, **on_plan),
        Case(r % "demandplan_history", "GET", plan % "view", "sd_plan", uo, none_u, seen, **on_plan),
        Case(r % "demandplan_edit", "GET", plan % "change", "sd_plan", uo, leader, edit_get, **on_plan),
        Case(
            r % "demandplan_edit",
            "POST",
            plan % "change",
            "sd_plan",
            uo,
            leader,
            changed,
            data=edit(DemandPlanForm, note="Bổ sung ghi chú"),
            **on_plan,
        ),
        Case(r % "demandplan_delete", "GET", plan % "delete", "sd_plan_spare", uo, leader, edit_get, **on_plan),
        Case(r % "demandplan_delete", "POST", plan % "delete", "sd_plan_spare", uo, leader, changed, **on_plan),
        Case(
            r % "plan_transition",
            "POST",
            plan % "change",
            "sd_plan",
            uo,
            leader,
            changed,
            url_kwargs={"action": "submit"},
            writes=2,  # the plan's state and its event
            **on_plan,
        ),
        Case(
            r % "plan_transition",
            "POST",
            "supply.consolidate_demandplan",
            "sd_plan_sub",
            DO,
            uo,  # the unit submits its plan but does not consolidate it
            changed,
            url_kwargs={"action": "consolidate"},
            writes=2,
            label="consolidate",
            **on_plan,
        ),
        # demand lines
        Case(
            r % "line_list",
            "GET",
            line % "view",
            "sd_line",
            uo,
            none_u,
            listed,
            secret="sd_line_secret",
            kwarg=None,
            query="?per_page=100",
        ),
        Case(r % "line_add", "GET", plan % "change", "sd_plan", uo, leader, edit_get, kwarg="plan_pk", **on_plan),
        Case(
            r % "line_add",
            "POST",
            plan % "change",
            "sd_plan",
            uo,
            leader,
            changed,
            kwarg="plan_pk",
            data=new_line,
            **on_plan,
        ),
        Case(r % "demandline_history", "GET", line % "view", "sd_line", uo, none_u, seen, secret="sd_line_secret"),
        Case(r % "demandline_edit", "GET", plan % "change", "sd_line", uo, leader, edit_get, secret="sd_line_secret"),
        Case(
            r % "demandline_edit",
            "POST",
            plan % "change",
            "sd_line",
            uo,
            leader,
            changed,
            secret="sd_line_secret",
            data=edit(DemandLineForm, quantity="12"),
        ),
        Case(
            r % "demandline_delete",
            "GET",
            plan % "change",
            "sd_line_spare",
            uo,
            leader,
            edit_get,
            secret="sd_line_secret",
        ),
        Case(
            r % "demandline_delete",
            "POST",
            plan % "change",
            "sd_line_spare",
            uo,
            leader,
            changed,
            secret="sd_line_secret",
        ),
        # capacity
        Case(
            r % "capacity_list",
            "GET",
            "supply.view_capacity",
            "sd_capacity",
            EO_A,
            NONE_A,
            (LOGIN, 200, 403, 200, None),
            kwarg=None,
        ),
        Case(
            r % "capacity_set",
            "GET",
            "supply.change_capacity",
            None,
            EO_A,
            LAB_A,
            (LOGIN, 200, 403, 200, None),
            kwarg=None,
        ),
        Case(
            r % "capacity_set",
            "POST",
            "supply.change_capacity",
            None,
            EO_A,
            LAB_A,
            (LOGIN, 422, 403, 302, None),
            kwarg=None,
            data=capacity,
        ),
        # imported purchases
        Case(
            r % "import_list",
            "GET",
            imp % "view",
            "sd_import",
            uo,
            none_u,
            listed,
            secret="sd_import_secret",
            kwarg=None,
        ),
        Case(r % "import_add", "GET", imp % "add", None, uo, none_u, add_get, kwarg=None),
        Case(r % "import_add", "POST", imp % "add", None, uo, none_u, add_post, kwarg=None, data=new_import),
        Case(r % "import_detail", "GET", imp % "view", "sd_import", uo, none_u, seen, secret="sd_import_secret"),
        Case(
            r % "importpurchase_history", "GET", imp % "view", "sd_import", uo, none_u, seen, secret="sd_import_secret"
        ),
        Case(
            r % "importpurchase_edit",
            "GET",
            imp % "change",
            "sd_import",
            uo,
            leader,
            edit_get,
            secret="sd_import_secret",
        ),
        Case(
            r % "importpurchase_edit",
            "POST",
            imp % "change",
            "sd_import",
            uo,
            leader,
            changed,
            secret="sd_import_secret",
            data=edit(ImportPurchaseForm, quantity="6"),
        ),
        Case(
            r % "importpurchase_delete",
            "GET",
            imp % "delete",
            "sd_import_spare",
            uo,
            leader,
            edit_get,
            secret="sd_import_secret",
        ),
        Case(
            r % "importpurchase_delete",
            "POST",
            imp % "delete",
            "sd_import_spare",
            uo,
            leader,
            changed,
            secret="sd_import_secret",
        ),
    ]


# --- supply: orders ------------------------------------------------------------


def _supply_orders_scene(s: SimpleNamespace) -> None:
    """The records the supply orders rows act on. ENT-A makes a product for an operational unit (K-ORD): an
    order with two deliveries (one accepted, with feedback), its classified twin (accepted, with feedback)
    and a spare to cancel. The Department places and cancels orders, ENT-A records deliveries, the unit
    accepts them and gives feedback."""
    from decimal import Decimal

    from cnan.catalogue import services as catalogue_services
    from cnan.organizations.models import Organization
    from cnan.supply import services as sup

    s.sup_unit = org_services.organization_create(
        actor=None,
        parent=s.bca,
        data={"code": "K-ORD", "name": "Trung đoàn đặt hàng mẫu", "kind": Organization.Kind.OPERATIONAL_UNIT},
    )
    s.sup_product = catalogue_services.product_create(
        actor=None,
        data={
            "organization": s.ent_a,
            "code": "SUP-SP-1",
            "name": "Mũ chống đạn mẫu",
            "product_class": "support_tool",
            "group": s.product_group,
            "price": Decimal("3000000"),
        },
    )

    def order(number: str, **extra: Any):
        data = {
            "number": number,
            "mode": "ordering",
            "customer": s.sup_unit,
            "enterprise": s.ent_a,
            "product": s.sup_product,
            "year": 2026,
            "quantity": 20,
            "unit_price": Decimal("2900000"),
            "price_basis": "estimate",
            "funding": "ministry",
            "ordered_on": dt.date(2026, 1, 10),
            "due_on": dt.date(2026, 12, 31),
            "over_capacity_reason": "Nhiệm vụ đột xuất (thử)",
            **extra,
        }
        return sup.order_create(actor=None, data=data)

    def deliver(o: Any, day: int, accepted: bool):
        d = sup.delivery_create(actor=None, order=o, data={"delivered_on": dt.date(2026, 3, day), "quantity": 5})
        if accepted:
            d = sup.delivery_accept(
                actor=None, delivery=d, accepted_on=dt.date(2026, 3, day + 1), acceptance_number=f"NT-{o.number}"
            )
            sup.feedback_create(actor=None, delivery=d, data={"rating": 5, "comment": "Đạt yêu cầu (thử)"})
        return d

    s.sup_order = order("SUP-DH-A")
    s.sup_order_secret = order("SUP-DH-S", **SECRET)
    s.sup_order_spare = order("SUP-DH-P")
    s.sup_delivery = deliver(s.sup_order, 1, accepted=False)
    s.sup_delivery_acc = deliver(s.sup_order, 3, accepted=True)
    s.sup_delivery_secret = deliver(s.sup_order_secret, 5, accepted=True)


def supply_orders_cases() -> list[Case]:
    """The orders' pages. The Department (H08) places and cancels orders (ENT-A, which sees them, may not:
    403); ENT-A records deliveries (the customer unit, which sees them, may not: 403); the customer unit
    accepts deliveries and gives feedback (ENT-A may not: 403). Another enterprise sees none of it (404)."""
    r = "supply:%s"
    UO = ("unit_officer", "sup_unit")
    listed = (LOGIN, 200, 403, 200, 200)
    seen = (LOGIN, 404, 404, 200, 404)
    acted = (LOGIN, 404, 403, 200, 404)
    done = (LOGIN, 404, 403, 302, 404)

    def lst(route: str, perm: str, obj: str, secret: str) -> Case:
        return Case(
            r % route,
            "GET",
            perm,
            obj,
            EO_A,
            NONE_A,
            listed,
            secret=secret,
            kwarg=None,
            query="?per_page=100",
            marker=True,
            export=True,
        )

    def order_form(s, user, obj):
        return {
            "number": "SUP-DH-NEW",
            "mode": "task",
            "customer": s.sup_unit.pk,
            "enterprise": s.ent_a.pk,
            "product": s.sup_product.pk,
            "year": "2026",
            "quantity": "3",
            "unit_price": "2900000",
            "price_basis": "fixed",
            "funding": "state",
            "ordered_on": "2026-02-01",
            "due_on": "2026-10-31",
            "over_capacity_reason": "Nhiệm vụ đột xuất (thử)",
            "classification": "0",
        }

    view, add = "supply.view_productionorder", "supply.add_productionorder"
    change, deliver = "supply.change_productionorder", "supply.add_delivery"
    accept, feedback = "supply.accept_delivery", "supply.add_feedback"
    on_order = {"secret": "sup_order_secret"}
    on_delivery = {"secret": "sup_delivery_secret"}
    return [
        lst("order_list", view, "sup_order", "sup_order_secret"),
        Case(r % "order_add", "GET", add, None, DO, NONE_H08, (LOGIN, 403, 403, 200, None), kwarg=None),
        Case(
            r % "order_add",
            "POST",
            add,
            None,
            DO,
            NONE_H08,
            (LOGIN, 403, 403, 302, None),
            kwarg=None,
            data=order_form,
        ),
        Case(r % "order_detail", "GET", view, "sup_order", EO_A, NONE_A, seen, **on_order),
        Case(r % "productionorder_history", "GET", view, "sup_order", EO_A, NONE_A, seen, **on_order),
        Case(r % "order_cancel", "GET", change, "sup_order_spare", DO, EO_A, acted, **on_order),
        Case(
            r % "order_cancel",
            "POST",
            change,
            "sup_order_spare",
            DO,
            EO_A,
            done,
            data=const(reason="Đơn vị đổi kế hoạch (thử)"),
            **on_order,
        ),
        Case(r % "delivery_add", "GET", deliver, "sup_order", EO_A, UO, acted, **on_order),
        Case(
            r % "delivery_add",
            "POST",
            deliver,
            "sup_order",
            EO_A,
            UO,
            done,
            data=const(delivered_on="2026-03-20", quantity="1"),
            **on_order,
        ),
        lst("delivery_list", "supply.view_delivery", "sup_delivery", "sup_delivery_secret"),
        Case(r % "delivery_accept", "GET", accept, "sup_delivery", UO, EO_A, acted, **on_delivery),
        Case(
            r % "delivery_accept",
            "POST",
            accept,
            "sup_delivery",
            UO,
            EO_A,
            done,
            data=const(accepted_on="2026-03-02", acceptance_number="NT-MOI"),
            **on_delivery,
        ),
        Case(r % "feedback_add", "GET", feedback, "sup_delivery_acc", UO, EO_A, acted, **on_delivery),
        Case(
            r % "feedback_add",
            "POST",
            feedback,
            "sup_delivery_acc",
            UO,
            EO_A,
            done,
            data=const(given_on="2026-03-10", rating="4", comment="Tốt"),
            **on_delivery,
        ),
        # the feedback list names each delivery the feedback is on
        lst("feedback_list", "supply.view_feedback", "sup_delivery_acc", "sup_delivery_secret"),
    ]


# --- supply: allocation ------------------------------------------------------------


def _supply_allocation_scene(s: SimpleNamespace) -> None:
    """The records the supply allocation rows act on: an operational unit's consolidated demand for 2031 that
    ENT-A's vest supplies in part (capacity 30 of 40), and a run of the optimiser over it, computed."""
    from decimal import Decimal

    from cnan.catalogue import services as catalogue_services
    from cnan.supply import services as supply_services

    planner = account_services.user_create(
        actor=None, data={"username": "alloc-planner", "full_name": "Cán bộ phân bổ", "clearance": 1}, password=None
    )
    account_services.membership_create(
        actor=None,
        data={
            "user": planner,
            "organization": s.h08,
            "role": Role.objects.get(code="department_officer"),
            "valid_from": dt.date(2020, 1, 1),
        },
    )
    planner.forget_grants()
    unit = org_services.organization_create(
        actor=None,
        parent=s.bca,
        data={"code": "K-PB", "name": "Đơn vị phân bổ thử", "kind": "operational_unit"},
    )
    catalogue_services.product_create(
        actor=None,
        data={
            "organization": s.ent_a,
            "code": "PB-VEST",
            "name": "Áo giáp phân bổ",
            "product_class": "support_tool",
            "group": s.product_group,
            "price": Decimal("9000000"),
        },
    )
    supply_services.capacity_set(actor=None, enterprise=s.ent_a, product_group=s.product_group, year=2031, units=30)
    plan = supply_services.plan_create(actor=None, data={"unit": unit, "year": 2031})
    s.alloc_line = supply_services.line_create(
        actor=None,
        plan=plan,
        data={
            "product_class": "support_tool",
            "product_group": s.product_group,
            "unit_value": Decimal("10000000"),
            "specification": "Áo giáp cấp III (phân bổ)",
            "quantity": 40,
            "needed_by": dt.date(2031, 6, 30),
            "force_type": "rapid_response",
        },
    )
    s.alloc_line_secret = supply_services.line_create(
        actor=None,
        plan=plan,
        data={
            "product_class": "support_tool",
            "product_group": s.product_group,
            "unit_value": Decimal("10000000"),
            "specification": "Áo giáp đặc chủng (phân bổ)",
            "quantity": 5,
            "needed_by": dt.date(2031, 6, 30),
            "force_type": "rapid_response",
            **SECRET,
        },
    )
    supply_services.plan_transition(actor=None, plan=plan, action="submit")
    supply_services.plan_transition(actor=None, plan=plan, action="consolidate")
    run = supply_services.allocation_start(actor=planner, year=2031)
    s.alloc_run = supply_services.allocation_compute(run=run, user=planner)
    core_services.job_finish(job=run.job, ok=True, message="")


def _alloc_accept(s, user, run) -> dict[str, Any]:
    data = {
        "rows-TOTAL_FORMS": str(len(run.proposal)),
        "rows-INITIAL_FORMS": str(len(run.proposal)),
        "number_prefix": "PB-2031-MX",
        "mode": "ordering",
        "price_basis": "estimate",
        "funding": "ministry",
        "ordered_on": "2031-01-15",
        "due_on": "2031-06-30",
    }
    for k, row in enumerate(run.proposal):
        data[f"rows-{k}-units"] = str(row["units"])
        data[f"rows-{k}-reason"] = ""
    return data


def supply_allocation_cases() -> list[Case]:
    """Matching is the consolidating Department's (a line shows only where its unit is in scope and within
    clearance); the optimiser is the Department's alone (another organisation and a member without the
    permission: 403 on its lists and forms, 404 on a run)."""
    return [
        Case(
            "supply:match",
            "GET",
            "supply.consolidate_demandplan",
            "alloc_line",
            DO,
            NONE_H08,
            (LOGIN, 403, 403, 200, 200),
            secret="alloc_line_secret",
            kwarg=None,
            marker=True,
            export=True,
        ),
        Case(
            "supply:run_list",
            "GET",
            "supply.view_allocationrun",
            "alloc_run",
            DO,
            NONE_H08,
            (LOGIN, 403, 403, 200, None),
            kwarg=None,
        ),
        Case(
            "supply:run_add",
            "GET",
            "supply.add_allocationrun",
            None,
            DO,
            NONE_H08,
            (LOGIN, 403, 403, 200, None),
            kwarg=None,
        ),
        Case(
            "supply:run_add",
            "POST",
            "supply.add_allocationrun",
            None,
            DO,
            NONE_H08,
            (LOGIN, 403, 403, 302, None),
            kwarg=None,
            data=const(year=2031, budget="100000000"),
        ),
        Case(
            "supply:run_detail",
            "GET",
            "supply.view_allocationrun",
            "alloc_run",
            DO,
            NONE_H08,
            (LOGIN, 404, 404, 200, None),
        ),
        Case(
            "supply:run_accept",
            "POST",
            "supply.change_allocationrun",
            "alloc_run",
            DO,
            NONE_H08,
            (LOGIN, 404, 404, 302, None),
            data=_alloc_accept,
            writes=2,
        ),
    ]


# --- supply: dashboard ------------------------------------------------------------


def _supply_dashboard_scene(s: SimpleNamespace) -> None:
    """The records the supply dashboard rows act on: none of its own (it reads the orders' and imports'
    records; its figures' visibility is tested in ``cnan/supply/tests/test_dashboard.py``)."""


def supply_dashboard_cases() -> list[Case]:
    """The self-reliance page and its table export: whoever may see both deliveries and imported purchases
    somewhere (the Department, leadership, units); an enterprise (its share would read 100%) and a member
    without the permission are refused."""
    view = "supply.view_importpurchase"
    expect = (LOGIN, 403, 403, 200, None)
    return [
        Case("supply:dashboard", "GET", view, None, DO, NONE_H08, expect, kwarg=None),
        Case("supply:dashboard", "GET", view, None, DO, NONE_H08, expect, kwarg=None, query="?year=2026", label="year"),
        Case(
            "supply:dashboard",
            "GET",
            view,
            None,
            DO,
            NONE_H08,
            expect,
            kwarg=None,
            query="?table=class&export=csv",
            label="export",
        ),
    ]


# --- supply: api ------------------------------------------------------------


def _supply_api_scene(s: SimpleNamespace) -> None:
    """The records the supply API rows act on, apart from the other areas' (own unit API-U, year 2031): a
    draft plan with lines and its classified twin, a consolidated plan, a spare plan, imported purchases,
    ENT-A's capacity and product, orders with deliveries (one accepted, with feedback) and their classified
    twins, and a proposed allocation run."""
    from decimal import Decimal

    from cnan.catalogue import services as catalogue_services
    from cnan.organizations.models import Organization
    from cnan.supply import services as supply
    from cnan.supply.models import AllocationRun, DemandLine

    unit = {"kind": Organization.Kind.OPERATIONAL_UNIT}
    s.sa_unit = org_services.organization_create(
        actor=None, parent=s.bca, data={"code": "API-U", "name": "Đơn vị đặt hàng qua API", **unit}
    )
    s.sa_unit_secret = org_services.organization_create(
        actor=None, parent=s.sa_unit, data={"code": "API-US", "name": "Đơn vị kín qua API", **unit, **SECRET}
    )
    group = ProductGroup.objects.order_by("-pk").first()
    s.sa_product = catalogue_services.product_create(
        actor=None,
        data={
            "organization": s.ent_a,
            "code": "API-AGC",
            "name": "Áo giáp API",
            "product_class": "support_tool",
            "group": group,
            "price": Decimal("1000000"),
        },
    )

    def plan(year: int, **extra: Any):
        return supply.plan_create(actor=None, data={"unit": s.sa_unit, "year": year, **extra})

    def line(p: Any, **extra: Any):
        data = {
            "product_class": "support_tool",
            "product_group": group,
            "unit_value": Decimal("1000000"),
            "specification": "Cấp bảo vệ III",
            "quantity": 100,
            "needed_by": dt.date(p.year, 12, 31),
            "force_type": "rapid_response",
            **extra,
        }
        return supply.line_create(actor=None, plan=p, data=data)

    s.sa_plan = plan(2030, note="Nhu cầu qua API")
    s.sa_line = line(s.sa_plan, specification="Dòng nhu cầu API")
    s.sa_line_spare = line(s.sa_plan, specification="Dòng dự phòng API")
    s.sa_plan_secret = plan(2029, **SECRET)
    s.sa_line_secret = line(s.sa_plan_secret, **SECRET)
    s.sa_plan_spare = plan(2028)
    s.sa_plan_done = plan(2031)
    s.sa_cline = line(s.sa_plan_done)
    supply.plan_transition(actor=None, plan=s.sa_plan_done, action="submit")
    s.sa_plan_done = supply.plan_transition(actor=None, plan=s.sa_plan_done, action="consolidate")
    s.sa_cline = DemandLine.objects.get(pk=s.sa_cline.pk)

    def purchase(description: str, **extra: Any):
        data = {
            "unit": s.sa_unit,
            "year": 2025,
            "product_class": "support_tool",
            "description": description,
            "country": "IL",
            "quantity": 10,
            "value": Decimal("50000000"),
            **extra,
        }
        return supply.import_create(actor=None, data=data)

    s.sa_import = purchase("Áo giáp nhập khẩu API")
    s.sa_import_secret = purchase("Thiết bị nhập khẩu kín API", **SECRET)
    s.sa_import_spare = purchase("Mua nhập dự phòng API")

    s.sa_capacity = supply.capacity_set(actor=None, enterprise=s.ent_a, product_group=group, year=2031, units=1000)

    def order(number: str, **extra: Any):
        data = {
            "number": number,
            "mode": "ordering",
            "customer": s.sa_unit,
            "enterprise": s.ent_a,
            "product": s.sa_product,
            "year": 2031,
            "quantity": 10,
            "unit_price": Decimal("1000000"),
            "price_basis": "estimate",
            "funding": "ministry",
            "ordered_on": dt.date(2025, 1, 10),
            "due_on": dt.date(2031, 12, 31),
            **extra,
        }
        return supply.order_create(actor=None, data=data)

    def delivered(o: Any, *, accept: bool = False):
        d = supply.delivery_create(actor=None, order=o, data={"delivered_on": dt.date(2025, 2, 1), "quantity": 2})
        if accept:
            d = supply.delivery_accept(
                actor=None, delivery=d, accepted_on=dt.date(2025, 2, 5), acceptance_number="NT-API"
            )
        return d

    s.sa_order = order("API-ĐH-1", demand_line=s.sa_cline)
    s.sa_order_secret = order("API-ĐH-S", **SECRET)
    s.sa_order2 = order("API-ĐH-2")
    s.sa_delivery = delivered(s.sa_order2)
    s.sa_delivery_ok = delivered(s.sa_order2, accept=True)
    s.sa_delivery_secret = delivered(s.sa_order_secret)
    s.sa_delivery_ok_secret = delivered(s.sa_order_secret, accept=True)
    s.sa_feedback = supply.feedback_create(actor=None, delivery=s.sa_delivery_ok, data={"rating": 4})
    s.sa_feedback_secret = supply.feedback_create(actor=None, delivery=s.sa_delivery_ok_secret, data={"rating": 5})
    offer = {"line": s.sa_cline.pk, "enterprise": s.ent_a.pk, "product": s.sa_product.pk}
    s.sa_run = AllocationRun.objects.create(
        year=2031,
        state=AllocationRun.State.PROPOSED,
        optimal=True,
        proposal=[{**offer, "unit_price": 1e6, "units": 90, "greedy_units": 90}],
    )
    s.sa_accept_row = {**offer, "units": 5}


def supply_api_cases() -> list[Case]:
    """The supply API. Reads need the view permission somewhere (403), then the record visible (404); writes
    need the permission somewhere (403), the record visible (404), and the service checks it on the side
    the write acts for. An owner, a plan, an order or a delivery named in a body is one the user may use,
    else 400."""
    from cnan.supply.api import serializers as ss

    UO = ("unit_officer", "sa_unit")
    NONE_U = ("member", "sa_unit")
    seen = (ANON, 404, 403, 200, 404)
    listed = (ANON, 200, 403, 200, 200)
    write = (ANON, 403, 403, 200, 404)
    p = "supply.%s_demandplan"
    plan = {"secret": "sa_plan_secret"}
    unit_add = {"obj": "sa_unit", "secret": "sa_unit_secret", "kwarg": None}

    def crud(
        basename: str,
        model: str,
        attr: str,
        holder: Any,
        lacker: Any,
        changes: dict,
        serializer: type,
        perm: str | None = None,
    ) -> list[Case]:
        """Retrieve, replace, update and delete a record of API-U (its twin ``<attr>_secret``)."""
        perms = {a: perm or f"supply.{a}_{model}" for a in ("change", "delete")}
        secret = {"secret": f"{attr}_secret"}
        return [
            Case(f"supply-{basename}-detail", "GET", f"supply.view_{model}", attr, holder, lacker, seen, **secret),
            Case(
                f"supply-{basename}-detail",
                "PUT",
                perms["change"],
                attr,
                holder,
                lacker,
                write,
                **secret,
                data=put(serializer, **changes),
            ),
            Case(
                f"supply-{basename}-detail",
                "PATCH",
                perms["change"],
                attr,
                holder,
                lacker,
                write,
                **secret,
                data=const(**changes),
            ),
            Case(
                f"supply-{basename}-detail",
                "DELETE",
                perms["delete"],
                f"{attr}_spare",
                holder,
                lacker,
                (ANON, 403, 403, 204, 404),
                **secret,
            ),
        ]

    def line_add(s, user, target):
        return {
            "plan": target.pk,
            "product_class": "support_tool",
            "unit_value": "1000000",
            "specification": "Dòng mới",
            "quantity": 5,
            "needed_by": f"{target.year}-06-30",
            "force_type": "special_forces",
        }

    def order_add(s, user, customer):
        return {
            "number": "API-ĐH-MỚI",
            "mode": "ordering",
            "customer": customer.pk,
            "enterprise": s.ent_a.pk,
            "product": s.sa_product.pk,
            "year": 2031,
            "quantity": 5,
            "unit_price": "1000000",
            "price_basis": "estimate",
            "funding": "ministry",
            "ordered_on": "2025-03-01",
            "due_on": "2031-06-30",
        }

    def capacity_set(s, user, enterprise):
        return {
            "enterprise": enterprise.pk,
            "product_group": s.sa_capacity.product_group_id,
            "year": 2031,
            "units": 900,
        }

    def run_accept(s, user, run):
        return {
            "rows": [s.sa_accept_row],
            "ordered_on": "2025-03-01",
            "due_on": "2031-06-30",
            "mode": "plan",
            "price_basis": "estimate",
            "funding": "ministry",
            "number_prefix": "API-PB",
        }

    return [
        # --- plans and their workflow
        Case("supply-plan-list", "GET", p % "view", "sa_plan", UO, NONE_U, listed, **plan, kwarg=None, marker=True),
        Case(
            "supply-plan-list",
            "POST",
            p % "add",
            holder=UO,
            lacker=NONE_U,
            expect=(ANON, 403, 403, 201, 400),
            data=lambda s, user, unit: {"unit": unit.pk, "year": 2027, "note": "Kế hoạch mới"},
            **unit_add,
        ),
        *[
            c
            for c in crud(
                "plan", "demandplan", "sa_plan", UO, NONE_U, {"note": "Ghi chú (sửa)"}, ss.DemandPlanSerializer
            )
        ],
        # a submission: the state and its event
        Case(
            "supply-plan-transition",
            "POST",
            p % "change",
            "sa_plan",
            UO,
            NONE_U,
            write,
            **plan,
            url_kwargs={"transition": "submit"},
            data=const(comment=""),
            writes=2,
        ),
        Case("supply-plan-events", "GET", p % "view", "sa_plan", UO, NONE_U, seen, **plan),
        # --- lines (the plan's change permission)
        Case(
            "supply-line-list",
            "GET",
            "supply.view_demandline",
            "sa_line",
            UO,
            NONE_U,
            listed,
            secret="sa_line_secret",
            kwarg=None,
            marker=True,
        ),
        Case(
            "supply-line-list",
            "POST",
            p % "change",
            "sa_plan",
            UO,
            NONE_U,
            (ANON, 403, 403, 201, 400),
            **plan,
            kwarg=None,
            data=line_add,
        ),
        *crud(
            "line",
            "demandline",
            "sa_line",
            UO,
            NONE_U,
            {"specification": "Quy cách (sửa)"},
            ss.DemandLineSerializer,
            perm=p % "change",
        ),
        # --- capacity: ENT-A's, set in place (another enterprise's officer names ENT-A: 400)
        Case(
            "supply-capacity-list",
            "GET",
            "supply.view_capacity",
            "sa_capacity",
            EO_A,
            NONE_A,
            (ANON, 200, 403, 200, None),
            kwarg=None,
            marker=True,
        ),
        Case(
            "supply-capacity-list",
            "POST",
            "supply.change_capacity",
            "ent_a",
            EO_A,
            NONE_A,
            (ANON, 400, 403, 200, 400),
            secret="ent_secret",
            kwarg=None,
            data=capacity_set,
        ),
        Case(
            "supply-capacity-detail",
            "GET",
            "supply.view_capacity",
            "sa_capacity",
            EO_A,
            NONE_A,
            (ANON, 404, 403, 200, None),
        ),
        # --- imported purchases
        Case(
            "supply-import-list",
            "GET",
            "supply.view_importpurchase",
            "sa_import",
            UO,
            NONE_U,
            listed,
            secret="sa_import_secret",
            kwarg=None,
            marker=True,
        ),
        Case(
            "supply-import-list",
            "POST",
            "supply.add_importpurchase",
            holder=UO,
            lacker=NONE_U,
            expect=(ANON, 403, 403, 201, 400),
            data=lambda s, user, unit: {
                "unit": unit.pk,
                "year": 2025,
                "product_class": "weapon",
                "description": "Mua nhập mới",
                "country": "DE",
                "quantity": 3,
                "value": "9000000",
            },
            **unit_add,
        ),
        *crud(
            "import",
            "importpurchase",
            "sa_import",
            UO,
            NONE_U,
            {"description": "Mua nhập (sửa)"},
            ss.ImportPurchaseSerializer,
        ),
        # --- orders: placed by the Department (it sees the enterprises' products), cancelled by the customer
        Case(
            "supply-order-list",
            "GET",
            "supply.view_productionorder",
            "sa_order",
            UO,
            NONE_U,
            listed,
            secret="sa_order_secret",
            kwarg=None,
            marker=True,
        ),
        Case(
            "supply-order-list",
            "POST",
            "supply.add_productionorder",
            holder=DO,
            lacker=NONE_H08,
            expect=(ANON, 403, 403, 201, 400),
            data=order_add,
            **unit_add,
        ),
        Case(
            "supply-order-detail",
            "GET",
            "supply.view_productionorder",
            "sa_order",
            UO,
            NONE_U,
            seen,
            secret="sa_order_secret",
        ),
        Case(
            "supply-order-cancel",
            "POST",
            "supply.change_productionorder",
            "sa_order",
            UO,
            NONE_U,
            write,
            secret="sa_order_secret",
            data=const(reason="Đổi kế hoạch"),
        ),
        # --- deliveries: recorded by the enterprise (ENT-B's officer may record, not on ENT-A's order: 400)
        Case(
            "supply-delivery-list",
            "GET",
            "supply.view_delivery",
            "sa_delivery",
            EO_A,
            NONE_A,
            listed,
            secret="sa_delivery_secret",
            kwarg=None,
            marker=True,
        ),
        Case(
            "supply-delivery-list",
            "POST",
            "supply.add_delivery",
            "sa_order",
            EO_A,
            NONE_A,
            (ANON, 400, 403, 201, 400),
            secret="sa_order_secret",
            kwarg=None,
            data=lambda s, user, o: {"order": o.pk, "delivered_on": "2025-03-01", "quantity": 1},
        ),
        Case(
            "supply-delivery-detail",
            "GET",
            "supply.view_delivery",
            "sa_delivery",
            EO_A,
            NONE_A,
            seen,
            secret="sa_delivery_secret",
        ),
        Case(
            "supply-delivery-accept",
            "POST",
            "supply.accept_delivery",
            "sa_delivery",
            UO,
            NONE_U,
            write,
            secret="sa_delivery_secret",
            data=const(accepted_on="2025-02-10", acceptance_number="NT-API-2"),
        ),
        # --- feedback of the customer unit
        Case(
            "supply-feedback-list",
            "GET",
            "supply.view_feedback",
            "sa_feedback",
            UO,
            NONE_U,
            listed,
            secret="sa_feedback_secret",
            kwarg=None,
            marker=True,
        ),
        Case(
            "supply-feedback-list",
            "POST",
            "supply.add_feedback",
            "sa_delivery_ok",
            UO,
            NONE_U,
            (ANON, 403, 403, 201, 400),
            secret="sa_delivery_ok_secret",
            kwarg=None,
            data=lambda s, user, d: {"delivery": d.pk, "rating": 5, "comment": "Đạt yêu cầu"},
        ),
        # --- the optimiser (the Department's; seen by who holds it everywhere)
        Case(
            "supply-run-list",
            "GET",
            "supply.view_allocationrun",
            "sa_run",
            DO,
            NONE_H08,
            (ANON, 200, 403, 200, None),
            kwarg=None,
            marker=True,
        ),
        # the run (its job is queued, not audited)
        Case(
            "supply-run-list",
            "POST",
            "supply.add_allocationrun",
            None,
            DO,
            NONE_H08,
            (ANON, 403, 403, 201, None),
            kwarg=None,
            data=const(year=2031),
        ),
        Case(
            "supply-run-detail", "GET", "supply.view_allocationrun", "sa_run", DO, NONE_H08, (ANON, 404, 403, 200, None)
        ),
        # an order and the run's state
        Case(
            "supply-run-accept",
            "POST",
            "supply.change_allocationrun",
            "sa_run",
            DO,
            NONE_H08,
            (ANON, 403, 403, 201, None),
            data=run_accept,
            writes=2,
        ),
        # --- matching and the domestic share
        Case(
            "supply-match",
            "GET",
            "supply.consolidate_demandplan",
            "sa_line",
            DO,
            NONE_H08,
            (ANON, 403, 403, 200, 200),
            secret="sa_line_secret",
            kwarg=None,
            marker=True,
        ),
        Case(
            "supply-self-reliance",
            "GET",
            "supply.view_delivery",
            None,
            UO,
            NONE_U,
            (ANON, 200, 403, 200, None),
            kwarg=None,
        ),
    ]


# --- planning: plans ------------------------------------------------------------


def _planning_plans_scene(s: SimpleNamespace) -> None:
    """The records the planning plans rows act on."""
    from cnan.planning import services as ps
    from cnan.planning.models import Indicator

    s.pp_indicator = ps.indicator_create(
        actor=None, data={"code": "PP-X", "name": "Chỉ tiêu thử", "unit": "billion_vnd", "category": "finance"}
    )
    s.pp_indicator_spare = ps.indicator_create(
        actor=None, data={"code": "PP-Y", "name": "Chỉ tiêu thừa", "unit": "percent", "category": "finance"}
    )

    def strategy(code: str, **extra: Any):
        data = {"kind": "strategy", "code": code, "name": f"Chiến lược {code}", "owner": s.ent_a}
        return ps.plan_create(actor=None, data={**data, "start_year": 2026, "end_year": 2030, **extra})

    s.pp_plan = strategy("CL-PP-A", vision_year=2045)
    s.pp_plan_secret = strategy("CL-PP-S", **SECRET)
    s.pp_plan_spare = strategy("CL-PP-X")
    s.pp_plan_sub = ps.plan_transition(actor=None, plan=strategy("CL-PP-N"), action="submit")
    revenue = Indicator.objects.get(code="PP-X")
    s.pp_target = ps.target_set(actor=None, plan=s.pp_plan, unit=s.ent_a, indicator=revenue, year=2026, value=100)
    s.pp_target_spare = ps.target_set(actor=None, plan=s.pp_plan, unit=s.ent_a, indicator=revenue, year=2027, value=110)
    s.pp_target_secret = ps.target_set(
        actor=None, plan=s.pp_plan_secret, unit=s.ent_a, indicator=revenue, year=2026, value=100
    )


def planning_plans_cases() -> list[Case]:
    """The plans area's pages. The Department (H08) keeps the indicators (everyone signed in reads them) and
    approves; ENT-A's officer keeps ENT-A's strategy and its targets; a member of ENT-A without a role sees no
    plan (403 on the list, 404 on records); ENT-B's officer: 404 on ENT-A's plans and targets."""
    from cnan.planning.forms_plans import IndicatorForm, PlanForm

    r = "planning:%s"
    plan = "planning.%s_plan"
    ind = "planning.%s_indicator"
    listed = (LOGIN, 200, 403, 200, 200)
    seen = (LOGIN, 404, 404, 200, 404)
    changed = (LOGIN, 404, 403, 302, 404)
    on_plan = {"secret": "pp_plan_secret"}
    on_target = {"secret": "pp_target_secret"}
    reads = (LOGIN, 200, 200, 200, None)
    keeps_get = (LOGIN, 403, 403, 200, None)
    keeps_post = (LOGIN, 403, 403, 302, None)

    def new_indicator(s, user, obj):
        return {
            "code": "PP-NEW",
            "name": "Chỉ tiêu mới",
            "unit": "percent",
            "direction": "higher",
            "aggregation": "average",
            "scale": "1",
            "category": "finance",
            "order": "9",
            "active": "on",
        }

    def new_plan(s, user, obj):
        return {
            "kind": "strategy",
            "code": "CL-PP-NEW",
            "name": "Chiến lược mới",
            "owner": s.ent_a.pk,
            "start_year": "2026",
            "end_year": "2030",
            "vision_year": "2045",
            "classification": "0",
        }

    def new_target(s, user, obj):
        return {
            "unit": s.ent_a.pk,
            "indicator": s.pp_indicator.pk,
            "year": "2028",
            "period_kind": "year",
            "period_number": "1",
            "value": "120",
        }

    return [
        # indicators: everyone signed in reads, the Department keeps them
        Case(r % "indicator_list", "GET", None, "pp_indicator", EO_A, NONE_A, reads, kwarg=None, query="?per_page=100"),
        Case(r % "indicator_detail", "GET", None, "pp_indicator", EO_A, NONE_A, reads),
        Case(r % "indicator_history", "GET", None, "pp_indicator", EO_A, NONE_A, reads),
        Case(r % "indicator_add", "GET", ind % "add", None, DO, EO_A, keeps_get, kwarg=None),
        Case(r % "indicator_add", "POST", ind % "add", None, DO, EO_A, keeps_post, kwarg=None, data=new_indicator),
        Case(r % "indicator_edit", "GET", ind % "change", "pp_indicator", DO, EO_A, keeps_get),
        Case(
            r % "indicator_edit",
            "POST",
            ind % "change",
            "pp_indicator",
            DO,
            EO_A,
            keeps_post,
            data=edit(IndicatorForm, name="Chỉ tiêu đã sửa"),
        ),
        Case(r % "indicator_delete", "GET", ind % "delete", "pp_indicator_spare", DO, EO_A, keeps_get),
        Case(r % "indicator_delete", "POST", ind % "delete", "pp_indicator_spare", DO, EO_A, keeps_post),
        # plans and strategies
        Case(
            r % "plan_list",
            "GET",
            plan % "view",
            "pp_plan",
            EO_A,
            NONE_A,
            listed,
            kwarg=None,
            query="?per_page=100",
            marker=True,
            export=True,
            **on_plan,
        ),
        Case(r % "plan_add", "GET", plan % "add", None, EO_A, NONE_A, (LOGIN, 200, 403, 200, None), kwarg=None),
        Case(
            r % "plan_add",
            "POST",
            plan % "add",
            None,
            EO_A,
            NONE_A,
            (LOGIN, 422, 403, 302, None),
            kwarg=None,
            data=new_plan,
        ),
        Case(r % "plan_detail", "GET", plan % "view", "pp_plan", EO_A, NONE_A, seen, **on_plan),
        Case(r % "plan_history", "GET", plan % "view", "pp_plan", EO_A, NONE_A, seen, **on_plan),
        Case(r % "plan_edit", "GET", plan % "change", "pp_plan", EO_A, NONE_A, (LOGIN, 404, 404, 200, 404), **on_plan),
        Case(
            r % "plan_edit",
            "POST",
            plan % "change",
            "pp_plan",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 302, 404),
            data=edit(PlanForm, note="Bổ sung ghi chú"),
            **on_plan,
        ),
        Case(
            r % "plan_delete",
            "GET",
            plan % "delete",
            "pp_plan_spare",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 200, 404),
            **on_plan,
        ),
        Case(
            r % "plan_delete",
            "POST",
            plan % "delete",
            "pp_plan_spare",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 302, 404),
            **on_plan,
        ),
        Case(
            r % "plan_transition",
            "POST",
            plan % "change",
            "pp_plan",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 302, 404),
            url_kwargs={"action": "submit"},
            writes=2,
            **on_plan,
        ),
        Case(
            r % "plan_transition",
            "POST",
            "planning.approve_plan",
            "pp_plan_sub",
            DO,
            EO_A,
            changed,
            url_kwargs={"action": "approve"},
            writes=2,
            label="approve",
            data=const(decision_number="21/QĐ-BCA", decided_on="2026-02-01"),
            **on_plan,
        ),
        # targets
        Case(
            r % "target_add",
            "GET",
            "planning.change_target",
            "pp_plan",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 200, 404),
            kwarg="plan_pk",
            **on_plan,
        ),
        Case(
            r % "target_add",
            "POST",
            "planning.change_target",
            "pp_plan",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 302, 404),
            kwarg="plan_pk",
            data=new_target,
            **on_plan,
        ),
        Case(
            r % "target_edit",
            "GET",
            "planning.change_target",
            "pp_target",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 200, 404),
            **on_target,
        ),
        Case(
            r % "target_edit",
            "POST",
            "planning.change_target",
            "pp_target",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 302, 404),
            data=const(value="105", note=""),
            **on_target,
        ),
        Case(
            r % "target_delete",
            "GET",
            "planning.delete_target",
            "pp_target_spare",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 200, 404),
            **on_target,
        ),
        Case(
            r % "target_delete",
            "POST",
            "planning.delete_target",
            "pp_target_spare",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 302, 404),
            **on_target,
        ),
        Case(r % "target_history", "GET", "planning.view_target", "pp_target", EO_A, NONE_A, seen, **on_target),
    ]


# --- planning: reports ------------------------------------------------------------


def _planning_reports_scene(s: SimpleNamespace) -> None:
    """The records the planning reports rows act on: open periods (the year 2026, quarters 1-3, months 1-2);
    ENT-A's draft report for the year with its required figures (ready to submit), its classified twin
    (quarter 1), a submitted report (quarter 2) and an accepted one (quarter 3); month 1 is the period to
    close, month 2 the one ENT-A has no report for yet."""
    from decimal import Decimal

    from cnan.planning import services as pln
    from cnan.planning.models import Indicator, PeriodKind, Scenario

    def period(kind: str, number: int, due: dt.date):
        return pln.period_open(actor=None, kind=kind, year=2026, number=number, due_on=due)

    s.pln_period = period(PeriodKind.YEAR, 1, dt.date(2027, 1, 31))
    quarters = [period(PeriodKind.QUARTER, n, dt.date(2026, 3 * n, 28)) for n in (1, 2, 3)]
    s.pln_period_spare = period(PeriodKind.MONTH, 1, dt.date(2026, 1, 25))
    s.pln_period_free = period(PeriodKind.MONTH, 2, dt.date(2026, 2, 25))
    required = [(i, Scenario.ACTUAL, Decimal("1")) for i in Indicator.objects.filter(required=True, active=True)]

    def report(p: Any, *, state: str = "draft", **extra: Any):
        r = pln.report_create(actor=None, enterprise=s.ent_a, period=p)
        if extra:
            r = pln.report_update(actor=None, instance=r, data=extra)
        pln.report_values_set(actor=None, report=r, values=required)
        if state in ("submitted", "accepted"):
            r = pln.report_transition(actor=None, report=r, action="submit")
        if state == "accepted":
            r = pln.report_transition(actor=None, report=r, action="accept")
        return r

    s.pln_report = report(s.pln_period)
    s.pln_report_secret = report(quarters[0], **SECRET)
    s.pln_submitted = report(quarters[1], state="submitted")
    s.pln_accepted = report(quarters[2], state="accepted")
    # a classified enterprise's classified report, for the list's uncleared reader
    secret = pln.report_create(actor=None, enterprise=s.ent_secret, period=s.pln_period)
    s.pln_secret_enterprise_report = pln.report_update(actor=None, instance=secret, data=SECRET)


def planning_reports_cases() -> list[Case]:
    """The reports' pages. Every signed-in holder of a role sees the periods; the Department opens and
    closes them (ENT-A may not: 403). ENT-A's officer starts, fills, submits and corrects ENT-A's reports;
    the Department returns or accepts them (ENT-A, which sees them, may not: 403). Another enterprise sees
    none of ENT-A's reports (404); a member without a role sees none of them either."""
    r = "planning:%s"
    view, change, add = "planning.view_report", "planning.change_report", "planning.add_report"
    open_period, review = "planning.open_reportingperiod", "planning.review_report"
    seen = (LOGIN, 404, 404, 200, 404)
    done = (LOGIN, 404, 404, 302, 404)
    reviewed = (LOGIN, 404, 403, 302, None)
    on_report = {"secret": "pln_report_secret"}

    def dt_actual(s, user, report):
        """The grid as the page posts it: every figure as it stands (1), the revenue's actual changed to 5."""
        from cnan.planning.models import Indicator

        data = {f"v-{i.pk}-actual": "1" for i in Indicator.objects.filter(required=True, active=True)}
        return {**data, f"v-{Indicator.objects.get(code='DT').pk}-actual": "5"}

    def period_form(s, user, obj):
        return {"kind": "month", "year": "2026", "number": "6", "due_on": "2026-07-20"}

    def report_form(s, user, obj):
        return {"enterprise": s.ent_a.pk, "period": s.pln_period_free.pk}

    def correct_writes() -> int:
        """The new version and its copied figures (one per required indicator of the data migration)."""
        import importlib

        loaded = importlib.import_module("cnan.planning.migrations.0002_indicators")
        return 1 + sum(1 for row in loaded.INDICATORS if row[8])

    return [
        Case(
            r % "period_list",
            "GET",
            None,  # reference data: the periods are open to every signed-in user
            "pln_period",
            EO_A,
            NONE_A,
            (LOGIN, 200, 200, 200, None),
            kwarg=None,
        ),
        Case(r % "period_open", "GET", open_period, None, DO, EO_A, (LOGIN, 403, 403, 200, None), kwarg=None),
        Case(
            r % "period_open",
            "POST",
            open_period,
            None,
            DO,
            EO_A,
            (LOGIN, 403, 403, 302, None),
            kwarg=None,
            data=period_form,
        ),
        Case(r % "period_close", "POST", open_period, "pln_period_spare", DO, EO_A, (LOGIN, 403, 403, 302, None)),
        Case(
            r % "report_list",
            "GET",
            view,
            "ent_a",  # the list names each report's enterprise (a report's own name is in the page's language)
            EO_A,
            NONE_A,
            (LOGIN, 200, 403, 200, 200),
            secret="ent_secret",  # its report is classified too
            kwarg=None,
            query="?per_page=100",
            marker=True,
            export=True,
        ),
        Case(r % "report_add", "GET", add, None, EO_A, NONE_A, (LOGIN, 200, 403, 200, None), kwarg=None),
        Case(
            r % "report_add",
            "POST",
            add,
            None,
            EO_A,
            NONE_A,
            (LOGIN, 422, 403, 302, None),
            kwarg=None,
            data=report_form,
        ),
        Case(r % "report_detail", "GET", view, "pln_report", EO_A, NONE_A, seen, **on_report),
        Case(r % "report_history", "GET", view, "pln_report", EO_A, NONE_A, seen, **on_report),
        Case(r % "report_template", "GET", change, "pln_report", EO_A, NONE_A, seen, **on_report),
        Case(r % "report_values", "GET", change, "pln_report", EO_A, NONE_A, seen, **on_report),
        Case(r % "report_values", "POST", change, "pln_report", EO_A, NONE_A, done, data=dt_actual, **on_report),
        Case(
            r % "report_transition",
            "POST",
            change,
            "pln_report",
            EO_A,
            NONE_A,
            done,
            writes=2,
            label="submit",
            url_kwargs={"action": "submit"},
            **on_report,
        ),
        Case(
            r % "report_transition",
            "POST",
            review,
            "pln_submitted",
            DO,
            EO_A,
            reviewed,
            data=const(comment="Bổ sung số liệu (thử)"),
            writes=2,
            label="return",
            url_kwargs={"action": "return"},
        ),
        Case(
            r % "report_transition",
            "POST",
            review,
            "pln_submitted",
            DO,
            EO_A,
            reviewed,
            writes=2,
            label="accept",
            url_kwargs={"action": "accept"},
        ),
        Case(
            r % "report_correct",
            "POST",
            add,
            "pln_accepted",
            EO_A,
            NONE_A,
            (LOGIN, 404, 404, 302, None),
            data=const(reason="Số liệu kiểm toán (thử)"),
            writes=correct_writes(),
        ),
    ]


# --- planning: achievement ------------------------------------------------------------


def _planning_achievement_scene(s: SimpleNamespace) -> None:
    """The records the planning achievement rows act on: none of their own (the pages read the plans' and
    reports' records; the enterprise page acts on ENT-A and its classified twin ENT-AS; the figures'
    visibility is tested in ``cnan/planning/tests/test_achievement_views.py``)."""


def planning_achievement_cases() -> list[Case]:
    """Plan against actual, one enterprise against its targets and the planning dashboard: whoever may see
    the periodic reports somewhere (an enterprise sees its own figures; another enterprise's page is a 404);
    a lab officer (no planning permission) is refused."""
    view = "planning.view_report"
    page = (LOGIN, 200, 403, 200, None)
    return [
        Case("planning:achievement", "GET", view, None, EO_A, LAB_A, page, kwarg=None),
        Case(
            "planning:achievement",
            "GET",
            view,
            None,
            EO_A,
            LAB_A,
            (LOGIN, 400, 403, 200, None),  # another enterprise may not choose ENT-A
            kwarg=None,
            query="?year=2026&period_kind=quarter&period_number=2&units={ent_a}",
            label="units",
        ),
        Case(
            "planning:enterprise_achievement",
            "GET",
            view,
            "ent_a",
            EO_A,
            LAB_A,
            (LOGIN, 404, 403, 200, 404),
            secret="ent_secret",
            query="?year=2026",
        ),
        Case("planning:dashboard", "GET", view, None, DO, LAB_A, page, kwarg=None),
        Case("planning:dashboard", "GET", view, None, EO_A, LAB_A, page, kwarg=None, query="?year=2025", label="year"),
    ]


# --- planning: api ------------------------------------------------------------


def _planning_api_scene(s: SimpleNamespace) -> None:
    """The records the planning API rows act on, apart from the other areas' (codes PA-, years 2033-2035):
    two indicators, ENT-A's strategies (a draft, a spare draft, a submitted one) with targets and their
    classified twins, the periods of 2034 (one to close, one without a report), and ENT-A's reports with
    their required figures: a draft ready to submit, a submitted and an accepted one, and their twins."""
    from decimal import Decimal

    from cnan.planning import services as pln
    from cnan.planning.models import Indicator, PeriodKind, Scenario

    def indicator(code: str, name: str):
        return pln.indicator_create(
            actor=None, data={"code": code, "name": name, "unit": "billion_vnd", "category": "finance"}
        )

    s.pa_indicator = indicator("PA-X", "Chỉ tiêu qua API")
    s.pa_indicator_spare = indicator("PA-Y", "Chỉ tiêu thừa qua API")

    def strategy(code: str, *, submitted: bool = False, **extra: Any):
        data = {"kind": "strategy", "code": code, "name": f"Chiến lược {code}", "owner": s.ent_a}
        p = pln.plan_create(actor=None, data={**data, "start_year": 2033, "end_year": 2035, **extra})
        return pln.plan_transition(actor=None, plan=p, action="submit") if submitted else p

    s.pa_plan = strategy("CL-PA-A")
    s.pa_plan_secret = strategy("CL-PA-S", **SECRET)
    s.pa_plan_spare = strategy("CL-PA-X")
    s.pa_plan_sub = strategy("CL-PA-N", submitted=True)
    s.pa_plan_sub_secret = strategy("CL-PA-NS", submitted=True, **SECRET)

    def target(p: Any, year: int):
        return pln.target_set(actor=None, plan=p, unit=s.ent_a, indicator=s.pa_indicator, year=year, value=100)

    s.pa_target = target(s.pa_plan, 2033)
    s.pa_target_spare = target(s.pa_plan, 2034)
    s.pa_target_secret = target(s.pa_plan_secret, 2033)

    def period(kind: str, number: int, due: dt.date):
        return pln.period_open(actor=None, kind=kind, year=2034, number=number, due_on=due)

    s.pa_period = period(PeriodKind.YEAR, 1, dt.date(2035, 1, 31))
    quarters = [period(PeriodKind.QUARTER, n, dt.date(2034, 3 * n, 28)) for n in (1, 2, 3, 4)]
    half = period(PeriodKind.HALF_YEAR, 1, dt.date(2034, 6, 28))
    s.pa_period_spare = period(PeriodKind.MONTH, 1, dt.date(2034, 1, 25))
    s.pa_period_free = period(PeriodKind.MONTH, 2, dt.date(2034, 2, 25))
    required = [(i, Scenario.ACTUAL, Decimal("1")) for i in Indicator.objects.filter(required=True, active=True)]

    def report(p: Any, *, state: str = "draft", **extra: Any):
        r = pln.report_create(actor=None, enterprise=s.ent_a, period=p)
        if extra:
            r = pln.report_update(actor=None, instance=r, data=extra)
        pln.report_values_set(actor=None, report=r, values=required)
        if state in ("submitted", "accepted"):
            r = pln.report_transition(actor=None, report=r, action="submit")
        if state == "accepted":
            r = pln.report_transition(actor=None, report=r, action="accept")
        return r

    s.pa_report = report(s.pa_period)
    s.pa_report_secret = report(quarters[0], **SECRET)
    s.pa_submitted = report(quarters[1], state="submitted")
    s.pa_submitted_secret = report(quarters[2], state="submitted", **SECRET)
    s.pa_accepted = report(quarters[3], state="accepted")
    s.pa_accepted_secret = report(half, state="accepted", **SECRET)


def planning_api_cases() -> list[Case]:
    """The planning API. Indicators and periods are read by every signed-in user and kept by the Department
    (ENT-A's officer: 403). Other reads need the view permission somewhere (403), then the record visible
    (404); writes need the permission somewhere (403), then the record visible (404), and the service checks
    the side: a plan's owner keeps its plan and targets, the enterprise files its reports, the Department
    approves and reviews. An owner, a plan or a period named in a body is one the user may use, else 400."""
    import importlib

    from cnan.planning.api import serializers as ps

    plan, report = "planning.%s_plan", "planning.%s_report"
    seen = (ANON, 404, 403, 200, 404)
    listed = (ANON, 200, 403, 200, 200)
    write = (ANON, 404, 403, 200, 404)
    reads = (ANON, 200, 200, 200, None)
    keeps = (ANON, 403, 403, 200, None)
    on_plan = {"secret": "pa_plan_secret"}
    on_target = {"secret": "pa_target_secret"}
    on_report = {"secret": "pa_report_secret"}
    figures = {"obj": "ent_a", "secret": "ent_secret", "kwarg": None}
    copied = sum(1 for row in importlib.import_module("cnan.planning.migrations.0002_indicators").INDICATORS if row[8])

    def new_plan(s, user, owner):
        return {
            "kind": "strategy",
            "code": "CL-PA-MỚI",
            "name": "Chiến lược mới qua API",
            "owner": owner.pk,
            "start_year": 2033,
            "end_year": 2035,
        }

    def new_target(s, user, p):
        return {"plan": p.pk, "unit": s.ent_a.pk, "indicator": s.pa_indicator.pk, "year": 2035, "value": "120"}

    return [
        # --- indicators: everyone signed in reads, the Department keeps them
        Case(
            "planning-indicator-list",
            "GET",
            None,
            "pa_indicator",
            EO_A,
            NONE_A,
            reads,
            kwarg=None,
            query="?limit=500",
            marker=True,
        ),
        Case(
            "planning-indicator-list",
            "POST",
            "planning.add_indicator",
            None,
            DO,
            EO_A,
            (ANON, 403, 403, 201, None),
            kwarg=None,
            data=const(code="PA-MỚI", name="Chỉ tiêu mới qua API", unit="percent", category="finance"),
        ),
        Case("planning-indicator-detail", "GET", None, "pa_indicator", EO_A, NONE_A, reads),
        Case(
            "planning-indicator-detail",
            "PUT",
            "planning.change_indicator",
            "pa_indicator",
            DO,
            EO_A,
            keeps,
            data=put(ps.IndicatorSerializer, name="Chỉ tiêu qua API (sửa)"),
        ),
        Case(
            "planning-indicator-detail",
            "PATCH",
            "planning.change_indicator",
            "pa_indicator",
            DO,
            EO_A,
            keeps,
            data=const(name="Chỉ tiêu qua API (sửa)"),
        ),
        Case(
            "planning-indicator-detail",
            "DELETE",
            "planning.delete_indicator",
            "pa_indicator_spare",
            DO,
            EO_A,
            (ANON, 403, 403, 204, None),
        ),
        # --- plans: ENT-A's strategy (another enterprise names ENT-A as the owner: 400)
        Case(
            "planning-plan-list",
            "GET",
            plan % "view",
            "pa_plan",
            EO_A,
            NONE_A,
            listed,
            **on_plan,
            kwarg=None,
            query="?limit=500",
            marker=True,
        ),
        Case(
            "planning-plan-list",
            "POST",
            plan % "add",
            "ent_a",
            EO_A,
            NONE_A,
            (ANON, 400, 403, 201, 400),
            secret="ent_secret",
            kwarg=None,
            data=new_plan,
        ),
        Case("planning-plan-detail", "GET", plan % "view", "pa_plan", EO_A, NONE_A, seen, **on_plan),
        Case(
            "planning-plan-detail",
            "PUT",
            plan % "change",
            "pa_plan",
            EO_A,
            NONE_A,
            write,
            **on_plan,
            data=put(ps.PlanSerializer, note="Ghi chú qua API (sửa)"),
        ),
        Case(
            "planning-plan-detail",
            "PATCH",
            plan % "change",
            "pa_plan",
            EO_A,
            NONE_A,
            write,
            **on_plan,
            data=const(note="Ghi chú qua API (sửa)"),
        ),
        Case(
            "planning-plan-detail",
            "DELETE",
            plan % "delete",
            "pa_plan_spare",
            EO_A,
            NONE_A,
            (ANON, 404, 403, 204, 404),
            **on_plan,
        ),
        # the owner submits: the status and its event
        Case(
            "planning-plan-transition",
            "POST",
            plan % "change",
            "pa_plan",
            EO_A,
            NONE_A,
            write,
            **on_plan,
            url_kwargs={"transition": "submit"},
            data=const(comment=""),
            writes=2,
        ),
        # the Department approves (ENT-A's officer, who sees the plan, holds no approval: 403)
        Case(
            "planning-plan-transition",
            "POST",
            plan % "approve",
            "pa_plan_sub",
            DO,
            EO_A,
            (ANON, 403, 403, 200, 404),
            secret="pa_plan_sub_secret",
            url_kwargs={"transition": "approve"},
            data=const(decision_number="21/QĐ-BCA", decided_on="2033-02-01"),
            writes=2,
            label="approve",
        ),
        Case(
            "planning-plan-events", "GET", plan % "view", "pa_plan_sub", EO_A, NONE_A, seen, secret="pa_plan_sub_secret"
        ),
        # --- targets (the plan's owner sets them; a plan named in a body is one the user sees, else 400)
        Case(
            "planning-target-list",
            "GET",
            "planning.view_target",
            "pa_target",
            EO_A,
            NONE_A,
            listed,
            **on_target,
            kwarg=None,
            query="?limit=500",
            marker=True,
        ),
        Case(
            "planning-target-list",
            "POST",
            "planning.change_target",
            "pa_plan",
            EO_A,
            NONE_A,
            (ANON, 400, 403, 201, 400),
            **on_plan,
            kwarg=None,
            data=new_target,
        ),
        Case("planning-target-detail", "GET", "planning.view_target", "pa_target", EO_A, NONE_A, seen, **on_target),
        Case(
            "planning-target-detail",
            "PUT",
            "planning.change_target",
            "pa_target",
            EO_A,
            NONE_A,
            write,
            **on_target,
            data=put(ps.TargetSerializer, value="105"),
        ),
        Case(
            "planning-target-detail",
            "PATCH",
            "planning.change_target",
            "pa_target",
            EO_A,
            NONE_A,
            write,
            **on_target,
            data=const(value="106"),
        ),
        Case(
            "planning-target-detail",
            "DELETE",
            "planning.delete_target",
            "pa_target_spare",
            EO_A,
            NONE_A,
            (ANON, 404, 403, 204, 404),
            **on_target,
        ),
        # --- periods: everyone signed in reads, the Department opens and closes them
        Case(
            "planning-period-list",
            "GET",
            None,
            "pa_period",
            EO_A,
            NONE_A,
            reads,
            kwarg=None,
            query="?limit=500",
            marker=True,
        ),
        Case(
            "planning-period-list",
            "POST",
            "planning.open_reportingperiod",
            None,
            DO,
            EO_A,
            (ANON, 403, 403, 201, None),
            kwarg=None,
            data=const(kind="month", year=2034, number=6, due_on="2034-07-20"),
        ),
        Case("planning-period-detail", "GET", None, "pa_period", EO_A, NONE_A, reads),
        Case(
            "planning-period-close",
            "POST",
            "planning.open_reportingperiod",
            "pa_period_spare",
            DO,
            EO_A,
            keeps,
        ),
        # --- reports: ENT-A's officer files them (another enterprise names ENT-A: 400), the Department reviews
        Case(
            "planning-report-list",
            "GET",
            report % "view",
            "pa_report",
            EO_A,
            NONE_A,
            listed,
            **on_report,
            kwarg=None,
            query="?limit=500",
            marker=True,
        ),
        Case(
            "planning-report-list",
            "POST",
            report % "add",
            "ent_a",
            EO_A,
            NONE_A,
            (ANON, 400, 403, 201, 400),
            secret="ent_secret",
            kwarg=None,
            data=lambda s, user, ent: {"enterprise": ent.pk, "period": s.pa_period_free.pk},
        ),
        Case("planning-report-detail", "GET", report % "view", "pa_report", EO_A, NONE_A, seen, **on_report),
        Case("planning-report-values", "GET", report % "view", "pa_report", EO_A, NONE_A, seen, **on_report),
        # all or nothing: here one new figure
        Case(
            "planning-report-values",
            "PUT",
            report % "change",
            "pa_report",
            EO_A,
            NONE_A,
            write,
            **on_report,
            data=lambda s, user, r: [{"indicator": s.pa_indicator.pk, "scenario": "actual", "value": "5"}],
        ),
        # the enterprise submits: the state and its event
        Case(
            "planning-report-transition",
            "POST",
            report % "change",
            "pa_report",
            EO_A,
            NONE_A,
            write,
            **on_report,
            url_kwargs={"transition": "submit"},
            data=const(comment=""),
            writes=2,
            label="submit",
        ),
        # the Department returns (with a comment) or accepts; ENT-A's officer may not review: 403
        Case(
            "planning-report-transition",
            "POST",
            report % "review",
            "pa_submitted",
            DO,
            EO_A,
            (ANON, 403, 403, 200, 404),
            secret="pa_submitted_secret",
            url_kwargs={"transition": "return"},
            data=const(comment="Bổ sung số liệu (thử)"),
            writes=2,
            label="return",
        ),
        Case(
            "planning-report-transition",
            "POST",
            report % "review",
            "pa_submitted",
            DO,
            EO_A,
            (ANON, 403, 403, 200, 404),
            secret="pa_submitted_secret",
            url_kwargs={"transition": "accept"},
            data=const(comment=""),
            writes=2,
            label="accept",
        ),
        Case(
            "planning-report-events",
            "GET",
            report % "view",
            "pa_submitted",
            EO_A,
            NONE_A,
            seen,
            secret="pa_submitted_secret",
        ),
        # a correction: the new version and its copied figures
        Case(
            "planning-report-correct",
            "POST",
            report % "add",
            "pa_accepted",
            EO_A,
            NONE_A,
            (ANON, 404, 403, 201, 404),
            secret="pa_accepted_secret",
            data=const(reason="Số liệu kiểm toán (thử)"),
            writes=1 + copied,
        ),
        # --- figures: whoever sees the reports somewhere (a lab officer: 403); the body is the query
        Case(
            "planning-achievement",
            "GET",
            report % "view",
            None,
            EO_A,
            LAB_A,
            (ANON, 200, 403, 200, None),
            kwarg=None,
            data=lambda s, user, obj: {"indicator": s.pa_indicator.pk, "year": 2034},
        ),
        # another enterprise's classification: 404, as for an enterprise the uncleared may not see
        Case(
            "planning-soe-classification",
            "GET",
            report % "view",
            holder=EO_A,
            lacker=LAB_A,
            expect=(ANON, 404, 403, 200, 404),
            data=lambda s, user, ent: {"enterprise": ent.pk, "year": 2034},
            **figures,
        ),
    ]


CASES: list[Case] = [
    # --- core ---------------------------------------------------------------------------------------
    Case("core:home", "GET", None, None, EO_A, NONE_A, (LOGIN, 200, 200, 200, None), kwarg=None),
    Case(
        "core:search",
        "GET",
        "organizations.view_facility",
        "facility_a",
        EO_A,
        NONE_A,
        (LOGIN, 200, 200, 200, 200),
        secret="facility_secret",
        kwarg=None,
        query="?q=xuong",
        marker=True,
    ),
    Case(
        "core:objectchange_list",
        "GET",
        "core.view_objectchange",
        "change_a",
        AUDITOR,
        EO_A,
        (LOGIN, 403, 403, 200, 200),
        secret="change_secret",
        kwarg=None,
        # the facilities' changes: the scene's other apps write hundreds of newer rows
        query="?per_page=100&content_type_id={facility_type}",
        marker=True,
        export=True,
    ),
    Case(
        "core:objectchange_detail",
        "GET",
        "core.view_objectchange",
        "change_a",
        AUDITOR,
        EO_A,
        (LOGIN, 404, 404, 200, 404),
        secret="change_secret",
    ),
    Case("core:job_list", "GET", None, "job", OWNER, NONE_A, (LOGIN, 200, 200, 200, None), kwarg=None, marker=True),
    Case("core:job_detail", "GET", None, "job", OWNER, NONE_A, (LOGIN, 404, 404, 200, None)),
    Case("core:job_download", "GET", None, "job", OWNER, NONE_A, (LOGIN, 404, 404, 200, None)),
    # Imports: the spec's permission (anywhere) opens the pages; rows are checked against each owner's scope.
    # Another enterprise's officer may import too, but their rows naming ENT-A are refused (see test_matrix).
    *(
        Case(
            route,
            method,
            "organizations.add_facility",
            None,
            EO_A,
            NONE_A,
            expect,
            kwarg=None,
            url_kwargs={"key": FACILITY_IMPORT},
            data=data,
            writes=0,
        )
        for route, method, expect, data in [
            ("core:import_start", "GET", (LOGIN, 200, 403, 200, None), None),
            ("core:import_start", "POST", (LOGIN, 302, 403, 302, None), import_upload),
            ("core:import_template", "GET", (LOGIN, 200, 403, 200, None), None),
        ]
    ),
    Case("core:import_batch", "GET", None, "import_batch", OWNER, NONE_A, (LOGIN, 404, 404, 200, None)),
    Case("core:import_commit", "POST", None, "import_batch", OWNER, NONE_A, (LOGIN, 404, 404, 302, None), writes=0),
    Case(
        "core:notification_list",
        "GET",
        None,
        "notification",
        OWNER,
        NONE_A,
        (LOGIN, 200, 200, 200, None),
        kwarg=None,
        marker=True,
    ),
    Case(
        "core:notification_read",
        "POST",
        None,
        "notification",
        OWNER,
        NONE_A,
        (LOGIN, 302, 302, 302, None),
        kwarg=None,
        data=lambda s, user, n: {"id": str(n.pk)},
        writes=0,
    ),
    # --- accounts: one's own account ----------------------------------------------------------------
    Case("accounts:profile", "GET", None, None, EO_A, NONE_A, (LOGIN, 200, 200, 200, None), kwarg=None),
    Case("accounts:password_change", "GET", None, None, EO_A, NONE_A, (LOGIN, 200, 200, 200, None), kwarg=None),
    Case(
        "accounts:password_change",
        "POST",
        None,
        None,
        EO_A,
        None,
        (LOGIN, None, None, 302, None),
        kwarg=None,
        data=const(old_password=PASSWORD, new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD),
    ),
    Case("accounts:mfa_setup", "GET", None, None, EO_A, NONE_A, (LOGIN, 200, 200, 200, None), kwarg=None),
    Case(
        "accounts:mfa_setup",
        "POST",
        None,
        None,
        EO_A,
        None,
        (LOGIN, None, None, 302, None),
        kwarg=None,
        data=mfa_setup_payload,
    ),
    Case("accounts:mfa_verify", "GET", None, None, EO_A, NONE_A, (LOGIN, 200, 200, 200, None), kwarg=None),
    Case(
        "accounts:mfa_verify",
        "POST",
        None,
        None,
        EO_A,
        None,
        (LOGIN, None, None, 302, None),
        kwarg=None,
        data=mfa_verify_payload,
        writes=0,
    ),
    Case(
        "accounts:token",
        "POST",
        None,
        None,
        EO_A,
        None,
        (LOGIN, None, None, 302, None),
        kwarg=None,
        data=const(action="create"),
    ),
    # --- accounts: administration -------------------------------------------------------------------
    Case(
        "accounts:user_list",
        "GET",
        "accounts.view_user",
        "subject",
        AUDITOR,
        EO_A,
        (LOGIN, 403, 403, 200, None),
        kwarg=None,
        query="?per_page=100",
        marker=True,
        export=True,
    ),
    Case(
        "accounts:user_add", "GET", "accounts.add_user", None, ADMIN, AUDITOR, (LOGIN, 403, 403, 200, None), kwarg=None
    ),
    Case(
        "accounts:user_add",
        "POST",
        "accounts.add_user",
        None,
        ADMIN,
        AUDITOR,
        (LOGIN, 403, 403, 302, None),
        kwarg=None,
        data=new_user,
    ),
    Case("accounts:user_detail", "GET", "accounts.view_user", "subject", AUDITOR, EO_A, (LOGIN, 404, 404, 200, None)),
    Case("accounts:user_edit", "GET", "accounts.change_user", "subject", ADMIN, AUDITOR, (LOGIN, 404, 403, 200, None)),
    Case(
        "accounts:user_edit",
        "POST",
        "accounts.change_user",
        "subject",
        ADMIN,
        AUDITOR,
        (LOGIN, 404, 403, 302, None),
        data=user_edit,
    ),
    Case("accounts:user_history", "GET", "accounts.view_user", "subject", AUDITOR, EO_A, (LOGIN, 404, 404, 200, None)),
    Case(
        "accounts:user_password", "GET", "accounts.change_user", "subject", ADMIN, AUDITOR, (LOGIN, 404, 403, 200, None)
    ),
    Case(
        "accounts:user_password",
        "POST",
        "accounts.change_user",
        "subject",
        ADMIN,
        AUDITOR,
        (LOGIN, 404, 403, 302, None),
        data=const(password1=NEW_PASSWORD, password2=NEW_PASSWORD),
    ),
    Case(
        "accounts:user_unlock", "POST", "accounts.change_user", "subject", ADMIN, AUDITOR, (LOGIN, 404, 403, 302, None)
    ),
    Case(
        "accounts:user_reset_mfa",
        "POST",
        "accounts.change_user",
        "subject",
        ADMIN,
        AUDITOR,
        (LOGIN, 404, 403, 302, None),
    ),
    Case(
        "accounts:membership_add",
        "GET",
        "accounts.add_membership",
        "subject",
        ADMIN,
        AUDITOR,
        (LOGIN, 403, 403, 200, None),
    ),
    Case(
        "accounts:membership_add",
        "POST",
        "accounts.add_membership",
        "subject",
        ADMIN,
        AUDITOR,
        (LOGIN, 403, 403, 302, None),
        data=lambda s, user, subject: {
            "organization": s.ent_a.pk,
            "role": Role.objects.get(code="lab_officer").pk,
            "valid_from": "2024-01-02",
        },
    ),
    Case(
        "accounts:membership_end",
        "POST",
        "accounts.change_membership",
        "membership_a",
        ADMIN,
        AUDITOR,
        (LOGIN, 404, 404, 302, None),
    ),
    # --- organisations (pages) ----------------------------------------------------------------------
    Case(
        "organizations:organization_tree",
        "GET",
        "organizations.view_organization",
        "unit_a",
        EO_A,
        NONE_A,
        (LOGIN, 404, 403, 200, 200),  # without view_organization the tree is refused like every list
        secret="unit_secret",
        kwarg=None,
        marker=True,
        label="level",
        query="?parent={ent_a}",
    ),
    Case(
        "organizations:organization_tree",
        "GET",
        "organizations.view_organization",
        "ent_a",
        EO_A,
        NONE_A,
        (LOGIN, 200, 403, 200, None),
        kwarg=None,
        marker=True,
        label="roots",
    ),
    *html_crud(
        "organization",
        obj="unit_a",
        secret="unit_secret",
        view=(EO_A, NONE_A),
        add=(DO, EO_A),
        change=(DO, EO_A),
        delete=(DO, EO_A),
        add_owner="ent_a",
        add_secret="unit_secret",
        add_data=org_add,
        edit_form=F.OrganizationForm,
        edit_changes={"name": "Phân xưởng lắp ráp số 1"},
    ),
    *html_crud(
        "enterprise",
        obj="ent_a",
        secret="ent_secret",
        view=(EO_A, NONE_A),
        add=(DO, EO_A),
        change=(EO_A, LAB_A),
        delete=(DO, EO_A),
        delete_obj="ent_a_sub",
        add_owner="h08",
        add_secret="ent_secret",
        add_data=enterprise_add,
        edit_form=F.EnterpriseForm,
        edit_changes={"name": "Công ty Cơ khí An ninh Thăng Long Mới"},
    ),
    *html_crud(
        "facility",
        obj="facility_a",
        secret="facility_secret",
        view=(EO_A, NONE_A),
        add=(EO_A, LAB_A),
        change=(EO_A, LAB_A),
        delete=(EO_A, LAB_A),
        add_owner="ent_a",
        add_secret="ent_secret",
        add_data=facility_add,
        edit_form=F.FacilityForm,
        edit_changes={"name": "Xưởng cơ khí chính xác"},
        other_add=(200, 422),
    ),
    *html_crud(
        "industrialpark",
        obj="park2",
        secret="park_secret",
        view=(LAB_H08, NONE_H08),
        add=(DO, LAB_H08),
        change=(DO, LAB_H08),
        delete=(DO, LAB_H08),
        add_owner="h08",
        add_secret="unit_secret",
        add_data=park_add,
        edit_form=F.IndustrialParkForm,
        edit_changes={"name": "Khu CNAN Hoài Đức mở rộng"},
    ),
    Case(
        "organizations:parkphase_add",
        "GET",
        "organizations.change_industrialpark",
        "park2",
        DO,
        LAB_H08,
        (LOGIN, 404, 403, 200, 404),
        secret="park_secret",
        kwarg="park_pk",
    ),
    Case(
        "organizations:parkphase_add",
        "POST",
        "organizations.change_industrialpark",
        "park2",
        DO,
        LAB_H08,
        (LOGIN, 404, 403, 302, 404),
        secret="park_secret",
        kwarg="park_pk",
        data=const(name="Giai đoạn II", status="planned"),
    ),
    Case(
        "organizations:parkphase_edit",
        "GET",
        "organizations.change_industrialpark",
        "phase",
        DO,
        LAB_H08,
        (LOGIN, 404, 403, 200, 404),
        secret="phase_secret",
    ),
    Case(
        "organizations:parkphase_edit",
        "POST",
        "organizations.change_industrialpark",
        "phase",
        DO,
        LAB_H08,
        (LOGIN, 404, 403, 302, 404),
        secret="phase_secret",
        data=edit(F.ParkPhaseForm, description="Đã khởi công"),
    ),
    *html_crud(
        "complexmembership",
        obj="cm_a",
        secret=None,
        view=(EO_A, NONE_A),
        add=(DO, EO_A),
        change=(DO, EO_A),
        delete=(DO, EO_A),
        add_owner="ent_a_sub",
        add_secret="ent_secret",
        add_data=complex_add,
        edit_form=F.ComplexMembershipForm,
        edit_changes={"note": "Thành viên từ đợt đầu"},
    ),
    *html_crud(
        "restructuringevent",
        obj="event_a",
        secret="event_secret",
        view=(EO_A, NONE_A),
        add=(DO, EO_A),
        change=(DO, EO_A),
        delete=(DO, EO_A),
        add_owner="ent_a",
        add_secret="ent_secret",
        add_data=event_add,
        edit_form=F.RestructuringEventForm,
        edit_changes={"title": "Cổ phần hoá Thăng Long (sửa)"},
    ),
    # --- the catalogue (pages) ----------------------------------------------------------------------
    *catalogue_pages(),
    *directives_pages(),
    *research_pages(),
    # --- the API ------------------------------------------------------------------------------------
    *catalogue_api(),
    *directives_api(),
    *research_api(),
    *_not_the_enterprises(supply_demand_cases(), {"supply:plan_list", "supply:line_list", "supply:import_list"}),
    *supply_orders_cases(),
    *supply_allocation_cases(),
    *supply_dashboard_cases(),
    *_not_the_enterprises(
        supply_api_cases(),
        {
            "supply-plan-list",
            "supply-plan-detail",
            "supply-plan-events",
            "supply-line-list",
            "supply-line-detail",
            "supply-import-list",
            "supply-import-detail",
            "supply-run-list",
            "supply-run-detail",
        },
    ),
    *planning_plans_cases(),
    *planning_reports_cases(),
    *planning_achievement_cases(),
    *planning_api_cases(),
    *api_crud(
        "organization",
        obj="unit_a",
        secret="unit_secret",
        view=(EO_A, NONE_A),
        add=(DO, EO_A),
        change=(DO, EO_A),
        delete=(DO, EO_A),
        other=(403, 403, 403),
        add_owner="ent_a",
        add_secret="unit_secret",
        add_data=org_add,
        put_serializer=S.OrganizationWriteSerializer,
        changes={"name": "Phân xưởng lắp ráp số 1"},
    ),
    *api_crud(
        "enterprise",
        obj="ent_a",
        secret="ent_secret",
        view=(EO_A, NONE_A),
        add=(DO, EO_A),
        change=(EO_A, LAB_A),
        delete=(DO, EO_A),
        other=(403, 404, 403),
        add_owner="h08",
        add_secret="ent_secret",
        add_data=enterprise_add,
        put_serializer=S.EnterpriseWriteSerializer,
        changes={"name": "Công ty Cơ khí An ninh Thăng Long Mới"},
        delete_obj="ent_a_sub",
    ),
    *api_crud(
        "facility",
        obj="facility_a",
        secret="facility_secret",
        view=(EO_A, NONE_A),
        add=(EO_A, LAB_A),
        change=(EO_A, LAB_A),
        delete=(EO_A, LAB_A),
        other=(400, 404, 404),
        add_owner="ent_a",
        add_secret="ent_secret",
        add_data=facility_add,
        put_serializer=S.FacilityWriteSerializer,
        changes={"name": "Xưởng cơ khí chính xác"},
    ),
    *api_crud(
        "industrialpark",
        obj="park2",
        secret="park_secret",
        view=(LAB_H08, NONE_H08),
        add=(DO, LAB_H08),
        change=(DO, LAB_H08),
        delete=(DO, LAB_H08),
        other=(403, 403, 403),
        add_owner="h08",
        add_secret="unit_secret",
        add_data=park_add,
        put_serializer=S.IndustrialParkWriteSerializer,
        changes={"name": "Khu CNAN Hoài Đức mở rộng"},
    ),
    *api_crud(
        "complexmembership",
        obj="cm_a",
        secret=None,
        view=(EO_A, NONE_A),
        add=(DO, EO_A),
        change=(DO, EO_A),
        delete=(DO, EO_A),
        other=(403, 403, 403),
        add_owner="ent_a_sub",
        add_secret="ent_secret",
        add_data=complex_add,
        put_serializer=S.ComplexMembershipWriteSerializer,
        changes={"note": "Thành viên từ đợt đầu"},
    ),
    *api_crud(
        "restructuringevent",
        obj="event_a",
        secret="event_secret",
        view=(EO_A, NONE_A),
        add=(DO, EO_A),
        change=(DO, EO_A),
        delete=(DO, EO_A),
        other=(403, 403, 403),
        add_owner="ent_a",
        add_secret="ent_secret",
        add_data=event_add,
        put_serializer=S.RestructuringEventWriteSerializer,
        changes={"title": "Cổ phần hoá Thăng Long (sửa)"},
    ),
    Case(
        "productgroup-list",
        "GET",
        None,
        "product_group",
        NONE_A,
        None,
        (ANON, 200, None, 200, None),
        kwarg=None,
        marker=True,
    ),
    Case(
        "productgroup-list",
        "POST",
        "organizations.add_productgroup",
        None,
        ADMIN,
        NONE_A,
        (ANON, 403, 403, 405, None),
        kwarg=None,
        data=const(code="moi", name="Nhóm mới"),
    ),
    Case("productgroup-detail", "GET", None, "product_group", NONE_A, None, (ANON, 200, None, 200, None)),
    Case(
        "user-list",
        "GET",
        "accounts.view_user",
        "subject",
        AUDITOR,
        EO_A,
        (ANON, 403, 403, 200, None),
        kwarg=None,
        marker=True,
    ),
    Case(
        "user-list",
        "POST",
        "accounts.add_user",
        None,
        ADMIN,
        AUDITOR,
        (ANON, 403, 403, 405, None),
        kwarg=None,
        data=const(username="api-newcomer", full_name="Người mới"),
    ),
    Case("user-detail", "GET", "accounts.view_user", "subject", AUDITOR, EO_A, (ANON, 403, 403, 200, None)),
    Case(
        "user-detail",
        "PATCH",
        "accounts.change_user",
        "subject",
        ADMIN,
        AUDITOR,
        (ANON, 403, 403, 405, None),
        data=const(clearance=3),
    ),
    Case("user-detail", "DELETE", "accounts.delete_user", "subject", ADMIN, AUDITOR, (ANON, 403, 403, 405, None)),
    Case(
        "objectchange-list",
        "GET",
        "core.view_objectchange",
        "change_a",
        AUDITOR,
        EO_A,
        (ANON, 403, 403, 200, 200),
        secret="change_secret",
        kwarg=None,
        query="?limit=500",
        marker=True,
    ),
    Case(
        "objectchange-detail",
        "GET",
        "core.view_objectchange",
        "change_a",
        AUDITOR,
        EO_A,
        (ANON, 403, 403, 200, 404),
        secret="change_secret",
    ),
    Case("api-schema", "GET", None, None, NONE_A, None, (ANON, 200, None, 200, None), kwarg=None),
    Case("api-docs", "GET", None, None, NONE_A, None, (ANON, 200, None, 200, None), kwarg=None),
]

# Known defects of cnan/organizations (owned by another developer): the failing cell, and why.
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}


def _params():
    params = []
    for case in CASES:
        for index, actor in enumerate(ACTORS):
            if case.expect[index] is None:
                continue
            marks = []
            reason = KNOWN_DEFECTS.get((case.id, actor))
            if reason:
                marks.append(pytest.mark.xfail(reason=reason, strict=True))
            params.append(pytest.param(case, actor, id=f"{case.id}-{actor}", marks=marks))
    return params


# --- the resolver check -----------------------------------------------------------------------------


def _route_names(patterns, namespace: str | None = None) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(p for p in (namespace, pattern.namespace) if p) or None
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"route {pattern.pattern} has no name"
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_route_is_in_the_matrix():
    routes = _route_names(get_resolver().url_patterns)
    in_matrix = {case.route for case in CASES}
    assert routes - FRAMEWORK_ROUTES - in_matrix == set(), "routes without a row in the permission matrix"
    assert in_matrix - routes == set(), "matrix rows for routes that no longer exist"
    assert routes >= FRAMEWORK_ROUTES


def test_matrix_cases_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


# --- running one cell -------------------------------------------------------------------------------


def _url(case: Case, s: SimpleNamespace, target: Any) -> str:
    kwargs = {case.kwarg: target.pk} if case.kwarg else {}
    url = reverse(case.route, kwargs={**(case.url_kwargs or {}), **kwargs})
    return url + case.query.format(**{k: getattr(getattr(s, k), "pk", None) for k in ("ent_a", "facility_type")})


def _client(case: Case, user: Any):
    if case.api:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client
    client = Client()
    client.cookies["cnan_language"] = "en"
    if user is not None:
        login(client, user)
    return client


def _send(client: Any, case: Case, url: str, data: dict[str, Any] | None):
    method = case.method.lower()
    if case.api:
        return getattr(client, method)(url, data, format="json") if data is not None else getattr(client, method)(url)
    if method == "get":
        return client.get(url)
    return client.post(url, data or {})


def _listed(case: Case, response) -> str | set[int]:
    """What a list answer shows: the page's text (names are looked for), or the API rows' ids."""
    if case.api:
        payload = response.json()
        rows = payload["results"] if isinstance(payload, dict) else payload
        return {row["id"] for row in rows}
    return response.content.decode()


def _assert_status(case: Case, response, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("accounts:login") + "?next="), response["Location"]
    elif expected == ANON:
        assert response.status_code == 401, response.status_code
        assert response.data["detail"].code == "not_authenticated"
        assert response["WWW-Authenticate"] == "Token"
    else:
        assert response.status_code == expected, (response.status_code, _explain(response))


def _explain(response) -> str:
    """The errors a page or the API gave (for failure messages)."""
    text = response.content.decode(errors="replace")
    if not text.lstrip().startswith("<"):
        return text[:1000]
    found = re.findall(
        r'(?:invalid-feedback[^>]*?(?:data-field="(\w+)")?|alert alert-danger[^>]*)>(?:<div>)?([^<]+)', text
    )
    found = [f"{field}: {message}" if field else message for field, message in found]
    return " | ".join(found) or text[:300]


@pytest.mark.parametrize(("case", "actor"), _params())
def test_matrix(case: Case, actor: str, scene):
    s = scene
    expected = case.expect[ACTORS.index(actor)]
    if actor == "anonymous":
        user = None
    elif actor == "other":
        user = s.other
    elif actor == "lacking":
        user = s.person(case.lacker, clearance=3, name="lacking")
    else:
        user = s.person(case.holder, clearance=1 if actor == "holder" else 0, name=actor)
    record = getattr(s, case.obj) if case.obj else None
    target = getattr(s, case.secret) if actor == "uncleared" else record

    # The table itself must be right: the holder holds the permission, the one lacking it does not.
    if case.perm and actor == "holder":
        assert has_perm(user, case.perm), f"{case.holder} should hold {case.perm}"
    if case.perm and actor == "lacking" and case.lacker != OWNER:
        assert not has_perm(user, case.perm, record if case.kwarg else None), f"{case.lacker} holds {case.perm}"

    url = _url(case, s, target)
    data = case.data(s, user, target) if case.data else None
    client = _client(case, user)
    before = database_state()
    changes_before = ObjectChange.objects.count()

    response = _send(client, case, url, data)

    _assert_status(case, response, expected)
    allowed = isinstance(expected, int) and expected < 400
    if case.method != "GET":
        if actor == "holder" and allowed:
            assert ObjectChange.objects.count() - changes_before == case.writes
            assert (database_state() == before) == case.computes
        elif case.route == "core:import_start" and actor == "other":
            # Their upload is checked against their own scope: kept as their batch, with every row refused.
            batch = ImportBatch.objects.get(owner=user)
            assert batch.status == ImportBatch.Status.INVALID
            assert {e["column"] for e in batch.errors} == {"Owner code"}
            assert ObjectChange.objects.count() == changes_before
            after = database_state()
            assert after.pop("core.ImportBatch") != before.pop("core.ImportBatch")
            assert after == before
        elif case.route != "core:notification_read" or actor == "anonymous":
            assert database_state() == before, "a refused write changed something"
            assert ObjectChange.objects.count() == changes_before
        else:  # marking read is scoped, not refused: the others' own (empty) inboxes only
            assert database_state() == before
            assert Notification.objects.get(pk=s.notification.pk).read_at is None
    if case.marker and allowed and case.method == "GET":
        _assert_listing(case, actor, s, client, url, response)


def _assert_listing(case: Case, actor: str, s: SimpleNamespace, client: Any, url: str, response) -> None:
    record = getattr(s, case.obj)
    secret = getattr(s, case.secret) if case.secret else None
    listings = [_listed(case, response)]
    if case.export:
        exported = client.get(url + ("&" if "?" in url else "?") + "export=csv")
        assert exported.status_code == 200
        assert exported["Content-Type"].startswith("text/csv")
        listings.append(exported.content.decode("utf-8-sig"))
    for listed in listings:
        shown = _shows(case, listed, record)
        if actor == "holder":
            assert shown, f"{name_of(record)} missing for the holder"
            if secret is not None:
                assert _shows(case, listed, secret), f"{name_of(secret)} missing for the cleared holder"
        elif actor == "uncleared":
            assert shown, f"{name_of(record)} missing for the uncleared holder"
            assert not _shows(case, listed, secret), f"{name_of(secret)} shown without clearance"
        elif case.perm is not None or case.holder == OWNER:
            assert not shown, f"{name_of(record)} shown to {actor}"


def _shows(case: Case, listed: str | set[int], obj: Any) -> bool:
    return (obj.pk if case.api else name_of(obj)) in listed


# --- nothing leaks: counts, search and exports hold exactly what the rule allows --------------------

LISTS = [
    # page, API list, who looks (None: ENT-B's officer), what they must see exactly (scene attributes)
    ("organizations:organization_list", "organization-list", None, ["ent_b"]),
    ("organizations:enterprise_list", "enterprise-list", None, ["ent_b"]),
    ("organizations:facility_list", "facility-list", None, ["facility_b"]),
    ("organizations:industrialpark_list", "industrialpark-list", None, []),
    ("organizations:complexmembership_list", "complexmembership-list", None, []),
    ("organizations:restructuringevent_list", "restructuringevent-list", None, []),
    ("organizations:organization_list", "organization-list", (EO_A, 0), ["ent_a", "unit_a", "ent_a_sub"]),
    (
        "organizations:organization_list",
        "organization-list",
        (EO_A, 1),
        ["ent_a", "unit_a", "ent_a_sub", "unit_secret", "ent_secret"],
    ),
    ("organizations:enterprise_list", "enterprise-list", (EO_A, 0), ["ent_a", "ent_a_sub"]),
    ("organizations:enterprise_list", "enterprise-list", (EO_A, 1), ["ent_a", "ent_a_sub", "ent_secret"]),
    ("organizations:facility_list", "facility-list", (EO_A, 0), ["facility_a"]),
    ("organizations:facility_list", "facility-list", (EO_A, 1), ["facility_a", "facility_secret"]),
    ("organizations:industrialpark_list", "industrialpark-list", (LAB_H08, 0), ["park", "park2"]),
    ("organizations:industrialpark_list", "industrialpark-list", (LAB_H08, 1), ["park", "park2", "park_secret"]),
    ("organizations:complexmembership_list", "complexmembership-list", (EO_A, 0), ["cm_a"]),
    ("organizations:restructuringevent_list", "restructuringevent-list", (EO_A, 0), ["event_a"]),
    ("organizations:restructuringevent_list", "restructuringevent-list", (EO_A, 1), ["event_a", "event_secret"]),
]


def _lister(s: SimpleNamespace, who: tuple | None):
    if who is None:
        return s.other
    spec, clearance = who
    return s.person(spec, clearance=clearance, name=f"lister-{clearance}")


@pytest.mark.parametrize(
    ("route", "api_route", "who", "seen"),
    LISTS,
    ids=[f"{r[0].split(':')[1]}-{'other' if r[2] is None else r[2][0][0] + str(r[2][1])}" for r in LISTS],
)
def test_lists_counts_and_exports_hold_exactly_the_visible_records(scene, route, api_route, who, seen):
    user = _lister(scene, who)
    expected = [getattr(scene, name) for name in seen]
    page = login(Client(), user).get(reverse(route))
    assert page.status_code == 200
    count = re.search(r'id="result-count">\s*(\d+)', page.content.decode())
    assert int(count.group(1)) == len(expected)

    exported = login(Client(), user).get(reverse(route) + "?export=csv")
    rows = exported.content.decode("utf-8-sig").splitlines()[1:]
    assert len(rows) == len(expected)

    api = APIClient()
    api.force_authenticate(user)
    answer = api.get(reverse(api_route))
    assert answer.status_code == 200
    assert sorted(row["id"] for row in answer.json()["results"]) == sorted(o.pk for o in expected)


@pytest.mark.parametrize(
    ("who", "query", "seen"),
    [
        (None, "cong ty", ["ent_b"]),
        (None, "xuong", []),
        (None, "khu cnan", []),
        ((EO_A, 0), "cong ty thang long", ["ent_a", "ent_a_sub"]),
        ((EO_A, 1), "cong ty thang long", ["ent_a", "ent_a_sub", "ent_secret"]),
        ((EO_A, 0), "xuong", ["unit_a", "facility_a"]),
        ((EO_A, 1), "xuong", ["unit_a", "facility_a", "facility_secret"]),
        ((LAB_H08, 0), "khu cnan", ["park", "park2"]),
        ((LAB_H08, 1), "khu cnan", ["park", "park2", "park_secret"]),
    ],
)
def test_search_finds_exactly_the_visible_records(scene, who, query, seen):
    user = _lister(scene, who)
    client = login(Client(), user)
    client.cookies["cnan_language"] = "en"
    page = client.get(reverse("core:search"), {"q": query})
    assert page.status_code == 200
    hits = re.findall(r'<a href="([^"]+)" class="search-hit">', page.content.decode())
    assert sorted(hits) == sorted(getattr(scene, name).get_absolute_url() for name in seen)


def _select_options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select.group(0)) if select else []


def test_facility_list_filter_offers_only_parks_the_user_may_see(scene):
    html = login(Client(), scene.other).get(reverse("organizations:facility_list")).content.decode()
    assert _select_options(html, "park_id") == []


def test_audit_log_user_filter_names_nobody_and_finds_only_changes_the_viewer_may_see(scene, make_user):
    leader = make_user("ministry_leader", scene.bca, username="lanh.dao")  # reads the log, may not list users
    quiet = make_user(None, username="chua.lam.gi")  # has changed nothing
    org_services.facility_update(actor=scene.other, instance=scene.facility_b, data={"capacity": "1/năm"})
    secret_actor = make_user("department_officer", scene.h08, username="mat", clearance=1)
    org_services.facility_update(actor=secret_actor, instance=scene.facility_secret, data={"capacity": "2/năm"})
    client = login(Client(), leader)
    audit_log = reverse("core:objectchange_list")

    html = client.get(audit_log).content.decode()
    assert _select_options(html, "actor") == [] and _select_options(html, "actor_id") == []
    assert 'name="actor"' in html

    def changes_found(**query) -> int:
        response = client.get(audit_log, query)
        assert response.status_code == 200
        return len(re.findall(r'href="/audit/\d+/"', response.content.decode()))

    assert changes_found(actor=scene.other.username.upper()) >= 1  # the name matches whatever its case
    assert changes_found(actor=quiet.username) == 0
    assert changes_found(actor=secret_actor.username) == 0  # their only change is of a classified record
    assert changes_found(actor_id=secret_actor.pk) == 0


def test_audit_log_shows_no_name_of_a_classified_park_to_an_uncleared_auditor(scene, make_user):
    auditor = make_user("auditor", scene.bca, username="kiem.toan.0", clearance=0)
    html = login(Client(), auditor).get(reverse("core:objectchange_list") + "?per_page=100").content.decode()
    assert scene.park_secret.name not in html
