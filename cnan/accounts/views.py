from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

import qrcode
import qrcode.image.svg
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from cnan.core.models import ObjectChange
from cnan.core.permissions import can, has_perm, may_list
from cnan.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PortalView,
    attach_errors,
    redirect_response,
)

from . import selectors, services
from .filters import UserFilterSet
from .forms import LoginForm, MembershipForm, PortalPasswordChangeForm, SetPasswordForm, TokenForm, UserForm
from .models import Membership, User
from .tables import UserTable


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


# --- signing in ------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The person's preferred language becomes the page language (they can switch on any page).
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().language,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
        return response


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PortalPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        try:
            services.user_set_password(
                actor=self.request.user, user=self.request.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Your password was changed."))
        return redirect(self.success_url)


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = BytesIO()
    image.save(buf)
    return buf.getvalue().decode("utf-8")


class MfaSetupView(PortalView):
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm with a code."""

    def _device(self, request: HttpRequest) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        return device or services.totp_device_start(user=request.user)

    def _render(self, request: HttpRequest, device: TOTPDevice, form: TokenForm, status: int = 200) -> HttpResponse:
        key = base64.b32encode(device.bin_key).decode("ascii")
        return render(
            request,
            "accounts/mfa_setup.html",
            {
                "form": form,
                "secret": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
                "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - SVG generated here from our own data
                "next": _next_url(request, ""),
            },
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._device(request), TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        device = self._device(request)
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                services.totp_device_confirm(user=request.user, device=device, token=form.cleaned_data["token"])
            except ValidationError as exc:
                form.add_error("token", exc.message_dict.get("token", exc.messages))
            else:
                otp_login(request, device)
                messages.success(request, _("Two-factor sign-in is set up."))
                return redirect(_next_url(request, reverse("core:home")))
        return self._render(request, device, form, status=422)


class MfaVerifyView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/mfa_verify.html", {"form": TokenForm(), "next": _next_url(request, "")})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if form.is_valid():
            device = match_token(request.user, form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request, reverse("core:home")))
            form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
        return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request, "")}, status=422)


# --- own profile -----------------------------------------------------------------------------------


class ProfileView(PortalView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "accounts/profile.html",
            {
                "subject": request.user,
                "memberships": selectors.user_memberships(user=request.user, subject=request.user)
                if has_perm(request.user, "accounts.view_membership")
                else request.user.active_memberships(),
                "has_authenticator": selectors.user_has_authenticator(subject=request.user),
                "has_token": Token.objects.filter(user=request.user).exists(),
            },
        )


class TokenView(PortalView):
    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            services.token_revoke(user=request.user)
            messages.success(request, _("Your API token was revoked."))
        else:
            token = services.token_create(user=request.user)
            messages.warning(
                request,
                _("Your new API token is %(key)s. Copy it now: it will not be shown again.") % {"key": token.key},
            )
        return redirect("accounts:profile")


# --- user administration ---------------------------------------------------------------------------


class UserListView(ObjectListView):
    model = User
    table_class = UserTable
    filterset_class = UserFilterSet
    selector = selectors.user_list
    export_key = "accounts:user"
    add_url_name = "accounts:user_add"


class UserDetailView(ObjectDetailView):
    model = User
    object_selector = selectors.user_get
    template_name = "accounts/user_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "memberships": selectors.user_memberships(user=request.user, subject=obj),
            "locked_out": selectors.user_is_locked_out(subject=obj),
            "has_authenticator": selectors.user_has_authenticator(subject=obj),
            "can_add_membership": has_perm(request.user, "accounts.add_membership"),
            "can_change_membership": has_perm(request.user, "accounts.change_membership"),
            "can_view_audit": may_list(request.user, ObjectChange),
        }


class UserEditView(ObjectEditView):
    model = User
    object_selector = selectors.user_get
    form_class = UserForm
    cancel_url_name = "accounts:user_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> User:
        password = data.pop("password1", None)
        data.pop("password2", None)
        return services.user_create(actor=actor, data=data, password=password)

    def update(self, *, actor: Any, instance: User, data: dict[str, Any]) -> User:
        return services.user_update(actor=actor, instance=instance, data=data)


class UserHistoryView(ObjectHistoryView):
    model = User
    object_selector = selectors.user_get


def _user_for_change(request: HttpRequest, pk: Any) -> User:
    try:
        subject = selectors.user_get(user=request.user, pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
    if not can(request.user, "change", subject):
        raise PermissionDenied
    return subject


class UserSetPasswordView(PortalView):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        subject = _user_for_change(request, pk)
        return render(request, "accounts/user_password.html", {"subject": subject, "form": SetPasswordForm()})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        subject = _user_for_change(request, pk)
        form = SetPasswordForm(request.POST)
        if form.is_valid():
            try:
                services.user_set_password(actor=request.user, user=subject, password=form.cleaned_data["password1"])
            except ValidationError as exc:
                form.add_error("password1", exc)
            else:
                messages.success(request, _("The password of %(user)s was changed.") % {"user": subject})
                return redirect(subject.get_absolute_url())
        return render(request, "accounts/user_password.html", {"subject": subject, "form": form}, status=422)


class UserUnlockView(PortalView):
    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        subject = _user_for_change(request, pk)
        services.user_unlock(actor=request.user, user=subject)
        messages.success(request, _("%(user)s can sign in again.") % {"user": subject})
        return redirect_response(request, subject.get_absolute_url())


class UserResetMfaView(PortalView):
    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        subject = _user_for_change(request, pk)
        services.totp_device_reset(actor=request.user, user=subject)
        messages.success(request, _("%(user)s will enrol a new authenticator at the next sign-in.") % {"user": subject})
        return redirect_response(request, subject.get_absolute_url())


class MembershipCreateView(PortalView):
    def _subject(self, request: HttpRequest, pk: Any) -> User:
        if not has_perm(request.user, "accounts.add_membership"):
            raise PermissionDenied
        try:
            return selectors.user_get(user=request.user, pk=pk)
        except User.DoesNotExist as exc:
            raise Http404 from exc

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        subject = self._subject(request, pk)
        return render(
            request, "accounts/membership_form.html", {"subject": subject, "form": MembershipForm(user=request.user)}
        )

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        subject = self._subject(request, pk)
        form = MembershipForm(request.POST, user=request.user, instance=Membership(user=subject))
        if form.is_valid():
            try:
                services.membership_create(actor=request.user, data={"user": subject, **form.cleaned_data})
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The role was granted."))
                return redirect(subject.get_absolute_url())
        return render(request, "accounts/membership_form.html", {"subject": subject, "form": form}, status=422)


class MembershipEndView(PortalView):
    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        try:
            membership = Membership.objects.visible_to(request.user, "change").select_related("user").get(pk=pk)
        except Membership.DoesNotExist as exc:
            raise Http404 from exc
        try:
            services.membership_end(actor=request.user, membership=membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The role was withdrawn from today."))
        return redirect_response(request, membership.user.get_absolute_url())
