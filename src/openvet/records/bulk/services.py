"""Writes of bulk import: accept an upload as an import job and run it (inline for small
files, as a background task for large ones)."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.errors import ValidationFailed
from openvet.core.models import OrgUnit
from openvet.core.policy import Actor
from openvet.core.tasks import on_commit
from openvet.records.bulk.models import ImportJob, ImportKind, ImportMode
from openvet.records.bulk.reader import guard_workbook, workbook_format
from openvet.records.services.common import require_school

# Above this many rows the import runs as a background job with a progress bar.
LARGE_FILE_ROWS = 2_000
# Capability needed to import each kind, checked at the school.
IMPORT_CAPABILITY: dict[str, str] = {
    ImportKind.STUDENT: "records.add_student",
    ImportKind.STAFF: "records.add_staff",
    ImportKind.CLASS: "core.add_orgunit",
    ImportKind.MAJOR: "core.add_orgunit",
}


def can_import(actor: Actor, kind: str, school: OrgUnit) -> bool:
    return kind in IMPORT_CAPABILITY and policy.has_capability(
        actor, IMPORT_CAPABILITY[kind], school
    )


def import_job_create(
    *, actor: Actor, school: OrgUnit, kind: str, mode: str, upload: UploadedFile
) -> ImportJob:
    """Store the upload as a job and start it. Small files are processed before this
    returns; large ones in a background task (inline too when Celery runs eagerly)."""
    require_school(school)
    if kind not in ImportKind.values:
        raise ValidationFailed(details={"kind": _("Choose what the file holds.")})
    if mode not in ImportMode.values:
        raise ValidationFailed(details={"mode": _("Choose what to do with bad rows.")})
    policy.require(actor, IMPORT_CAPABILITY[kind], school)
    # The upload guard (ADR-0211) refuses a bomb or an oversized sheet before it is stored.
    guard_workbook(upload)
    upload.seek(0)
    with transaction.atomic():
        job = ImportJob(
            school=school,
            created_by_id=actor.pk,
            kind=kind,
            mode=mode,
            file_name=(upload.name or "upload.xlsx")[-200:],
            language=get_language() or "",
        )
        extension = workbook_format(upload) or "xlsx"
        job.file.save(f"{kind}-{school.pk}.{extension}", upload, save=False)
        job.save()
    if _is_large(job):
        from openvet.records.bulk.tasks import run_import

        on_commit(run_import, job.pk)
        job.refresh_from_db()
        return job
    from openvet.records.bulk.pipeline import run_job

    return run_job(job)


def _is_large(job: ImportJob) -> bool:
    """Counted from the sheet's row tags by a byte scan: no XML parsing before the job."""
    from openvet.records.bulk.reader import count_rows

    with job.file.open("rb") as handle:
        return count_rows(handle) > LARGE_FILE_ROWS
