"""User and role management pages for school, regional and platform administrators.

Every object is loaded through a scoped selector (404 outside the admin's subtree) and every
write goes through ``identity.services``, which checks the policy again and audits.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openvet.core import policy
from openvet.core.errors import DomainError, NotFound, PermissionDenied
from openvet.core.policy import Actor
from openvet.identity import selectors, services
from openvet.identity.duties import account_change_allowed, account_change_check
from openvet.identity.forms import (
    AdminPasswordResetForm,
    RoleGrantForm,
    UserCreateForm,
    UserEditForm,
    UserSearchForm,
)
from openvet.identity.models import User

View = Callable[..., HttpResponse]
MANAGE = "identity.change_user"
PAGE_SIZE = 25


def manager_required(view: View) -> View:
    """Signed in, holding user management somewhere; domain errors become 404 / 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _browse_capability(request.user) is None:
            raise HttpForbidden
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except PermissionDenied as exc:
            raise HttpForbidden(str(exc.message)) from exc

    return login_required(wrapper)


def _browse_capability(actor: Actor) -> str | None:
    """System administrators browse the accounts they manage; security administrators
    those whose passwords they may reset. Others (teachers) do not reach these pages."""
    for capability in (MANAGE, "identity.reset_password"):
        if policy.has_capability(actor, capability):
            return capability
    return None


def _form_errors(form: Any, exc: DomainError) -> None:
    """Show a service's refusal on the form: field details where the form has the field."""
    details = exc.details if isinstance(exc.details, dict) else {}
    shown = False
    for field, message in details.items():
        if field in form.fields:
            for text in message if isinstance(message, list) else [message]:
                form.add_error(field, str(text))
            shown = True
    if not shown:
        form.add_error(None, str(exc.message))


def _get_user(request: HttpRequest, user_id: int, capability: str = MANAGE) -> User:
    return selectors.user_get_for(actor=request.user, user_id=user_id, capability=capability)


def _get_changeable_user(request: HttpRequest, user_id: int, capability: str = MANAGE) -> User:
    """An account the actor may change: in scope (else 404) and, under the separation of
    duties, not another duty's administrator (else 403, before any form is shown)."""
    user = _get_user(request, user_id, capability)
    account_change_check(actor=request.user, user=user)
    return user


def _browse_user(request: HttpRequest, user_id: int) -> User:
    capability = _browse_capability(request.user) or MANAGE
    return _get_user(request, user_id, capability)


@manager_required
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserSearchForm(request.GET or None)
    search = role = ""
    if form.is_valid():
        search, role = form.cleaned_data["q"], form.cleaned_data["role"]
    users = selectors.user_list_for(
        actor=request.user,
        search=search,
        role=role,
        capability=_browse_capability(request.user) or MANAGE,
    )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "can_create": policy.has_capability(request.user, "identity.add_user"),
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "user-results":
        return render(request, "identity/partials/_user_results.html", context)
    return render(request, "identity/user_list.html", context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@manager_required
def user_create(request: HttpRequest) -> HttpResponse:
    if not policy.has_capability(request.user, "identity.add_user"):
        raise HttpForbidden
    orgs = selectors.org_choices_for(actor=request.user, capability="identity.add_user")
    form = UserCreateForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            user = services.user_create(actor=request.user, **data)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("The account %(username)s was created.") % {"username": user.username}
            )
            return redirect("identity:user-detail", user_id=user.pk)
    return render(request, "identity/user_form.html", {"form": form, "creating": True})


@manager_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _browse_user(request, user_id)
    actor = request.user
    changeable = account_change_allowed(actor=actor, user=user)
    context = {
        "subject": user,
        "assignments": selectors.assignments_of(user=user),
        "can_reveal": policy.has_capability(actor, "identity.reveal_pii", user.home_org),
        "can_edit": changeable and policy.has_capability(actor, MANAGE, user.home_org),
        "can_grant": changeable
        and policy.has_capability(actor, "identity.assign_role", user.home_org),
        "can_reset": changeable
        and policy.has_capability(actor, "identity.reset_password", user.home_org),
        "is_self": user.pk == actor.pk,
        "duty_separated": not changeable,
        "pii": [
            ("mobile", _("Mobile number"), user.masked_mobile),
            ("id_number", _("Citizen ID number"), user.masked_id_number),
        ],
    }
    return render(request, "identity/user_detail.html", context)


@manager_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _get_changeable_user(request, user_id)
    initial = {
        "full_name": user.full_name,
        "person_number": user.person_number,
        "email": user.email,
    }
    masked = {"mobile": user.masked_mobile, "id_number": user.masked_id_number}
    form = UserEditForm(request.POST or None, initial=initial, masked=masked)
    if request.method == "POST" and form.is_valid():
        # A blank personal number keeps the stored one: it is never sent back to the browser.
        values = {k: v for k, v in form.cleaned_data.items() if v or k not in services.PII_FIELDS}
        try:
            services.user_update(actor=request.user, user=user, **values)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The account was updated."))
            return redirect("identity:user-detail", user_id=user.pk)
    return render(request, "identity/user_form.html", {"form": form, "subject": user})


@require_POST
@manager_required
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _get_changeable_user(request, user_id)
    try:
        services.user_deactivate(actor=request.user, user=user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The account was deactivated; it can no longer sign in."))
    return redirect("identity:user-detail", user_id=user.pk)


@require_POST
@manager_required
def user_reveal(request: HttpRequest, user_id: int, field: str) -> HttpResponse:
    """The clear value of a masked field, as an htmx fragment; audited by the service."""
    user = _get_user(request, user_id, capability="identity.reveal_pii")
    try:
        value = services.user_reveal_pii(actor=request.user, user=user, field=field)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    return render(request, "identity/partials/_pii_value.html", {"value": value, "field": field})


@manager_required
def user_password_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _get_changeable_user(request, user_id, capability="identity.reset_password")
    form = AdminPasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=user, password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("The password was reset; the user must change it at the next sign-in.")
            )
            return redirect("identity:user-detail", user_id=user.pk)
    return render(request, "identity/user_password_reset.html", {"form": form, "subject": user})


@manager_required
def role_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _get_changeable_user(request, user_id, capability="identity.assign_role")
    form = RoleGrantForm(
        request.POST or None,
        roles=selectors.role_choices_for(actor=request.user),
        orgs=selectors.org_choices_for(actor=request.user, capability="identity.assign_role"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_grant(
                actor=request.user,
                user=user,
                role=form.cleaned_data["role"],
                org=form.cleaned_data["org"],
                expires_at=form.expires_at(),
            )
        except DomainError as exc:
            if isinstance(exc.details, dict) and "expires_at" in exc.details:
                exc.details["expires_on"] = exc.details.pop("expires_at")
            _form_errors(form, exc)
        else:
            messages.success(request, _("The role was granted."))
            return redirect("identity:user-detail", user_id=user.pk)
    return render(request, "identity/role_grant.html", {"form": form, "subject": user})


@require_POST
@manager_required
def role_revoke(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    user = _get_changeable_user(request, user_id, capability="identity.assign_role")
    assignment = selectors.assignment_get_for(
        actor=request.user, user=user, assignment_id=assignment_id
    )
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, _("The role was revoked."))
    return redirect("identity:user-detail", user_id=user.pk)
