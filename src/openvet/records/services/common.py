"""Validation shared by student and staff writes: identity documents, placement, uploads."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import codes
from openvet.core.errors import ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.pii import digest
from openvet.records.codes import Gender, IdType

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Content types we accept for photos and evidence, with the bytes each file must start with.
UPLOAD_SIGNATURES = {
    "application/pdf": b"%PDF",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}


def id_number_error(problem: str) -> str:
    messages = {
        "format": _("A resident ID number has 17 digits and a final digit or X."),
        "region": _("The first two digits of this ID number are not a province code."),
        "birth_date": _("The birth date inside this ID number is not a real past date."),
        "check_digit": _("The check digit of this ID number is wrong; check for a typo."),
    }
    return messages.get(problem, _("This ID number is not valid."))


def apply_identity(obj: Any, values: dict[str, Any], errors: dict[str, str]) -> None:
    """Set ID type, number, digest and birth date on ``obj``; the birth date comes from a
    resident ID number and must agree with one typed in, as must the gender."""
    id_type = values.get("id_type", obj.id_type) or IdType.RESIDENT_ID
    if id_type not in IdType.values:
        errors["id_type"] = _("Choose a known kind of ID document.")
        return
    number = str(values.get("id_number", obj.id_number) or "").strip().upper()
    birth = values.get("birth_date", obj.birth_date)
    obj.id_type, obj.id_number = id_type, number
    obj.id_number_digest = digest(number) if number else ""
    if id_type == IdType.RESIDENT_ID and number:
        problem = codes.id_number_problem(number)
        if problem:
            errors["id_number"] = id_number_error(problem)
            return
        derived = codes.id_number_birth_date(number)
        if "birth_date" in values and birth and birth != derived:
            errors["birth_date"] = _("The birth date does not match the ID number.")
        birth = derived
        gender = values.get("gender", obj.gender)
        if gender in (Gender.MALE, Gender.FEMALE) and gender != codes.id_number_gender(number):
            errors["gender"] = _("The gender does not match the ID number.")
    obj.birth_date = birth


def age_on(birth: date | None, today: date | None = None) -> int | None:
    if birth is None:
        return None
    today = today or timezone.localdate()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def resolve_unit(school: OrgUnit, value: Any, kind: str, *, code: str = "") -> OrgUnit | None:
    """An org node of ``kind`` inside ``school``, given as a node, an id or a code."""
    if isinstance(value, OrgUnit):
        node: OrgUnit | None = value
    elif value not in (None, ""):
        node = OrgUnit.objects.filter(pk=int(value)).first()
    elif code:
        node = OrgUnit.objects.filter(kind=kind, code=code, path__startswith=school.path).first()
    else:
        return None
    if node is None or node.kind != kind or not node.path.startswith(school.path):
        return None
    return node


def check_upload(upload: UploadedFile, field: str) -> None:
    """Only PDF, JPEG or PNG up to 5 MB whose first bytes match the declared type."""
    expected = UPLOAD_SIGNATURES.get(upload.content_type or "")
    if expected is None:
        raise ValidationFailed(details={field: _("Upload a PDF, JPEG or PNG file.")})
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(details={field: _("The file is larger than 5 MB.")})
    head = upload.read(len(expected))
    upload.seek(0)
    if head != expected:
        raise ValidationFailed(details={field: _("The file's content is not what its type says.")})


def require_school(school: OrgUnit) -> None:
    if school.kind != OrgKind.SCHOOL:
        raise ValidationFailed(details={"school": _("Choose a school.")})
