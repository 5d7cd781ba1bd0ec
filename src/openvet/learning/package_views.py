"""Serving content packages (ADR 0705): the launcher page holding the SCORM runtime, the files
of a package, and the commit endpoint the runtime posts CMI data to.

These addresses carry a signed token (package, learner, attempt; 12 hours) instead of the
session: they are meant to be served from a separate origin (``LEARNING_PACKAGE_ORIGIN``)
where the platform's cookies are not sent, so a package's scripts can neither read the
platform's pages nor act as the learner beyond writing that learner's CMI data of that SCO.
"""

import json
import mimetypes
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from openvet.core.errors import DomainError
from openvet.core.ranged import ranged_response
from openvet.learning import cmi, package_services, selectors
from openvet.learning.models import Package, PackageItem, PackageStandard, ScoAttempt

# What a package's pages may do on the packages' origin: run their own (inline) scripts and
# styles, load their own files; nothing from elsewhere, no plugins, framed only by the platform.
PACKAGE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'", "data:", "blob:"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "form-action": ["'self'"],
}
# H5 pages need nothing of their origin: they run as an opaque origin (no cookies, no storage
# of the origin, no reach into other frames).
H5_SANDBOX = "allow-scripts allow-forms allow-popups allow-modals allow-pointer-lock"


def package_origin() -> str:
    return str(getattr(settings, "LEARNING_PACKAGE_ORIGIN", "") or "").rstrip("/")


def _frame_ancestors() -> list[str]:
    return ["'self'", *[str(o) for o in getattr(settings, "CSRF_TRUSTED_ORIGINS", [])]]


def _with_policy(response: HttpResponseBase, *, h5: bool) -> HttpResponseBase:
    policy: dict[str, Any] = {**PACKAGE_POLICY, "frame-ancestors": _frame_ancestors()}
    if h5:
        policy["sandbox"] = H5_SANDBOX.split()
    setattr(response, "_csp_replace", policy)  # noqa: B010 - django-csp's per-response hook
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _granted(token: str) -> tuple[package_services.Grant, Package]:
    grant = package_services.grant_of(token)
    if grant is None:
        raise Http404
    package = Package.objects.select_related("unit").filter(pk=grant.package_id).first()
    if package is None:
        raise Http404
    return grant, package


@require_GET
@xframe_options_exempt
def package_file(request: HttpRequest, token: str, path: str) -> HttpResponseBase:
    """A file of the package: any file under its root, for whoever holds a valid token."""
    _grant, package = _granted(token)
    name = package_services.storage_name(package, path)
    if name is None or not default_storage.exists(name):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type.endswith(("javascript", "xml", "json")):
        content_type += "; charset=utf-8" if "charset" not in content_type else ""
    response = ranged_response(
        request, storage_name=name, size=default_storage.size(name), content_type=content_type
    )
    return _with_policy(response, h5=package.standard == PackageStandard.H5)


def _item_and_attempt(
    grant: package_services.Grant, package: Package
) -> tuple[PackageItem, ScoAttempt | None]:
    item = PackageItem.objects.filter(package=package, pk=grant.item_id).first()
    if item is None or not item.href:
        raise Http404
    attempt = None
    if grant.attempt_id:
        attempt = ScoAttempt.objects.filter(
            pk=grant.attempt_id, item=item, user_id=grant.user_id
        ).first()
        if attempt is None:
            raise Http404
    return item, attempt


