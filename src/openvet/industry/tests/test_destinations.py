"""The destination page and the class sheet (ADR 0627, 0628): who records whose graduates,
the employer chosen or typed with its credit code, the history of corrections, and the
sheet reporting every bad row at once."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from openvet.core.audit import AuditAction
from openvet.core.errors import ValidationFailed
from openvet.core.models import AuditEntry
from openvet.core.roles import Role
from openvet.identity.tests.factories import user_with_role
from openvet.industry import services
from openvet.industry.models import GraduateDestination
from openvet.industry.models_destinations import DestinationRevision
from openvet.industry.tests.conftest import World, credit_code
from openvet.records.tests.factories import student

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def counsellor_of(world: World) -> Any:
    return user_with_role(Role.COUNSELLOR, world.campus.klass, full_name="Counsellor")


def edit_url(world: World) -> str:
    return reverse("industry:destination-edit", args=[world.student.pk])


def form_values(**overrides: Any) -> dict[str, Any]:
    values = {
        "destination": "11",
        "employer_unit": "",
        "employer": "Hangzhou Gears Ltd",
        "employer_code": credit_code("MA0000099"),
        "region_code": "330106",
        "industry": "C",
        "salary_band": "5000",
        "related_to_major": "yes",
        "placed_on": "2026-07-01",
        "note": "",
    }
    values.update(overrides)
    return values


def sheet(*rows: tuple[Any, ...]) -> BytesIO:
    book = Workbook()
    page = book.active
    assert page is not None
    page.append(["Student number", "Destination", "Employer", "Code", "Region", "Industry"])
    for row in rows:
        page.append(list(row))
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "class.xlsx"
    return out


def test_a_counsellor_sees_the_class_list_of_their_classes_only(world: World) -> None:
    counsellor = counsellor_of(world)
    classmate = student(world.campus, name="Li Hua")
    elsewhere = student(world.campus, class_unit=world.campus.other_klass, name="Wang Fang")
    page = client_for(counsellor).get(reverse("industry:destination-list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert classmate.name in text
    assert elsewhere.name not in text
    other_class = reverse("industry:destination-list") + f"?class={world.campus.other_klass.pk}"
    assert client_for(counsellor).get(other_class).status_code == 404
    other_student = reverse("industry:destination-edit", args=[elsewhere.pk])
    assert client_for(counsellor).get(other_student).status_code == 404


def test_a_counsellor_records_a_typed_employer_with_its_credit_code(world: World) -> None:
    response = client_for(counsellor_of(world)).post(edit_url(world), form_values())
    assert response.status_code == 302
    row = GraduateDestination.objects.get(student=world.student)
    assert (row.destination, row.employer, row.employer_code) == (
        "11",
        "Hangzhou Gears Ltd",
        credit_code("MA0000099"),
    )
    assert row.placed_on == date(2026, 7, 1)
    assert row.related_to_major is True
    assert row.graduation_year == 2027


def test_a_wrong_credit_code_is_refused_and_the_form_keeps_what_was_typed(
    world: World,
) -> None:
    bad = credit_code("MA0000099")[:-1] + ("0" if credit_code("MA0000099")[-1] != "0" else "1")
    response = client_for(counsellor_of(world)).post(
        edit_url(world), form_values(employer_code=bad)
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "check character" in text
    assert "Hangzhou Gears Ltd" in text
    assert not GraduateDestination.objects.filter(student=world.student).exists()


def test_a_typed_employer_needs_its_credit_code(world: World) -> None:
    response = client_for(counsellor_of(world)).post(edit_url(world), form_values(employer_code=""))
    assert response.status_code == 422
    assert "unified social credit code of an employer typed by name" in response.content.decode()


def test_an_employer_chosen_from_the_library_brings_its_name_and_code(world: World) -> None:
    values = form_values(employer_unit=str(world.enterprise.pk), employer="", employer_code="")
    assert client_for(world.admin).post(edit_url(world), values).status_code == 302
    row = GraduateDestination.objects.get(student=world.student)
    assert row.employer_unit == world.enterprise
    assert (row.employer, row.employer_code) == (world.enterprise.name, world.enterprise.code)


def test_a_correction_keeps_the_history_and_an_audit_entry(world: World) -> None:
    counsellor = counsellor_of(world)
    client_for(counsellor).post(edit_url(world), form_values())
    client_for(counsellor).post(
        edit_url(world),
        form_values(
            destination="85",
            employer="Zhejiang University of Technology",
            employer_code="",
            salary_band="",
            note="Admitted to further study",
        ),
    )
    row = GraduateDestination.objects.get(student=world.student)
    revisions = list(DestinationRevision.objects.filter(destination=row).order_by("id"))
    assert [r.kind for r in revisions] == ["11", "85"]
    assert revisions[1].note == "Admitted to further study"
    assert revisions[1].recorded_by == counsellor
    entries = AuditEntry.objects.filter(
        object_type="industry.graduatedestination", object_id=str(row.pk)
    )
    assert sorted(e.action for e in entries) == sorted([AuditAction.CREATE, AuditAction.UPDATE])
    page = client_for(counsellor).get(edit_url(world)).content.decode()
    assert "Admitted to further study" in page


def test_another_schools_user_can_neither_read_nor_write(world: World, other_world: World) -> None:
    outsider = client_for(other_world.admin)
    assert outsider.get(edit_url(world)).status_code == 404
    assert outsider.post(edit_url(world), form_values()).status_code == 404
    assert not GraduateDestination.objects.filter(student=world.student).exists()
    their_class = reverse("industry:destination-list") + f"?class={world.campus.klass.pk}"
    assert outsider.get(their_class).status_code == 404
    imports = reverse("industry:destination-import") + f"?class={world.campus.klass.pk}"
    number = world.student.student_number
    assert outsider.post(imports, {"file": sheet((number, "11"))}).status_code == 404
    assert not GraduateDestination.objects.filter(student=world.student).exists()


def test_a_student_and_a_teacher_have_no_destination_page(world: World) -> None:
    for user in (world.student_user, world.teacher):
        assert client_for(user).get(reverse("industry:destination-list")).status_code == 403
        assert client_for(user).get(edit_url(world)).status_code == 404


def test_the_employment_office_imports_a_class_sheet(world: World) -> None:
    classmate = student(world.campus)
    rows = (
        (world.student.student_number, "11", "", world.enterprise.code, "330106", "C"),
        (classmate.student_number, "Further study in China", "Zhejiang University"),
    )
    url = reverse("industry:destination-import") + f"?class={world.campus.klass.pk}"
    response = client_for(world.admin).post(url, {"file": sheet(*rows)})
    assert response.status_code == 302
    first = GraduateDestination.objects.get(student=world.student)
    assert (first.destination, first.employer_unit, first.industry) == ("11", world.enterprise, "C")
    second = GraduateDestination.objects.get(student=classmate)
    assert (second.destination, second.employer) == ("85", "Zhejiang University")
    assert DestinationRevision.objects.filter(source="import").count() == 2


def test_a_sheet_with_bad_rows_lists_every_one_and_writes_nothing(world: World) -> None:
    classmate = student(world.campus)
    rows = (
        (world.student.student_number, "11", "Gears", "", "330106", "C"),
        ("S999999", "11"),
        (classmate.student_number, "99"),
        (world.student.student_number, "11"),
    )
    url = reverse("industry:destination-import") + f"?class={world.campus.klass.pk}"
    response = client_for(world.admin).post(url, {"file": sheet(*rows)})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Row 3: no student of this class has this number" in text
    assert "Row 4: the destination is not one of the list" in text
    assert "Row 5: this student has an earlier row" in text
    assert "Row 2" not in text
    assert not GraduateDestination.objects.exists()


def test_a_sheet_row_with_a_bad_region_and_credit_code_is_reported(world: World) -> None:
    rows = ((world.student.student_number, "11", "Gears", "91330106XX", "33", "C"),)
    url = reverse("industry:destination-import") + f"?class={world.campus.klass.pk}"
    text = client_for(world.admin).post(url, {"file": sheet(*rows)}).content.decode()
    assert "Row 2:" in text
    assert "The region code is 6 digits." in text
    assert "check character" in text


def test_a_file_that_is_no_workbook_is_refused(world: World) -> None:
    upload = BytesIO(b"name,destination\n")
    upload.name = "class.xlsx"
    url = reverse("industry:destination-import") + f"?class={world.campus.klass.pk}"
    response = client_for(world.admin).post(url, {"file": upload})
    assert response.status_code == 422
    assert "This is not an Excel (.xlsx) file." in response.content.decode()


def test_the_empty_sheet_has_the_columns_of_the_import(world: World) -> None:
    from openpyxl import load_workbook

    response = client_for(world.admin).get(reverse("industry:destination-template"))
    assert response.status_code == 200
    header = next(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert header[0] == "Student number"
    assert len(header) == 9


def test_the_dashboard_counts_a_recorded_destination(world: World) -> None:
    client_for(counsellor_of(world)).post(edit_url(world), form_values())
    page = client_for(world.admin).get(reverse("industry:employment")).content.decode()
    assert "100.0%" in page
    assert reverse("industry:destination-list") in page


def test_a_future_date_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.destination_record(
            actor=world.admin,
            student=world.student,
            graduation_year=2027,
            destination="11",
            placed_on=date(2100, 1, 1),
        )
    assert set(refused.value.details) == {"placed_on"}
    assert not GraduateDestination.objects.filter(student=world.student).exists()
