"""Record classification (độ mật) and the deployment profile (DESIGN.md §3, DOMAIN.md §2.1)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.IntegerChoices):
    NONE = 0, _("Unclassified")
    MAT = 1, _("Confidential (Mật)")
    TOI_MAT = 2, _("Secret (Tối mật)")
    TUYET_MAT = 3, _("Top secret (Tuyệt mật)")


CLASSIFICATION_COLOURS = {0: "secondary", 1: "warning", 2: "orange", 3: "danger"}


class ClassifiedModel(models.Model):
    """Every classifiable record carries its level, who classified it, when, until when, and the basis."""

    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.NONE, db_index=True
    )
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("classified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    classified_on = models.DateField(_("classified on"), null=True, blank=True, editable=False)
    protected_until = models.DateField(_("protected until"), null=True, blank=True)
    classification_basis = models.CharField(
        _("classification basis"),
        max_length=255,
        blank=True,
        help_text=_("The item of the list of state secrets under which the record is classified."),
    )

    class Meta:
        abstract = True

    @property
    def is_classified(self) -> bool:
        return self.classification > Classification.NONE

    def clean(self) -> None:
        super().clean()
        if self.classification > Classification.NONE and not self.classification_basis:
            raise ValidationError(
                {
                    "classification_basis": _(
                        "A classified record must name the item of the secrets list it falls under."
                    )
                }
            )
        if self.classification == Classification.NONE and self.protected_until:
            raise ValidationError({"protected_until": _("Only a classified record has a protection period.")})


def profile() -> str:
    return settings.CNAN_PROFILE


def check_allowed(level: int) -> None:
    """Refuse, with a message in the user's language, a level the deployment profile may not hold."""
    if level > Classification.NONE and profile() != "isolated":
        raise ValidationError(
            {
                "classification": _(
                    "This system runs under the unclassified profile: records marked %(level)s or higher cannot "
                    "be saved here. Classified information may only be kept on the isolated-network deployment."
                )
                % {"level": Classification.MAT.label}
            }
        )


def user_clearance(user) -> int:
    return int(getattr(user, "clearance", Classification.NONE) or 0) if user is not None else 0
