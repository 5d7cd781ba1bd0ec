"""The org tree: list, read, create, change and delete nodes, each scoped by the policy."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from openvet.core import selectors, services
from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.schemas_org import OrgCreateIn, OrgFilterIn, OrgOut, OrgUpdateIn
from openvet.core.api.types import IdParam
from openvet.core.models import OrgUnit

router = Router(tags=["orgs"])


@router.get(
    "/orgs",
    response={200: PageOut[OrgOut], **error_responses(401, 422)},
    operation_id="org_list",
    summary="List the org nodes you may see",
)
def org_list(
    request: HttpRequest, filters: Query[OrgFilterIn], page: Query[PageIn]
) -> dict[str, object]:
    """Nodes in tree order. A user without a role that reads the tree gets an empty page."""
    queryset = selectors.org_list_for(
        actor=request.user, kind=filters.kind, parent_id=filters.parent_id, search=filters.search
    )
    return paginate(queryset, page)


@router.post(
    "/orgs",
    response={201: OrgOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="org_create",
    summary="Create an org node under a parent",
)
def org_create(request: HttpRequest, payload: OrgCreateIn) -> Status[OrgUnit]:
    parent = selectors.org_get_for(actor=request.user, org_id=payload.parent_id)
    org = services.org_create(
        actor=request.user, parent=parent, kind=payload.kind, **payload.service_values()
    )
    return Status(201, org)


@router.get(
    "/orgs/{org_id}",
    response={200: OrgOut, **error_responses(401, 404, 422)},
    operation_id="org_get",
    summary="Read one org node",
)
def org_get(request: HttpRequest, org_id: IdParam) -> OrgUnit:
    return selectors.org_get_for(actor=request.user, org_id=org_id)


@router.patch(
    "/orgs/{org_id}",
    response={200: OrgOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    operation_id="org_update",
    summary="Change an org node (only the fields sent)",
)
def org_update(request: HttpRequest, org_id: IdParam, payload: OrgUpdateIn) -> OrgUnit:
    org = selectors.org_get_for(actor=request.user, org_id=org_id)
    return services.org_update(actor=request.user, org=org, **payload.service_values())


@router.delete(
    "/orgs/{org_id}",
    response={204: None, **error_responses(401, 403, 404, 409, 422)},
    operation_id="org_delete",
    summary="Delete an empty org node",
)
def org_delete(request: HttpRequest, org_id: IdParam) -> Status[None]:
    org = selectors.org_get_for(actor=request.user, org_id=org_id)
    services.org_delete(actor=request.user, org=org)
    return Status(204, None)
