"""Sign-in, sign-out, password change, two-factor and the user's own profile."""

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from openvet.core.errors import ValidationFailed
from openvet.identity import selectors, services
from openvet.identity.forms import SignInForm, TotpForm
from openvet.identity.middleware import IDLE_EXPIRED_SESSION_KEY, idle_timeout_message


class SignInView(LoginView):
    template_name = "identity/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.session.pop(IDLE_EXPIRED_SESSION_KEY, False):
            messages.warning(request, idle_timeout_message())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["totp_relaxed"] = not settings.REQUIRE_ADMIN_TOTP
        return context


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("identity:login")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=user, user=user, password=form.cleaned_data["new_password1"]
            )
        except ValidationFailed as exc:
            for message in (exc.details or {}).get("password", [str(exc.message)]):
                form.add_error("new_password1", message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("core:home")
    return render(request, "identity/password_change.html", {"form": form})


def _qr_data_uri(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5))


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Confirm a one-time code; enrol an authenticator app first if there is none."""
    user: Any = request.user
    device = selectors.totp_device_for(user=user)
    enrolling = device is None or not device.confirmed
    if enrolling:
        device = services.totp_device_pending(user=user)
    assert device is not None  # noqa: S101 - narrowing for mypy
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_verify(user=user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in confirmed."))
            return redirect(request.GET.get("next") or "core:home")
        form.add_error("token", _("This code is wrong or has expired. Enter the current code."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context |= {"qr": _qr_data_uri(device), "secret": selectors.totp_secret_text(device)}
    return render(request, "identity/two_factor.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(request, "identity/profile.html", selectors.profile_context(user=user))
