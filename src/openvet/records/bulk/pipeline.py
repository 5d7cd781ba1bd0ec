"""Running an import job: read the stored workbook, validate every row, write, report."""

import logging
from typing import Any

from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openvet.core.errors import DomainError
from openvet.records.bulk.models import ImportJob, ImportKind, ImportMode, ImportStatus
from openvet.records.bulk.orgs import ClassImporter, MajorImporter
from openvet.records.bulk.people import Outcome, StaffImporter, StudentImporter
from openvet.records.bulk.reader import WorkbookError, read_sheet

logger = logging.getLogger(__name__)

IMPORTERS: dict[str, Any] = {
    ImportKind.STUDENT: StudentImporter,
    ImportKind.STAFF: StaffImporter,
    ImportKind.CLASS: ClassImporter,
    ImportKind.MAJOR: MajorImporter,
}


def run_job(job: ImportJob) -> ImportJob:
    """Process ``job`` in its uploader's language; never raises for bad input."""
    with translation.override(job.language or None):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
        try:
            _run(job)
        except WorkbookError as exc:
            _finish(job, ImportStatus.REJECTED, errors=exc.problems)
        except DomainError as exc:
            _finish(job, ImportStatus.FAILED, errors=[_whole(str(exc.message))])
        except MemoryError:
            # Whatever happened, the job must not stay "running" (ADR-0211).
            logger.exception("import job %s ran out of memory", job.pk)
            _finish(job, ImportStatus.FAILED, errors=[_whole(_out_of_memory())])
        except Exception:
            logger.exception("import job %s failed", job.pk)
            _finish(job, ImportStatus.FAILED, errors=[_whole(_unexpected(job))])
    job.refresh_from_db()
    return job


def _out_of_memory() -> str:
    return _(
        "The file needs more memory than the server allows; nothing was imported. Split it "
        "into smaller files and upload them one by one."
    )


def _unexpected(job: ImportJob) -> str:
    return _(
        "The import stopped because of an unexpected error on the server; nothing was "
        "imported. Tell your administrator the job number %(job)s."
    ) % {"job": job.pk}


def _whole(message: str) -> dict[str, Any]:
    return {"row": None, "column": "", "message": message}


def _run(job: ImportJob) -> None:
    with job.file.open("rb") as handle:
        sheet = read_sheet(handle, job.kind)
    total = len(sheet.rows)
    ImportJob.objects.filter(pk=job.pk).update(total=total, progress=0)
    if total == 0:
        raise WorkbookError([_whole(_("The file has no data rows below the headers."))])

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=min(done, total))

    importer = IMPORTERS[job.kind](
        actor=job.created_by, school=job.school, progress=progress, job_id=job.pk
    )
    all_or_nothing = job.mode == ImportMode.ALL_OR_NOTHING
    if sheet.problems and all_or_nothing:
        # Cell problems (formulas, numeric IDs) already doom the file: still validate every
        # row so the report is complete, but never write.
        outcome = importer.run(sheet.rows, all_or_nothing=True, dry_run=True)
        outcome.errors = _merge(sheet.problems, outcome.errors)
        outcome.written = False
    else:
        # Rows the reader found bad are still validated (every problem in one report) but
        # never written.
        blocked = frozenset(p["row"] for p in sheet.problems)
        outcome = importer.run(sheet.rows, all_or_nothing=all_or_nothing, blocked=blocked)
        outcome.errors = _merge(sheet.problems, outcome.errors)
        outcome.skipped = len({p["row"] for p in outcome.errors})
    status = ImportStatus.DONE if outcome.written else ImportStatus.REJECTED
    _finish(job, status, outcome=outcome, notices=sheet.notices)


def _merge(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen = {(p["row"], p["column"]) for p in first}
    merged = first + [p for p in second if (p["row"], p["column"]) not in seen]
    return sorted(merged, key=lambda p: (p["row"] or 0, p["column"]))


def _finish(
    job: ImportJob,
    status: str,
    *,
    outcome: Outcome | None = None,
    errors: list[dict[str, Any]] | None = None,
    notices: list[str] | None = None,
) -> None:
    outcome = outcome or Outcome(errors=errors or [])
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        progress=F("total"),
        created_count=outcome.created,
        updated_count=outcome.updated,
        unchanged_count=outcome.unchanged,
        skipped_count=outcome.skipped if outcome.written else 0,
        errors=outcome.errors,
        notices=notices or [],
        finished_at=timezone.now(),
    )
