"""Import jobs: one uploaded workbook, its progress and its report of bad rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

# Above this many rows the upload is not handed back with an errors column (ADR-0211).
ERROR_FILE_MAX_ROWS = 5_000


class ImportKind(models.TextChoices):
    STUDENT = "student", _("Students")
    STAFF = "staff", _("Staff")
    CLASS = "class", _("Classes")
    MAJOR = "major", _("Majors")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all-or-nothing", _("Import nothing unless every row is valid")
    VALID_ROWS = "valid-rows", _("Import the valid rows, skip the bad ones")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Not imported: the file has errors")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One import of an Excel workbook into a school. ``errors`` lists every bad row as
    ``{"row": n, "column": header, "message": text}`` in the language of the uploader."""

    school = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of data"), max_length=12, choices=ImportKind.choices)
    mode = models.CharField(
        _("when some rows are bad"),
        max_length=16,
        choices=ImportMode.choices,
        default=ImportMode.ALL_OR_NOTHING,
    )
    file = models.FileField(_("file"), upload_to="records/imports/%Y/")
    file_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ImportStatus.choices,
        default=ImportStatus.PENDING,
        db_index=True,
    )
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    notices = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.is_finished else int(100 * self.progress / max(self.total, 1))

    @property
    def has_error_file(self) -> bool:
        """The upload can be handed back with an errors column: only an .xlsx is rewritten,
        and only up to ``ERROR_FILE_MAX_ROWS`` rows, as openpyxl then holds the whole
        workbook in memory (a few hundred bytes a cell)."""
        return (
            bool(self.errors)
            and self.file.name.endswith(".xlsx")
            and self.total <= ERROR_FILE_MAX_ROWS
        )

    @property
    def bad_row_count(self) -> int:
        """Rows of the file with at least one problem (problems of the whole file have none)."""
        return len({problem["row"] for problem in self.errors if problem.get("row")})

    @property
    def summary(self) -> str:
        """One sentence on what the import did, in the active language; empty while running.

        A rejected all-or-nothing import says that nothing was written and why, never
        "0 bad rows skipped": the bad rows stopped the whole file."""
        if self.status == ImportStatus.DONE:
            counts = {
                "created": self.created_count,
                "updated": self.updated_count,
                "unchanged": self.unchanged_count,
                "skipped": self.skipped_count,
            }
            if self.skipped_count:
                return (
                    gettext(
                        "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                        "%(skipped)s bad rows skipped."
                    )
                    % counts
                )
            return gettext("%(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % (
                counts
            )
        bad_rows = self.bad_row_count
        if self.status == ImportStatus.REJECTED and bad_rows:
            return ngettext(
                "Nothing was imported because %(count)s row is bad. Correct it and upload the "
                "file again, or choose to import the valid rows only.",
                "Nothing was imported because %(count)s rows are bad. Correct them and upload "
                "the file again, or choose to import the valid rows only.",
                bad_rows,
            ) % {"count": bad_rows}
        if self.status in (ImportStatus.REJECTED, ImportStatus.FAILED):
            return gettext("Nothing was imported: the problems are listed below.")
        return ""
