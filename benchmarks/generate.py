"""One deterministic generator for the benchmark world: `python -m benchmarks.generate --scale smoke`.

Builds, at the scale asked: organisations under a Ministry root (enterprises with facilities), users
with memberships, audit rows, the product catalogue with its multi-level BOMs (``catalogue_world``) and
the directives with their tasks, sub-tasks and reports (``directives_world``).
Writes go through the services where the number is small and in bulk where a benchmark only needs rows
to read (the audit log, the catalogue), always with a fixed seed. Each part is generated once; a
workload names the parts it needs (``NEEDS``) so that, say, the catalogue workloads at national scale
do not wait for 10 million audit rows."""

from __future__ import annotations

import argparse
import random
import uuid

SIZES = {
    "smoke": {"organisations": 50, "users": 100, "audit_rows": 100_000},
    "national": {"organisations": 1_000, "users": 10_000, "audit_rows": 10_000_000},
    "10x": {"organisations": 10_000, "users": 100_000, "audit_rows": 100_000_000},
}


PARTS = ("world", "audit", "catalogue", "directives")


def generate(scale: str, log=print, parts: tuple[str, ...] = PARTS) -> dict[str, int]:
    _world(scale, log)
    if "audit" in parts:
        _audit(scale, log)
    if "catalogue" in parts:
        from . import catalogue_world

        catalogue_world.generate(scale, log)
    if "directives" in parts:
        from . import directives_world

        directives_world.generate(scale, log)
    return _counts()


def _world(scale: str, log) -> None:
    from django.db import transaction

    from cnan.accounts import services as account_services
    from cnan.accounts.models import Role, User
    from cnan.organizations import services
    from cnan.organizations.models import Facility, Organization

    sizes = SIZES[scale]
    rng = random.Random(20260116)  # noqa: S311 - benchmark data
    if Organization.objects.filter(code="BENCH-BCA").exists():
        log("world already generated")
        return
    K = Organization.Kind
    with transaction.atomic():
        root = services.organization_create(
            actor=None, parent=None, data={"code": "BENCH-BCA", "name": "Bộ Công an (benchmark)", "kind": K.MINISTRY}
        )
        dept = services.organization_create(
            actor=None,
            parent=root,
            data={"code": "BENCH-H08", "name": "Cục Công nghiệp an ninh (benchmark)", "kind": K.DEPARTMENT},
        )
        enterprises = []
        for i in range(sizes["organisations"] - 2):
            org = services.organization_create(
                actor=None,
                parent=dept,
                data={
                    "code": f"BENCH-ORG-{i:05d}",
                    "name": f"Đơn vị công nghiệp an ninh số {i}",
                    "kind": K.OPERATIONAL_UNIT,
                    "province": rng.choice(["ha-noi", "da-nang", "ho-chi-minh"]),
                },
            )
            enterprises.append(org)
            services.facility_create(
                actor=None,
                data={
                    "organization": org,
                    "code": f"BENCH-F-{i:05d}",
                    "name": f"Cơ sở sản xuất {i}",
                    "kind": "other",
                    "province": org.province,
                },
            )
        log(f"  {Organization.objects.count()} organisations, {Facility.objects.count()} facilities")
        role = Role.objects.get(code="enterprise_officer")
        for i in range(sizes["users"]):
            user = account_services.user_create(
                actor=None, data={"username": f"bench{i:06d}", "full_name": f"Người dùng {i}"}, password=None
            )
            account_services.membership_create(
                actor=None, data={"user": user, "organization": rng.choice(enterprises), "role": role}
            )
        log(f"  {User.objects.count()} users")


def _audit(scale: str, log) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from cnan.core.models import ObjectChange
    from cnan.organizations.models import Facility

    sizes = SIZES[scale]
    rng = random.Random(20260117)  # noqa: S311 - benchmark data
    missing = sizes["audit_rows"] - ObjectChange.objects.count()
    ct = ContentType.objects.get_for_model(Facility)
    facility_ids = list(Facility.objects.values_list("pk", "organization_id"))
    batch = []
    now = timezone.now()
    for n in range(max(0, missing)):
        pk, org_id = facility_ids[n % len(facility_ids)]
        batch.append(
            ObjectChange(
                time=now,
                actor_name="bench",
                request_id=uuid.UUID(int=rng.getrandbits(128)),
                organization_id=org_id,
                content_type=ct,
                object_id=str(pk),
                object_repr=f"Cơ sở sản xuất {pk}",
                action="update",
                before={"capacity": str(n)},
                after={"capacity": str(n + 1)},
                changed_fields=["capacity"],
            )
        )
        if len(batch) == 5000:
            ObjectChange.objects.bulk_create(batch)
            batch = []
            log(f"  audit rows: {n + 1}/{missing}")
    if batch:
        ObjectChange.objects.bulk_create(batch)


def _counts() -> dict[str, int]:
    from cnan.accounts.models import User
    from cnan.catalogue.models import BOMLine, Product
    from cnan.core.models import ObjectChange
    from cnan.directives.models import ProgressReport, Task
    from cnan.organizations.models import Facility, Organization

    return {
        "organisations": Organization.objects.count(),
        "facilities": Facility.objects.count(),
        "users": User.objects.count(),
        "audit_rows": ObjectChange.objects.count(),
        "products": Product.objects.count(),
        "bom_lines": BOMLine.objects.count(),
        "tasks": Task.objects.count(),
        "progress_reports": ProgressReport.objects.count(),
    }


def main() -> None:
    from .setup import SCALES, configure

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="smoke")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    configure(scale=args.scale, db=args.db)
    print(generate(args.scale))


if __name__ == "__main__":
    main()
