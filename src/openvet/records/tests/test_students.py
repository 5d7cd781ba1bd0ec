import re
import struct
import zlib
from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation
from PIL import ExifTags, Image

from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction, AuditEntry
from openvet.records import selectors, services
from openvet.records.models import Student, StudentHistory
from openvet.records.tests.conftest import People
from openvet.records.tests.factories import (
    Campus,
    corrupt_jpeg_bytes,
    id_number_for,
    jpeg_bytes,
    png_bytes,
    png_chunk,
    student,
)

pytestmark = pytest.mark.django_db


def values(campus: Campus, **overrides: Any) -> dict[str, Any]:
    birth = overrides.pop("birth", date(2004, 5, 6))
    base: dict[str, Any] = {
        "student_number": "2024001",
        "name": "Li Lei",
        "gender": "1",
        "id_number": id_number_for(birth),
        "major": campus.major,
        "class_unit": campus.klass,
        "grade_year": 2024,
        "ethnicity": "01",
        "political_status": "03",
        "enrolment_source": "national_exam",
    }
    return base | overrides


def test_create_derives_birth_date_encrypts_id_and_writes_history(people: People) -> None:
    campus = people.campus
    data = values(campus)
    created = services.student_create(actor=people.admin, school=campus.school, **data)

    assert (created.birth_date, created.org, created.department) == (
        date(2004, 5, 6),
        campus.klass,
        campus.department,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM records_student WHERE id = %s", [created.pk])
        stored = cursor.fetchone()[0]
    assert stored != data["id_number"]
    assert Student.objects.get(pk=created.pk).id_number == data["id_number"]
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="records.student")
    assert entry.changes["id_number"] == [None, "***"]
    assert created.history.get().kind == StudentHistory.Kind.CREATED


def test_invalid_id_number_is_refused_with_the_reason(people: People) -> None:
    campus = people.campus
    with pytest.raises(ValidationFailed) as caught:
        services.student_create(
            actor=people.admin,
            school=campus.school,
            **values(campus, id_number="110101199003072345"),
        )
    assert set(caught.value.details) == {"id_number"}
    assert not Student.objects.filter(student_number="2024001").exists()


def test_birth_date_and_gender_must_agree_with_the_id(people: People) -> None:
    campus = people.campus
    with pytest.raises(ValidationFailed) as caught:
        services.student_create(
            actor=people.admin,
            school=campus.school,
            **values(campus, birth_date=date(2004, 5, 7), gender="2"),
        )
    assert set(caught.value.details) == {"birth_date", "gender"}


def test_a_minor_needs_a_guardian(people: People) -> None:
    campus = people.campus
    birth = timezone.localdate() - timedelta(days=365 * 16)
    with pytest.raises(ValidationFailed) as caught:
        services.student_create(
            actor=people.admin, school=campus.school, **values(campus, birth=birth)
        )
    assert set(caught.value.details) == {"guardian_name"}
    created = services.student_create(
        actor=people.admin,
        school=campus.school,
        **values(campus, birth=birth, guardian_name="Li Ma", guardian_phone="13812345678"),
    )
    assert created.masked_guardian_phone == "138****5678"


def test_class_must_belong_to_the_major(people: People) -> None:
    campus = people.campus
    with pytest.raises(ValidationFailed) as caught:
        services.student_create(
            actor=people.admin,
            school=campus.school,
            **values(campus, class_unit=campus.other_klass),
        )
    assert set(caught.value.details) == {"class_unit"}


def test_major_must_belong_to_the_school(people: People, other_campus: Campus) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.student_create(
            actor=people.admin,
            school=people.campus.school,
            **values(people.campus, major=other_campus.major, class_unit=None),
        )
    assert set(caught.value.details) == {"major"}


def test_codes_are_checked(people: People) -> None:
    campus = people.campus
    with pytest.raises(ValidationFailed) as caught:
        services.student_create(
            actor=people.admin,
            school=campus.school,
            **values(
                campus,
                ethnicity="5",
                political_status="20",
                enrolment_source="lottery",
                grade_year=1890,
                schooling_years=12,
            ),
        )
    assert set(caught.value.details) == {
        "ethnicity",
        "political_status",
        "enrolment_source",
        "grade_year",
        "schooling_years",
    }


