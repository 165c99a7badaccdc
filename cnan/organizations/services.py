"""Writes on the registry. Each service checks the permission, validates, saves and audits (via core)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from treebeard.exceptions import InvalidMoveToDescendant

from cnan.core import audit
from cnan.core.models import ObjectChange
from cnan.core.permissions import perm_name, require
from cnan.core.services import object_create, object_delete, object_update

from .models import (
    ComplexMembership,
    Enterprise,
    Facility,
    IndustrialPark,
    Organization,
    ParkPhase,
    RestructuringEvent,
)
from .validators import normalise_tax_code

CLASSIFICATION_FIELDS = ("classification", "protected_until", "classification_basis")
ORGANIZATION_FIELDS = (
    "code",
    "name",
    "short_name",
    "name_en",
    "kind",
    "province",
    "address",
    "country",
    "phone",
    "email",
    "website",
    "valid_from",
    "valid_to",
    "description",
    *CLASSIFICATION_FIELDS,
)
# Only enterprises carry these; other kinds take them too, so that the model refuses them instead of
# the service dropping them without a word.
ENTERPRISE_DETAILS = ("legal_form", "tax_code", "charter_capital", "state_ownership", "parent_corporation")
ENTERPRISE_FIELDS = (*(f for f in ORGANIZATION_FIELDS if f != "kind"), *ENTERPRISE_DETAILS, "product_groups")
FACILITY_FIELDS = (
    "organization",
    "code",
    "name",
    "kind",
    "decision_number",
    "decision_date",
    "decision_issuer",
    "province",
    "address",
    "park",
    "capabilities",
    "capacity",
    "product_groups",
    "recognised_on",
    "withdrawn_on",
    *CLASSIFICATION_FIELDS,
)
PARK_FIELDS = (
    "organization",
    "code",
    "name",
    "province",
    "address",
    "area_ha",
    "approval_decision",
    "approved_on",
    "status",
    "description",
    *CLASSIFICATION_FIELDS,
)
PHASE_FIELDS = ("name", "area_ha", "status", "started_on", "completed_on", "description")
COMPLEX_FIELDS = ("organization", "role", "admitted_on", "left_on", "decision_number", "decision_date", "note")
RESTRUCTURING_FIELDS = (
    "kind",
    "organization",
    "title",
    "decision_number",
    "decision_date",
    "decision_issuer",
    "effective_on",
    "product_group",
    "sources",
    "results",
    "description",
    *CLASSIFICATION_FIELDS,
)


def _pick(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in fields}


def _split_m2m(data: dict[str, Any], names: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    return ({k: v for k, v in data.items() if k not in names}, {k: v for k, v in data.items() if k in names})


# --- organisations ---------------------------------------------------------------------------------


def _place(parent: Organization | None) -> Callable[[Organization], None]:
    def save(node: Organization) -> None:
        if parent is None:
            Organization.objects.add_root(instance=node)
        else:
            Organization.objects.add_child(Organization.objects.get(pk=parent.pk), instance=node)

    return save


@transaction.atomic
def organization_create(*, actor: Any, parent: Organization | None, data: dict[str, Any]) -> Organization:
    """Add an organisation under ``parent`` (a root if ``None``: only ministry-wide administrators)."""
    data = dict(data)
    if data.get("kind") == Organization.Kind.ENTERPRISE:
        return enterprise_create(actor=actor, parent=parent, data=data)
    plain, m2m = _split_m2m(_pick(data, (*ORGANIZATION_FIELDS, *ENTERPRISE_DETAILS)), ("product_groups",))
    org = Organization(parent=parent, **plain)
    return object_create(
        actor=actor,
        instance=org,
        m2m=m2m,
        perm="organizations.add_organization",
        save=_place(parent),
        clean_exclude=("path", "depth", "numchild"),
    )


@transaction.atomic
def enterprise_create(*, actor: Any, parent: Organization | None, data: dict[str, Any]) -> Organization:
    plain, m2m = _split_m2m(_pick(data, ENTERPRISE_FIELDS), ("product_groups",))
    plain["tax_code"] = normalise_tax_code(plain.get("tax_code", ""))
    org = Enterprise(parent=parent, kind=Organization.Kind.ENTERPRISE, **plain)
    return object_create(
        actor=actor,
        instance=org,
        m2m=m2m,
        perm="organizations.add_enterprise",
        save=_place(parent),
        clean_exclude=("path", "depth", "numchild"),
    )


@transaction.atomic
def organization_update(*, actor: Any, instance: Organization, data: dict[str, Any]) -> Organization:
    """Change an organisation's details; a new ``parent`` in ``data`` moves it (with its subtree) first."""
    data = dict(data)
    new_parent = data.pop("parent", None)
    if new_parent is not None and new_parent.pk != instance.parent_id:
        instance = organization_move(actor=actor, instance=instance, new_parent=new_parent)
    if instance.kind == Organization.Kind.ENTERPRISE:
        if "tax_code" in data:
            data["tax_code"] = normalise_tax_code(data["tax_code"])
        org, _changed = object_update(
            actor=actor, instance=instance, data=data, fields=ENTERPRISE_FIELDS, perm="organizations.change_enterprise"
        )
        return org
    if data.get("kind") == Organization.Kind.ENTERPRISE:
        raise ValidationError(
            {"kind": _("Register an enterprise through the enterprise form, with its legal details.")}
        )
    org, _changed = object_update(
        actor=actor,
        instance=instance,
        data=data,
        fields=(*ORGANIZATION_FIELDS, *ENTERPRISE_DETAILS),
        perm="organizations.change_organization",
    )
    return org


