"""Writes to accounts and role grants. Each checks the policy, is atomic and audited."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import codes, policy, validation
from openvet.core.audit import AuditAction, audit_record, diff
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.events import UserRolesChanged, publish
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.pii import digest
from openvet.core.policy import Actor
from openvet.core.roles import (
    REGIONAL_KINDS_ROLES,
    ROLES_NEEDING_EXPIRY,
    Role,
    duty_conflict,
)
from openvet.core.selectors import org_school_of
from openvet.identity.duties import account_change_check
from openvet.identity.models import PasswordHistory, RoleAssignment, User

_USER_FIELDS = (
    "full_name",
    "person_number",
    "email",
    "mobile",
    "id_number",
    "gender",
    "is_active",
    "language",
)


def _pii_errors(values: dict[str, Any], user: User | None = None) -> dict[str, str]:
    """Field checks of an account's name, ID number, gender and mobile; ``user`` is the
    account being edited (None when creating), whose stored values fill what is not sent."""
    errors: dict[str, str] = {}
    if "full_name" in values:
        values["full_name"] = codes.name_normalise(str(values["full_name"] or ""))
        message = validation.name_error(values["full_name"], label=_("Full name"))
        if message and values["full_name"]:
            errors["full_name"] = message
    id_number = str(values.get("id_number") or "").strip().upper()
    if id_number:
        problem = codes.id_number_problem(id_number)
        if problem == "check_digit":
            errors["id_number"] = _("The check digit of this ID number is wrong.")
        elif problem:
            errors["id_number"] = _("This is not a valid 18-character citizen ID number.")
        elif _taken("id_number_digest", digest(id_number), user):
            errors["id_number"] = _("Another account already has this ID number.")
    # GB 11643-1999: the 17th digit is odd for a man and even for a woman.
    known_id = id_number if "id_number" in values else (user.id_number if user else "")
    gender = str(values.get("gender", user.gender if user else "") or "")
    consistent = (
        not known_id
        or "id_number" in errors
        or codes.id_number_problem(known_id) is not None
        or gender not in ("1", "2")
    )
    if not consistent and gender != codes.id_number_gender(known_id):
        errors["gender"] = _("The gender does not match the ID number.")
    mobile = str(values.get("mobile") or "").strip()
    if mobile and codes.mobile_problem(mobile):
        errors["mobile"] = _("Enter an 11-digit mainland mobile number.")
    elif mobile and _taken("mobile_digest", digest(mobile), user):
        errors["mobile"] = _("Another account already uses this mobile number.")
    return errors


def _taken(field: str, value: str, user: User | None) -> bool:
    # Unscoped on purpose: an ID or mobile number belongs to one account on the platform.
    others = User.objects.filter(**{field: value})
    if user is not None:
        others = others.exclude(pk=user.pk)
    return others.exists()


def _apply_pii(user: User, values: dict[str, Any]) -> None:
    if "id_number" in values:
        user.id_number = str(values["id_number"] or "").strip().upper()
        user.id_number_digest = digest(user.id_number) if user.id_number else ""
        if user.id_number and not user.gender:
            user.gender = codes.id_number_gender(user.id_number)
    if "mobile" in values:
        user.mobile = str(values["mobile"] or "").strip()
        user.mobile_digest = digest(user.mobile) if user.mobile else ""


def _save_user(user: User) -> None:
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise Conflict(
            _("Another account already uses this username, number or mobile number.")
        ) from exc


def _person_number_taken(
    *, person_number: str, home_org: OrgUnit | None, exclude_pk: int | None = None
) -> bool:
    """True when another account of the same school already has this student/staff number."""
    if not person_number or home_org is None:
        return False
    school = org_school_of(home_org) or home_org
    # Unscoped on purpose: uniqueness is checked across the whole school, whoever asks.
    others = User.objects.filter(
        person_number=person_number, home_org__path__startswith=school.path
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _person_number_errors(
    values: dict[str, Any], home_org: OrgUnit | None, exclude_pk: int | None = None
) -> dict[str, str]:
    number = str(values.get("person_number") or "").strip()
    if _person_number_taken(person_number=number, home_org=home_org, exclude_pk=exclude_pk):
        return {"person_number": _("Another account of this school already has this number.")}
    return {}


def _safe_changes(values: dict[str, Any]) -> dict[str, Any]:
    # Personal numbers never reach the audit log in clear.
    return {k: ("***" if k in ("id_number", "mobile") else v) for k, v in values.items()}


@transaction.atomic
def user_create(
    *,
    actor: Actor | None,
    username: str,
    full_name: str,
    home_org: OrgUnit | None,
    password: str | None = None,
    **values: Any,
) -> User:
    """Create an account. Without a password it cannot sign in until one is set."""
    if actor is not None:
        policy.require(actor, "identity.add_user", home_org)
    values = {k: v for k, v in values.items() if k in _USER_FIELDS}
    values["full_name"] = full_name
    errors = _pii_errors(values) | _person_number_errors(values, home_org)
    full_name = values.pop("full_name")
    if User.objects.filter(username=username.strip()).exists():
        errors["username"] = _("This username is already taken.")
    if not username.strip():
        errors["username"] = _("A username is required.")
    if not full_name:
        errors["full_name"] = _("A full name is required.")
    if errors:
        raise ValidationFailed(details=errors)
    user = User(
        username=username.strip(),
        full_name=full_name,
        home_org=home_org,
        **{k: v for k, v in values.items() if k not in ("id_number", "mobile")},
    )
    _apply_pii(user, values)
    if password:
        _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    _save_user(user)
    audit_record(
        action=AuditAction.CREATE,
        obj=user,
        org=home_org,
        actor=actor,
        changes=_safe_changes({"username": user.username, **values}),
    )
    return user


@transaction.atomic
def user_update(*, actor: Actor, user: User, **values: Any) -> User:
    policy.require(actor, "identity.change_user", user.home_org)
    account_change_check(actor=actor, user=user)
    values = {k: v for k, v in values.items() if k in _USER_FIELDS}
    errors = _pii_errors(values, user) | _person_number_errors(values, user.home_org, user.pk)
    if "full_name" in values and not values["full_name"]:
        errors.setdefault("full_name", _("A full name is required."))
    if errors:
        raise ValidationFailed(details=errors)
    before = {k: getattr(user, k) for k in values}
    for key, value in values.items():
        if key not in ("id_number", "mobile"):
            setattr(user, key, value)
    _apply_pii(user, values)
    _save_user(user)
    changes = _safe_changes(diff(before, values))
    if changes:
        audit_record(
            action=AuditAction.UPDATE, obj=user, org=user.home_org, actor=actor, changes=changes
        )
    return user


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            _("The new password does not meet the password policy."),
            details={"password": list(exc.messages)},
        ) from exc


@transaction.atomic
def user_set_password(
    *, actor: Actor | None, user: User, password: str, must_change: bool = False
) -> User:
    """Set a password under the policy, keeping the history of the last few.

    A user changing their own password clears the forced change; an administrator resetting
    someone else's password sets it, so the owner must choose a new one at next sign-in.
    """
    if actor is not None and actor.pk != user.pk:
        policy.require(actor, "identity.reset_password", user.home_org)
        account_change_check(actor=actor, user=user)
        must_change = True
    _validate_password(password, user)
    if user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
    keep = int(settings.PASSWORD_HISTORY_LENGTH)
    stale = user.password_history.values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    user.set_password(password)
    user.must_change_password = must_change
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(
        action=AuditAction.SECURITY,
        obj=user,
        org=user.home_org,
        actor=actor,
        changes={"password": "changed", "must_change_password": must_change},
    )
    return user


def _check_grant_allowed(actor: Actor | None, user: User, role: str, org: OrgUnit) -> None:
    if actor is not None:
        policy.require(actor, "identity.assign_role", org)
        if role == Role.PLATFORM_ADMIN and Role.PLATFORM_ADMIN not in policy.roles_of(actor):
            raise PermissionDenied(_("Only a platform administrator can grant that role."))
        account_change_check(actor=actor, user=user)
    if role not in Role.values:
        raise ValidationFailed(details={"role": _("Unknown role.")})
    if role == Role.PLATFORM_ADMIN and org.kind != OrgKind.NATION:
        raise ValidationFailed(details={"org": _("This role is granted on the nation node.")})
    if role == Role.REGIONAL_ADMIN and org.kind not in REGIONAL_KINDS_ROLES:
        raise ValidationFailed(details={"org": _("This role is granted on a province or city.")})
    held = {a.role for a in user.role_assignments.all()}
    if duty_conflict(held | {role}):
        message = _(
            "System, security and audit administration must be held by different "
            "accounts (separation of duties)."
        )
        raise ValidationFailed(message, details={"role": message})


@transaction.atomic
def role_grant(
    *,
    actor: Actor | None,
    user: User,
    role: str,
    org: OrgUnit,
    expires_at: datetime | None = None,
) -> RoleAssignment:
    _check_grant_allowed(actor, user, role, org)
    if role in ROLES_NEEDING_EXPIRY and expires_at is None:
        raise ValidationFailed(details={"expires_at": _("This role needs an expiry date.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(details={"expires_at": _("The expiry date must be in the future.")})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        org=org,
        defaults={"expires_at": expires_at, "granted_by": actor},
    )
    if not created:
        raise Conflict(_("This user already holds this role there."))
    user.forget_grants()
    audit_record(
        action=AuditAction.CREATE,
        obj=assignment,
        org=org,
        actor=actor,
        object_label=f"{user.username}: {role}",
        changes={"role": role, "org": org.pk, "expires_at": str(expires_at or "")},
    )
    publish(UserRolesChanged(user_id=user.pk))
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    policy.require(actor, "identity.assign_role", assignment.org)
    account_change_check(actor=actor, user=assignment.user)
    audit_record(
        action=AuditAction.DELETE,
        obj=assignment,
        org=assignment.org,
        actor=actor,
        object_label=f"{assignment.user.username}: {assignment.role}",
    )
    user_id = assignment.user_id
    assignment.delete()
    publish(UserRolesChanged(user_id=user_id))


@transaction.atomic
def user_relocate(
    *,
    actor: Actor | None,
    user: User,
    home_org: OrgUnit,
    role: str,
    from_orgs: Iterable[OrgUnit],
    cause: str = "",
) -> User:
    """Move an account to ``home_org`` together with its grants of ``role`` held on
    ``from_orgs`` (a student who changed major or class keeps the student role, now there).

    ``actor`` None is an effect its caller has already authorised (an approved status change,
    named by ``cause`` in the audit entry), as in ``user_create``.
    """
    if actor is not None:
        policy.require(actor, "identity.change_user", user.home_org)
        policy.require(actor, "identity.assign_role", home_org)
        account_change_check(actor=actor, user=user)
    old_home = user.home_org_id
    user.home_org = home_org
    user.save(update_fields=["home_org"])
    moved = 0
    for assignment in RoleAssignment.objects.select_for_update().filter(
        user=user, role=role, org__in=list(from_orgs)
    ):
        if assignment.org_id == home_org.pk:
            continue
        if RoleAssignment.objects.filter(user=user, role=role, org=home_org).exists():
            assignment.delete()
        else:
            assignment.org = home_org
            assignment.save(update_fields=["org"])
        moved += 1
    user.forget_grants()
    audit_record(
        action=AuditAction.UPDATE,
        obj=user,
        org=home_org,
        actor=actor,
        changes={"home_org": [old_home, home_org.pk], "role": role, "moved": moved, "cause": cause},
    )
    if moved:
        publish(UserRolesChanged(user_id=user.pk))
    return user


def totp_device_pending(*, user: User) -> Any:
    """The unconfirmed authenticator device being enrolled, created on first visit."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    return device


