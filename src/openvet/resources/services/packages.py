"""Importing SCORM and IMS Common Cartridge packages as resources (ADR 0513).

The package arrives as a resumable upload like any file; its manifest is read before the
upload becomes a blob, so a refused package leaves nothing behind. The resource is a draft
of the teacher's school library whose one file is the package itself, untouched: a player
(the learning app's) unpacks it later, and the same bytes stay the certified version.
"""

from pathlib import PurePosixPath

from django.db import transaction
from django.utils.translation import gettext as _

from openvet.core.audit import audit_record
from openvet.core.errors import ValidationFailed
from openvet.core.models import AuditAction
from openvet.core.policy import Actor
from openvet.core.uploads import UploadLimits
from openvet.resources.models import (
    Contributor,
    Resource,
    ResourceFile,
    ResourceType,
    ResourceVersion,
)
from openvet.resources.packages import PackageInfo, PackageKind, read_package
from openvet.resources.services.files import (
    max_upload_bytes,
    upload_finish,
    upload_get_for,
    upload_joined,
)
from openvet.resources.services.resources import actor_school, metadata_errors, resource_reindex

PACKAGE_SUFFIXES = (".zip", ".imscc")


def _inspect(*, actor: Actor, key: str) -> PackageInfo:
    upload = upload_get_for(actor=actor, key=key)
    if not upload.is_complete:
        raise ValidationFailed(_("The upload has not finished yet."))
    if PurePosixPath(upload.filename).suffix.lower() not in PACKAGE_SUFFIXES:
        raise ValidationFailed(
            details={"upload_keys": _("Choose a package file (.zip or .imscc).")}
        )
    joined = upload_joined(upload)
    try:
        return read_package(joined, limits=UploadLimits(max_bytes=max_upload_bytes()))
    finally:
        joined.close()


def package_import(
    *, actor: Actor, upload_key: str, major_code: str, licence: str, title: str = ""
) -> Resource:
    """A draft resource made from a package: title, description, keywords and language from
    its manifest (``title`` given here wins), the package kept as its one file."""
    school = actor_school(actor)
    if not upload_key:
        raise ValidationFailed(details={"upload_keys": _("Upload the package first.")})
    info = _inspect(actor=actor, key=upload_key)
    kind = (
        ResourceType.COURSEWARE if info.kind == PackageKind.COMMON_CARTRIDGE else ResourceType.SCORM
    )
    values = {
        "title": (title.strip() or info.title)[:200],
        "description": info.description,
        "keywords": ",".join(info.keywords)[:300],
        "language": info.language or "zh",
        "resource_type": kind,
        "major_code": major_code,
        "licence": licence,
    }
    errors = metadata_errors(values)
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        finished = upload_finish(actor=actor, key=upload_key)
        resource = Resource.objects.create(org=school, owner_id=actor.pk, **values)
        Contributor.objects.create(resource=resource, name=_name_of(actor), share=100)
        version = ResourceVersion.objects.create(
            resource=resource, number=1, note=_package_note(info), created_by_id=actor.pk
        )
        ResourceFile.objects.create(version=version, blob=finished.blob, filename=finished.filename)
        resource_reindex(resource=resource)
        audit_record(action=AuditAction.CREATE, obj=resource, org=school)
    return resource


def _name_of(actor: Actor) -> str:
    return str(getattr(actor, "full_name", "") or getattr(actor, "username", ""))[:100]


def _package_note(info: PackageInfo) -> str:
    names = {
        PackageKind.SCORM_12: "SCORM 1.2",
        PackageKind.SCORM_2004: "SCORM 2004",
        PackageKind.COMMON_CARTRIDGE: "IMS Common Cartridge",
    }
    note = _("Imported from a %(kind)s package") % {"kind": names[info.kind]}
    if info.launch:
        note += _(", opens at %(launch)s") % {"launch": info.launch}
    return note[:200]
