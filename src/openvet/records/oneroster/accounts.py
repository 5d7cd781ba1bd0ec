"""Accounts for the people of a OneRoster bundle: created through identity, then linked."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from openvet.core.models import OrgUnit
from openvet.core.policy import Actor
from openvet.identity import services as identity
from openvet.records import services as records
from openvet.records.models import Staff, Student


def link_accounts(
    actor: Actor,
    school: OrgUnit,
    kind: str,
    rows: list[tuple[int, dict[str, Any]]],
    lines: dict[int, dict[str, str]],
) -> list[dict[str, Any]]:
    """Give every imported person with a username an account; returns problems."""
    model, number_field = (
        (Student, "student_number") if kind == "student" else (Staff, "staff_number")
    )
    wanted = {
        lines[line].get("username", ""): (line, raw)
        for line, raw in rows
        if lines[line].get("username")
    }
    taken = set(
        get_user_model().objects.filter(username__in=wanted).values_list("username", flat=True)
    )
    records_by_number = {
        getattr(r, number_field): r
        for r in model.objects.filter(
            school=school, **{f"{number_field}__in": [raw[number_field] for _l, raw in rows]}
        )
    }
    problems = []
    for username, (line, raw) in wanted.items():
        record = records_by_number[raw[number_field]]
        if username in taken:
            if record.user is None or record.user.username != username:
                problems.append(
                    {
                        "file": "users.csv",
                        "line": line,
                        "column": "username",
                        "message": _("This username is already taken."),
                    }
                )
            continue
        user = identity.user_create(
            actor=actor, username=username, full_name=raw["name"], home_org=record.org
        )
        if isinstance(record, Student):
            records.student_link_user(actor=actor, student=record, user=user)
        elif isinstance(record, Staff):
            records.staff_link_user(actor=actor, staff=record, user=user)
    return problems
