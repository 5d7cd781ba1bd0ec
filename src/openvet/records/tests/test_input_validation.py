"""Bad input on student and staff writes: the API, the pages, the services and the import
refuse it alike, name the field in the user's language, and write nothing."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openvet.core.errors import ValidationFailed
from openvet.records import services
from openvet.records.bulk.models import ImportKind, ImportMode, ImportStatus
from openvet.records.bulk.services import import_job_create
from openvet.records.codes import IdType, QualificationKind
from openvet.records.models import Staff, Student
from openvet.records.tests.bulk_helpers import student_row, upload, workbook_bytes
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import id_number_for, staff, student

pytestmark = pytest.mark.django_db

ADULT_ID = id_number_for(date(2001, 2, 3), male=False)


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def as_user(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def _state(record: Student) -> tuple[Any, ...]:
    record.refresh_from_db()
    return (
        record.name,
        record.household_registration,
        record.guardian_name,
        record.guardian_phone,
        record.id_number,
        record.updated_at,
    )


def _create_values(people: People, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "student_number": "N1",
        "name": "Li Hua",
        "gender": "2",
        "id_number": ADULT_ID,
        "major": people.campus.major,
        "grade_year": 2024,
    }
    return values | overrides


# Update schemas hold the limits of create schemas ------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("household_registration", "x" * 1_000_000, "At most 200 characters."),
        ("guardian_name", "x" * 500, "At most 100 characters."),
        ("guardian_relation", "x" * 41, "At most 40 characters."),
        ("guardian_phone", "1" * 21, "At most 20 characters."),
        ("name", "x" * 101, "At most 100 characters."),
    ],
)
def test_patch_refuses_what_create_refuses(
    people: People, field: str, value: str, message: str
) -> None:
    record = people.student
    before = _state(record)
    response = _patch(
        as_user(people.admin), f"/api/v1/records/students/{record.pk}", {field: value}
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "validation_failed",
        "message": "Some values are not valid.",
        "details": {field: message},
    }
    assert _state(record) == before


def test_a_null_name_in_a_patch_is_a_422_not_a_500(people: People) -> None:
    record = people.student
    before = _state(record)
    response = _patch(
        as_user(people.admin), f"/api/v1/records/students/{record.pk}", {"name": None}
    )
    assert response.status_code == 422
    assert response.json()["details"] == {
        "name": "This field cannot be null; leave it out instead."
    }
    assert _state(record) == before


def test_a_null_class_still_removes_the_class(people: People) -> None:
    record = people.student
    response = _patch(
        as_user(people.admin), f"/api/v1/records/students/{record.pk}", {"class_id": None}
    )
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.class_unit_id is None


# Names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Li\x00Hua", "姓名不能包含控制字符或换行。"),
        ("name", "Li\nHua", "姓名不能包含控制字符或换行。"),
        ("name", "gpj.\u202eexe", "姓名不能包含文字方向控制字符。"),
        ("name", "\u2066Li\u2069", "姓名不能包含文字方向控制字符。"),
        ("name", "\u200b\u200b", "姓名必须包含可见字符。"),
        ("name", "   ", "姓名必须包含可见字符。"),
        ("guardian_name", "\u3000", "监护人姓名只有空白字符：请留空或填写实际内容。"),
        ("guardian_name", "Li\u202eMing", "监护人姓名不能包含文字方向控制字符。"),
        ("household_registration", "杭州\x07", "户口所在地不能包含控制字符或换行。"),
    ],
)
def test_api_names_refuse_control_bidi_and_invisible_text_in_chinese(
    people: People, field: str, value: str, message: str
) -> None:
    record = people.student
    before = _state(record)
    client = as_user(people.admin, "zh-hans")
    response = _patch(client, f"/api/v1/records/students/{record.pk}", {field: value})
    assert response.status_code == 422
    assert response.json()["details"] == {field: message}
    assert _state(record) == before


def test_api_names_are_stored_nfc(people: People) -> None:
    record = people.student
    response = _patch(
        as_user(people.admin), f"/api/v1/records/students/{record.pk}", {"name": " Jose\u0301 "}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Jos\u00e9"
    record.refresh_from_db()
    assert record.name == "Jos\u00e9"


def test_the_service_refuses_bad_names_for_every_caller(people: People) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.student_create(
            actor=people.admin,
            school=people.campus.school,
            **_create_values(people, name="\u202eauh iL", guardian_relation="\x1bfather"),
        )
    assert caught.value.details == {
        "name": "Name must not contain text-direction control characters.",
        "guardian_relation": (
            "Guardian's relation must not contain control characters or line breaks."
        ),
    }
    assert not Student.objects.filter(student_number="N1").exists()


def test_staff_titles_are_checked_on_create_and_update(people: People) -> None:
    member = staff(people.campus, id_type=IdType.PASSPORT, id_number="E1234567")
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.staff_update(actor=people.admin, staff=member, title="Lecturer\u202e")
    assert caught.value.details == {
        "title": "Professional title must not contain text-direction control characters."
    }
    response = _patch(
        as_user(people.admin), f"/api/v1/records/staff/{member.pk}", {"title": "x" * 61}
    )
    assert (response.status_code, response.json()["details"]) == (
        422,
        {"title": "At most 60 characters."},
    )
    assert Staff.objects.get(pk=member.pk).title == ""


# Phones --------------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["13900139000", "0571-87654321", "010 62345678"])
def test_a_guardian_phone_may_be_a_mobile_or_a_landline(people: People, phone: str) -> None:
    record = people.student
    response = _patch(
        as_user(people.admin), f"/api/v1/records/students/{record.pk}", {"guardian_phone": phone}
    )
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.guardian_phone == phone


@pytest.mark.parametrize("phone", ["12345", "87654321", "1380013800", "0571-0765432"])
def test_a_guardian_phone_that_is_no_number_is_refused(people: People, phone: str) -> None:
    record = people.student
    before = _state(record)
    response = _patch(
        as_user(people.admin), f"/api/v1/records/students/{record.pk}", {"guardian_phone": phone}
    )
    assert response.status_code == 422
    assert response.json()["details"] == {
        "guardian_phone": "Guardian's phone: enter an 11-digit mobile number, or a landline "
        "with its area code such as 0571-87654321."
    }
    assert _state(record) == before
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.student_update(actor=people.admin, student=record, guardian_phone=phone)
    assert list(caught.value.details) == ["guardian_phone"]


# ID numbers ----------------------------------------------------------------------------------


def test_a_resident_id_card_needs_its_number(people: People) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.student_create(
            actor=people.admin,
            school=people.campus.school,
            **_create_values(people, id_type=IdType.RESIDENT_ID, id_number=""),
        )
    assert caught.value.details == {"id_number": "A resident ID card needs its ID number."}
    passport = services.student_create(
        actor=people.admin,
        school=people.campus.school,
        **_create_values(people, id_type=IdType.PASSPORT, id_number="", birth_date=None),
    )
    assert (passport.id_type, passport.id_number) == (IdType.PASSPORT, "")


def test_an_older_record_without_a_number_stays_editable_until_its_document_changes(
    people: People,
) -> None:
    legacy = student(people.campus, id_number="", student_number="OLD1")
    services.student_update(actor=people.admin, student=legacy, household_registration="Ningbo")
    assert Student.objects.get(pk=legacy.pk).household_registration == "Ningbo"
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.student_update(actor=people.admin, student=legacy, id_type=IdType.RESIDENT_ID)
    assert caught.value.details == {"id_number": "A resident ID card needs its ID number."}


def test_an_id_number_already_on_file_is_refused_at_its_field(people: People) -> None:
    taken = people.student.id_number
    client = as_user(people.admin)
    body = {
        "student_number": "N2",
        "name": "Copy",
        "gender": "1",
        "id_number": taken,
        "major_id": people.campus.major.pk,
        "grade_year": 2024,
    }
    response = client.post("/api/v1/records/students", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["details"] == {
        "id_number": "Another record of this school already has this ID number."
    }
    assert not Student.objects.filter(student_number="N2").exists()
    other = services.student_create(
        actor=people.admin, school=people.campus.school, **_create_values(people)
    )
    response = _patch(
        client, f"/api/v1/records/students/{other.pk}", {"id_number": taken, "gender": "1"}
    )
    assert response.status_code == 422
    assert response.json()["details"] == {
        "id_number": "Another record of this school already has this ID number."
    }
    other.refresh_from_db()
    assert other.id_number == ADULT_ID


def test_the_same_id_number_in_another_school_is_allowed(
    people: People, other_people: People
) -> None:
    # A student who moved school has a record in each.
    moved = services.student_create(
        actor=other_people.admin,
        school=other_people.campus.school,
        **_create_values(other_people, id_number=people.student.id_number, gender="1"),
    )
    assert moved.id_number == people.student.id_number


def test_a_duplicate_is_not_revealed_to_someone_who_may_not_create(people: People) -> None:
    body = {
        "student_number": "N3",
        "name": "Probe",
        "gender": "1",
        "id_number": people.student.id_number,
        "major_id": people.campus.major.pk,
        "grade_year": 2024,
    }
    response = as_user(people.student_user).post(
        "/api/v1/records/students", body, content_type="application/json"
    )
    assert response.status_code == 403
    assert "id_number" not in str(response.json())


def test_the_gender_must_match_the_id_number(people: People) -> None:
    record = people.student  # the factory's number is a man's (odd 17th digit)
    before = _state(record)
    response = _patch(
        as_user(people.admin), f"/api/v1/records/students/{record.pk}", {"gender": "2"}
    )
    assert response.status_code == 422
    assert response.json()["details"] == {"gender": "The gender does not match the ID number."}
    assert _state(record) == before


# Pages ---------------------------------------------------------------------------------------


def _form(people: People, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "student_number": "P1",
        "name": "Li Hua",
        "gender": "2",
        "id_type": "1",
        "id_number": ADULT_ID,
        "birth_date": "",
        "ethnicity": "01",
        "political_status": "13",
        "household_registration": "Hangzhou",
        "enrolment_source": "national_exam",
        "major": people.campus.major.pk,
        "class_unit": people.campus.klass.pk,
        "grade_year": 2024,
        "schooling_years": 3,
        "study_form": "full_time",
        "guardian_name": "",
        "guardian_relation": "",
        "guardian_phone": "",
    }
    return data | overrides


def test_the_create_page_shows_the_errors_in_chinese_and_keeps_the_input(
    people: People,
) -> None:
    data = _form(people, name="李\u202e华", guardian_phone="12345", guardian_name="王\x00五")
    response = as_user(people.admin, "zh-hans").post(reverse("records:student-create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "姓名不能包含文字方向控制字符。" in page
    assert "监护人姓名不能包含控制字符或换行。" in page
    assert "监护人电话：请填写11位手机号码，或带区号的固定电话号码，如 0571-87654321。" in page
    assert 'name="guardian_phone" id="id_guardian_phone" value="12345"' in page
    assert not Student.objects.filter(student_number="P1").exists()


def test_the_create_page_refuses_a_resident_id_card_without_number(people: People) -> None:
    response = as_user(people.admin, "zh-hans").post(
        reverse("records:student-create"), _form(people, id_number="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "证件类型为居民身份证时必须填写身份证号码。" in page
    assert 'aria-describedby="id_id_number-errors"' in page
    assert not Student.objects.filter(student_number="P1").exists()


def test_the_edit_page_stores_a_landline_and_a_normalised_name(people: People) -> None:
    record = people.student
    data = _form(
        people,
        student_number=record.student_number,
        name="Jose\u0301",
        gender="1",
        id_number="",
        guardian_name="Li Ming",
        guardian_relation="father",
        guardian_phone="0571-87654321",
    )
    response = as_user(people.admin).post(reverse("records:student-edit", args=[record.pk]), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.name, record.guardian_phone) == ("Jos\u00e9", "0571-87654321")


# Import --------------------------------------------------------------------------------------


def test_the_import_refuses_the_same_names_and_phones(people: People) -> None:
    campus = people.campus
    rows = [
        student_row(campus, "I1", name="Li\u202eHua"),
        student_row(
            campus,
            "I2",
            id_number=id_number_for(date(2003, 1, 1)),
            guardian_phone="12345",
        ),
    ]
    with translation.override("en"):
        job = import_job_create(
            actor=people.admin,
            school=campus.school,
            kind=ImportKind.STUDENT,
            mode=ImportMode.ALL_OR_NOTHING,
            upload=upload(workbook_bytes(ImportKind.STUDENT, rows)),
        )
    assert job.status == ImportStatus.REJECTED
    assert sorted((e["row"], e["message"]) for e in job.errors) == [
        (2, "Name must not contain text-direction control characters."),
        (
            3,
            "Guardian's phone: enter an 11-digit mobile number, or a landline with its area "
            "code such as 0571-87654321.",
        ),
    ]
    assert not Student.objects.filter(student_number__in=["I1", "I2"]).exists()


# Names given to staff services directly ------------------------------------------------------


def test_qualification_practice_and_training_names_are_checked(people: People) -> None:
    member = staff(people.campus, id_type=IdType.PASSPORT, id_number="E7654321")
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as qualification:
            services.qualification_add(
                actor=people.admin,
                staff=member,
                kind=QualificationKind.values[0],
                name="Electrician\u202e",
            )
        with pytest.raises(ValidationFailed) as practice:
            services.practice_add(
                actor=people.admin,
                staff=member,
                starts_on=date(2024, 7, 1),
                ends_on=date(2024, 8, 1),
                enterprise_name="Acme\x00",
            )
        with pytest.raises(ValidationFailed) as training:
            services.training_add(
                actor=people.admin, staff=member, year=2024, title="x" * 201, hours=Decimal(8)
            )
    assert qualification.value.details == {
        "name": "Name must not contain text-direction control characters."
    }
    assert practice.value.details == {
        "enterprise_name": "Enterprise name must not contain control characters or line breaks."
    }
    assert training.value.details == {"title": "Training has at most 200 characters."}
    assert (member.qualifications.count(), member.practices.count(), member.trainings.count()) == (
        0,
        0,
        0,
    )
    kept = services.training_add(
        actor=people.admin, staff=member, year=2024, title=" Cafe\u0301 safety ", hours=Decimal(8)
    )
    assert kept.title == "Caf\u00e9 safety"


def test_the_service_holds_names_to_their_column_length(people: People) -> None:
    record = people.student
    before = _state(record)
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.student_update(
            actor=people.admin,
            student=record,
            household_registration="x" * 1_000_000,
            guardian_name="y" * 500,
        )
    assert caught.value.details == {
        "household_registration": "Household registration has at most 200 characters.",
        "guardian_name": "Guardian's name has at most 100 characters.",
    }
    assert _state(record) == before


def test_a_masked_household_registration_sent_back_never_overwrites_the_clear_one(
    people: People,
) -> None:
    record = people.student
    record.household_registration = "浙江省杭州市西湖区文三路90号"
    record.save()
    response = _patch(
        as_user(people.admin),
        f"/api/v1/records/students/{record.pk}",
        {"household_registration": "浙江省杭州市*********"},
    )
    assert response.status_code == 422
    assert "household_registration" in response.json()["details"]
    record.refresh_from_db()
    assert record.household_registration == "浙江省杭州市西湖区文三路90号"
