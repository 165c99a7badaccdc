"""The registry of the security industry (issue #2, DOMAIN.md §1.1).

One tree of organisations, from the Ministry down to production facilities' owners, plus outside
partners under their own root. Enterprises are organisations of kind ``enterprise`` carrying their
legal details; ``Enterprise`` is a proxy for their pages and API.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_countries.fields import CountryField
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from cnan.common.models import TimestampedModel
from cnan.core.classification import ClassifiedModel
from cnan.core.querysets import RestrictedQuerySet

from .provinces import Province
from .validators import validate_tax_code


class ProductGroup(TimestampedModel):
    """A group of security-industry products (DOMAIN.md §1.3); the focus groups of Art. 45a.2.a are flagged."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    is_focus_group = models.BooleanField(
        _("focus group of the complex"),
        default=False,
        help_text=_("One of the focus product groups of the national security-industrial complex (Art. 45a)."),
    )
    ordering = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = RestrictedQuerySet.as_manager()
    reference_data = True
    scope_lookup = None

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class OrganizationQuerySet(RestrictedQuerySet, MP_NodeQuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def enterprises(self):
        return self.filter(kind=Organization.Kind.ENTERPRISE)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):  # type: ignore[misc]
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(ClassifiedModel, TimestampedModel, MP_Node):
    """A unit of the tree: the Ministry, departments, institutes, schools, police units, enterprises,
    testing centres, steering committees, and outside partners (domestic or foreign)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        DEPARTMENT = "department", _("Department")
        INSTITUTE = "institute", _("Research institute")
        ACADEMY = "academy", _("Academy or school")
        PROVINCIAL_POLICE = "provincial_police", _("Provincial police")
        OPERATIONAL_UNIT = "operational_unit", _("Operational unit")
        ENTERPRISE = "enterprise", _("Security enterprise")
        TESTING_CENTRE = "testing_centre", _("Testing centre")
        STEERING_COMMITTEE = "steering_committee", _("Steering committee")
        PARTNER = "partner", _("Outside partner")
        GROUP = "group", _("Grouping")

    class LegalForm(models.TextChoices):
        STATE_LLC = "state_llc", _("Single-member LLC, 100% state capital")
        JSC_STATE = "jsc_state", _("Joint-stock company with state capital")
        JSC = "jsc", _("Joint-stock company")
        LLC = "llc", _("Limited liability company")
        PUBLIC_SERVICE = "public_service", _("Public service unit")
        INSTITUTE = "institute", _("Science and technology organisation")
        FOREIGN = "foreign", _("Foreign company")

    steplen = 4
    node_order_by: list[str] = []

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("The code used in document symbols, e.g. H08 (letters, digits, dashes)."),
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9\-\.]*$", _("Use letters, digits, dots and dashes only."))],
        error_messages={"unique": _("Another organisation already has this code.")},
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        editable=False,
    )
    province = models.CharField(_("province"), max_length=32, choices=Province.choices, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    country = CountryField(_("country"), default="VN")
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    valid_from = models.DateField(_("established on"), null=True, blank=True)
    valid_to = models.DateField(_("dissolved on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    # Enterprise details (kind = enterprise)
    legal_form = models.CharField(_("legal form"), max_length=32, choices=LegalForm.choices, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True, validators=[validate_tax_code])
    charter_capital = models.DecimalField(
        _("charter capital (VND)"),
        max_digits=20,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    state_ownership = models.DecimalField(
        _("state ownership (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    parent_corporation = models.ForeignKey(
        "self",
        verbose_name=_("parent corporation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
        limit_choices_to={"kind": "enterprise"},
    )
    product_groups = models.ManyToManyField(
        ProductGroup, verbose_name=_("product groups"), blank=True, related_name="organizations"
    )
    search_text = models.TextField(editable=False, default="")

    objects = OrganizationManager()
    scope_lookup = "path"
    search_fields = ("code", "name", "short_name", "name_en", "tax_code", "address", "province_label")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="org_tax_code_unique",
                violation_error_message=_("Another organisation already has this tax code."),
            ),
            models.CheckConstraint(
                condition=Q(state_ownership__isnull=True) | (Q(state_ownership__gte=0) & Q(state_ownership__lte=100)),
                name="org_state_ownership_range",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="org_valid_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.ENTERPRISE:
            return reverse("organizations:enterprise_detail", kwargs={"pk": self.pk})
        return reverse("organizations:organization_detail", kwargs={"pk": self.pk})

    @property
    def audit_organization_id(self) -> int | None:
        return self.pk

    def get_scope_paths(self) -> list[str]:
        # A node not yet placed in the tree is judged by where it is going.
        if self.path:
            return [self.path]
        return [self.parent.path] if self.parent_id and self.parent else []

    @property
    def province_label(self) -> str:
        return self.get_province_display() if self.province else ""

    @property
    def is_enterprise(self) -> bool:
        return self.kind == self.Kind.ENTERPRISE

    @property
    def is_domestic(self) -> bool:
        return str(self.country) == "VN"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.kind == self.Kind.ENTERPRISE:
            if not self.legal_form:
                errors.setdefault("legal_form", []).append(_("An enterprise needs its legal form."))
            if not self.tax_code and self.is_domestic:
                errors.setdefault("tax_code", []).append(_("A domestic enterprise needs its tax code."))
            if self.legal_form == self.LegalForm.STATE_LLC and self.state_ownership not in (None, 100):
                errors.setdefault("state_ownership", []).append(
                    _("A single-member LLC with 100% state capital has 100% state ownership.")
                )
        else:
            details = {
                "legal_form": self.legal_form,
                "tax_code": self.tax_code,
                "charter_capital": self.charter_capital,
                "state_ownership": self.state_ownership,
                "parent_corporation": self.parent_corporation_id,
            }
            for name, value in details.items():
                if value not in (None, ""):
                    errors.setdefault(name, []).append(_("Only an enterprise has this detail."))
        if self.parent_corporation_id and self.parent_corporation_id == self.pk:
            errors.setdefault("parent_corporation", []).append(_("An enterprise cannot be its own parent corporation."))
        if self.parent_corporation_id and self.parent_corporation and not self.parent_corporation.is_enterprise:
            errors.setdefault("parent_corporation", []).append(_("The parent corporation must be an enterprise."))
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors.setdefault("valid_to", []).append(_("The dissolution date cannot be before the establishment date."))
        if errors:
            raise ValidationError(errors)


class Enterprise(Organization):
    """Security enterprises: the organisations that file state-enterprise reports.

    The manager is not filtered (treebeard resolves tree methods through it); read enterprises with
    ``Enterprise.objects.enterprises()``, as the selectors do."""

    objects = OrganizationManager()  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["path"]


class IndustrialPark(ClassifiedModel, TimestampedModel):
    """A security industrial park (e.g. Lại Yên, Hoài Đức, Hà Nội)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        OPERATING = "operating", _("Operating")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        Organization, verbose_name=_("managing unit"), on_delete=models.PROTECT, related_name="managed_parks"
    )
    code = models.CharField(
        _("code"), max_length=32, unique=True, error_messages={"unique": _("Another park already has this code.")}
    )
    name = models.CharField(_("name"), max_length=255)
    province = models.CharField(_("province"), max_length=32, choices=Province.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    area_ha = models.DecimalField(
        _("area (ha)"), max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    approval_decision = models.CharField(_("approving decision"), max_length=100, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices, default=Status.PLANNED)
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"
    search_fields = ("code", "name", "address", "approval_decision")

    class Meta:
        verbose_name = _("security industrial park")
        verbose_name_plural = _("security industrial parks")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:industrialpark_detail", kwargs={"pk": self.pk})


class ParkPhase(TimestampedModel):
    """A phase of a park's construction (phase I inaugurated, phase II under construction …)."""

    park = models.ForeignKey(IndustrialPark, verbose_name=_("park"), on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=100)
    area_ha = models.DecimalField(
        _("area (ha)"), max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        _("status"), max_length=32, choices=IndustrialPark.Status.choices, default=IndustrialPark.Status.PLANNED
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("inaugurated on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "park__organization__path"

    class Meta:
        verbose_name = _("park phase")
        verbose_name_plural = _("park phases")
        ordering = ["park", "started_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "name"],
                name="org_parkphase_unique_name",
                violation_error_message=_("This park already has a phase with this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} — {self.name}"

    def get_absolute_url(self) -> str:
        return self.park.get_absolute_url()

    @property
    def audit_organization_id(self) -> int | None:
        return self.park.organization_id

    @property
    def audit_classification(self) -> int:
        """A phase is as secret as its park: its change records carry the park's classification."""
        return self.park.classification

    def clean(self) -> None:
        super().clean()
        if self.started_on and self.completed_on and self.completed_on < self.started_on:
            raise ValidationError({"completed_on": _("A phase cannot end before it starts.")})


class Facility(ClassifiedModel, TimestampedModel):
    """A security-industry production facility (cơ sở công nghiệp an ninh), core or other."""

    class Kind(models.TextChoices):
        CORE = "core", _("Core facility")
        OTHER = "other", _("Other participating facility")

    organization = models.ForeignKey(
        Organization, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="facilities"
    )
    code = models.CharField(
        _("code"), max_length=32, unique=True, error_messages={"unique": _("Another facility already has this code.")}
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    decision_number = models.CharField(_("establishing decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    province = models.CharField(_("province"), max_length=32, choices=Province.choices)
    address = models.CharField(_("site address"), max_length=255, blank=True)
    park = models.ForeignKey(
        IndustrialPark,
        verbose_name=_("industrial park"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
    )
    capabilities = models.TextField(_("capabilities"), blank=True)
    capacity = models.TextField(
        _("capacity"), blank=True, help_text=_("Yearly output by product line, e.g. '20,000 helmets/year'.")
    )
    product_groups = models.ManyToManyField(
        ProductGroup, verbose_name=_("product groups"), blank=True, related_name="facilities"
    )
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("recognition withdrawn on"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"
    search_fields = ("code", "name", "address", "decision_number", "capabilities")

    class Meta:
        verbose_name = _("production facility")
        verbose_name_plural = _("production facilities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(recognised_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("recognised_on")),
                name="org_facility_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:facility_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None or self.withdrawn_on > timezone.localdate()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.kind == self.Kind.CORE and not (self.decision_number and self.decision_date):
            # DOMAIN.md §2.6 rule 19: a core facility exists by a Minister's establishing or approving decision.
            errors["decision_number"] = [
                _("A core facility needs the number and date of the Minister's establishing or approving decision.")
            ]
        if self.withdrawn_on and self.recognised_on and self.withdrawn_on < self.recognised_on:
            errors["withdrawn_on"] = [_("Recognition cannot be withdrawn before it was given.")]
        if errors:
            raise ValidationError(errors)


class ComplexMembershipQuerySet(RestrictedQuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(Q(admitted_on__lte=day), Q(left_on__isnull=True) | Q(left_on__gt=day))


class ComplexMembership(TimestampedModel):
    """Membership of the national security-industrial complex (Art. 45a–45d, Decree 60/2026)."""

    class Role(models.TextChoices):
        NUCLEUS = "nucleus", _("Nucleus")
        MEMBER = "member", _("Member")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="complex_memberships"
    )
    role = models.CharField(_("role in the complex"), max_length=16, choices=Role.choices)
    admitted_on = models.DateField(_("admitted on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ComplexMembershipQuerySet.as_manager()
    scope_lookup = "organization__path"

    class Meta:
        verbose_name = _("complex membership")
        verbose_name_plural = _("complex memberships")
        ordering = ["-admitted_on", "organization__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(left_on__isnull=True),
                name="org_complex_one_open_membership",
                violation_error_message=_("This organisation is already a member of the complex."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("admitted_on")), name="org_complex_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name} — {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("organizations:complexmembership_detail", kwargs={"pk": self.pk})

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.admitted_on <= today and (self.left_on is None or self.left_on > today)

    def clean(self) -> None:
        super().clean()
        if self.left_on and self.admitted_on and self.left_on < self.admitted_on:
            raise ValidationError({"left_on": _("An organisation cannot leave before it was admitted.")})


class RestructuringEvent(ClassifiedModel, TimestampedModel):
    """A reorganisation of enterprises (merge, split, corporation by product group, equitisation, divestment)."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merger")
        SPLIT = "split", _("Split")
        FORM_CORPORATION = "form_corporation", _("Formation of a corporation by product group")
        EQUITISE = "equitise", _("Equitisation")
        DIVEST = "divest", _("Divestment")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="restructuring_events",
        help_text=_("The organisation the event is about (the one formed, or the one equitised)."),
    )
    title = models.CharField(_("title"), max_length=255)
    decision_number = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    decision_issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    effective_on = models.DateField(_("effective on"))
    product_group = models.ForeignKey(
        ProductGroup, verbose_name=_("product group"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sources = models.ManyToManyField(
        Organization, verbose_name=_("organisations before"), blank=True, related_name="restructured_from"
    )
    results = models.ManyToManyField(
        Organization, verbose_name=_("organisations after"), blank=True, related_name="restructured_into"
    )
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"
    search_fields = ("title", "decision_number", "description")

    class Meta:
        verbose_name = _("restructuring event")
        verbose_name_plural = _("restructuring events")
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__gte=models.F("decision_date")), name="org_restructuring_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("organizations:restructuringevent_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.effective_on and self.decision_date and self.effective_on < self.decision_date:
            errors["effective_on"] = [_("An event cannot take effect before its decision.")]
        if self.kind == self.Kind.FORM_CORPORATION and not self.product_group_id:
            errors["product_group"] = [_("A corporation is formed around a product group: choose it.")]
        if errors:
            raise ValidationError(errors)
