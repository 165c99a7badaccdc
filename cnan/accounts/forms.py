from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from cnan.common.forms import PortalForm, PortalFormMixin, PortalModelForm
from cnan.core.permissions import scope_q

from .models import Membership, Role, User


class LoginForm(PortalFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is wrong. After several failures the account is locked for a while."
        ),
        "inactive": _("This account is disabled."),
    }


class PortalPasswordChangeForm(PortalFormMixin, PasswordChangeForm):
    pass


class TokenForm(PortalForm):
    token = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={"invalid": _("Enter the six digits shown by your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class UserForm(PortalModelForm):
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone", "position", "clearance", "language", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["password1"]
            del self.fields["password2"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "password1" in self.fields:
            p1, p2 = data.get("password1"), data.get("password2")
            if p1 != p2:
                self.add_error("password2", _("The two passwords differ."))
        return data


class SetPasswordForm(PortalForm):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class MembershipForm(PortalModelForm):
    class Meta:
        model = Membership
        fields = ["organization", "role", "valid_from", "valid_to", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only organisations where the actor may grant memberships (the FK's own queryset, no import upward).
        where = scope_q(self.user, "accounts.add_membership", "path")
        orgs = self.fields["organization"].queryset
        self.fields["organization"].queryset = orgs.none() if where is None else orgs.filter(where).order_by("path")
        self.fields["role"].queryset = Role.objects.all()
