"""Users, roles and memberships: who may do what, where (DESIGN.md §3)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import Permission
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cnan.common.models import TimestampedModel
from cnan.core.classification import Classification
from cnan.core.permissions import Grants, Scope
from cnan.core.permissions import has_perm as rule_has_perm
from cnan.core.querysets import RestrictedQuerySet


class UserQuerySet(RestrictedQuerySet):
    pass


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra):
        if not username:
            raise ValueError("A user needs a user name.")
        user = self.model(username=self.model.normalize_username(username), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A person who signs in. Permissions come only from memberships (no per-user grants, no superuser)."""

    class Language(models.TextChoices):
        VI = "vi", _("Vietnamese")
        EN = "en", _("English")

    username = models.CharField(
        _("user name"),
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @/./+/-/_ only."),
        error_messages={"unique": _("A user with that user name already exists.")},
    )
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    clearance = models.PositiveSmallIntegerField(
        _("clearance"),
        choices=Classification.choices,
        default=Classification.NONE,
        help_text=_("The highest classification this person may read."),
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.VI)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    scope_lookup = "memberships__organization__path"
    scope_multivalued = True
    search_fields = ("username", "full_name", "email", "position")
    audit_exclude = ("last_login",)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", kwargs={"pk": self.pk})

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.username

    # --- the rule, through the user -------------------------------------------------------------
    def active_memberships(self) -> list[Membership]:
        self.get_grants()
        return self._cnan_memberships

    def get_grants(self) -> Grants:
        """Permissions with scopes from today's memberships; computed once per request (two queries)."""
        cached = getattr(self, "_cnan_grants", None)
        if cached is not None:
            return cached
        memberships = list(
            Membership.objects.current()
            .filter(user=self)
            .select_related("organization", "role")
            .order_by("organization__path", "role__code")
        )
        role_ids = {m.role_id for m in memberships}
        rows = (
            (
                Role.permissions.through.objects.filter(role_id__in=role_ids).values_list(
                    "role_id", "permission__content_type__app_label", "permission__codename"
                )
            )
            if role_ids
            else []
        )
        perms_by_role: dict[int, list[str]] = {}
        for role_id, app_label, codename in rows:
            perms_by_role.setdefault(role_id, []).append(f"{app_label}.{codename}")
        perms: dict[str, Scope] = {}
        for m in memberships:
            scope = Scope(everywhere=True) if m.role.global_scope else Scope(paths=frozenset([m.organization.path]))
            for name in perms_by_role.get(m.role_id, ()):
                perms[name] = perms[name].merge(scope) if name in perms else scope
        self._cnan_memberships = memberships
        self._cnan_grants = Grants(perms=perms, role_codes=frozenset(m.role.code for m in memberships))
        return self._cnan_grants

    def forget_grants(self) -> None:
        for attr in ("_cnan_grants", "_cnan_memberships"):
            if hasattr(self, attr):
                delattr(self, attr)

    def has_perm(self, perm: str, obj=None) -> bool:
        return self.is_active and rule_has_perm(self, perm, obj)

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(p, obj) for p in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return any(p.startswith(app_label + ".") for p in self.get_grants().perms)

    @property
    def requires_second_factor(self) -> bool:
        from django.conf import settings

        if settings.CNAN_MFA_FOR_EVERYONE:
            return True
        return any(m.role.mfa_required for m in self.active_memberships())

    @property
    def primary_membership(self) -> Membership | None:
        memberships = self.active_memberships()
        return memberships[0] if memberships else None


class Role(TimestampedModel):
    """A set of permission codenames, applied either to the membership's subtree or everywhere."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    permissions = models.ManyToManyField(Permission, verbose_name=_("permissions"), blank=True, related_name="+")
    global_scope = models.BooleanField(
        _("applies everywhere"),
        default=False,
        help_text=_("Ministry-level roles apply to every organisation; others to the membership's subtree."),
    )
    mfa_required = models.BooleanField(_("two-factor sign-in required"), default=False)
    is_builtin = models.BooleanField(_("built in"), default=False, editable=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        from .roles import display_name

        return display_name(self)


class MembershipQuerySet(RestrictedQuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Membership(TimestampedModel):
    """A user holds a role in an organisation; the role covers that organisation's subtree."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="memberships")
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = MembershipQuerySet.as_manager()
    scope_lookup = "organization__path"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="accounts_membership_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="accounts_membership_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} @ {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", kwargs={"pk": self.user_id})

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})