def test_student_number_is_unique_per_school(people: People, other_people: People) -> None:
    services.student_create(
        actor=people.admin, school=people.campus.school, **values(people.campus)
    )
    with pytest.raises(Conflict):
        services.student_create(
            actor=people.admin,
            school=people.campus.school,
            **values(people.campus, id_number=id_number_for(date(2004, 1, 1))),
        )
    other = services.student_create(
        actor=other_people.admin, school=other_people.campus.school, **values(other_people.campus)
    )
    assert other.student_number == "2024001"


def test_an_admin_cannot_create_in_another_school(people: People, other_campus: Campus) -> None:
    with pytest.raises(PermissionDenied):
        services.student_create(
            actor=people.admin, school=other_campus.school, **values(other_campus)
        )
    assert not Student.objects.filter(school=other_campus.school, student_number="2024001").exists()


def test_upsert_updates_on_the_second_import(people: People) -> None:
    campus = people.campus
    row = values(campus, major=None, class_unit=None, major_code=campus.major.code, class_code="")
    row.pop("major")
    row.pop("class_unit")
    first, created = services.student_upsert(actor=people.admin, school=campus.school, row=row)
    second, created_again = services.student_upsert(
        actor=people.admin, school=campus.school, row=row | {"name": "Li Lei (renamed)"}
    )

    assert (created, created_again, first.pk) == (True, False, second.pk)
    assert Student.objects.get(pk=first.pk).name == "Li Lei (renamed)"


def test_upsert_finds_the_student_by_id_number(people: People) -> None:
    campus = people.campus
    existing = student(campus)
    found, created = services.student_upsert(
        actor=people.admin,
        school=campus.school,
        row={"id_number": existing.id_number, "name": "New name"},
    )
    assert (found.pk, created, found.name) == (existing.pk, False, "New name")


def test_update_refuses_moves_that_need_a_status_change(people: People) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.student_update(
            actor=people.admin, student=people.student, major=people.campus.other_major
        )
    assert set(caught.value.details) == {"major"}


def test_update_moves_class_within_the_major_and_records_history(people: People) -> None:
    campus = people.campus
    from openvet.records.tests.factories import klass

    second = klass(campus.major, "Software 2")
    services.student_update(actor=people.counsellor, student=people.student, name="Renamed")
    services.student_update(actor=people.admin, student=people.student, class_unit=second)

    people.student.refresh_from_db()
    assert (people.student.class_unit, people.student.org) == (second, second)
    kinds = list(people.student.history.values_list("kind", flat=True))
    assert kinds == ["updated", "updated"]


def test_a_counsellor_cannot_move_a_student_out_of_their_class(people: People) -> None:
    from openvet.records.tests.factories import klass

    second = klass(people.campus.major, "Software 2")
    with pytest.raises(PermissionDenied):
        services.student_update(actor=people.counsellor, student=people.student, class_unit=second)


def _refused_photo(people: People, content: bytes, content_type: str) -> str:
    upload = SimpleUploadedFile("x", content, content_type=content_type)
    with pytest.raises(ValidationFailed) as refused, translation.override("en"):
        services.student_set_photo(actor=people.admin, student=people.student, upload=upload)
    assert not Student.objects.get(pk=people.student.pk).photo
    return str(refused.value.details["photo"])


def test_photo_must_be_a_real_image(people: People) -> None:
    assert _refused_photo(people, b"not a png", "image/png") == (
        "The file's content is not what its type says."
    )
    damaged = "The photo is damaged or incomplete; export it again."
    assert _refused_photo(people, png_bytes()[:-6], "image/png") == damaged
    assert _refused_photo(people, b"GIF89a" + b"0" * 20, "image/gif") == (
        "Upload a JPEG or PNG photo."
    )
    real = SimpleUploadedFile("my face.png", png_bytes(), content_type="image/png")
    services.student_set_photo(actor=people.admin, student=people.student, upload=real)
    # Named by the record, never by the upload (the storage may add a suffix if taken).
    assert re.fullmatch(
        rf"records/photos/\d{{4}}/{people.student.pk}(_\w+)?\.png", people.student.photo.name
    )


def test_a_jpeg_with_a_corrupt_body_is_refused(people: People) -> None:
    content = corrupt_jpeg_bytes()
    # Right first and last bytes: only decoding the image finds the damage.
    assert content.startswith(b"\xff\xd8\xff")
    assert content.endswith(b"\xff\xd9")
    message = _refused_photo(people, content, "image/jpeg")
    assert message == "The photo is damaged or incomplete; export it again."


