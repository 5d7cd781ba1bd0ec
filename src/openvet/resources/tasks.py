"""Background jobs of the resource libraries."""

from celery import shared_task

from openvet.resources.services.harvest import harvest_due, source_harvest


@shared_task(name="resources.harvest_libraries")  # type: ignore[untyped-decorator]
def harvest_libraries() -> int:
    return harvest_due()


@shared_task(name="resources.harvest_source")  # type: ignore[untyped-decorator]
def harvest_source(source_id: int) -> int:
    counts = source_harvest(source_id, force=True)
    return 0 if counts is None else counts.added + counts.updated + counts.deleted


@shared_task(name="resources.make_preview", soft_time_limit=300)  # type: ignore[untyped-decorator]
def make_preview(blob_id: int) -> str:
    from openvet.resources.services.media import preview_make

    return str(preview_make(blob_id).status)