@transaction.atomic
def totp_verify(*, user: User, device: Any, token: str) -> bool:
    """Check a code; the first good code confirms an enrolment (and is audited)."""
    if not device.verify_token(token):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        device.__class__.objects.filter(user=user).exclude(pk=device.pk).delete()
        audit_record(
            action=AuditAction.SECURITY,
            obj=user,
            org=user.home_org,
            actor=user,
            changes={"totp": "enrolled"},
        )
    return True


@transaction.atomic
def user_deactivate(*, actor: Actor, user: User) -> User:
    """Disable an account: it can no longer sign in; its history and grants stay."""
    policy.require(actor, "identity.change_user", user.home_org)
    if actor is not None and actor.pk == user.pk:
        raise ValidationFailed(_("You cannot deactivate your own account."))
    account_change_check(actor=actor, user=user)
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=user,
        org=user.home_org,
        actor=actor,
        changes={"is_active": [True, False]},
    )
    return user


PII_FIELDS = ("mobile", "id_number")


@transaction.atomic
def user_reveal_pii(*, actor: Actor, user: User, field: str) -> str:
    """The clear value of a masked field, for a role that needs it; every reveal is audited."""
    if field not in PII_FIELDS:
        raise ValidationFailed(details={"field": _("This field cannot be revealed.")})
    policy.require(actor, "identity.reveal_pii", user.home_org)
    audit_record(
        action=AuditAction.REVEAL,
        obj=user,
        org=user.home_org,
        actor=actor,
        changes={"field": field},
    )
    return str(getattr(user, field))


@transaction.atomic
def lockout_reset(*, actor: Actor, username: str = "", ip_address: str = "") -> int:
    """Unlock one account name or one client address locked by failed sign-ins.

    Only a lockout the actor can see (``selectors.lockout_list_for``) may be reset.
    """
    from axes.utils import reset

    from openvet.identity.backends import find_user_by_identifier
    from openvet.identity.selectors import lockout_list_for

    if bool(username) == bool(ip_address):
        raise ValidationFailed(_("Name exactly one account or one address to unlock."))
    visible = lockout_list_for(actor=actor)
    if username and not any(row.username == username for row in visible):
        raise NotFound()
    if ip_address and not any(row.ip_address == ip_address for row in visible):
        raise NotFound()
    policy.require(actor, "identity.unlock_user")
    count = reset(username=username) if username else reset(ip=ip_address)
    user = find_user_by_identifier(username) if username else None
    audit_record(
        action=AuditAction.SECURITY,
        obj=user,
        org=user.home_org if user else None,
        actor=actor,
        object_label=username or ip_address,
        changes={
            "unlock": "username" if username else "ip_address",
            "username": username,
            "ip_address": ip_address,
            "attempts_cleared": count,
        },
    )
    return int(count)
