"""Writes on the catalogue. Each service checks the permission, validates, saves, audits (through core) and
keeps the stored rollup current: a change to a product's price or origin or to a BOM line updates that
product and every product containing it (``rollup.propagate``), in the same transaction."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cnan.core.models import Job
from cnan.core.permissions import require
from cnan.core.services import job_create, object_create, object_delete, object_update

from . import rollup
from .models import (
    BOMLine,
    BOMRevision,
    CatalogueEdition,
    CatalogueEntry,
    Product,
    unit_factor,
)

CLASSIFICATION_FIELDS = ("classification", "protected_until", "classification_basis")
PRODUCT_FIELDS = (
    "organization",
    "code",
    "name",
    "name_en",
    "product_class",
    "group",
    "use",
    "exclusive",
    "strategic_technology",
    "lifecycle",
    "trl",
    "sourcing",
    "supplier",
    "origin_country",
    "unit",
    "price",
    "standards",
    "description",
    *CLASSIFICATION_FIELDS,
)
ROLLUP_INPUTS = ("price", "origin_country")
LINE_FIELDS = (
    "component",
    "position",
    "quantity",
    "unit",
    "scrap_percent",
    "optional",
    "substitute_for",
    "reference",
    "note",
)
EDITION_FIELDS = ("organization", "code", "title", "decision_number", "decision_date", "note")
CHANGE_BOM = "catalogue.change_product"


def _pick(data: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {name: data[name] for name in fields if name in data}


# --- products --------------------------------------------------------------------------------------


@transaction.atomic
def product_create(*, actor: Any, data: dict[str, Any]) -> Product:
    product = object_create(actor=actor, instance=Product(**_pick(data, PRODUCT_FIELDS)))
    rollup.propagate([product.pk])
    return product


@transaction.atomic
def product_update(*, actor: Any, instance: Product, data: dict[str, Any]) -> Product:
    old_unit = Product.objects.filter(pk=instance.pk).values_list("unit", flat=True).first()
    product, changed = object_update(actor=actor, instance=instance, data=data, fields=PRODUCT_FIELDS)
    if changed and product.unit != old_unit:
        _reconvert_lines(product)
    if changed:
        rollup.propagate([product.pk])
    return product


def _reconvert_lines(component: Product) -> None:
    """A component's unit changed: the lines that use it must still convert; their effective quantities follow."""
    lines = list(BOMLine.objects.filter(component=component).select_related("parent", "revision"))
    stuck = sorted({f"{line.parent.code}" for line in lines if unit_factor(line.unit, component.unit) is None})
    if stuck:
        raise ValidationError(
            {
                "unit": _(
                    "The unit cannot change to one the bills of materials that use this product do not convert to: "
                    "%(products)s."
                )
                % {"products": ", ".join(stuck[:10])}
            }
        )
    for line in lines:
        line.component = component
        BOMLine.objects.filter(pk=line.pk).update(effective_quantity=line.compute_effective_quantity())


@transaction.atomic
def product_delete(*, actor: Any, instance: Product) -> None:
    Product.objects.filter(pk=instance.pk).update(current_revision=None)
    object_delete(actor=actor, instance=instance)


# --- revisions -------------------------------------------------------------------------------------


