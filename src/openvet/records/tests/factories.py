"""Factories for records. Other apps' tests may import these."""

import itertools
import random
import struct
import zlib
from datetime import date
from io import BytesIO
from typing import Any

from PIL import ExifTags, Image

from openvet.core import codes
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.pii import digest
from openvet.core.tests.factories import OrgUnitFactory, department, province, school
from openvet.records.codes import Gender, PostType
from openvet.records.models import MajorIntakePlan, Staff, Student

_numbers = itertools.count(1)
_major_codes = itertools.count(510201)


def id_number_for(birth: date, *, male: bool = True, region: str = "330106") -> str:
    """A valid GB 11643 number with the given birth date."""
    sequence = next(_numbers) % 500 * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + codes.id_number_check_char(first17)


def major(dept: OrgUnit, name: str = "Software", code: str = "") -> OrgUnit:
    return OrgUnitFactory(
        kind=OrgKind.MAJOR, name=name, code=code or str(next(_major_codes)), parent=dept
    )


def klass(major_node: OrgUnit, name: str = "Class 1", grade_year: int = 2024) -> OrgUnit:
    return OrgUnitFactory(kind=OrgKind.CLASS, name=name, parent=major_node, grade_year=grade_year)


class Campus:
    """A school with one department, two majors and a class in each."""

    def __init__(self, name: str = "") -> None:
        region = OrgUnit.objects.filter(kind=OrgKind.PROVINCE).first() or province()
        self.school = school(parent=region, name=name)
        self.department = department(self.school, name="Information")
        self.major = major(self.department, "Software")
        self.other_major = major(self.department, "Networking")
        self.klass = klass(self.major, "Software 1")
        self.other_klass = klass(self.other_major, "Networking 1")


def student(campus: Campus, **overrides: Any) -> Student:
    n = next(_numbers)
    birth = overrides.pop("birth", date(2004, 5, 6))
    values: dict[str, Any] = {
        "school": campus.school,
        "department": campus.department,
        "major": campus.major,
        "class_unit": campus.klass,
        "student_number": f"S{n:06d}",
        "name": f"Student {n}",
        "gender": Gender.MALE,
        "id_number": id_number_for(birth),
        "birth_date": birth,
        "grade_year": 2024,
        "schooling_years": 3,
        "ethnicity": "01",
    }
    values.update(overrides)
    values["org"] = values.get("class_unit") or values["major"]
    values["id_number_digest"] = digest(values["id_number"]) if values["id_number"] else ""
    record = Student(**values)
    record.save()
    return record


def staff(campus: Campus, **overrides: Any) -> Staff:
    n = next(_numbers)
    values: dict[str, Any] = {
        "school": campus.school,
        "department": campus.department,
        "staff_number": f"T{n:05d}",
        "name": f"Teacher {n}",
        "gender": Gender.FEMALE,
        "post_type": PostType.FULL_TIME_TEACHER,
    }
    values.update(overrides)
    values["org"] = values.get("department") or values["school"]
    record = Staff(**values)
    record.save()
    return record


def intake_plan(major_node: OrgUnit, capacity: int, grade_year: int = 2024) -> MajorIntakePlan:
    return MajorIntakePlan.objects.create(org=major_node, grade_year=grade_year, capacity=capacity)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A complete, valid PNG of grey pixels, built by the format's rules row by row, so a
    huge one (a decompression bomb: millions of pixels in a few kilobytes) costs no memory."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x80" * width
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def jpeg_bytes(width: int = 1600, height: int = 1200, *, camera_exif: bool = True) -> bytes:
    """A photo as a phone writes it: a gradient with EXIF holding the make, the GPS position
    and orientation 6 (the camera was turned; viewers rotate it 90° clockwise)."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    if camera_exif:
        exif[ExifTags.Base.Make] = "Phone"
        exif[ExifTags.Base.Orientation] = 6
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps[ExifTags.GPS.GPSLatitude] = (30.0, 15.0, 0.0)
    out = BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def corrupt_jpeg_bytes() -> bytes:
    """A JPEG whose markers are all right (it starts with FFD8FF and ends with FFD9) but whose
    compressed body is noise: only decoding it shows the damage."""
    data = jpeg_bytes(320, 240, camera_exif=False)
    scan = data.index(b"\xff\xda")
    body_start = scan + 2 + int.from_bytes(data[scan + 2 : scan + 4], "big")
    noise = random.Random(1).randbytes(len(data) - body_start - 2)
    return data[:body_start] + noise + b"\xff\xd9"
