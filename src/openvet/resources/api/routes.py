"""The resource libraries' API: search the libraries, read one resource, read the learning
paths (ADR 0535) with the caller's progress."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from openvet.core.api.pagination import PageIn, paginate
from openvet.core.api.schemas import PageOut, error_responses
from openvet.core.api.types import IdParam
from openvet.resources import path_selectors, selectors
from openvet.resources.api.schemas import (
    LearningPathDetailOut,
    LearningPathFilterIn,
    LearningPathOut,
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


@router.get(
    "/learning-paths",
    response={200: PageOut[LearningPathOut], **error_responses(401, 422)},
    operation_id="resources_learning_path_list",
    summary="The learning paths you may follow (and the drafts you may change)",
)
def learning_path_list(
    request: HttpRequest, filters: Query[LearningPathFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    paths = path_selectors.path_list_for(
        actor=request.user, major_code=filters.major_code or ""
    ).order_by("title", "id")
    return paginate(paths, page)


@router.get(
    "/learning-paths/{path_id}",
    response={200: LearningPathDetailOut, **error_responses(401, 404, 422)},
    operation_id="resources_learning_path_get",
    summary="One learning path: its steps in order and your progress through them",
)
def learning_path_get(request: HttpRequest, path_id: IdParam) -> dict[str, Any]:
    path = path_selectors.path_get_for(actor=request.user, path_id=path_id)
    progress = path_selectors.path_progress(actor=request.user, path=path)
    following = progress.next_step
    return {
        **{name: getattr(path, name) for name in ("id", "title", "description", "major_code")},
        "org_id": path.org_id,
        "is_published": path.is_published,
        "steps": [
            {
                "position": s.step.position,
                "resource_id": s.step.resource_id,
                "resource_title": "" if s.missing else s.step.resource.title,
                "heading": s.step.heading,
                "note": s.step.note,
                "done": s.done,
                "locked": s.locked,
                "available": not s.missing,
            }
            for s in progress.steps
        ],
        "done": progress.done,
        "percent": progress.percent,
        "next_position": following.step.position if following else None,
    }
