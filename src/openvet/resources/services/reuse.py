"""Reusing library resources: forks (a teacher's own copy, attributed, licence respected;
ADR 0523) and learning paths (ordered resources a learner follows; ADR 0522)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openvet.core.audit import audit_record
from openvet.core.errors import DomainError, PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction
from openvet.core.policy import Actor, has_capability
from openvet.resources import permissions as perms
from openvet.resources.models import (
    Contributor,
    LearningPath,
    Licence,
    PathStep,
    Resource,
    ResourceFile,
    ResourceFork,
    ResourceStatus,
    ResourceVersion,
)
from openvet.resources.services.resources import MAJOR_TABLE, _index, actor_school

# Creative Commons 4.0 legal code, §1 and §3: ND allows sharing only "in unmodified form";
# NC forbids commercial use; SA obliges adaptations to carry the same licence.
NO_DERIVATIVES = frozenset({Licence.CC_BY_ND})


class LicenceRefused(DomainError):
    """The resource's licence does not allow what was asked."""

    code = "licence_refused"
    status = 403
    default_message = gettext_lazy("The resource's licence does not allow this.")


def fork_refusal(*, actor: Actor, resource: Resource) -> str:
    """Why the actor may not fork the resource ("" when they may)."""
    from openvet.resources.selectors import has_access

    if resource.licence in NO_DERIVATIVES:
        return _(
            "Its licence (CC BY-ND, no derivatives) allows no edited copies: "
            "add it to your course by reference instead."
        )
    if resource.licence == Licence.PAID and not has_access(actor=actor, resource=resource):
        return _("This is a paid resource: buy a licence before you make your own copy.")
    if resource.status != ResourceStatus.PUBLISHED:
        return _("Only a published resource can be copied.")
    return ""


def resource_fork(*, actor: Actor, resource: Resource) -> Resource:
    """A draft copy in the actor's school, owned by the actor: the same files (no bytes are
    copied), the original's contributors credited, its licence kept (so NC stays
    non-commercial and SA shares alike), and a record of what it was copied from."""
    if not has_capability(actor, perms.ADD):
        raise PermissionDenied()
    refusal = fork_refusal(actor=actor, resource=resource)
    if refusal:
        raise LicenceRefused(refusal)
    school = actor_school(actor)
    source = resource.versions.order_by("-number").first()
    if source is None:
        raise ValidationFailed(_("The resource has no files to copy."))
    with transaction.atomic():
        fork = Resource.objects.create(
            org=school,
            owner_id=actor.pk,
            title=resource.title,
            description=resource.description,
            resource_type=resource.resource_type,
            major_code=resource.major_code,
            knowledge_points=resource.knowledge_points,
            keywords=resource.keywords,
            difficulty=resource.difficulty,
            audience=resource.audience,
            language=resource.language,
            duration_seconds=resource.duration_seconds,
            licence=resource.licence,
        )
        Contributor.objects.bulk_create(
            Contributor(resource=fork, name=c.name, organisation=c.organisation, share=c.share)
            for c in resource.contributors.all()
        )
        version = ResourceVersion.objects.create(
            resource=fork,
            number=1,
            note=_("Copied from version %(number)s of the original.") % {"number": source.number},
            created_by_id=actor.pk,
        )
        ResourceFile.objects.bulk_create(
            ResourceFile(version=version, blob_id=f.blob_id, filename=f.filename)
            for f in source.files.all()
        )
        ResourceFork.objects.create(
            fork=fork, original=resource, original_version=source.number, forked_by_id=actor.pk
        )
        _index(fork)
        audit_record(
            action=AuditAction.CREATE,
            obj=fork,
            org=school,
            changes={"forked_from": [None, resource.pk]},
        )
    return fork


def path_create(
    *, actor: Actor, title: str, major_code: str, description: str = "", resources: list[Resource]
) -> LearningPath:
    """A published learning path of the actor's school in one call: the resources in order,
    each a step. The caller passes resources the actor may see (``selectors.resource_get_for``).
    The building page starts a draft instead (``services.paths``, ADR 0535)."""
    from openvet.core.models import CodeItem

    school = actor_school(actor)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the learning path a title.")
    if not CodeItem.objects.filter(table=MAJOR_TABLE, code=major_code).exists():
        errors["major_code"] = _("Choose a major of the 2021 catalogue.")
    if not resources:
        errors["resources"] = _("Choose at least one resource.")
    elif any(r.status != ResourceStatus.PUBLISHED for r in resources):
        errors["resources"] = _("A learning path holds only published resources.")
    elif len({r.pk for r in resources}) != len(resources):
        errors["resources"] = _("Each resource is one step: choose it once.")
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        path = LearningPath.objects.create(
            org=school,
            major_code=major_code,
            title=title.strip(),
            description=description.strip(),
            is_published=True,
            created_by_id=actor.pk,
        )
        PathStep.objects.bulk_create(
            PathStep(path=path, position=n, resource=r) for n, r in enumerate(resources, 1)
        )
        audit_record(action=AuditAction.CREATE, obj=path, org=school)
    return path