def test_a_decompression_bomb_is_refused_before_decoding(people: People) -> None:
    too_many = "The image has more than 50 megapixels; scale it down and upload it again."
    bomb = png_bytes(8000, 8000)  # 64 megapixels in well under 2 MB, under Pillow's own limit
    assert len(bomb) < 200_000
    assert _refused_photo(people, bomb, "image/png") == too_many
    # A header claiming 900 megapixels: Pillow's own check refuses it on opening.
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 0, 0, 0, 0)
    huge = b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            png_chunk(b"IHDR", header),
            png_chunk(b"IDAT", zlib.compress(bytes(30_001))),
            png_chunk(b"IEND", b""),
        )
    )
    assert _refused_photo(people, huge, "image/png") == too_many


def test_a_photo_is_stored_upright_small_and_without_its_metadata(people: People) -> None:
    camera = jpeg_bytes(1600, 1200)
    assert Image.open(BytesIO(camera)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    upload = SimpleUploadedFile("IMG_0001.jpg", camera, content_type="image/jpeg")
    services.student_set_photo(actor=people.admin, student=people.student, upload=upload)

    with people.student.photo.open("rb") as handle:
        stored = handle.read()
    assert people.student.photo.name.endswith(".jpg")
    image = Image.open(BytesIO(stored))
    # Turned by the camera's orientation (1600 × 1200 stored sideways), then scaled down.
    assert (image.format, image.size) == ("JPEG", (450, 600))
    assert len(image.getexif()) == 0
    assert b"Exif" not in stored
    assert b"Phone" not in stored
    assert len(stored) < len(camera) // 4


def test_a_small_png_keeps_its_size_and_type(people: People) -> None:
    upload = SimpleUploadedFile("p.png", png_bytes(300, 400), content_type="image/png")
    services.student_set_photo(actor=people.admin, student=people.student, upload=upload)
    with people.student.photo.open("rb") as handle:
        image = Image.open(BytesIO(handle.read()))
    assert (image.format, image.size, image.getpixel((10, 10))) == ("PNG", (300, 400), 128)


def test_reveal_is_audited_and_only_for_roles_that_need_it(people: People) -> None:
    with pytest.raises(PermissionDenied):
        services.student_reveal_pii(actor=people.head, student=people.student)
    shown = services.student_reveal_pii(actor=people.counsellor, student=people.student)
    assert shown["id_number"] == people.student.id_number
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL).count() == 1


def test_link_user_refuses_an_account_of_another_student(people: People) -> None:
    other = student(people.campus)
    with pytest.raises(Conflict):
        services.student_link_user(actor=people.admin, student=other, user=people.student_user)


# Selectors ----------------------------------------------------------------------------------


def test_school_admin_sees_only_their_school(people: People, other_people: People) -> None:
    mine = list(selectors.student_list_for(actor=people.admin))
    assert mine == [people.student]
    with pytest.raises(NotFound):
        selectors.student_get_for(actor=people.admin, student_id=other_people.student.pk)


def test_a_student_sees_only_their_own_record(people: People) -> None:
    classmate = student(people.campus)
    assert list(selectors.student_list_for(actor=people.student_user)) == [people.student]
    with pytest.raises(NotFound):
        selectors.student_get_for(actor=people.student_user, student_id=classmate.pk)


def test_a_counsellor_sees_their_class_only(people: People) -> None:
    elsewhere = student(
        people.campus, major=people.campus.other_major, class_unit=people.campus.other_klass
    )
    visible = set(selectors.student_list_for(actor=people.counsellor))
    assert people.student in visible
    assert elsewhere not in visible


def test_list_filters(people: People) -> None:
    suspended = student(people.campus, status="02", name="Zhang San")
    assert list(selectors.student_list_for(actor=people.admin, status="02")) == [suspended]
    assert list(selectors.student_list_for(actor=people.admin, search="Zhang")) == [suspended]
    assert list(selectors.student_list_for(actor=people.admin, grade_year=1999)) == []


def test_the_list_is_one_query(people: People, django_assert_num_queries: Any) -> None:
    for _ in range(3):
        student(people.campus)
    people.admin.get_grants()
    with django_assert_num_queries(1):
        rows = [
            (s.major.name, s.class_unit) for s in selectors.student_list_for(actor=people.admin)
        ]
    assert len(rows) == 4


def test_anonymous_sees_nothing(people: People) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.student_list_for(actor=AnonymousUser())) == []
