"""Writes of the question bank beyond single questions: importing a QTI 2.1 or 3.0 content package
(ADR 0753). Nothing is imported unless every item is: the unsupported or broken items are
named in the refusal."""

import posixpath
import zipfile
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from openvet.core.errors import ValidationFailed
from openvet.core.policy import Actor
from openvet.core.uploads import UploadLimits, UploadRefused, guard_zip, open_member
from openvet.learning import qti, services
from openvet.learning.models import OnlineCourse

MB = 1024 * 1024
MANIFEST = "imsmanifest.xml"
ITEM_MAX_BYTES = 2 * MB
MAX_ITEMS = 2_000


def qti_limits() -> UploadLimits:
    cap = int(getattr(settings, "LEARNING_MAX_QTI_BYTES", 50 * MB))
    return UploadLimits(
        max_bytes=cap, max_members=5_000, max_member_bytes=cap, max_total_bytes=4 * cap
    )


def _reason(error: qti.QtiError) -> str:
    reasons = {
        "bad_xml": _("not well-formed XML"),
        "not_an_item": _("not a QTI assessment item"),
        "no_body": _("no item body"),
        "interactions": _("it must hold exactly one interaction"),
        "no_text": _("no question text"),
        "choices": _("its options are incomplete"),
        "no_correct": _("no usable correct response"),
        "missing": _("the file is not in the package"),
        "too_large": _("the file is larger than 2 MB"),
    }
    if error.reason == "unsupported":
        return _("the interaction %(name)s is not supported") % {"name": error.detail}
    return str(reasons.get(error.reason, _("it cannot be read")))


def _read(
    archive: zipfile.ZipFile, members: dict[str, Any], name: str, limits: UploadLimits
) -> bytes:
    member = members.get(name)
    if member is None:
        raise qti.QtiError("missing")
    if member.size > ITEM_MAX_BYTES:
        raise qti.QtiError("too_large")
    with open_member(archive, member, limits=limits) as stream:
        return bytes(stream.read())


def qti_import(*, actor: Actor, course: OnlineCourse, upload: Any, pool: str = "") -> int:
    """Import every item of a QTI 2.1 or 3.0 zip package into the course's bank; the number
    imported. Refused as a whole, naming each item that cannot be imported."""
    services._require_builder(actor, course)
    if upload is None:
        raise ValidationFailed(details={"file": _("Choose a file to upload.")})
    limits = qti_limits()
    members = {m.name: m for m in guard_zip(upload, limits=limits)}
    if MANIFEST not in members:
        raise UploadRefused(
            _("The zip has no imsmanifest.xml at its top: it is not a QTI content package.")
        )
    parsed: list[qti.QtiQuestion] = []
    problems: list[str] = []
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            try:
                hrefs = qti.manifest_items(_read(archive, members, MANIFEST, limits))
            except qti.QtiError as exc:
                raise UploadRefused(
                    _("The package's imsmanifest.xml cannot be read: %(reason)s.")
                    % {"reason": _reason(exc)}
                ) from exc
            if not hrefs:
                raise UploadRefused(_("The package lists no QTI item."))
            if len(hrefs) > MAX_ITEMS:
                raise UploadRefused(_("The package lists more than 2,000 items."))
            for href in hrefs:
                try:
                    parsed.append(qti.parse_item(_read(archive, members, href, limits)))
                except qti.QtiError as exc:
                    problems.append(f"{posixpath.basename(href)}: {_reason(exc)}")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UploadRefused(_("The file is damaged or is not the kind of file expected.")) from exc
    finally:
        upload.seek(0)
    if problems:
        raise UploadRefused(
            _("Nothing was imported. These items cannot be imported: %(items)s")
            % {"items": "；".join(problems)}
        )
    with transaction.atomic():
        for item in parsed:
            try:
                services.question_add(
                    actor=actor,
                    course=course,
                    kind=item.kind,
                    text=item.text,
                    choices=item.choices,
                    answer=item.answer,
                    points=item.points,
                    pool=pool,
                    source_id=item.identifier,
                )
            except ValidationFailed as exc:
                raise UploadRefused(
                    _("Nothing was imported. This item cannot be imported: %(items)s")
                    % {"items": item.title}
                ) from exc
    return len(parsed)
