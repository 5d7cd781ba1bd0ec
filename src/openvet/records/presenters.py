"""Status changes and history in the reader's words: names of majors, classes and schools
instead of their ids, code values through their labels."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from openvet.core.audit_words import ChangeLine, change_lines, register_change_words
from openvet.core.models import OrgUnit
from openvet.records.codes import ChangeType
from openvet.records.forms import change_detail_labels
from openvet.records.models import StatusChange, StudentHistory

# Details that name an org unit by its id.
_ORG_DETAILS = ("target_major_id", "target_class_id", "target_school_id")


@dataclass(frozen=True)
class DetailLine:
    label: str
    value: str


def change_detail_lines(change: StatusChange) -> list[DetailLine]:
    """The details of an application (new major, planned return date...) with their labels,
    in the order of its form."""
    labels = change_detail_labels(change.change_type)
    given = {k: v for k, v in (change.details or {}).items() if v not in (None, "")}
    org_ids = [v for k, v in given.items() if k in _ORG_DETAILS]
    names = dict(OrgUnit.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    return [
        DetailLine(
            label=labels.get(key) or _("Other detail"),
            value=str(names.get(value, value)) if key in _ORG_DETAILS else str(value),
        )
        for key, value in sorted(given.items(), key=lambda item: _order(labels, item[0]))
    ]


def _order(labels: dict[str, str], key: str) -> int:
    """Details in the order the form asks for them (PostgreSQL keeps no key order)."""
    keys = list(labels)
    return keys.index(key) if key in keys else len(keys)


def history_lines(entry: StudentHistory) -> list[ChangeLine]:
    """What a history line changed (old → new) except the kind of change it names itself;
    the list of a new record's values is left to the record itself."""
    if entry.kind == StudentHistory.Kind.CREATED:
        return []
    changes = {k: v for k, v in (entry.changes or {}).items() if k != "change_type"}
    return change_lines(object_type="records.student", changes=changes)


def _change_type_words(value: Any) -> str | None:
    return str(ChangeType(value).label) if value in ChangeType.values else None


def _change_words(value: Any) -> str | None:
    change = StatusChange.objects.filter(pk=value).only("change_type").first()
    return None if change is None else str(change.get_change_type_display())


def register_change_words_of_records() -> None:
    """The audit log names the kind of change a student's entry records (called in ready)."""
    register_change_words("records.student", "change_type", _change_type_words)
    register_change_words("records.student", "change", _change_words)