@transaction.atomic
def revision_create(
    *, actor: Any, product: Product, note: str = "", copy_from: BOMRevision | None = None, empty: bool = False
) -> BOMRevision:
    """Start a new revision of ``product``'s BOM, copying the lines of ``copy_from`` (default: the current
    revision; none when ``empty``); it becomes the current revision."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    require(actor, CHANGE_BOM, product)
    source = None if empty else (copy_from or product.current_revision)
    if source is not None and source.product_id != product.pk:
        raise ValidationError(_("A revision can only be copied from the same product."))
    number = (product.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = object_create(
        actor=actor, instance=BOMRevision(product=product, number=number, note=note), perm=CHANGE_BOM
    )
    object_update(
        actor=actor,
        instance=product,
        data={"current_revision": revision},
        fields=("current_revision",),
        perm=CHANGE_BOM,
    )
    if source is not None:
        mapping: dict[int, BOMLine] = {}
        for line in source.lines.select_related("component").order_by("substitute_for_id", "position", "id"):
            if line.substitute_for_id is None:
                check_no_cycle(product, line.component)
            copy = BOMLine(
                revision=revision,
                parent=product,
                component=line.component,
                position=line.position,
                quantity=line.quantity,
                unit=line.unit,
                scrap_percent=line.scrap_percent,
                optional=line.optional,
                substitute_for=mapping.get(line.substitute_for_id) if line.substitute_for_id else None,
                reference=line.reference,
                note=line.note,
            )
            copy.effective_quantity = copy.compute_effective_quantity()
            mapping[line.pk] = object_create(actor=actor, instance=copy, perm=CHANGE_BOM)
    rollup.propagate([product.pk])
    product.current_revision = revision
    return revision


@transaction.atomic
def revision_freeze(*, actor: Any, revision: BOMRevision) -> BOMRevision:
    """Freeze a revision as a baseline: its lines never change again."""
    if revision.is_frozen:
        raise ValidationError(_("Revision %(number)s is already frozen.") % {"number": revision.number})
    require(actor, CHANGE_BOM, revision.product)
    revision, _changed = object_update(
        actor=actor,
        instance=revision,
        data={"frozen_at": timezone.now(), "frozen_by": actor},
        fields=("frozen_at", "frozen_by"),
        perm=CHANGE_BOM,
    )
    return revision


# --- BOM lines -------------------------------------------------------------------------------------


def _editable_revision(actor: Any, revision: BOMRevision) -> BOMRevision:
    revision = BOMRevision.objects.select_related("product").get(pk=revision.pk)
    require(actor, CHANGE_BOM, revision.product)
    if revision.is_frozen:
        raise ValidationError(
            _("Revision %(number)s is frozen (a baseline): start a new revision to change the bill of materials.")
            % {"number": revision.number}
        )
    if revision.product.current_revision_id != revision.pk:
        raise ValidationError(
            _("Only the current revision of a bill of materials can be changed; start a new revision from this one.")
        )
    return revision


def _descendant_edges(start: int) -> dict[int, list[int]]:
    """Every line (parent → components) below ``start`` in the current revisions: one query."""
    alias = router.db_for_read(BOMLine)
    sql = (
        f"WITH RECURSIVE down(id) AS (SELECT CAST(%s AS BIGINT) UNION SELECT l.component_id FROM {rollup.L} l "
        f"JOIN {rollup.P} p ON p.current_revision_id = l.revision_id JOIN down ON l.parent_id = down.id) "
        f"SELECT l.parent_id, l.component_id FROM {rollup.L} l "
        f"JOIN {rollup.P} p ON p.current_revision_id = l.revision_id WHERE l.parent_id IN (SELECT id FROM down)"
    )
    graph: dict[int, list[int]] = {}
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [start])
        for parent, component in cursor.fetchall():
            graph.setdefault(parent, []).append(component)
    return graph


def find_loop(parent: Product, component: Product) -> list[int] | None:
    """The products of the loop that a line ``parent`` ← ``component`` would close, or None."""
    if parent.pk == component.pk:
        return [parent.pk, parent.pk]
    graph = _descendant_edges(component.pk)
    # Breadth-first from the component: the shortest way back to the parent names the loop.
    previous: dict[int, int | None] = {component.pk: None}
    queue = deque([component.pk])
    while queue:
        node = queue.popleft()
        for child in graph.get(node, ()):
            if child in previous:
                continue
            previous[child] = node
            if child == parent.pk:
                path = [child]
                step: int | None = node
                while step is not None:
                    path.append(step)
                    step = previous[step]
                path.reverse()  # component → … → parent
                return [parent.pk, *path]
            queue.append(child)
    return None


def check_no_cycle(parent: Product, component: Product) -> None:
    loop = find_loop(parent, component)
    if loop is None:
        return
    if len(loop) == 2:
        raise ValidationError({"component": _("%(code)s cannot be a component of itself.") % {"code": parent.code}})
    codes = dict(Product.objects.filter(pk__in=set(loop)).values_list("pk", "code"))
    raise ValidationError(
        {
            "component": _("This line would make the bill of materials loop back on itself: %(loop)s.")
            % {"loop": " → ".join(codes[pk] for pk in loop)}
        }
    )


def _prepare_line(line: BOMLine) -> None:
    line.parent = line.revision.product
    if line.component_id:
        check_no_cycle(line.parent, line.component)
        # Validated once, by ``object_create`` (a full clean costs a query per constraint and reference);
        # an invalid quantity or scrap allowance is reported there, not by this computation.
        if line.quantity is not None and line.scrap_percent is not None:
            line.effective_quantity = line.compute_effective_quantity()


@transaction.atomic
def bomline_create(*, actor: Any, revision: BOMRevision, data: dict[str, Any]) -> BOMLine:
    revision = _editable_revision(actor, revision)
    line = BOMLine(revision=revision, parent=revision.product, **_pick(data, LINE_FIELDS))
    if line.unit in (None, "") and line.component_id:
        line.unit = line.component.unit
    _prepare_line(line)
    line = object_create(actor=actor, instance=line, perm=CHANGE_BOM)
    rollup.propagate([revision.product_id])
    return line


@transaction.atomic
def bomline_update(*, actor: Any, instance: BOMLine, data: dict[str, Any]) -> BOMLine:
    _editable_revision(actor, instance.revision)
    if "component" in data and getattr(data["component"], "pk", data["component"]) != instance.component_id:
        component = (
            data["component"] if isinstance(data["component"], Product) else Product.objects.get(pk=data["component"])
        )
        check_no_cycle(instance.revision.product, component)
    line, changed = object_update(actor=actor, instance=instance, data=data, fields=LINE_FIELDS, perm=CHANGE_BOM)
    if changed:
        effective = line.compute_effective_quantity()
        if effective != line.effective_quantity:
            BOMLine.objects.filter(pk=line.pk).update(effective_quantity=effective)
            line.effective_quantity = effective
        rollup.propagate([line.parent_id])
    return line


@transaction.atomic
def bomline_delete(*, actor: Any, instance: BOMLine) -> None:
    _editable_revision(actor, instance.revision)
    parent_id = instance.parent_id
    object_delete(actor=actor, instance=instance, perm=CHANGE_BOM)
    rollup.propagate([parent_id])


# --- what-if ---------------------------------------------------------------------------------------


@transaction.atomic
def whatif_apply(
    *,
    actor: Any,
    prices: dict[Product, Decimal] | None = None,
    origins: dict[Product, str] | None = None,
    replacements: Iterable[tuple[Product, Product, Product | None]] = (),
) -> int:
    """Commit a what-if: new prices and origins through ``product_update``; each replacement of a component
    by another in the current BOM revisions that use it (a frozen revision gets a new revision first).
    All or nothing. Returns the number of BOM lines changed."""
    for product, price in (prices or {}).items():
        product_update(actor=actor, instance=product, data={"price": price})
    for product, origin in (origins or {}).items():
        product_update(actor=actor, instance=product, data={"origin_country": origin})
    changed = 0
    for old, new, only in replacements:
        if unit_factor(old.unit, new.unit) is None:
            raise ValidationError(
                _("%(old)s (%(old_unit)s) cannot be replaced by %(new)s (%(new_unit)s): the units do not convert.")
                % {"old": old.code, "old_unit": old.unit, "new": new.code, "new_unit": new.unit}
            )
        lines = BOMLine.objects.filter(component=old, revision__product__current_revision=F("revision"))
        if only is not None:
            lines = lines.filter(parent=only)
        for parent_id in sorted(set(lines.values_list("parent_id", flat=True))):
            parent = Product.objects.select_related("current_revision").get(pk=parent_id)
            revision = parent.current_revision
            if revision is None:
                continue
            if revision.is_frozen:
                revision = revision_create(
                    actor=actor,
                    product=parent,
                    note=_("Replaces %(old)s by %(new)s") % {"old": old.code, "new": new.code},
                )
            for line in list(revision.lines.filter(component=old)):
                data = {"component": new, "unit": line.unit if unit_factor(line.unit, new.unit) else new.unit}
                bomline_update(actor=actor, instance=line, data=data)
                changed += 1
    return changed


# --- full recompute --------------------------------------------------------------------------------


def rollup_recompute_start(*, actor: Any) -> Job:
    """Queue a full recompute of every product's figures as a job with progress."""
    require(actor, "catalogue.change_productrollup")
    from .tasks import rollup_recompute

    job = job_create(
        owner=actor,
        kind="rollup",
        title=_("Recompute the localisation rate of the whole catalogue"),
        params={"language": get_language()},
    )
    transaction.on_commit(lambda: rollup_recompute.enqueue(str(job.pk)))
    return job