@transaction.atomic
def organization_move(*, actor: Any, instance: Organization, new_parent: Organization) -> Organization:
    """Move an organisation (and its subtree) under another parent."""
    node = Organization.objects.select_for_update().get(pk=instance.pk)
    perm = perm_name(Enterprise if node.is_enterprise else Organization, "change")
    require(actor, perm, node)
    require(actor, "organizations.add_organization", new_parent)
    if node.parent_id == new_parent.pk:
        return node
    before = audit.snapshot(node)
    try:
        Organization.objects.move(node, Organization.objects.get(pk=new_parent.pk), pos="last-child")
    except InvalidMoveToDescendant as exc:
        raise ValidationError({"parent": _("An organisation cannot be moved under one of its own sub-units.")}) from exc
    node = Organization.objects.get(pk=node.pk)
    node.parent = new_parent
    node.save(update_fields=["parent", "updated_at"])
    audit.record(
        action=ObjectChange.Action.UPDATE, instance=node, actor=actor, before=before, after=audit.snapshot(node)
    )
    return node


@transaction.atomic
def organization_delete(*, actor: Any, instance: Organization) -> None:
    node = Organization.objects.get(pk=instance.pk)
    if Organization.objects.filter(parent=node).exists() or node.numchild:
        raise ValidationError(_("%(org)s still has sub-units: move or delete them first.") % {"org": node})
    perm = perm_name(Enterprise if node.is_enterprise else Organization, "delete")
    object_delete(actor=actor, instance=node, perm=perm)


# --- facilities ------------------------------------------------------------------------------------


def _check_facility_owner(facility: Facility) -> None:
    if facility.kind == Facility.Kind.CORE and facility.organization.kind == Organization.Kind.PARTNER:
        raise ValidationError(
            {"kind": _("A core facility belongs to the Ministry's units or enterprises, not to an outside partner.")}
        )


@transaction.atomic
def facility_create(*, actor: Any, data: dict[str, Any]) -> Facility:
    plain, m2m = _split_m2m(_pick(data, FACILITY_FIELDS), ("product_groups",))
    facility = Facility(**plain)
    _check_facility_owner(facility)
    return object_create(actor=actor, instance=facility, m2m=m2m)


@transaction.atomic
def facility_update(*, actor: Any, instance: Facility, data: dict[str, Any]) -> Facility:
    facility, _changed = object_update(actor=actor, instance=instance, data=data, fields=FACILITY_FIELDS)
    _check_facility_owner(facility)
    return facility


@transaction.atomic
def facility_delete(*, actor: Any, instance: Facility) -> None:
    object_delete(actor=actor, instance=instance)


# --- parks -----------------------------------------------------------------------------------------


@transaction.atomic
def park_create(*, actor: Any, data: dict[str, Any]) -> IndustrialPark:
    return object_create(actor=actor, instance=IndustrialPark(**_pick(data, PARK_FIELDS)))


@transaction.atomic
def park_update(*, actor: Any, instance: IndustrialPark, data: dict[str, Any]) -> IndustrialPark:
    park, _changed = object_update(actor=actor, instance=instance, data=data, fields=PARK_FIELDS)
    return park


@transaction.atomic
def park_delete(*, actor: Any, instance: IndustrialPark) -> None:
    object_delete(actor=actor, instance=instance)


@transaction.atomic
def park_phase_create(*, actor: Any, park: IndustrialPark, data: dict[str, Any]) -> ParkPhase:
    phase = ParkPhase(park=park, **_pick(data, PHASE_FIELDS))
    return object_create(actor=actor, instance=phase, perm="organizations.change_industrialpark")


