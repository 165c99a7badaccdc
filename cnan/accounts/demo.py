"""Demo accounts: one person for every built-in role, in the organisations the seeds name."""

from __future__ import annotations

import datetime as dt

from cnan.core.classification import Classification
from cnan.core.demo import DEMO_PASSWORD, DemoWorld, register

from . import roles, services
from .models import Role, User

# user name, full name, position, role, organisation code, clearance
PEOPLE = [
    ("admin", "Quản trị hệ thống", "Quản trị viên", roles.SYSTEM_ADMIN, "BCA", Classification.TUYET_MAT),
    ("lanhdao", "Nguyễn Văn Minh", "Thứ trưởng", roles.MINISTRY_LEADER, "BCA", Classification.TUYET_MAT),
    (
        "canbo.h08",
        "Trần Thị Hương",
        "Cán bộ Phòng Quản lý doanh nghiệp",
        roles.DEPARTMENT_OFFICER,
        "H08",
        Classification.TOI_MAT,
    ),
    (
        "dn.thanglong",
        "Lê Quang Huy",
        "Trưởng phòng Kế hoạch",
        roles.ENTERPRISE_OFFICER,
        "DN-THANGLONG",
        Classification.MAT,
    ),
    (
        "dn.songhan",
        "Phạm Thu Trang",
        "Phó phòng Kinh doanh",
        roles.ENTERPRISE_OFFICER,
        "DN-SONGHAN",
        Classification.MAT,
    ),
    ("nghiencuu", "Đỗ Đức Anh", "Nghiên cứu viên", roles.RESEARCH_OFFICER, "VKHCN", Classification.MAT),
    ("kiemdinh", "Vũ Thị Lan", "Kiểm định viên", roles.LAB_OFFICER, "TTKD", Classification.NONE),
    ("donvi.cscd", "Hoàng Văn Nam", "Trợ lý hậu cần", roles.UNIT_OFFICER, "BTLCSCD", Classification.MAT),
    ("kiemtoan", "Bùi Minh Châu", "Thanh tra viên", roles.AUDITOR, "BCA", Classification.TOI_MAT),
]


def _present() -> bool:
    return User.objects.filter(username="canbo.h08").exists()


@register("accounts", order=20, present=_present)
def build(world: DemoWorld) -> None:
    role_by_code = {r.code: r for r in Role.objects.all()}
    for username, full_name, position, role, org_code, clearance in PEOPLE:
        user = services.user_create(
            actor=world.actor,
            data={
                "username": username,
                "full_name": full_name,
                "position": position,
                "clearance": clearance,
                "email": f"{username.replace('.', '_')}@cnan.example",
                "language": "vi",
            },
            password=DEMO_PASSWORD,
        )
        services.membership_create(
            actor=world.actor,
            data={
                "user": user,
                "organization": world.orgs[org_code],
                "role": role_by_code[role],
                "valid_from": dt.date(2025, 1, 1),
            },
        )
        world.users[username] = user
    world.log(f"  {len(PEOPLE)} demo accounts")
