"""The security administrator's page: current sign-in lockouts, and unlocking them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import NotFound, PermissionDenied, ValidationFailed
from openvet.identity import selectors, services


@login_required
def security_overview(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, "identity.view_security"):
        raise HttpForbidden
    context = {
        "lockouts": selectors.lockout_list_for(actor=request.user),
        "can_unlock": policy.has_capability(request.user, "identity.unlock_user"),
    }
    return render(request, "identity/security.html", context)


@require_POST
@login_required
def lockout_unlock(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "").strip()
    ip_address = request.POST.get("ip_address", "").strip()
    try:
        services.lockout_reset(actor=request.user, username=username, ip_address=ip_address)
    except (NotFound, ValidationFailed) as exc:
        raise Http404(str(exc.message)) from exc
    except PermissionDenied as exc:
        raise HttpForbidden(str(exc.message)) from exc
    messages.success(request, _("Unlocked %(target)s.") % {"target": username or ip_address})
    return redirect("identity:security")
