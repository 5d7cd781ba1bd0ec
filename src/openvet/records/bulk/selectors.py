"""Scoped reads of import jobs: the uploader, or whoever may view the school's students."""

from typing import Any

from django.db.models import Q, QuerySet

from openvet.core import policy
from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.records.bulk.models import ImportJob


def import_job_list_for(*, actor: Actor) -> QuerySet[ImportJob]:
    own = Q(created_by=actor) if getattr(actor, "is_authenticated", False) else None
    queryset = policy.scope(
        ImportJob.objects.all(), actor, "records.view_student", path_field="school__path", own=own
    )
    return queryset.select_related("school", "created_by")


def import_job_get_for(*, actor: Actor, job_id: int) -> ImportJob:
    job = import_job_list_for(actor=actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job


def schools_for(*, actor: Actor, capabilities: tuple[str, ...]) -> list[Any]:
    """Schools where ``actor`` holds any of ``capabilities`` (at the school or above)."""
    from openvet.core.models import OrgKind, OrgUnit

    condition = Q()
    for capability in capabilities:
        for path in policy.capability_paths(actor, capability):
            condition |= Q(path__startswith=path)
    if not condition:
        return []
    return list(OrgUnit.objects.filter(condition, kind=OrgKind.SCHOOL).order_by("path"))


def school_get_for(*, actor: Actor, school_id: int, capabilities: tuple[str, ...]) -> Any:
    for school in schools_for(actor=actor, capabilities=capabilities):
        if school.pk == school_id:
            return school
    raise NotFound()


def import_job_students_for(*, actor: Actor, job: ImportJob) -> QuerySet[Any]:
    """The students ``job`` created or updated that ``actor`` may see (the job itself must
    come from ``import_job_get_for``)."""
    from openvet.records.selectors import student_list_for

    return student_list_for(actor=actor).filter(history__import_job=job).distinct()
