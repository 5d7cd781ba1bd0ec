"""The resource a library unit refers to, as it is now (its newest version and files)."""

from typing import Any

from django import template

from openvet.resources.selectors import resource_files

register = template.Library()


@register.simple_tag
def library_resource(unit: Any) -> dict[str, Any]:
    link = getattr(unit, "library", None)
    if link is None:
        return {}
    resource = link.resource
    newest = resource.versions.order_by("-number").first()
    forked = getattr(resource, "forked_from", None) if link.forked else None
    return {
        "resource": resource,
        "version": newest.number if newest is not None else 0,
        "files": resource_files(resource),
        "original": forked.original if forked is not None else None,
    }
