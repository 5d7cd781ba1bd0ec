"""The audit log page shows every kind of change value as what it is, in the reader's language."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openvet.core.audit import ChangeLine, audit_change_lines, audit_record
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


def test_every_value_kind_becomes_one_readable_line() -> None:
    with translation.override("en"):
        lines = _lines()

    # Known fields in a fixed order (jsonb on PostgreSQL keeps none), then the others.
    assert lines == [
        ChangeLine("Role", "School administrator"),
        ChangeLine("Organisation", "School A"),
        ChangeLine("Expires", "∅"),
        ChangeLine("Active", "No", "Yes"),
        ChangeLine("Full name", "After", "Before"),
        ChangeLine("Citizen ID number", "***"),
        ChangeLine("Must change password", "Yes"),
        ChangeLine("Field", "Citizen ID number"),
        ChangeLine("Fields", "Mobile number, Citizen ID number"),
        ChangeLine("Status", "approved"),
        ChangeLine("Role grants moved", "2"),
        ChangeLine("Unlocked", "IP address"),
        ChangeLine("Scopes", "read, write"),
        ChangeLine("counts", "created: 3; updated: 0"),
    ]


def test_the_lines_speak_chinese_to_a_chinese_reader() -> None:
    with translation.override("zh-hans"):
        lines = _lines()

    assert [(line.label, line.before, line.after) for line in lines[:4]] == [
        ("角色", None, "学校管理员"),
        ("组织", None, "School A"),
        ("到期时间", None, "∅"),
        ("启用", "是", "否"),
    ]


def _lines() -> list[ChangeLine]:
    return audit_change_lines(
        {
            "full_name": ["Before", "After"],
            "status": [None, "approved"],
            "is_active": [True, False],
            "role": "school_admin",
            "org": 7,
            "moved": 2,
            "must_change_password": True,
            "expires_at": "",
            "fields": ["mobile", "id_number"],
            "field": "id_number",
            "counts": {"created": 3, "updated": 0},
            "id_number": "***",
            "scopes": ["read", "write"],
            "unlock": "ip_address",
        },
        org_names={7: "School A"},
    )


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
    assert _changes_cells(english.content.decode()) == [
        ["Role: Teacher", "Organisation: School A", "Expires: ∅"]
    ]
    assert _changes_cells(chinese.content.decode()) == [
        ["角色: 教师", "组织: School A", "到期时间: ∅"]
    ]


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

    assert _changes_cells(response.content.decode()) == [["启用: 是 → 否", "密码: 已修改"]]


def test_fields_of_the_entrys_model_use_its_names_and_choices() -> None:
    with translation.override("zh-hans"):
        lines = audit_change_lines(
            {"kind": [None, "school"], "name_en": ["Old", "New"], "not_a_field": 1},
            object_type="core.orgunit",
        )

    assert lines == [
        ChangeLine("类型", "学校"),
        ChangeLine("英文名称", "New", "Old"),
        ChangeLine("not_a_field", "1"),
    ]
