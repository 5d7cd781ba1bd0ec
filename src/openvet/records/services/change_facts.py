"""A status change in words: the kind (change of major), the reason, and old → new by name.

Shared by the approval cards (``describe_status_changes``, registered with the process kind)
and the change's own page, so neither shows ``target_major_id 15``.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from openvet.core.models import OrgUnit
from openvet.records.codes import ChangeReason, ChangeType
from openvet.records.models import StatusChange
from openvet.workflow.contracts import InstanceInfo, SubjectDescription, SubjectFact

_ORG_KEYS = ("target_major_id", "target_class_id", "target_school_id")
_BEFORE_KEYS = ("major", "class_unit")


def _org_ids(changes: Iterable[StatusChange]) -> set[int]:
    ids: set[int] = set()
    for change in changes:
        ids.update(int(change.details[key]) for key in _ORG_KEYS if change.details.get(key))
        ids.update(int(change.before[key]) for key in _BEFORE_KEYS if change.before.get(key))
    return ids


def _names(changes: Sequence[StatusChange]) -> dict[int, str]:
    return dict(OrgUnit.objects.filter(pk__in=_org_ids(changes)).values_list("pk", "name"))


def _arrow(old: str, new: str) -> str:
    return f"{old or '—'} → {new or '—'}"


def change_facts(change: StatusChange, names: Mapping[int, str]) -> list[SubjectFact]:
    """The facts an approver decides on, names instead of ids."""
    details: dict[str, Any] = change.details or {}
    before: dict[str, Any] = change.before or {}

    def name(value: Any) -> str:
        return names.get(int(value), "") if value else ""

    facts = [
        SubjectFact(
            label=_("Student"), value=f"{change.student.name} ({change.student.student_number})"
        )
    ]
    if change.change_type == ChangeType.CHANGE_MAJOR:
        facts.append(
            SubjectFact(
                label=_("Major"),
                value=_arrow(name(before.get("major")), name(details.get("target_major_id"))),
            )
        )
        facts.append(
            SubjectFact(
                label=_("Class"),
                value=_arrow(name(before.get("class_unit")), name(details.get("target_class_id"))),
            )
        )
    if details.get("target_school_id"):
        facts.append(
            SubjectFact(label=_("Receiving school"), value=name(details["target_school_id"]))
        )
    if details.get("target_major_code"):
        facts.append(
            SubjectFact(
                label=_("Major code at the receiving school"), value=details["target_major_code"]
            )
        )
    if details.get("planned_return_date"):
        facts.append(
            SubjectFact(label=_("Planned return date"), value=str(details["planned_return_date"]))
        )
    if details.get("extra_years"):
        facts.append(SubjectFact(label=_("Extra years"), value=str(details["extra_years"])))
    return facts


def change_reason_text(change: StatusChange) -> str:
    """The coded reason and the applicant's explanation, as one line."""
    parts = [str(ChangeReason(change.reason).label)] if change.reason else []
    if change.note:
        parts.append(change.note)
    return " · ".join(parts)


def status_change_facts(change: StatusChange) -> list[SubjectFact]:
    """For the change's own page."""
    return change_facts(change, _names([change]))


def describe_status_changes(infos: Sequence[InstanceInfo]) -> dict[int, SubjectDescription]:
    """Cards of status change requests: two queries for a whole page."""
    by_pk = {int(info.subject_id): info.id for info in infos if info.subject_id.isdigit()}
    # Only what the card says: the student's other columns (encrypted ones among them) stay
    # unread.
    changes = list(
        StatusChange.objects.filter(pk__in=by_pk)
        .select_related("student")
        .only(
            "change_type",
            "reason",
            "note",
            "details",
            "before",
            "student__name",
            "student__student_number",
        )
    )
    names = _names(changes)
    return {
        by_pk[change.pk]: SubjectDescription(
            what=ChangeType(change.change_type).label,
            reason=change_reason_text(change),
            facts=tuple(change_facts(change, names)),
            url=reverse("records:change-detail", args=[change.pk]),
        )
        for change in changes
    }
