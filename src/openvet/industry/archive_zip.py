"""An archived internship's papers as one .zip (R23, ADR 0626): the three-party agreement as
uploaded, the weekly journals with their co-signatures, both mentors' assessments and the
grade, as UTF-8 text in the reader's language. Only an archived placement (R23 satisfied) has
one: until then the archive is incomplete by the rule's own test."""

import io
import zipfile
from pathlib import PurePosixPath

from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core.errors import Conflict
from openvet.industry.models import Placement


def _journals(placement: Placement) -> str:
    lines: list[str] = []
    for journal in placement.journals.select_related("cosigned_by").order_by("week_start"):
        signed = (
            _("co-signed by %(name)s") % {"name": journal.cosigned_by.full_name}
            if journal.cosigned_by
            else _("not co-signed")
        )
        heading = _("Week starting %(day)s") % {"day": journal.week_start.isoformat()}
        lines += [f"{heading} ({signed})", journal.text.strip(), ""]
    return "\n".join(lines)


def _assessments(placement: Placement) -> str:
    lines = [f"{_('Grade')}: {placement.get_grade_display()}", ""]
    for evaluation in placement.evaluations.select_related("evaluator").order_by("side"):
        lines += [
            f"{evaluation.get_side_display()} · {evaluation.evaluator.full_name} · "
            f"{_('score')} {evaluation.score}",
            evaluation.comment.strip(),
            "",
        ]
    return "\n".join(lines)


def archive_zip(placement: Placement) -> bytes:
    """The papers of ``placement``; a ``Conflict`` while it is not archived."""
    if placement.archived_at is None:
        raise Conflict(
            _("The internship is not archived yet: archive it once its papers are all there.")
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if placement.agreement:
            suffix = PurePosixPath(placement.agreement.name).suffix or ".pdf"
            with placement.agreement.open("rb") as agreement:
                archive.writestr(_("agreement") + suffix, agreement.read())
        archive.writestr(_("journals") + ".txt", _journals(placement))
        archive.writestr(_("assessments and grade") + ".txt", _assessments(placement))
    return buffer.getvalue()


def archive_filename(placement: Placement) -> str:
    day = timezone.localdate(placement.archived_at) if placement.archived_at else ""
    return f"internship-{placement.pk}-{day}.zip"
