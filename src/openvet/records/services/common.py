"""Validation shared by student and staff writes: identity documents, placement, uploads."""

import warnings
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from PIL import Image, ImageOps

from openvet.core import codes, validation
from openvet.core.errors import ValidationFailed
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.pii import digest
from openvet.core.uploads import UploadLimits, guard_image_pixels, guard_size, image_too_large
from openvet.records.codes import Gender, IdType

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Content types we accept for photos and evidence, with the bytes each file must start with.
UPLOAD_SIGNATURES = {
    "application/pdf": b"%PDF",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}

# Built once: ``Choices.values`` makes a new list per call, and imports check every row.
_ID_TYPES = frozenset(IdType.values)
_GENDERS = frozenset(Gender.values)


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
    resident ID number and must agree with one typed in, as must the gender (GB 11643-1999:
    the 17th digit is odd for a man, even for a woman)."""
    id_type = values.get("id_type", obj.id_type) or IdType.RESIDENT_ID
    if id_type not in _ID_TYPES:
        errors["id_type"] = _("Choose a known kind of ID document.")
        return
    number = str(values.get("id_number", obj.id_number) or "").strip().upper()
    birth = values.get("birth_date", obj.birth_date)
    obj.id_type, obj.id_number = id_type, number
    obj.id_number_digest = digest(number) if number else ""
    # A new record, or a write of its document, needs the number of a resident ID card; an
    # older record without one stays editable (the data quality report lists it).
    writes_identity = obj.pk is None or "id_type" in values or "id_number" in values
    if id_type == IdType.RESIDENT_ID and not number and writes_identity:
        errors["id_number"] = _("A resident ID card needs its ID number.")
    elif id_type == IdType.RESIDENT_ID and number:
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


def refuse_duplicate_id_number(obj: Any) -> None:
    """Refuse an ID number another record of the same kind in the school already has, found
    by its digest (the number itself is encrypted). Called after the permission check, so
    only someone who may write the record learns that the number is on file."""
    if not obj.id_number_digest:
        return
    # Unscoped on purpose: uniqueness holds across the whole school, whoever asks.
    others = (
        type(obj)
        .objects.filter(school_id=obj.school_id, id_number_digest=obj.id_number_digest)
        .exclude(pk=obj.pk)
    )
    if others.exists():
        message = _("Another record of this school already has this ID number.")
        raise ValidationFailed(details={"id_number": message})


def check_name(obj: Any, field: str, label: str, errors: dict[str, str], *, required: bool) -> None:
    """NFC-normalise the free-text name ``field`` of ``obj`` and refuse what
    ``codes.name_problem`` refuses (control, text-direction or only invisible characters) and
    what is longer than its column (an import or a direct call has no schema in front)."""
    value = str(getattr(obj, field) or "")
    max_length = type(obj)._meta.get_field(field).max_length
    cleaned, message = clean_text_name(value, label=label, max_length=max_length, required=required)
    if message:
        errors.setdefault(field, message)
    setattr(obj, field, cleaned)


def clean_text_name(
    value: str, *, label: str, max_length: int, required: bool = True
) -> tuple[str, str | None]:
    """A free-text name given to a service directly (no schema or form in front): the
    NFC-normalised value, and why it cannot be stored (as ``check_name``, plus its length)."""
    message = validation.name_error(value, label=label, required=required) if value else None
    cleaned = codes.name_normalise(value)
    if message is None and len(cleaned) > max_length:
        message = _("%(field)s has at most %(limit)d characters.") % {
            "field": label,
            "limit": max_length,
        }
    return cleaned, message


def validate_person(obj: Any, errors: dict[str, str], *, number_field: str) -> None:
    """The rules every person record shares: its number, a name and a gender."""
    if not str(getattr(obj, number_field) or "").strip():
        errors[number_field] = (
            _("A student number is required.")
            if number_field == "student_number"
            else _("A staff number is required.")
        )
    check_name(obj, "name", pgettext("person", "Name"), errors, required=True)
    if not obj.name:
        errors["name"] = _("A name is required.")
    if obj.gender not in _GENDERS:
        errors.setdefault("gender", _("Choose a gender."))


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


MAX_PHOTO_BYTES = 2 * 1024 * 1024
PHOTO_LIMITS = UploadLimits(max_bytes=MAX_PHOTO_BYTES)
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
# The stored photo is at most this many pixels on its long side: plenty for a record card
# and a printed student ID, and a few dozen kilobytes.
PHOTO_MAX_SIDE = 600
# An upload may describe at most this many pixels (a 50-megapixel camera fits). A 2 MB PNG of
# one colour can claim billions of pixels and take gigabytes to decode (a decompression bomb),
# so the size in the header is checked before any pixel is decoded.
PHOTO_MAX_PIXELS = 50_000_000
_PHOTO_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# Modes each format is re-encoded in; any other mode (palette, CMYK, 16-bit) is converted.
_PHOTO_MODES = {"JPEG": ("L", "RGB"), "PNG": ("L", "LA", "RGB", "RGBA")}


@dataclass(frozen=True)
class CleanPhoto:
    """A decoded, re-encoded photo: no metadata of the upload survives, only pixels."""

    content: bytes
    extension: str


def _photo_damaged() -> ValidationFailed:
    return ValidationFailed(
        details={"photo": _("The photo is damaged or incomplete; export it again.")}
    )


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """A JPEG or PNG up to 2 MB that decodes completely, re-encoded without its metadata
    (EXIF can hold where and when it was taken) and scaled down to ``PHOTO_MAX_SIDE``.

    Refuses renamed files (first bytes), files whose content is another format, images
    claiming more than ``PHOTO_MAX_PIXELS`` (before decoding them) and damaged ones."""
    if upload.content_type not in PHOTO_TYPES:
        raise ValidationFailed(details={"photo": _("Upload a JPEG or PNG photo.")})
    guard_size(upload, limits=PHOTO_LIMITS, field="photo")
    check_upload(upload, "photo")
    expected = _PHOTO_FORMATS[str(upload.content_type)]
    data = upload.read(MAX_PHOTO_BYTES + 1)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check (in ``open``, from about 89 megapixels) as an error too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _decode(data, expected)
            content = _encode(image, expected)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (OSError, SyntaxError, ValueError) as exc:
        # Pillow reports a damaged stream as OSError ("broken data stream"), SyntaxError (a
        # bad PNG chunk) or ValueError.
        raise _photo_damaged() from exc
    return CleanPhoto(content=content, extension="png" if expected == "PNG" else "jpg")


def _too_many_pixels() -> ValidationFailed:
    return image_too_large(max_pixels=PHOTO_MAX_PIXELS, field="photo")


def _decode(data: bytes, expected: str) -> Image.Image:
    with Image.open(BytesIO(data), formats=[expected]) as probe:
        width, height = probe.size
        probe.verify()  # chunk checksums and structure, without decoding pixels
    guard_image_pixels(width=width, height=height, max_pixels=PHOTO_MAX_PIXELS, field="photo")
    image = Image.open(BytesIO(data), formats=[expected])
    # JPEG decodes straight at a reduced scale (1/2 .. 1/8), so a large photo never needs
    # its full size in memory.
    image.draft(None, (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    image.load()  # every pixel: a corrupt body fails here
    # Turned upright by its EXIF orientation now, since the EXIF is not kept.
    return ImageOps.exif_transpose(image)


def _encode(image: Image.Image, fmt: str) -> bytes:
    if image.mode not in _PHOTO_MODES[fmt]:
        has_alpha = fmt == "PNG" and ("A" in image.mode or "transparency" in image.info)
        image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    out = BytesIO()
    # Nothing of ``image.info`` is passed on: no EXIF, XMP, comments or text chunks.
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def require_school(school: OrgUnit) -> None:
    if school.kind != OrgKind.SCHOOL:
        raise ValidationFailed(details={"school": _("Choose a school.")})
