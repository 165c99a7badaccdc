"""Writes on users, memberships, roles, second factors and API tokens; each audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from cnan.core import audit
from cnan.core.models import ObjectChange
from cnan.core.permissions import grants_for, require
from cnan.core.services import notification_send, object_create, object_update

from . import roles
from .models import Membership, Role, User

USER_FIELDS = ("username", "full_name", "email", "phone", "position", "clearance", "language", "is_active")


def _check_clearance_grant(actor: Any, clearance: int) -> None:
    """Nobody grants a clearance above their own."""
    if actor is not None and clearance > (actor.clearance or 0):
        raise ValidationError({"clearance": _("You cannot grant a clearance higher than your own.")})


@transaction.atomic
def user_create(*, actor: Any, data: dict[str, Any], password: str | None) -> User:
    _check_clearance_grant(actor, int(data.get("clearance") or 0))
    user = User(**{k: v for k, v in data.items() if k in USER_FIELDS})
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.password_changed_at = timezone.now()
    else:
        user.set_unusable_password()
    return object_create(actor=actor, instance=user)


@transaction.atomic
def user_update(*, actor: Any, instance: User, data: dict[str, Any]) -> User:
    if "clearance" in data and int(data["clearance"] or 0) != instance.clearance:
        _check_clearance_grant(actor, int(data["clearance"] or 0))
    if actor is not None and actor.pk == instance.pk and data.get("is_active") is False:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    user, _changed = object_update(actor=actor, instance=instance, data=data, fields=USER_FIELDS)
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    """An administrator sets a password, or a person changes their own."""
    if actor is not None and actor.pk != user.pk:
        require(actor, "accounts.change_user", user)
    password_validation.validate_password(password, user)
    before = audit.snapshot(user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit.record(
        action=ObjectChange.Action.UPDATE, instance=user, actor=actor, before=before, after=audit.snapshot(user)
    )
    return user


def _check_role_grant(actor: Any, role: Role) -> None:
    """A role that applies everywhere may only be granted by someone whose power applies everywhere."""
    if actor is None or not role.global_scope:
        return
    scope = grants_for(actor).scope("accounts.add_membership")
    if scope is None or not scope.everywhere:
        raise PermissionDenied(
            _("Only an administrator with ministry-wide scope may grant the role %(role)s.") % {"role": role}
        )


@transaction.atomic
def membership_create(*, actor: Any, data: dict[str, Any]) -> Membership:
    membership = Membership(**data)
    _check_role_grant(actor, membership.role)
    result = object_create(actor=actor, instance=membership)
    membership.user.forget_grants()
    if actor is not None and actor.pk != membership.user_id:
        # The person learns of a new role (and of what it lets them do) in the portal.
        with translation.override(membership.user.language):
            notification_send(
                recipient=membership.user,
                title=_("You were granted the role %(role)s in %(organization)s")
                % {"role": membership.role, "organization": membership.organization.name},
                body=_("Granted by %(actor)s from %(date)s.")
                % {"actor": actor, "date": membership.valid_from.strftime("%d/%m/%Y")},
                url=reverse("accounts:profile"),
            )
    return result


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, on: dt.date | None = None) -> Membership:
    """End a membership (kept for history) rather than deleting it."""
    day = on or timezone.localdate()
    if day < membership.valid_from:
        raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})
    result, _changed = object_update(
        actor=actor, instance=membership, data={"valid_to": day}, fields=["valid_to"], perm="accounts.change_membership"
    )
    return result


@transaction.atomic
def role_sync_builtin(*, actor: Any = None) -> list[Role]:
    """Create or update the built-in roles from ``roles.BUILTIN`` (run after every migration)."""
    available = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    synced = []
    for spec in roles.BUILTIN.values():
        wanted = sorted(available[name] for name in roles.resolve(spec.grants, list(available)))
        role = Role.objects.filter(code=spec.code).first()
        # Stored untranslated (as ``migrate`` stores them), whatever language is active: otherwise every
        # sync in another language would rewrite and audit every role. Pages show the translated label.
        with translation.override(None):
            name, description = str(spec.label), str(spec.description)
        data = {
            "name": name,
            "description": description,
            "global_scope": spec.global_scope,
            "mfa_required": spec.mfa_required,
            "permissions": wanted,
        }
        if role is None:
            role = Role(code=spec.code, is_builtin=True, **{k: v for k, v in data.items() if k != "permissions"})
            role = object_create(actor=actor, instance=role, m2m={"permissions": wanted})
        else:
            role, _changed = object_update(actor=actor, instance=role, data=data, fields=list(data))
        synced.append(role)
    return synced


# --- second factor ---------------------------------------------------------------------------------


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user (replacing an earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(token):
        raise ValidationError({"token": _("That code is not valid. Check the time on your phone and try again.")})
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(
        action=ObjectChange.Action.CREATE,
        instance=device,
        actor=user,
        before=None,
        after={"user": user.pk, "name": device.name, "confirmed": True},
    )
    return device


@transaction.atomic
def totp_device_reset(*, actor: Any, user: User) -> int:
    """An administrator removes a person's authenticator (lost phone); they enrol again at next sign-in."""
    require(actor, "accounts.change_user", user)
    devices = list(TOTPDevice.objects.filter(user=user))
    for device in devices:
        before = {"user": user.pk, "name": device.name, "confirmed": device.confirmed}
        pk = device.pk
        device.delete()
        audit.record(
            action=ObjectChange.Action.DELETE, instance=device, actor=actor, before=before, after=None, object_id=pk
        )
    return len(devices)


# --- lockout ---------------------------------------------------------------------------------------


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> int:
    """Release a sign-in lockout before its cool-off ends."""
    from axes.utils import reset

    require(actor, "accounts.change_user", user)
    count = reset(username=user.username)
    audit.record(
        action=ObjectChange.Action.UPDATE,
        instance=user,
        actor=actor,
        before={"locked_out": True},
        after={"locked_out": False},
    )
    return count


# --- API tokens ------------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, user: User) -> Token:
    """Issue (or re-issue) the person's own API token; the old one stops working."""
    had_token = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    audit.record(
        action=ObjectChange.Action.UPDATE,
        instance=user,
        actor=user,
        before={"api_token": "issued" if had_token else "none"},
        after={"api_token": "re-issued" if had_token else "issued"},
    )
    return token


@transaction.atomic
def token_revoke(*, user: User) -> bool:
    deleted, _details = Token.objects.filter(user=user).delete()
    if deleted:
        audit.record(
            action=ObjectChange.Action.UPDATE,
            instance=user,
            actor=user,
            before={"api_token": "issued"},
            after={"api_token": "revoked"},
        )
    return bool(deleted)
