"""The audit log in the reader's words: each recorded change as a label and its values.

An entry stores what the writing service gave it (``{"status": [None, "present"]}``,
``{"from": [None, "2026-12-07"]}``, ``{"counts": {...}}``). The page shows the field's
translated name, code values through their labels (``present`` → 出勤), related rows by
their name, yes/no for flags and a creation as the new value only. Keys that are not fields
of the object's model take their label from ``EXTRA_LABELS``; an app whose values need its
own knowledge (a process kind's name) registers a renderer with ``register_change_words``.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core.models import AuditEntry
from openvet.core.roles import Role

ValueWords = Callable[[Any], str | None]
_RENDERERS: dict[tuple[str, str], ValueWords] = {}
_SUBJECT = re.compile(r"^(?P<label>[a-z_]+\.[a-z_]+):(?P<pk>\w+)$")

# Keys services record that are not fields of the object's model.
EXTRA_LABELS: dict[str, str | Promise] = {
    "absent": gettext_lazy("Absent"),
    "cause": gettext_lazy("Cause"),
    "change": gettext_lazy("Status change"),
    "change_type": gettext_lazy("Kind of change"),
    "class_unit": gettext_lazy("Class"),
    "closed": gettext_lazy("Closed"),
    "closes_at": gettext_lazy("Closes at"),
    "code": gettext_lazy("Code"),
    "counts": gettext_lazy("Counts"),
    "created": gettext_lazy("Created"),
    "date": gettext_lazy("Date"),
    "department": gettext_lazy("Department"),
    "details": gettext_lazy("Details"),
    "field": gettext_lazy("Field"),
    "fields": gettext_lazy("Fields"),
    "filters": gettext_lazy("Filters"),
    "from": gettext_lazy("From"),
    "from_school": gettext_lazy("From school"),
    "home_org": gettext_lazy("Home organisation"),
    "id_numbers": gettext_lazy("ID numbers"),
    "kind": gettext_lazy("Kind"),
    "location": gettext_lazy("Location"),
    "major": gettext_lazy("Major"),
    "lottery_seed": gettext_lazy("Lottery seed"),
    "moved": gettext_lazy("Moved"),
    "opens_at": gettext_lazy("Opens at"),
    "password": gettext_lazy("Password"),
    "attempts_cleared": gettext_lazy("Failed attempts cleared"),
    "ip_address": gettext_lazy("IP address"),
    "scopes": gettext_lazy("Scopes"),
    "unlock": gettext_lazy("Unlocked"),
    "org": gettext_lazy("Organisation"),
    "on_behalf_of": gettext_lazy("On behalf of"),
    "decided_by": gettext_lazy("Decided by"),
    "expires_at": gettext_lazy("Expires"),
    "questions": gettext_lazy("Questions"),
    "revoked": gettext_lazy("Revoked"),
    "role": gettext_lazy("Role"),
    "rows": gettext_lazy("Rows"),
    "school": gettext_lazy("School"),
    "subject": gettext_lazy("Subject"),
    "to": gettext_lazy("To"),
    "token": gettext_lazy("Token"),
    "totp": gettext_lazy("One-time code"),
    "transferred_from": gettext_lazy("Transferred from"),
    "updated": gettext_lazy("Updated"),
}


# Recorded words that are values, not names: shown in the reader's language.
VALUE_WORDS: dict[str, str | Promise] = {
    "changed": gettext_lazy("changed"),
    "enrolled": gettext_lazy("enrolled"),
    "revoked": gettext_lazy("revoked"),
    "read": gettext_lazy("read"),
    "write": gettext_lazy("write"),
}
# Keys whose value is a list of names even with two items (not an [old, new] pair), and keys
# whose text names fields of the object (shown by those fields' labels).
_NAME_LIST_KEYS = frozenset({"fields", "scopes"})
_FIELD_NAME_KEYS = frozenset({"field", "fields", "unlock"})


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str | None  # None: nothing before (a creation) or a single recorded value
    new: str


def register_change_words(object_type: str, key: str, render: ValueWords) -> None:
    """Render the values recorded under ``key`` for objects of ``object_type``
    (``"workflow.processinstance"``); ``render`` returns None to fall back to the default."""
    _RENDERERS[(object_type, key)] = render


def audit_change_lines(entry: AuditEntry) -> list[ChangeLine]:
    return change_lines(object_type=entry.object_type, changes=entry.changes or {})


def change_lines(*, object_type: str, changes: Mapping[str, Any]) -> list[ChangeLine]:
    """Recorded changes of an object of ``object_type`` (a model label) in the reader's words;
    also used for histories kept in the same ``{key: [old, new]}`` shape."""
    model = _model_of(object_type)
    lines = []
    # jsonb on PostgreSQL keeps no order: sort, so both databases show the same page.
    for key, recorded in sorted(changes.items()):
        field = _field_of(model, key)
        render = _RENDERERS.get((object_type, key))
        if render is None and key in _FIELD_NAME_KEYS:
            render = _field_names_of(model)
        elif render is None and key == "role":
            render = _role_label
        label = _field_label(field) if field is not None else _label_of(key)
        if _is_pair(key, recorded):
            old, new = recorded
            lines.append(
                ChangeLine(
                    label=label,
                    old=None if old is None else _words(old, field, render),
                    new=_words(new, field, render),
                )
            )
        else:
            lines.append(ChangeLine(label=label, old=None, new=_words(recorded, field, render)))
    return lines


def _is_pair(key: str, recorded: Any) -> bool:
    if not isinstance(recorded, list) or len(recorded) != 2:
        return False
    return not (key in _NAME_LIST_KEYS and all(isinstance(item, str) for item in recorded))


def _role_label(value: Any) -> str | None:
    return str(Role(value).label) if value in Role.values else None


def _field_names_of(model: type[models.Model] | None) -> ValueWords:
    def render(value: Any) -> str | None:
        names = value if isinstance(value, list) else str(value).split(",")
        labels = []
        for name in names:
            field = _field_of(model, str(name).strip())
            labels.append(_field_label(field) if field is not None else _label_of(str(name)))
        return ", ".join(labels)

    return render


def _model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _field_of(model: type[models.Model] | None, key: str) -> Any:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    # A key named like a reverse relation (``change`` of a student's status changes) is an
    # entry's own detail, not a column of the row: it is labelled as a key.
    return None if isinstance(field, models.ForeignObjectRel) else field


def _field_label(field: Any) -> str:
    """A field's translated name. One left with the automatic (untranslated) name takes its
    label from ``EXTRA_LABELS``, or, for a relation named after its model, the model's name."""
    if field.verbose_name != field.name.replace("_", " "):
        return capfirst(str(field.verbose_name))
    if field.name in EXTRA_LABELS:
        return str(EXTRA_LABELS[field.name])
    related = field.related_model if field.is_relation else None
    if related is not None and related._meta.model_name == field.name.replace("_", ""):
        return capfirst(str(related._meta.verbose_name))
    return capfirst(str(field.verbose_name))


