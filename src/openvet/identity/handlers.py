"""Reactions to Django's sign-in signals: every login, logout and failure is audited."""

from typing import Any

from django.contrib.auth import SESSION_KEY, signals
from django.http import HttpRequest
from django.utils import timezone

from openvet.core.audit import AuditAction, audit_record
from openvet.identity.lockout import lockout_clear_for


def _on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    request.session["last_activity"] = timezone.now().timestamp()
    lockout_clear_for(username=user.get_username())
    audit_record(action=AuditAction.LOGIN, obj=user, org=user.home_org, actor=user)


def _on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # Audited only when a session of this user actually ends: a token caller, or a request
    # whose session holds nobody, ends nothing (Django still sends the signal).
    session = getattr(request, "session", None)
    signed_in = session.get(SESSION_KEY) if session is not None else None
    if user is not None and signed_in is not None and str(signed_in) == str(user.pk):
        audit_record(action=AuditAction.LOGOUT, obj=user, org=user.home_org, actor=user)


def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    from openvet.identity.backends import find_user_by_identifier

    identifier = str(credentials.get("username", ""))[:150]
    user = find_user_by_identifier(identifier)
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        org=user.home_org if user is not None else None,
        actor_label=identifier,
        object_label=identifier,
    )


def connect() -> None:
    signals.user_logged_in.connect(_on_login, dispatch_uid="openvet.audit.login")
    signals.user_logged_out.connect(_on_logout, dispatch_uid="openvet.audit.logout")
    signals.user_login_failed.connect(_on_login_failed, dispatch_uid="openvet.audit.failed")
