"""Words for early warnings: the reason of a warning in the reader's language."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openvet.lrs.models import AcademicWarning, WarningKind


def warning_reason(warning: AcademicWarning) -> str:
    return reason_text(warning.kind, warning.details)


def reason_text(kind: str, details: dict[str, Any]) -> str:
    days = details.get("days", 0)
    if kind == WarningKind.INACTIVE:
        if not details.get("count"):
            return ngettext(
                "No learning records in the last %(days)s day.",
                "No learning records in the last %(days)s days.",
                days,
            ) % {"days": days}
        return _("Only %(count)s learning records in the last %(days)s days.") % {
            "count": details["count"],
            "days": days,
        }
    if kind == WarningKind.ABSENCES:
        return _("Missed %(count)s classes in the last %(days)s days.") % {
            "count": details.get("count", 0),
            "days": days,
        }
    if kind == WarningKind.LOW_GRADE:
        return _(
            "%(count)s grades below %(threshold)s in the last %(days)s days; lowest %(lowest)s."
        ) % {
            "count": details.get("count", 0),
            "threshold": details.get("threshold", 0),
            "days": days,
            "lowest": details.get("lowest", ""),
        }
    return _(
        "Learning records fell from %(before)s to %(after)s, comparing the last %(days)s days "
        "with the %(days)s days before."
    ) % {"before": details.get("before", 0), "after": details.get("after", 0), "days": days}
