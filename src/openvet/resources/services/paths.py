"""Building learning paths (ADR 0535): a teacher or curator starts a draft path for a major,
adds published resources its audience may find, orders them, gives a step a section heading
or a note, and publishes it. Every write is checked, audited and made in one transaction."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from openvet.core.audit import audit_record
from openvet.core.errors import PermissionDenied, ValidationFailed
from openvet.core.models import AuditAction, CodeItem
from openvet.core.policy import Actor
from openvet.resources import permissions as perms
from openvet.resources.models import LearningPath, PathStep, Resource
from openvet.resources.services.resources import MAJOR_TABLE, actor_school

HEADING_MAX = 100
NOTE_MAX = 300


def _metadata_errors(*, title: str, major_code: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the learning path a title.")
    elif len(title.strip()) > 200:
        errors["title"] = _("The title is too long (200 characters at most).")
    if (
        len(major_code) != 6
        or not CodeItem.objects.filter(table=MAJOR_TABLE, code=major_code).exists()
    ):
        errors["major_code"] = _("Choose a major of the 2021 catalogue.")
    return errors


def _require_change(actor: Actor, path: LearningPath) -> None:
    if not perms.can_change_path(actor, path):
        raise PermissionDenied()


def _locked(path: LearningPath) -> LearningPath:
    """The path's row, locked until the transaction ends: step positions are read and
    rewritten under it, so two builders never give two steps one position."""
    return LearningPath.objects.select_for_update().get(pk=path.pk)


def path_start(*, actor: Actor, title: str, major_code: str, description: str = "") -> LearningPath:
    """A draft path of the actor's school, with no steps yet."""
    if not perms.can_build_paths(actor):
        raise PermissionDenied()
    errors = _metadata_errors(title=title, major_code=major_code)
    if errors:
        raise ValidationFailed(details=errors)
    capability = perms.ADD if perms.reach_of(actor, perms.ADD).schools else perms.MANAGE
    school = actor_school(actor, capability)
    with transaction.atomic():
        path = LearningPath.objects.create(
            org=school,
            major_code=major_code,
            title=title.strip(),
            description=description.strip(),
            is_published=False,
            created_by_id=actor.pk,
        )
        audit_record(action=AuditAction.CREATE, obj=path, org=school)
    return path


def path_update(
    *, actor: Actor, path: LearningPath, title: str, major_code: str, description: str = ""
) -> LearningPath:
    _require_change(actor, path)
    errors = _metadata_errors(title=title, major_code=major_code)
    if errors:
        raise ValidationFailed(details=errors)
    before = {"title": path.title, "major_code": path.major_code}
    with transaction.atomic():
        path.title, path.major_code = title.strip(), major_code
        path.description = description.strip()
        path.save(update_fields=["title", "major_code", "description"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=path,
            org=path.org,
            changes={k: [v, getattr(path, k)] for k, v in before.items() if v != getattr(path, k)},
        )
    return path


def _step_errors(heading: str, note: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(heading.strip()) > HEADING_MAX:
        errors["heading"] = _("The section heading is too long (100 characters at most).")
    if len(note.strip()) > NOTE_MAX:
        errors["note"] = _("The note is too long (300 characters at most).")
    return errors


def path_step_add(
    *, actor: Actor, path: LearningPath, resource: Resource, heading: str = "", note: str = ""
) -> PathStep:
    """The resource as the path's last step. The caller loads the resource through
    ``selectors.resource_get_for`` (the builder sees it); here it must also be published and
    in reach of the path's learners, and not already a step."""
    _require_change(actor, path)
    errors = _step_errors(heading, note)
    if not perms.audience_may_see(path.org, resource):
        errors["resource"] = _(
            "The learners of this path cannot find this resource in their library: "
            "choose a published resource of your school, your province or the national library."
        )
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        locked = _locked(path)
        if locked.steps.filter(resource=resource).exists():
            raise ValidationFailed(details={"resource": _("This resource is already a step.")})
        last = locked.steps.aggregate(n=Max("position"))["n"] or 0
        step = PathStep.objects.create(
            path=locked,
            position=last + 1,
            resource=resource,
            heading=heading.strip(),
            note=note.strip(),
        )
        audit_record(
            action=AuditAction.UPDATE,
            obj=path,
            org=path.org,
            changes={"steps": ["", f"+{resource.pk}"]},
        )
    return step


def path_step_describe(*, actor: Actor, step: PathStep, heading: str, note: str) -> PathStep:
    """The step's section heading (shown above it) and its note for the learner."""
    _require_change(actor, step.path)
    errors = _step_errors(heading, note)
    if errors:
        raise ValidationFailed(details=errors)
    with transaction.atomic():
        step.heading, step.note = heading.strip(), note.strip()
        step.save(update_fields=["heading", "note"])
        audit_record(action=AuditAction.UPDATE, obj=step.path, org=step.path.org)
    return step


def path_step_move(*, actor: Actor, step: PathStep, up: bool) -> None:
    """Swap the step with the one before (``up``) or after it; at either end nothing moves."""
    _require_change(actor, step.path)
    with transaction.atomic():
        locked = _locked(step.path)
        current = locked.steps.get(pk=step.pk)
        if up:
            nearer = locked.steps.filter(position__lt=current.position).order_by("-position")
        else:
            nearer = locked.steps.filter(position__gt=current.position).order_by("position")
        other = nearer.first()
        if other is None:
            return
        mine, theirs = current.position, other.position
        # Position 0 is never a step's: it frees ``mine`` while the two swap.
        PathStep.objects.filter(pk=current.pk).update(position=0)
        PathStep.objects.filter(pk=other.pk).update(position=mine)
        PathStep.objects.filter(pk=current.pk).update(position=theirs)
        audit_record(
            action=AuditAction.UPDATE,
            obj=locked,
            org=step.path.org,
            changes={"position": [mine, theirs]},
        )


def path_step_remove(*, actor: Actor, step: PathStep) -> None:
    """The step leaves the path; the steps after it move up one place."""
    _require_change(actor, step.path)
    with transaction.atomic():
        locked = _locked(step.path)
        gone = locked.steps.filter(pk=step.pk).first()
        if gone is None:
            return
        position, resource_id = gone.position, gone.resource_id
        gone.delete()
        # In ascending order each step moves into the place just freed before it.
        for later in locked.steps.filter(position__gt=position).order_by("position"):
            PathStep.objects.filter(pk=later.pk).update(position=later.position - 1)
        audit_record(
            action=AuditAction.UPDATE,
            obj=locked,
            org=step.path.org,
            changes={"steps": [f"-{resource_id}", ""]},
        )


def path_set_published(*, actor: Actor, path: LearningPath, published: bool) -> LearningPath:
    """Publish (the school's learners see it) or take back to draft. A path without steps is
    not published."""
    _require_change(actor, path)
    with transaction.atomic():
        locked = _locked(path)
        if published and not locked.steps.exists():
            raise ValidationFailed(_("Add at least one step before you publish the path."))
        if locked.is_published != published:
            LearningPath.objects.filter(pk=path.pk).update(is_published=published)
            audit_record(
                action=AuditAction.UPDATE,
                obj=locked,
                org=path.org,
                changes={"is_published": [not published, published]},
            )
    path.is_published = published
    return path