def _label_of(key: str) -> str:
    label = EXTRA_LABELS.get(key)
    return str(label) if label is not None else _("Other detail")


def _words(value: Any, field: Any, render: ValueWords | None) -> str:
    if render is not None and (rendered := render(value)) is not None:
        return rendered
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return "; ".join(f"{_label_of(str(k))}: {_words(v, None, None)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_words(v, field, None) for v in value)
    if isinstance(value, str) and value in VALUE_WORDS:
        return str(VALUE_WORDS[value])
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation and field.related_model is not None:
        row = field.related_model._default_manager.filter(pk=value).first()
        return str(row) if row is not None else str(value)
    if isinstance(value, str) and (match := _SUBJECT.match(value)):
        subject = _model_of(match["label"])
        if subject is not None:
            return f"{subject._meta.verbose_name} {match['pk']}"
    return str(value)


# Jobs that act on many rows record a label rather than one object ("import student",
# "export students xlsx", "demo data"); the log shows it in the reader's words.
_JOB_LABEL = re.compile(r"^(?P<verb>import|export) (?P<what>\w+)(?: (?P<format>\w+))?$")
_JOB_VERBS: dict[str, Promise] = {
    "import": gettext_lazy("Import of %(what)s"),
    "export": gettext_lazy("Export of %(what)s"),
}
_JOB_SUBJECTS: dict[str, Promise | str] = {
    "student": gettext_lazy("students"),
    "students": gettext_lazy("students"),
    "staff": gettext_lazy("staff"),
    "major": gettext_lazy("majors"),
    "class": gettext_lazy("classes"),
    "oneroster": "OneRoster",
}
_FIXED_LABELS: dict[str, Promise] = {"demo data": gettext_lazy("Demo data")}


def object_label_words(label: str) -> str:
    """An entry's object label, with the labels of jobs said in the reader's words."""
    if label in _FIXED_LABELS:
        return str(_FIXED_LABELS[label])
    job = _JOB_LABEL.match(label)
    if job is None or job["what"] not in _JOB_SUBJECTS:
        return label
    words = str(_JOB_VERBS[job["verb"]]) % {"what": _JOB_SUBJECTS[job["what"]]}
    return f"{words} ({job['format']})" if job["format"] else words
