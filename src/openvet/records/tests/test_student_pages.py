"""The create and edit pages of a student record, and its photo."""

import re
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from PIL import Image

from openvet.records.models import Student, StudentHistory
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import id_number_for, png_bytes

pytestmark = pytest.mark.django_db
ADULT_ID = id_number_for(date(2003, 4, 5), male=False)
_TODAY = timezone.localdate()
MINOR_ID = id_number_for(date(_TODAY.year - 16, _TODAY.month, 1), male=True)


@pytest.fixture(autouse=True)
def _no_totp(settings: Any) -> None:
    settings.REQUIRE_ADMIN_TOTP = False


def as_user(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def form_data(people: People, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "student_number": "N2025001",
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
        "grade_year": 2025,
        "schooling_years": 3,
        "study_form": "full_time",
        "guardian_name": "",
        "guardian_relation": "",
        "guardian_phone": "",
    }
    data.update(overrides)
    return data


def photo(content: bytes | None = None, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile("me.png", content or png_bytes(), content_type=content_type)


def test_the_create_page_offers_coded_selects_of_the_admins_school(
    people: People, other_people: People
) -> None:
    page = as_user(people.admin).get(reverse("records:student-create")).content.decode()
    assert '<select class="form-select" name="ethnicity"' in page
    assert '<option value="01">01 ' in page
    own, other = people.campus.major, other_people.campus.major
    assert f'<option value="{own.pk}">{own.code} {own.name}</option>' in page
    assert f"{other.code} {other.name}" not in page
    assert 'accept="image/jpeg,image/png"' in page


def test_create_derives_the_birth_date_and_stores_the_photo(people: People) -> None:
    client = as_user(people.admin)
    response = client.post(
        reverse("records:student-create"), {**form_data(people), "photo": photo()}
    )
    created = Student.objects.get(student_number="N2025001")
    assert response.status_code == 302
    assert response["Location"] == reverse("records:student-detail", args=[created.pk])
    assert (created.birth_date, created.org, created.ethnicity) == (
        date(2003, 4, 5),
        people.campus.klass,
        "01",
    )
    assert re.fullmatch(rf"records/photos/\d{{4}}/{created.pk}(_\w+)?\.png", created.photo.name)
    served = client.get(reverse("records:student-photo", args=[created.pk]))
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert served["Cache-Control"] == "private, no-store"
    # Re-encoded on upload (no metadata kept): the same pixels, not the same bytes.
    image = Image.open(BytesIO(served.content))
    assert (image.format, image.size, image.tobytes()) == ("PNG", (2, 2), b"\x80" * 4)


def test_a_wrong_check_digit_is_shown_at_the_field_in_chinese(people: People) -> None:
    bad = ADULT_ID[:-1] + ("0" if ADULT_ID[-1] != "0" else "1")
    response = as_user(people.admin, "zh-hans").post(
        reverse("records:student-create"), form_data(people, id_number=bad)
    )
    page = response.content.decode()
    assert response.status_code == 200
    english = "The check digit of this ID number is wrong; check for a typo."
    with override("zh-hans"):
        chinese = gettext(english)
    assert chinese != english
    assert chinese in page
    assert 'aria-describedby="id_id_number-errors"' in page
    assert not Student.objects.filter(student_number="N2025001").exists()


def test_a_minor_needs_a_guardian_and_a_bad_photo_writes_nothing(people: People) -> None:
    client = as_user(people.admin)
    minor = form_data(people, id_number=MINOR_ID, gender="1")
    page = client.post(reverse("records:student-create"), minor).content.decode()
    assert "A student under 18 needs a guardian&#x27;s name and phone." in page
    truncated = photo(png_bytes()[:-8])
    with_guardian = {
        **minor,
        "guardian_name": "Li Ming",
        "guardian_relation": "father",
        "guardian_phone": "13800138000",
        "photo": truncated,
    }
    page = client.post(reverse("records:student-create"), with_guardian).content.decode()
    assert "The photo is damaged or incomplete; export it again." in page
    assert not Student.objects.filter(student_number="N2025001").exists()
    with_guardian["photo"] = photo()
    assert client.post(reverse("records:student-create"), with_guardian).status_code == 302
    assert Student.objects.get(student_number="N2025001").guardian_phone == "13800138000"


def test_edit_keeps_the_id_number_when_left_empty_and_records_history(people: People) -> None:
    record = people.student
    client = as_user(people.admin)
    page = client.get(reverse("records:student-edit", args=[record.pk])).content.decode()
    assert record.id_number not in page
    assert f'value="{record.name}"' in page
    data = form_data(
        people,
        student_number=record.student_number,
        name="Renamed",
        id_number="",
        gender=record.gender,
        grade_year=record.grade_year,
        class_unit="",
    )
    response = client.post(reverse("records:student-edit", args=[record.pk]), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.name, record.class_unit, record.org) == ("Renamed", None, people.campus.major)
    assert record.id_number == record.id_number.strip() != ""
    latest = StudentHistory.objects.filter(student=record).first()
    assert latest is not None
    assert latest.changes["name"][1] == "Renamed"


def test_edit_cannot_move_to_another_major(people: People) -> None:
    record = people.student
    data = form_data(
        people,
        student_number=record.student_number,
        id_number="",
        gender=record.gender,
        grade_year=record.grade_year,
        major=people.campus.other_major.pk,
        class_unit=people.campus.other_klass.pk,
    )
    page = (
        as_user(people.admin)
        .post(reverse("records:student-edit", args=[record.pk]), data)
        .content.decode()
    )
    # The major is fixed on the form and only its classes are offered.
    assert 'class="form-select is-invalid" name="class_unit"' in page
    record.refresh_from_db()
    assert record.major == people.campus.major


def test_who_may_open_the_pages_and_the_photo(people: People, other_people: People) -> None:
    record = people.student
    as_user(people.admin).post(
        reverse("records:student-edit", args=[record.pk]),
        form_data(
            people,
            student_number=record.student_number,
            id_number="",
            gender=record.gender,
            grade_year=record.grade_year,
            photo=photo(),
        ),
    )
    edit = reverse("records:student-edit", args=[record.pk])
    photo_url = reverse("records:student-photo", args=[record.pk])
    assert as_user(people.student_user).get(photo_url).status_code == 200
    assert as_user(people.head).get(photo_url).status_code == 200
    assert as_user(other_people.admin).get(photo_url).status_code == 404
    assert as_user(other_people.admin).get(edit).status_code == 404
    assert as_user(people.head).get(edit).status_code == 404
    assert as_user(people.student_user).get(edit).status_code == 404
    assert as_user(people.student_user).get(reverse("records:student-create")).status_code == 403
    record.refresh_from_db()
    before = record.name
    as_user(other_people.admin).post(edit, form_data(people, name="Hijacked"))
    record.refresh_from_db()
    assert record.name == before
    assert Client().get(photo_url).status_code == 302