@transaction.atomic
def park_phase_update(*, actor: Any, instance: ParkPhase, data: dict[str, Any]) -> ParkPhase:
    phase, _changed = object_update(
        actor=actor, instance=instance, data=data, fields=PHASE_FIELDS, perm="organizations.change_industrialpark"
    )
    return phase


@transaction.atomic
def park_phase_delete(*, actor: Any, instance: ParkPhase) -> None:
    object_delete(actor=actor, instance=instance, perm="organizations.change_industrialpark")


# --- the national security-industrial complex ------------------------------------------------------


def _check_nucleus(membership: ComplexMembership) -> None:
    """DOMAIN.md §2.6 rule 19: the nucleus is made of the Ministry's core facilities."""
    if membership.role != ComplexMembership.Role.NUCLEUS:
        return
    org = membership.organization
    root = Organization.objects.get(path=org.path[: Organization.steplen])
    if root.kind != Organization.Kind.MINISTRY or org.kind == Organization.Kind.PARTNER:
        raise ValidationError({"role": _("Only units of the Ministry can be in the nucleus of the complex.")})
    day = membership.admitted_on or timezone.localdate()
    has_core = (
        org.facilities.filter(kind=Facility.Kind.CORE)
        .filter(Q(recognised_on__isnull=True) | Q(recognised_on__lte=day))
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        .exists()
    )
    if not has_core:
        raise ValidationError(
            {
                "role": _(
                    "%(org)s has no core facility recognised on %(date)s, so it can only be a "
                    "member, not part of the nucleus."
                )
                % {"org": org.name, "date": day.strftime("%d/%m/%Y")}
            }
        )


@transaction.atomic
def complex_membership_create(*, actor: Any, data: dict[str, Any]) -> ComplexMembership:
    membership = ComplexMembership(**_pick(data, COMPLEX_FIELDS))
    if membership.organization_id:
        _check_nucleus(membership)
    return object_create(actor=actor, instance=membership)


@transaction.atomic
def complex_membership_update(*, actor: Any, instance: ComplexMembership, data: dict[str, Any]) -> ComplexMembership:
    membership, changed = object_update(actor=actor, instance=instance, data=data, fields=COMPLEX_FIELDS)
    if changed:
        _check_nucleus(membership)
    return membership


@transaction.atomic
def complex_membership_delete(*, actor: Any, instance: ComplexMembership) -> None:
    object_delete(actor=actor, instance=instance)


# --- restructuring ---------------------------------------------------------------------------------


def _check_restructuring(kind: str, sources: list[Organization], results: list[Organization]) -> None:
    K = RestructuringEvent.Kind
    errors: dict[str, list[str]] = {}
    if kind == K.MERGE:
        if len(sources) < 2:
            errors["sources"] = [_("A merger joins at least two organisations.")]
        if len(results) != 1:
            errors["results"] = [_("A merger results in exactly one organisation.")]
    elif kind == K.SPLIT:
        if len(sources) != 1:
            errors["sources"] = [_("A split starts from exactly one organisation.")]
        if len(results) < 2:
            errors["results"] = [_("A split results in at least two organisations.")]
    elif kind == K.FORM_CORPORATION:
        if not sources:
            errors["sources"] = [_("Name the enterprises that join the corporation.")]
        if len(results) != 1:
            errors["results"] = [_("Name the corporation that is formed.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def restructuring_create(*, actor: Any, data: dict[str, Any]) -> RestructuringEvent:
    plain, m2m = _split_m2m(_pick(data, RESTRUCTURING_FIELDS), ("sources", "results"))
    _check_restructuring(plain.get("kind", ""), list(m2m.get("sources", [])), list(m2m.get("results", [])))
    return object_create(actor=actor, instance=RestructuringEvent(**plain), m2m=m2m)


@transaction.atomic
def restructuring_update(*, actor: Any, instance: RestructuringEvent, data: dict[str, Any]) -> RestructuringEvent:
    kind = data.get("kind", instance.kind)
    sources = list(data["sources"]) if "sources" in data else list(instance.sources.all())
    results = list(data["results"]) if "results" in data else list(instance.results.all())
    _check_restructuring(kind, sources, results)
    event, _changed = object_update(actor=actor, instance=instance, data=data, fields=RESTRUCTURING_FIELDS)
    return event


@transaction.atomic
def restructuring_delete(*, actor: Any, instance: RestructuringEvent) -> None:
    object_delete(actor=actor, instance=instance)
