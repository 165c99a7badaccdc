"""State machines of records that move through a procedure (DESIGN.md §3, "Workflows").

One small helper for every app: a :class:`Workflow` lists the allowed transitions, each with the
permission that may make it and the guards that must hold; :meth:`Workflow.apply` checks them, moves the
record's state field through the audited ``object_update`` and writes a typed event row (who, when,
from, to, comment, decision number) in the app's own event model. A refused transition raises
``PermissionDenied`` or ``ValidationError`` with a message in the user's language and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from .permissions import has_perm, require
from .services import object_create, object_update

# (actor, instance) -> None if it may, else the reason; a guard about who may act raises PermissionDenied.
Guard = Callable[[Any, Any], str | None]


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    sources: tuple[str, ...]
    target: str
    perm: str
    guards: tuple[Guard, ...] = ()
    requires_comment: bool = False
    requires_decision: bool = False
    # further fields of the event row that must be given (e.g. a council's members, its minutes)
    requires_event: tuple[str, ...] = ()


@dataclass
class Workflow:
    """``state_field`` on the record; ``event_model`` has ``<event_fk>``, ``transition``, ``from_state``,
    ``to_state``, ``actor``, ``comment`` and ``decision_number`` fields."""

    state_field: str
    event_model: type[models.Model]
    event_fk: str
    transitions: Iterable[Transition]
    _by_name: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        self._by_name = {t.name: t for t in self.transitions}

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError as exc:
            raise ValidationError(_("Unknown action %(name)s.") % {"name": name}) from exc

    def refusal(self, actor: Any, instance: Any, transition: Transition) -> str | None:
        """Why ``actor`` may not make ``transition`` now (``None`` if they may)."""
        state = getattr(instance, self.state_field)
        if state not in transition.sources:
            return _("“%(action)s” is not possible while the record is “%(state)s”.") % {
                "action": transition.label,
                "state": _state_label(instance, self.state_field),
            }
        for guard in transition.guards:
            reason = guard(actor, instance)
            if reason:
                return reason
        return None

    def available(self, actor: Any, instance: Any) -> list[Transition]:
        """The transitions ``actor`` may make on ``instance`` now (for the buttons of a page)."""
        shown = []
        for t in self._by_name.values():
            if not has_perm(actor, t.perm, instance):
                continue
            try:
                if self.refusal(actor, instance, t) is None:
                    shown.append(t)
            except PermissionDenied:
                continue
        return shown

    @transaction.atomic
    def apply(
        self,
        *,
        actor: Any,
        instance: Any,
        name: str,
        comment: str = "",
        decision_number: str = "",
        data: Mapping[str, Any] | None = None,
        fields: Iterable[str] = (),
        event_data: Mapping[str, Any] | None = None,
    ) -> Any:
        """Make transition ``name``: permission, source state, guards, then the state (and ``data`` on
        ``fields``) through the audited update, and one event row (with ``event_data`` on its further
        fields, those the transition ``requires_event`` given)."""
        transition = self.get(name)
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        require(actor, transition.perm, locked)
        reason = self.refusal(actor, locked, transition)
        if reason:
            raise ValidationError(reason)
        if transition.requires_comment and not comment.strip():
            raise ValidationError({"comment": _("Say why: a comment is required for this action.")})
        if transition.requires_decision and not decision_number.strip():
            raise ValidationError({"decision_number": _("This action needs the number of its decision.")})
        event_data = dict(event_data or {})
        missing = {
            name: _("This action needs its %(field)s.")
            % {"field": getattr(self.event_model._meta.get_field(name), "verbose_name", name)}
            for name in transition.requires_event
            if not event_data.get(name) or (isinstance(event_data[name], str) and not event_data[name].strip())
        }
        if missing:
            raise ValidationError(missing)
        source = getattr(locked, self.state_field)
        updated, _changed = object_update(
            actor=actor,
            instance=locked,
            data={**(data or {}), self.state_field: transition.target},
            fields=(*fields, self.state_field),
            perm=transition.perm,
        )
        object_create(
            actor=actor,
            instance=self.event_model(
                **{
                    self.event_fk: updated,
                    "transition": transition.name,
                    "from_state": source,
                    "to_state": transition.target,
                    "actor": actor if getattr(actor, "pk", None) else None,
                    "comment": comment,
                    "decision_number": decision_number,
                    **event_data,
                }
            ),
            perm=transition.perm,
        )
        return updated


def _state_label(instance: Any, field_name: str) -> str:
    display = getattr(instance, f"get_{field_name}_display", None)
    return str(display()) if display else str(getattr(instance, field_name))
