"""The product catalogue of the security industry, its bills of materials and the localisation rate (issue #3).

A product is either made (by the enterprise that owns it, from the lines of its current BOM revision)
or purchased (from an outside supplier, with a country of origin). BOM lines form a directed acyclic
graph: a sub-assembly may be shared by many products, and a loop is refused by the services.

The rolled-up figures (unit cost, imported value, localisation rate) are stored per product in
``ProductRollup`` and kept current by ``catalogue.rollup``: reads never compute them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from django_countries.fields import CountryField

from cnan.common.models import TimestampedModel
from cnan.core.classification import ClassifiedModel
from cnan.core.querysets import RestrictedQuerySet
from cnan.organizations.models import Organization, ProductGroup

HOME_COUNTRY = "VN"


class ProductClass(models.TextChoices):
    """Classes of security-industry products (DOMAIN.md §1.3)."""

    WEAPON = "weapon", _("Weapons")
    EXPLOSIVE = "explosive", _("Explosives and precursors")
    SUPPORT_TOOL = "support_tool", _("Support tools")
    TECHNICAL_MEANS = "technical_means", _("Professional technical means")
    TECHNICAL_MATERIAL = "technical_material", _("Technical materials")
    EQUIPMENT = "equipment", _("Equipment")
    UNIFORM = "uniform", _("Uniforms and gear")
    FIRE_RESCUE = "fire_rescue", _("Fire-fighting and rescue")
    PATROL_CRAFT = "patrol_craft", _("Patrol craft")
    CYBER = "cyber", _("Cyber, data and software")
    BIOTECH = "biotech", _("Biotechnology")
    COMPONENT = "component", _("Components and parts")


class Use(models.TextChoices):
    SPECIALISED = "specialised", _("Specialised")
    DUAL_USE = "dual_use", _("Dual-use")
    CIVIL = "civil", _("Civil")


class Lifecycle(models.TextChoices):
    RESEARCH = "research", _("Research and development")
    TRIAL = "trial", _("Trial production")
    CERTIFIED = "certified", _("Tested and certified")
    SERIAL = "serial", _("Serial production")
    DISCONTINUED = "discontinued", _("Discontinued")


class Sourcing(models.TextChoices):
    MADE = "made", _("Made (from its bill of materials)")
    PURCHASED = "purchased", _("Purchased")


class Unit(models.TextChoices):
    """Units of measure. Lines in a unit of the same dimension as the component's are converted."""

    PIECE = "piece", _("piece")
    ITEM = "item", _("item")
    SET = "set", _("set")
    PAIR = "pair", _("pair")
    BOX = "box", _("box")
    ROLL = "roll", _("roll")
    SHEET = "sheet", _("sheet")
    KG = "kg", pgettext_lazy("unit", "kg")
    G = "g", pgettext_lazy("unit", "g")
    TONNE = "t", pgettext_lazy("unit", "t")
    M = "m", pgettext_lazy("unit", "m")
    CM = "cm", pgettext_lazy("unit", "cm")
    MM = "mm", pgettext_lazy("unit", "mm")
    M2 = "m2", pgettext_lazy("unit", "m²")
    L = "l", pgettext_lazy("unit", "l")
    ML = "ml", pgettext_lazy("unit", "ml")
    LICENCE = "licence", _("licence")
    HOUR = "hour", _("hour")


# unit -> (dimension, factor to the dimension's base unit). Units not listed only convert to themselves.
UNIT_DIMENSIONS: dict[str, tuple[str, Decimal]] = {
    Unit.KG: ("mass", Decimal(1)),
    Unit.G: ("mass", Decimal("0.001")),
    Unit.TONNE: ("mass", Decimal(1000)),
    Unit.M: ("length", Decimal(1)),
    Unit.CM: ("length", Decimal("0.01")),
    Unit.MM: ("length", Decimal("0.001")),
    Unit.L: ("volume", Decimal(1)),
    Unit.ML: ("volume", Decimal("0.001")),
}


def unit_factor(from_unit: str, to_unit: str) -> Decimal | None:
    """How many ``to_unit`` one ``from_unit`` is, or None when they do not convert."""
    if from_unit == to_unit:
        return Decimal(1)
    a, b = UNIT_DIMENSIONS.get(from_unit), UNIT_DIMENSIONS.get(to_unit)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]