# --- editions of the product list --------------------------------------------------------------------


@transaction.atomic
def edition_create(*, actor: Any, data: dict[str, Any]) -> CatalogueEdition:
    return object_create(actor=actor, instance=CatalogueEdition(**_pick(data, EDITION_FIELDS)))


@transaction.atomic
def edition_update(*, actor: Any, instance: CatalogueEdition, data: dict[str, Any]) -> CatalogueEdition:
    if instance.is_published:
        raise ValidationError(_("A published edition cannot change."))
    edition, _changed = object_update(actor=actor, instance=instance, data=data, fields=EDITION_FIELDS)
    return edition


@transaction.atomic
def edition_delete(*, actor: Any, instance: CatalogueEdition) -> None:
    if instance.is_published:
        raise ValidationError(_("A published edition cannot be deleted."))
    for entry in list(instance.entries.all()):
        object_delete(actor=actor, instance=entry, perm="catalogue.change_catalogueedition")
    object_delete(actor=actor, instance=instance)


@transaction.atomic
def edition_set_products(*, actor: Any, edition: CatalogueEdition, products: Iterable[Product]) -> int:
    """Make the draft edition list exactly ``products``. Returns how many entries changed."""
    edition = CatalogueEdition.objects.select_for_update().get(pk=edition.pk)
    require(actor, "catalogue.change_catalogueedition", edition)
    if edition.is_published:
        raise ValidationError(_("A published edition cannot change."))
    wanted = {p.pk: p for p in products}
    current = {e.product_id: e for e in edition.entries.all()}
    changed = 0
    for pid, entry in current.items():
        if pid not in wanted:
            object_delete(actor=actor, instance=entry, perm="catalogue.change_catalogueedition")
            changed += 1
    for pid, product in wanted.items():
        if pid not in current:
            object_create(
                actor=actor,
                instance=CatalogueEntry(edition=edition, product=product),
                perm="catalogue.change_catalogueedition",
            )
            changed += 1
    return changed


@transaction.atomic
def edition_publish(*, actor: Any, edition: CatalogueEdition) -> CatalogueEdition:
    """Publish the edition: each entry keeps the product's class, use, lifecycle, exclusivity and rate of today."""
    edition = CatalogueEdition.objects.select_for_update().get(pk=edition.pk)
    require(actor, "catalogue.change_catalogueedition", edition)
    if edition.is_published:
        raise ValidationError(_("This edition is already published."))
    if not edition.entries.exists():
        raise ValidationError(_("An edition without products cannot be published."))
    for entry in edition.entries.select_related("product__rollup"):
        product = entry.product
        rate = getattr(getattr(product, "rollup", None), "localisation_rate", None)
        object_update(
            actor=actor,
            instance=entry,
            data={
                "product_class": product.product_class,
                "use": product.use,
                "lifecycle": product.lifecycle,
                "exclusive": product.exclusive,
                "localisation_rate": rate,
            },
            fields=("product_class", "use", "lifecycle", "exclusive", "localisation_rate"),
            perm="catalogue.change_catalogueedition",
        )
    edition, _changed = object_update(
        actor=actor, instance=edition, data={"published_at": timezone.now()}, fields=("published_at",)
    )
    return edition
