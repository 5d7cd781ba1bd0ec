"""The resource libraries' API: search the libraries and read one resource."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from openvet.core.api.pagination import PageIn
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.types import IdParam
from openvet.resources import selectors
from openvet.resources.api.schemas import (
    LibraryResourceDetailOut,
    LibraryResourceOut,
    LibrarySearchIn,
)

router = Router(tags=["resources"])


@router.get(
    "/resources",
    response={200: PageOut[LibraryResourceOut], **error_responses(401, 422)},
    operation_id="resources_resource_list",
    summary="Search the published resources of the libraries you may read",
)
def resource_list(
    request: HttpRequest, filters: Query[LibrarySearchIn], page: Query[PageIn]
) -> dict[str, Any]:
    wanted = {
        "resource_type": filters.resource_type or "",
        "major_code": filters.major_code or "",
        "level": filters.level or "",
        "licence": filters.licence or "",
        "certified": "yes" if filters.certified else "",
    }
    found = selectors.resource_search(
        actor=request.user,
        query=filters.q,
        filters=wanted,
        limit=page.limit,
        offset=page.offset,
    )
    return {"count": found.total, "items": found.resources}


@router.get(
    "/resources/{resource_id}",
    response={200: LibraryResourceDetailOut, **error_responses(401, 404, 422)},
    operation_id="resources_resource_get",
    summary="One resource with its current files and contributors",
)
def resource_get(request: HttpRequest, resource_id: IdParam) -> dict[str, Any]:
    resource = selectors.resource_get_for(actor=request.user, resource_id=resource_id)
    fields = LibraryResourceOut.model_fields
    out = {name: getattr(resource, name) for name in fields if hasattr(resource, name)}
    out.update(
        keyword_list=resource.keyword_list,
        org_id=resource.org_id,
        files=selectors.resource_files(resource),
        contributors=[
            {"name": c.name, "organisation": c.organisation, "share": float(c.share)}
            for c in resource.contributors.all()
        ],
    )
    return out