class Product(ClassifiedModel, TimestampedModel):
    """A security-industry product, sub-assembly, part or material."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="products",
        help_text=_("The enterprise that makes the product, or the unit that registers a purchased part."),
    )
    code = models.CharField(
        _("code"),
        max_length=64,
        unique=True,
        error_messages={"unique": _("Another product already has this code.")},
    )
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    product_class = models.CharField(_("class"), max_length=32, choices=ProductClass.choices, db_index=True)
    group = models.ForeignKey(
        ProductGroup,
        verbose_name=_("product group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
    )
    use = models.CharField(_("use"), max_length=16, choices=Use.choices, default=Use.SPECIALISED)
    exclusive = models.BooleanField(
        _("exclusive (monopoly)"), default=False, help_text=_("Made only by security-industry enterprises.")
    )
    strategic_technology = models.BooleanField(_("strategic technology"), default=False)
    lifecycle = models.CharField(_("lifecycle"), max_length=16, choices=Lifecycle.choices, default=Lifecycle.SERIAL)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("1 (basic principles) to 9 (proven in operation)."),
    )
    sourcing = models.CharField(_("sourcing"), max_length=16, choices=Sourcing.choices, default=Sourcing.MADE)
    supplier = models.CharField(
        _("supplier"), max_length=255, blank=True, help_text=_("The outside supplier of a purchased part.")
    )
    origin_country = CountryField(_("country of origin"), default=HOME_COUNTRY)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.PIECE)
    price = models.DecimalField(
        _("price (VND)"),
        max_digits=18,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Unit price in đồng. For a purchased part, what is paid for one unit."),
    )
    standards = models.CharField(_("standards"), max_length=255, blank=True, help_text=_("e.g. TCVN 7699, QCVN 01"))
    description = models.TextField(_("description"), blank=True)
    current_revision = models.ForeignKey(
        "BOMRevision",
        verbose_name=_("current BOM revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    search_text = models.TextField(editable=False, default="")

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"
    search_fields = ("code", "name", "name_en", "supplier", "standards")

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="cat_product_price_not_negative"),
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | Q(trl__gte=1, trl__lte=9), name="cat_product_trl_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.display_name}"

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:product_detail", kwargs={"pk": self.pk})

    @property
    def is_imported(self) -> bool:
        return bool(self.origin_country) and str(self.origin_country) != HOME_COUNTRY

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.sourcing == Sourcing.PURCHASED and not self.supplier:
            errors["supplier"] = [_("A purchased part needs its supplier.")]
        if self.sourcing == Sourcing.MADE and self.origin_country and str(self.origin_country) != HOME_COUNTRY:
            errors["origin_country"] = [
                _(
                    "A product made by a security-industry enterprise is of Vietnamese origin; record an imported "
                    "product as purchased."
                )
            ]
        if errors:
            raise ValidationError(errors)


class BOMRevision(TimestampedModel):
    """One revision of a product's bill of materials. A frozen revision is a baseline and never changes."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "product__organization__path"

    class Meta:
        verbose_name = _("BOM revision")
        verbose_name_plural = _("BOM revisions")
        ordering = ["product", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="cat_revision_unique_number"),
        ]

    def __str__(self) -> str:
        return _("%(product)s, revision %(number)s") % {"product": self.product.code, "number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("catalogue:revision_detail", kwargs={"pk": self.pk})

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class BOMLine(TimestampedModel):
    """A component of a BOM revision: quantity in a unit, scrap allowance, optional or substitute."""

    revision = models.ForeignKey(
        BOMRevision, verbose_name=_("revision"), on_delete=models.CASCADE, related_name="lines"
    )
    parent = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="bom_lines", editable=False
    )
    component = models.ForeignKey(
        Product, verbose_name=_("component"), on_delete=models.PROTECT, related_name="used_in_lines"
    )
    position = models.PositiveIntegerField(pgettext_lazy("BOM", "position"), default=10)
    quantity = models.DecimalField(
        _("quantity"), max_digits=18, decimal_places=6, validators=[MinValueValidator(Decimal("0.000001"))]
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    scrap_percent = models.DecimalField(
        _("scrap allowance (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    optional = models.BooleanField(
        _("optional"), default=False, help_text=_("Not part of the standard configuration; left out of the rollup.")
    )
    substitute_for = models.ForeignKey(
        "self",
        verbose_name=_("substitute for"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="substitutes",
        help_text=_("An alternative to another line of the same revision; left out of the rollup."),
    )
    effective_quantity = models.FloatField(
        _("effective quantity"),
        editable=False,
        default=0,
        help_text=_("Quantity in the component's unit, scrap included (0 for optional and substitute lines)."),
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "parent__organization__path"

    class Meta:
        verbose_name = _("BOM line")
        verbose_name_plural = _("BOM lines")
        ordering = ["revision", "position", "id"]
        indexes = [
            models.Index(fields=["component", "revision"], name="cat_line_component"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cat_line_quantity_positive"),
            models.CheckConstraint(condition=~Q(parent=models.F("component")), name="cat_line_not_self"),
            models.CheckConstraint(
                condition=Q(scrap_percent__gte=0, scrap_percent__lte=100), name="cat_line_scrap_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.code} ← {self.component.code} × {self.quantity.normalize():f} {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:revision_detail", kwargs={"pk": self.revision_id}) + f"#line-{self.pk}"

    def compute_effective_quantity(self) -> float:
        if self.optional or self.substitute_for_id:
            return 0.0
        factor = unit_factor(self.unit, self.component.unit) or Decimal(1)
        return float(self.quantity * factor * (1 + self.scrap_percent / 100))

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.component_id and self.parent_id and self.component_id == self.parent_id:
            errors["component"] = [_("A product cannot be a component of itself.")]
        if self.component_id and self.unit in Unit.values and unit_factor(self.unit, self.component.unit) is None:
            errors["unit"] = [
                _("%(unit)s does not convert to %(component_unit)s, the unit of %(component)s.")
                % {
                    "unit": Unit(self.unit).label,
                    "component_unit": Unit(self.component.unit).label,
                    "component": self.component.code,
                }
            ]
        if self.substitute_for is not None and self.substitute_for.revision_id != self.revision_id:
            errors["substitute_for"] = [_("A substitute replaces a line of the same revision.")]
        if errors:
            raise ValidationError(errors)


class ProductRollup(models.Model):
    """The rolled-up figures of a product, stored and kept current by ``catalogue.rollup``."""

    product = models.OneToOneField(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, primary_key=True, related_name="rollup"
    )
    unit_cost = models.DecimalField(_("rolled-up unit cost (VND)"), max_digits=20, decimal_places=2)
    imported_value = models.DecimalField(_("imported value (VND)"), max_digits=20, decimal_places=2)
    value_basis = models.DecimalField(_("value basis (VND)"), max_digits=20, decimal_places=2)
    localisation_rate = models.DecimalField(
        _("localisation rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True, db_index=True
    )
    depth = models.PositiveSmallIntegerField(_("BOM depth"), default=0)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "product__organization__path"

    class Meta:
        verbose_name = _("product rollup")
        verbose_name_plural = _("product rollups")
        constraints = [
            models.CheckConstraint(
                condition=Q(localisation_rate__isnull=True) | Q(localisation_rate__gte=0, localisation_rate__lte=100),
                name="cat_rollup_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.product)


class RollupHistory(models.Model):
    """A product's figures each time they changed: the trend as BOMs, prices and origins change."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="rollup_history")
    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    unit_cost = models.DecimalField(_("rolled-up unit cost (VND)"), max_digits=20, decimal_places=2)
    value_basis = models.DecimalField(_("value basis (VND)"), max_digits=20, decimal_places=2)
    imported_value = models.DecimalField(_("imported value (VND)"), max_digits=20, decimal_places=2)
    localisation_rate = models.DecimalField(
        _("localisation rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "product__organization__path"

    class Meta:
        verbose_name = _("rollup history entry")
        verbose_name_plural = _("rollup history")
        ordering = ["product", "time"]
        indexes = [models.Index(fields=["product", "time"], name="cat_history_product_time")]

    def __str__(self) -> str:
        return f"{self.product_id} @ {self.time:%Y-%m-%d %H:%M}"


class CatalogueEdition(TimestampedModel):
    """A numbered edition of the product and service list of the national security-industrial complex.

    A draft edition lists products; publishing it freezes each entry's class, use, lifecycle and
    localisation rate as they were that day, so two editions can be compared.
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="catalogue_editions"
    )
    code = models.CharField(
        _("edition"),
        max_length=32,
        unique=True,
        error_messages={"unique": _("Another edition already has this number.")},
    )
    title = models.CharField(_("title"), max_length=255)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"

    class Meta:
        verbose_name = _("catalogue edition")
        verbose_name_plural = _("catalogue editions")
        ordering = ["-code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:edition_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CatalogueEntry(models.Model):
    """A product in an edition, with what it was when the edition was published."""

    edition = models.ForeignKey(CatalogueEdition, on_delete=models.CASCADE, related_name="entries")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="entries")
    product_class = models.CharField(_("class"), max_length=32, choices=ProductClass.choices, blank=True)
    use = models.CharField(_("use"), max_length=16, choices=Use.choices, blank=True)
    lifecycle = models.CharField(_("lifecycle"), max_length=16, choices=Lifecycle.choices, blank=True)
    exclusive = models.BooleanField(_("exclusive (monopoly)"), default=False)
    localisation_rate = models.DecimalField(
        _("localisation rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "edition__organization__path"

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        ordering = ["edition", "product__code"]
        constraints = [models.UniqueConstraint(fields=["edition", "product"], name="cat_entry_unique")]

    def __str__(self) -> str:
        return f"{self.edition.code}: {self.product.code}"
