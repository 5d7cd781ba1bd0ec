"""Accounts and role grants, scoped by the policy; the caller's own account at /users/me."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from openvet.core import selectors as core_selectors
from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.types import IdParam
from openvet.core.pii import reveal_asked
from openvet.identity import selectors, services
from openvet.identity.api import access
from openvet.identity.api.schemas import (
    MeOut,
    RoleAssignmentOut,
    RoleGrantIn,
    UserCreateIn,
    UserFilterIn,
    UserOut,
    UserRevealIn,
    UserUpdateIn,
)
from openvet.identity.models import RoleAssignment, User

router = Router(tags=["users"])
roles_router = Router(tags=["role assignments"])


@router.get(
    "/users/me",
    response={200: MeOut, **error_responses(401)},
    operation_id="me_get",
    summary="Your own account and roles",
)
def me_get(request: HttpRequest) -> dict[str, Any]:
    user = selectors.user_get_for(actor=request.user, user_id=int(request.user.pk or 0))
    return {"user": user, "roles": list(selectors.assignments_of(user=user))}


@router.get(
    "/users",
    response={200: PageOut[UserOut], **error_responses(401, 422)},
    operation_id="user_list",
    summary="List the accounts you may see",
)
def user_list(
    request: HttpRequest, filters: Query[UserFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """Mobile and ID numbers are always masked in lists."""
    queryset = selectors.user_list_for(
        actor=request.user, search=filters.search, role=filters.role or ""
    )
    return paginate(queryset, page)


@router.post(
    "/users",
    response={201: UserOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="user_create",
    summary="Create an account in an organisation",
)
def user_create(request: HttpRequest, payload: UserCreateIn) -> Status[User]:
    home_org = core_selectors.org_get_for(actor=request.user, org_id=payload.home_org_id)
    user = services.user_create(actor=request.user, home_org=home_org, **payload.service_values())
    return Status(201, user)


@router.get(
    "/users/{user_id}",
    response={200: UserOut, **error_responses(401, 403, 404, 422)},
    operation_id="user_get",
    summary="Read one account (optionally revealing personal numbers)",
)
def user_get(request: HttpRequest, user_id: IdParam, options: Query[UserRevealIn]) -> Any:
    """Mobile and ID number are masked; ``?reveal=pii`` shows them to a role that may reveal
    personal data there (403 otherwise), audited. A token needs the pii scope."""
    user = selectors.user_get_for(actor=request.user, user_id=user_id)
    if not reveal_asked(request):
        return user
    clear = access.user_pii_reveal(actor=request.user, user=user)
    return UserOut.from_orm(user).model_copy(update={**clear, "pii_revealed": True})


@router.patch(
    "/users/{user_id}",
    response={200: UserOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="user_update",
    summary="Change an account (only the fields sent)",
)
def user_update(request: HttpRequest, user_id: IdParam, payload: UserUpdateIn) -> User:
    user = selectors.user_get_for(actor=request.user, user_id=user_id)
    return services.user_update(actor=request.user, user=user, **payload.service_values())


@router.get(
    "/users/{user_id}/roles",
    response={200: PageOut[RoleAssignmentOut], **error_responses(401, 404, 422)},
    operation_id="user_role_list",
    summary="The roles an account holds",
    tags=["role assignments"],
)
def user_role_list(request: HttpRequest, user_id: IdParam, page: Query[PageIn]) -> dict[str, Any]:
    user = selectors.user_get_for(
        actor=request.user, user_id=user_id, capability="identity.view_roleassignment"
    )
    return paginate(selectors.assignments_of(user=user), page)


@router.post(
    "/users/{user_id}/roles",
    response={201: RoleAssignmentOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="user_role_grant",
    summary="Grant a role on an org node",
    tags=["role assignments"],
)
def user_role_grant(
    request: HttpRequest, user_id: IdParam, payload: RoleGrantIn
) -> Status[RoleAssignment]:
    user = selectors.user_get_for(actor=request.user, user_id=user_id)
    org = core_selectors.org_get_for(actor=request.user, org_id=payload.org_id)
    assignment = services.role_grant(
        actor=request.user, user=user, role=payload.role, org=org, expires_at=payload.expires_at
    )
    return Status(201, assignment)


@roles_router.delete(
    "/role-assignments/{assignment_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    operation_id="role_assignment_revoke",
    summary="Revoke a role grant",
)
def role_assignment_revoke(request: HttpRequest, assignment_id: IdParam) -> Status[None]:
    assignment = access.role_assignment_get_for(actor=request.user, assignment_id=assignment_id)
    services.role_revoke(actor=request.user, assignment=assignment)
    return Status(204, None)
