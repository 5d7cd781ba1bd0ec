"""Background import of large workbooks."""

from celery import shared_task

from openvet.records.bulk.models import ImportJob, ImportStatus
from openvet.records.bulk.pipeline import run_job


@shared_task(name="records.run_import")  # type: ignore[untyped-decorator]
def run_import(job_id: int) -> str:
    """Idempotent: a job that already finished is left alone."""
    job = ImportJob.objects.select_related("school", "created_by").filter(pk=job_id).first()
    if job is None or job.status not in (ImportStatus.PENDING, ImportStatus.RUNNING):
        return "skipped"
    return run_job(job).status
