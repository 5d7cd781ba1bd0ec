"""What an import did with each file of the bundle, and why it left rows out."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IMPORTED, UPDATED, UNCHANGED, SKIPPED = "imported", "updated", "unchanged", "skipped"
OUTCOMES = (IMPORTED, UPDATED, UNCHANGED, SKIPPED)


@dataclass
class ImportSummary:
    """Per file, how many rows were imported (a new record), updated, unchanged or skipped;
    ``skipped`` names each skipped row with its reason, in the request's language."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def add(self, file: str, outcome: str, count: int = 1) -> None:
        entry = self.counts.setdefault(file, dict.fromkeys(OUTCOMES, 0))
        entry[outcome] += count

    def skip(self, name: str, row: dict[str, str], reason: str) -> None:
        file = f"{name}.csv"
        self.add(file, SKIPPED)
        self.skipped.append(
            {
                "file": file,
                "line": int(row["_line"]),
                "sourcedId": row.get("sourcedId", ""),
                "reason": reason,
            }
        )


def outcome_of(*, created: bool, changed: bool) -> str:
    if created:
        return IMPORTED
    return UPDATED if changed else UNCHANGED


def skip_reason(key: str) -> str:
    """Why rows are left out, in the active language."""
    reasons = {
        "tobedeleted": _("The bundle marks it tobedeleted."),
        "second_school": _(
            "The bundle has more than one school; only the first is imported into this school."
        ),
        "region": _(
            "Organisations above the school are not created; the school already sits in the "
            "organisation tree."
        ),
        "parent": _("Its parent organisation was not imported."),
        "scheduled": _(
            "Scheduled classes are teaching sections; only homeroom classes become classes."
        ),
        "courses": _(
            "Courses are not imported: a course of the teaching catalogue needs hours, credits "
            "and an assessment that a OneRoster course does not carry."
        ),
        "academicSessions": _(
            "Academic sessions are not imported: a teaching term needs its first teaching week "
            "and number of weeks; a homeroom class takes its grade year from its session."
        ),
        "userProfiles": _(
            "User profiles are not imported; accounts take the username in users.csv."
        ),
        "class_missing": _("Its class was not imported."),
        "not_student": _("Only students' enrollments in homeroom classes are kept."),
        "second_homeroom": _("The student is already enrolled in another homeroom class."),
        "user_missing": _("Its user was not imported."),
        "secondary_role": _("Only the primary role of an imported user is kept."),
    }
    return reasons[key]


# The other roles of OneRoster 1.1 and 1.2 (the role vocabulary of users / roles).
ROLE_LABELS = {
    "administrator": gettext_lazy("administrators"),
    "aide": gettext_lazy("aides"),
    "districtAdministrator": gettext_lazy("district administrators"),
    "guardian": gettext_lazy("guardians"),
    "parent": gettext_lazy("parents"),
    "principal": gettext_lazy("principals"),
    "proctor": gettext_lazy("proctors"),
    "relative": gettext_lazy("relatives"),
    "siteAdministrator": gettext_lazy("site administrators"),
    "systemAdministrator": gettext_lazy("system administrators"),
}


def role_skip_reason(role: str) -> str:
    label = ROLE_LABELS.get(role, role or "-")
    return _("Only students and teachers are imported, not %(role)s.") % {"role": label}