@require_GET
@xframe_options_exempt
def package_launch(request: HttpRequest, token: str) -> HttpResponseBase:
    """The launcher: the runtime API for the SCO, then the SCO in a frame below it."""
    grant, package = _granted(token)
    if package.standard == PackageStandard.H5:
        raise Http404
    item, attempt = _item_and_attempt(grant, package)
    learner = get_user_model().objects.filter(pk=grant.user_id).first()
    if learner is None:
        raise Http404
    standard = package.standard
    config = {
        "standard": standard,
        "rules": {name: rule.as_json() for name, rule in cmi.rules_for(standard).items()},
        "errors": cmi.errors_for(standard),
        "values": package_services.launch_values(attempt=attempt, item=item, learner=learner),
        "timespan": cmi.TIMESPAN_12,
        "duration": cmi.DURATION_2004,
        "commit_url": reverse("learning:package-commit", args=[token]) if attempt else "",
        "session": secrets.token_hex(8),
    }
    response = render(
        request,
        "learning/package_launch.html",
        {
            "config": config,
            "item": item,
            "src": reverse("learning:package-file", args=[token, item.href.split("?")[0]])
            + (f"?{item.href.split('?', 1)[1]}" if "?" in item.href else ""),
        },
    )
    return _with_policy(response, h5=False)


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _integer(value: Any) -> int:
    try:
        return max(0, min(int(value), 2**31 - 1))
    except (TypeError, ValueError):
        return 0


@csrf_exempt  # authenticated by the signed token in the address, never by a cookie
@require_POST
def package_commit(request: HttpRequest, token: str) -> HttpResponse:
    """What the runtime commits: ``{"values": {element: value}, "finished": bool}``."""
    grant, package = _granted(token)
    _item, attempt = _item_and_attempt(grant, package)
    learner = get_user_model().objects.filter(pk=grant.user_id).first()
    if attempt is None or learner is None:
        raise Http404
    body = _body(request)
    try:
        attempt = package_services.sco_commit(
            actor=learner,
            attempt=attempt,
            values=body.get("values", {}),
            finished=bool(body.get("finished")),
            session=str(body.get("session", ""))[:32],
            seq=_integer(body.get("seq")),
        )
    except DomainError as exc:
        return JsonResponse(
            {"code": exc.code, "message": str(exc.message), "details": exc.details or {}},
            status=exc.status,
        )
    return JsonResponse(
        {
            "completed": attempt.completed,
            "success": attempt.success,
            "score": str(attempt.score_raw) if attempt.score_raw is not None else None,
            "message": _("Your progress was saved."),
        }
    )


# The player on the unit's page ------------------------------------------------------------


def _address(path: str) -> str:
    return f"{package_origin()}{path}"


def player_context(request: HttpRequest, unit: Any, *, is_learner: bool) -> dict[str, Any]:
    """The table of contents, the chosen item and the address its frame opens, for the unit
    page; a learner's SCO is launched (its attempt resumed or started) here."""
    items = selectors.package_items(unit)
    launchable = [i for i in items if i.href]
    if not launchable:
        return {}
    attempts = selectors.sco_attempts(actor=request.user, unit=unit) if is_learner else {}
    wanted = request.GET.get("item", "")
    chosen = next((i for i in launchable if str(i.pk) == wanted), None)
    if chosen is None:
        open_items = [i for i in launchable if not (i.pk in attempts and attempts[i.pk].completed)]
        chosen = (open_items or launchable)[0]
    package = chosen.package
    attempt = None
    if is_learner and chosen.is_sco:
        attempt = package_services.sco_launch(actor=request.user, item=chosen)
        attempts[chosen.pk] = attempt
    token = package_services.package_token(
        package=package,
        user_id=int(request.user.pk or 0),
        attempt_id=attempt.pk if attempt else 0,
        item_id=chosen.pk,
    )
    if package.standard == PackageStandard.H5 or not chosen.is_sco:
        path, _sep, query = chosen.href.partition("?")
        src = reverse("learning:package-file", args=[token, path]) + (f"?{query}" if query else "")
    else:
        src = reverse("learning:package-launch", args=[token])
    return {
        "package": package,
        "items": [(i, attempts.get(i.pk)) for i in items],
        "chosen": chosen,
        "attempt": attempt,
        "frame_src": _address(src),
        "frame_origin": package_origin(),
        "sandboxed": package.standard == PackageStandard.H5,
        "several": len(launchable) > 1,
    }
