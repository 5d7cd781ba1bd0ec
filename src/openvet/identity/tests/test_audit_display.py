"""The audit log page shows every kind of change value as what it is, in the reader's language."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openvet.core.audit import audit_record
from openvet.core.audit_words import ChangeLine, change_lines
from openvet.core.models import AuditAction
from openvet.core.roles import Role
from openvet.core.tests.factories import province, school
from openvet.identity import services
from openvet.identity.tests.factories import UserFactory, user_with_role
from openvet.identity.tests.support import sign_in

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-hans"}


def _changes_cells(html: str) -> list[list[str]]:
    """The lines of each entry's Changes cell, as the reader sees them."""
    cells = re.findall(r'data-label="(?:Changes|变更内容)"[^>]*>(.*?)</td>', html, re.S)
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line)).strip() for line in lines]
        for lines in (cell.split("</div>")[:-1] for cell in cells)
    ]


def _lines() -> list[ChangeLine]:
    return change_lines(
        object_type="identity.user",
        changes={
            "full_name": ["Before", "After"],
            "is_active": [True, False],
            "role": "school_admin",
            "must_change_password": True,
            "expires_at": "",
            "fields": ["mobile", "id_number"],
            "field": "id_number",
            "counts": {"created": 3, "updated": 0},
            "id_number": "***",
            "scopes": ["read", "write"],
            "unlock": "ip_address",
        },
    )


def test_every_value_kind_becomes_one_readable_line() -> None:
    with translation.override("en"):
        lines = _lines()

    # Sorted by key: jsonb on PostgreSQL keeps no order, and both databases show one page.
    assert lines == [
        ChangeLine("Counts", None, "Created: 3; Updated: 0"),
        ChangeLine("Expires", None, "—"),
        ChangeLine("Field", None, "Citizen ID number"),
        ChangeLine("Fields", None, "Mobile number, Citizen ID number"),
        ChangeLine("Full name", "Before", "After"),
        ChangeLine("Citizen ID number", None, "***"),
        ChangeLine("Active", "Yes", "No"),
        ChangeLine("Must change password", None, "Yes"),
        ChangeLine("Role", None, "School administrator"),
        ChangeLine("Scopes", None, "read, write"),
        ChangeLine("Unlocked", None, "IP address"),
    ]


def test_the_lines_speak_chinese_to_a_chinese_reader() -> None:
    with translation.override("zh-hans"):
        lines = {line.label: (line.old, line.new) for line in _lines()}

    assert lines["角色"] == (None, "学校管理员")
    assert lines["有效"] == ("是", "否")
    assert lines["权限范围"] == (None, "只读, 读写")
    assert lines["到期时间"] == (None, "—")


def test_role_grant_shows_the_role_and_the_org_by_name(client: Client) -> None:
    college = school(province(), name="School A")
    admin = user_with_role(Role.SCHOOL_ADMIN, college)
    auditor = user_with_role(Role.AUDIT_ADMIN, college)
    teacher = UserFactory(home_org=college)
    services.role_grant(actor=admin, user=teacher, role=Role.TEACHER, org=college)
    sign_in(client, auditor)

    english = client.get(reverse("core:audit-list"), {"action": AuditAction.CREATE}, headers=EN)
    chinese = client.get(reverse("core:audit-list"), {"action": AuditAction.CREATE}, headers=ZH)

    assert english.status_code == 200
    [english_lines] = _changes_cells(english.content.decode())
    [chinese_lines] = _changes_cells(chinese.content.decode())
    assert "Role: Teacher" in english_lines
    assert any(line.endswith(": School A") for line in english_lines)
    assert "角色: 教师" in chinese_lines
    assert not any("teacher" in line or re.search(r": \d+$", line) for line in english_lines)


def test_before_and_after_pairs_and_plain_values_on_the_page(client: Client) -> None:
    college = school()
    auditor = user_with_role(Role.AUDIT_ADMIN, college)
    audit_record(
        action=AuditAction.SECURITY,
        org=college,
        object_label="wang",
        changes={"password": "changed", "is_active": [True, False]},
    )
    sign_in(client, auditor)

    response = client.get(reverse("core:audit-list"), {"action": AuditAction.SECURITY}, headers=ZH)

    [lines] = _changes_cells(response.content.decode())
    assert lines[0].endswith(": 是 → 否")
    assert lines[1] == "密码: 已修改"


def test_fields_of_the_entrys_model_use_its_names_and_choices() -> None:
    with translation.override("zh-hans"):
        lines = change_lines(
            object_type="core.orgunit",
            changes={"kind": [None, "school"], "name_en": ["Old", "New"], "not_a_field": 1},
        )

    assert lines == [
        ChangeLine("类型", None, "学校"),
        ChangeLine("英文名称", "Old", "New"),
        ChangeLine("其他信息", None, "1"),
    ]
