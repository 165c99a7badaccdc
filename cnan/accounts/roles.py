"""Built-in roles (issue #2): defined here, synchronised into ``Role`` rows after every migration.

A grant is a pattern over ``app_label.codename``: ``*`` matches anything inside a part
(``organizations.view_*``, ``*.view_*``); a leading ``-`` removes what an earlier pattern added.
Later apps add their grants with :func:`extend` in their ``AppConfig.ready``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass
class RoleSpec:
    code: str
    label: Promise
    description: Promise
    global_scope: bool = False
    mfa_required: bool = False
    grants: list[str] = field(default_factory=list)


SYSTEM_ADMIN = "system_admin"
MINISTRY_LEADER = "ministry_leader"
DEPARTMENT_OFFICER = "department_officer"
ENTERPRISE_OFFICER = "enterprise_officer"
RESEARCH_OFFICER = "research_officer"
LAB_OFFICER = "lab_officer"
UNIT_OFFICER = "unit_officer"
AUDITOR = "auditor"

BUILTIN: dict[str, RoleSpec] = {
    spec.code: spec
    for spec in [
        RoleSpec(
            SYSTEM_ADMIN,
            _("System administrator"),
            _("Manages users, roles and every record; signs in with a second factor."),
            global_scope=True,
            mfa_required=True,
            grants=["*.*"],
        ),
        RoleSpec(
            MINISTRY_LEADER,
            _("Ministry leadership"),
            _("Reads everything it is cleared for, across all organisations."),
            global_scope=True,
            grants=["*.view_*", "-accounts.*"],
        ),
        RoleSpec(
            DEPARTMENT_OFFICER,
            _("Department officer (H08)"),
            _("Keeps the registry of the security industry: organisations, enterprises, facilities, parks."),
            global_scope=True,
            grants=["*.view_*", "-accounts.*", "-core.*", "organizations.*"],
        ),
        RoleSpec(
            ENTERPRISE_OFFICER,
            _("Enterprise officer"),
            _("Keeps its own enterprise's details and facilities."),
            grants=[
                "organizations.view_*",
                "organizations.change_enterprise",
                "organizations.add_facility",
                "organizations.change_facility",
                "organizations.delete_facility",
            ],
        ),
        RoleSpec(
            RESEARCH_OFFICER,
            _("Research officer"),
            _("Works for an institute, academy or school on research tasks and outputs."),
            grants=["organizations.view_*", "organizations.add_facility", "organizations.change_facility"],
        ),
        RoleSpec(
            LAB_OFFICER,
            _("Laboratory officer"),
            _("Works for a testing centre on test requests and certificates."),
            grants=["organizations.view_*"],
        ),
        RoleSpec(
            UNIT_OFFICER,
            _("Operational unit officer"),
            _("Declares the equipment needs of a police unit and reports on what it receives."),
            grants=["organizations.view_*"],
        ),
        RoleSpec(
            AUDITOR,
            _("Auditor"),
            _("Reads everything and the full history of changes; changes nothing."),
            global_scope=True,
            grants=["*.view_*"],
        ),
    ]
}


def extend(code: str, patterns: list[str]) -> None:
    """Add grants to a built-in role (called by later apps in ``ready``)."""
    BUILTIN[code].grants.extend(patterns)


def resolve(patterns: list[str], available: list[str]) -> set[str]:
    """The permission names (``app.codename``) the patterns select from ``available``."""
    chosen: set[str] = set()
    for pattern in patterns:
        remove = pattern.startswith("-")
        glob = pattern[1:] if remove else pattern
        matched = {name for name in available if fnmatch.fnmatchcase(name, glob)}
        chosen = chosen - matched if remove else chosen | matched
    return chosen


def display_name(role) -> str:
    spec = BUILTIN.get(role.code)
    return str(spec.label) if spec and role.is_builtin else role.name
