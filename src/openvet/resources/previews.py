"""Reading previews: the thumbnail of each resource in a list (one query), the preview of a
file the reader may open. Writing them is ``services.media``."""

from collections.abc import Iterable

from openvet.resources.models import PreviewStatus, Resource, ResourceFile


def attach_thumbnails(resources: Iterable[Resource]) -> None:
    """Set ``thumbnail_file_id`` on each resource: its latest version's first file with a
    thumbnail, or None."""
    listed = list(resources)
    rows = (
        ResourceFile.objects.filter(version__resource__in=[r.pk for r in listed])
        .order_by("version__resource_id", "-version__number", "id")
        .values_list("version__resource_id", "version__number", "id", "blob__preview__status")
        .exclude(blob__preview__thumbnail_name="")
    )
    latest: dict[int, int] = {}
    chosen: dict[int, int] = {}
    for resource_id, number, file_id, status in rows:
        if latest.setdefault(resource_id, number) != number or resource_id in chosen:
            continue
        if status == PreviewStatus.READY:
            chosen[resource_id] = file_id
    for resource in listed:
        resource.thumbnail_file_id = chosen.get(resource.pk)  # type: ignore[attr-defined]
