"""Writing resources: create with their first files, new versions, publish, index for search."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.audit import audit_record
from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction, CodeItem, OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.resources import permissions as perms
from openvet.resources.models import (
    Contributor,
    LibraryLevel,
    Licence,
    Resource,
    ResourceFile,
    ResourceFork,
    ResourceStatus,
    ResourceType,
    ResourceVersion,
    SearchText,
    UsageLog,
)
from openvet.resources.search import engine, words_text
from openvet.resources.services.files import upload_finish
from openvet.resources.services.media import preview_queue

# The 2021 catalogue of vocational majors (教职成〔2021〕2号), as loaded into the code tables.
MAJOR_TABLE = "major_higher_vocational"


@dataclass(frozen=True)
class ContributorIn:
    name: str
    organisation: str
    share: Decimal


def major_choices() -> list[tuple[str, str]]:
    rows = CodeItem.objects.filter(table=MAJOR_TABLE).order_by("sort")
    return [(row.code, f"{row.name}（{row.code}）") for row in rows if len(row.code) == 6]


def _metadata_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(values.get("title", "")).strip():
        errors["title"] = _("Give the resource a title.")
    if values.get("resource_type") not in ResourceType.values:
        errors["resource_type"] = _("Choose the type of the resource.")
    if values.get("licence") not in Licence.values:
        errors["licence"] = _("Choose a licence.")
    code = str(values.get("major_code", ""))
    if len(code) != 6 or not CodeItem.objects.filter(table=MAJOR_TABLE, code=code).exists():
        errors["major_code"] = _("Choose a major of the 2021 catalogue.")
    return errors


def metadata_errors(values: dict[str, Any]) -> dict[str, str]:
    """What is wrong with a resource's metadata, by field (for other ways of making one)."""
    return _metadata_errors(values)


def _contributor_errors(contributors: list[ContributorIn]) -> dict[str, str]:
    if not contributors:
        return {"contributors": _("Name at least one contributor.")}
    total = sum((c.share for c in contributors), Decimal(0))
    if any(c.share < 0 or not c.name.strip() for c in contributors) or total != 100:
        return {
            "contributors": _("The contributors' shares must add up to 100%% (now %(total)s%%).")
            % {"total": total.normalize()}
        }
    return {}


def actor_school(actor: Actor, capability: str = perms.ADD) -> OrgUnit:
    schools = sorted(perms.reach_of(actor, capability).schools)
    if not schools:
        raise PermissionDenied()
    return OrgUnit.objects.get(path=schools[0])


def _index(resource: Resource) -> None:
    title = words_text(resource.title)
    body = words_text(
        " ".join(
            [resource.description, resource.keywords, resource.knowledge_points]
            + [c.name for c in resource.contributors.all()]
        )
    )
    SearchText.objects.update_or_create(
        resource=resource, defaults={"title_words": title, "body_words": body}
    )
    engine().index(resource_id=resource.pk, title_words=title, body_words=body)


def _add_version(
    *, actor: Actor, resource: Resource, upload_keys: list[str], note: str
) -> ResourceVersion:
    if not upload_keys:
        raise ValidationFailed(details={"file": _("Upload at least one file.")})
    number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ResourceVersion.objects.create(
        resource=resource, number=number, note=note, created_by_id=actor.pk
    )
    blobs = []
    for key in upload_keys:
        finished = upload_finish(actor=actor, key=key)
        ResourceFile.objects.create(version=version, blob=finished.blob, filename=finished.filename)
        blobs.append(finished.blob)
    preview_queue(blobs)
    return version


def resource_create(
    *,
    actor: Actor,
    contributors: list[ContributorIn],
    upload_keys: list[str],
    **values: Any,
) -> Resource:
    """A draft resource in the actor's school library, with its first version of files."""
    school = actor_school(actor)
    return resource_create_in(
        actor=actor, org=school, contributors=contributors, upload_keys=upload_keys, **values
    )


def resource_create_in(
    *,
    actor: Actor,
    org: OrgUnit,
    contributors: list[ContributorIn],
    upload_keys: list[str],
    **values: Any,
) -> Resource:
    """A draft resource of ``org`` owned by the actor; the caller has checked the actor may
    add one there (their school, or the member org of a project, ADR 0538)."""
    errors = _metadata_errors(values) | _contributor_errors(contributors)
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        resource = Resource.objects.create(org=org, owner_id=actor.pk, **values)
        Contributor.objects.bulk_create(
            Contributor(
                resource=resource, name=c.name.strip(), organisation=c.organisation, share=c.share
            )
            for c in contributors
        )
        _add_version(actor=actor, resource=resource, upload_keys=upload_keys, note="")
        _index(resource)
        audit_record(action=AuditAction.CREATE, obj=resource, org=org)
    return resource


def resource_add_version(
    *, actor: Actor, resource: Resource, upload_keys: list[str], note: str = ""
) -> ResourceVersion:
    """New files make a new version; an earlier certificate stays bound to its own files, and
    the resource is no longer certified until the new version is (re-certification)."""
    if not perms.can_edit_resource(actor, resource):
        raise PermissionDenied()
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        version = _add_version(actor=actor, resource=locked, upload_keys=upload_keys, note=note)
        Resource.objects.filter(pk=locked.pk).update(certified_level="")
        audit_record(action=AuditAction.CREATE, obj=version, org=locked.org)
    return version


def resource_publish(*, actor: Actor, resource: Resource) -> Resource:
    """Publish a draft in the library of its school."""
    if not perms.can_edit_resource(actor, resource):
        raise PermissionDenied()
    if resource.org.kind != OrgKind.SCHOOL:
        # An enterprise's resource enters a library through a project's lead (ADR 0538).
        raise ValidationFailed(_("Only a school's resource is published in its school library."))
    if resource.licence == Licence.PAID and ResourceFork.objects.filter(fork=resource).exists():
        # A copy made under a paid licence is for its maker's teaching only (ADR 0523).
        raise ValidationFailed(_("A copy of a paid resource stays private: it is not published."))
    with transaction.atomic():
        changed = Resource.objects.filter(pk=resource.pk, status=ResourceStatus.DRAFT).update(
            status=ResourceStatus.PUBLISHED, level=LibraryLevel.SCHOOL
        )
        if not changed:
            raise ValidationFailed(_("The resource is already published."))
        resource.refresh_from_db()
        audit_record(
            action=AuditAction.UPDATE,
            obj=resource,
            org=resource.org,
            changes={"level": ["", LibraryLevel.SCHOOL]},
        )
    return resource


def resource_count_use(*, resource: Resource, download: bool = False) -> None:
    """One more view or download; a counter update, safe under concurrent readers."""
    field = "downloads" if download else "views"
    Resource.objects.filter(pk=resource.pk).update(**{field: F(field) + 1})


def usage_record(*, resource: Resource, actor: Actor, action: str, filename: str = "") -> None:
    """One line of the resource's usage log: who viewed, opened or downloaded it, and when."""
    UsageLog.objects.create(
        resource=resource, user_id=actor.pk, action=action, filename=filename, at=timezone.now()
    )


def resource_reindex(*, resource: Resource) -> None:
    _index(resource)


def require_add(actor: Actor) -> None:
    if not policy.has_capability(actor, perms.ADD):
        raise PermissionDenied()
