"""The workflow processes industry owns, registered from ``IndustryConfig.ready`` through
``workflow.services.process_register``: a student's request to change or end a placement, and
a school's approval of an internship post an enterprise publishes under its name (ADR 0606).

The subject is the placement; the payload holds what is asked (``action``: change or end),
the last day and the reason. Approved, the placement ends on that day (a change of post is a
new placement the school then makes). The counsellor and the department decide; the
enterprise's consent is recorded on the agreement's termination (ADR 0604).
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from openvet.core.audit import AuditAction, audit_record
from openvet.core.policy import Actor
from openvet.core.roles import Role
from openvet.industry.models import InternshipPost, Placement, PlacementStatus, PostApproval
from openvet.workflow.contracts import (
    InstanceInfo,
    ProcessKind,
    StepSpec,
    SubjectDescription,
    SubjectFact,
)
from openvet.workflow.services import process_register

PROCESS = "industry.placement_change"
POST_PROCESS = "industry.post_approval"
SCHOOL_APPROVAL = gettext_noop("School approval")
COUNSELLOR = gettext_noop("Counsellor")
DEPARTMENT_APPROVAL = gettext_noop("Department approval")
ACTIONS = {
    "change": gettext_lazy("Change of internship post"),
    "end": gettext_lazy("Early end of internship"),
}


def on_outcome(info: InstanceInfo, outcome: str, actor: Actor) -> None:
    if outcome != "approved":
        return
    placement = Placement.objects.select_for_update().filter(pk=int(info.subject_id)).first()
    if placement is None or placement.status != PlacementStatus.ACTIVE:
        return
    last_day = date.fromisoformat(info.payload["last_day"])
    placement.status = PlacementStatus.ENDED
    placement.end_date = max(placement.start_date, min(placement.end_date, last_day))
    placement.save(update_fields=["status", "end_date"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=placement,
        org=placement.org,
        actor=actor,
        changes={"status": [PlacementStatus.ACTIVE, PlacementStatus.ENDED]},
    )


def describe(infos: Sequence[InstanceInfo]) -> dict[int, SubjectDescription]:
    by_pk = {int(i.subject_id): i for i in infos if i.subject_id.isdigit()}
    result: dict[int, SubjectDescription] = {}
    for placement in Placement.objects.filter(pk__in=by_pk).select_related(
        "student", "enterprise", "post"
    ):
        info = by_pk[placement.pk]
        result[info.id] = SubjectDescription(
            what=ACTIONS.get(info.payload.get("action", ""), ACTIONS["end"]),
            reason=str(info.payload.get("reason", "")),
            facts=(
                SubjectFact(
                    label=_("Student"),
                    value=f"{placement.student.name} ({placement.student.student_number})",
                ),
                SubjectFact(label=_("Enterprise"), value=placement.enterprise.name),
                SubjectFact(label=_("Last day"), value=str(info.payload.get("last_day", ""))),
            ),
            url=reverse("industry:placement-detail", kwargs={"placement_id": placement.pk}),
        )
    return result


def detail_url(info: InstanceInfo) -> str | None:
    if not info.subject_id.isdigit():
        return None
    return reverse("industry:placement-detail", kwargs={"placement_id": int(info.subject_id)})


def on_post_outcome(info: InstanceInfo, outcome: str, actor: Actor) -> None:
    """Approved, the post appears under the school's name; refused, withdrawn or cancelled, it
    does not. A returned request stays awaiting (the enterprise may resubmit it)."""
    target = {
        "approved": PostApproval.APPROVED,
        "rejected": PostApproval.REFUSED,
        "withdrawn": PostApproval.REFUSED,
        "cancelled": PostApproval.REFUSED,
    }.get(outcome)
    if target is None:
        return
    post = InternshipPost.objects.select_for_update().filter(pk=int(info.subject_id)).first()
    if post is None or post.approval == target:
        return
    before = post.approval
    post.approval = target
    post.save(update_fields=["approval"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=post,
        org=post.org,
        actor=actor,
        changes={"approval": [before, target]},
    )


def describe_posts(infos: Sequence[InstanceInfo]) -> dict[int, SubjectDescription]:
    by_pk = {int(i.subject_id): i for i in infos if i.subject_id.isdigit()}
    result: dict[int, SubjectDescription] = {}
    for post in InternshipPost.objects.filter(pk__in=by_pk).select_related("org"):
        info = by_pk[post.pk]
        result[info.id] = SubjectDescription(
            what=gettext_lazy("Internship post under the school's name"),
            reason=post.description,
            facts=(
                SubjectFact(label=_("Enterprise"), value=post.org.name),
                SubjectFact(label=_("Post"), value=post.title),
                SubjectFact(label=_("Openings"), value=str(post.openings)),
                SubjectFact(label=_("Workplace"), value=post.location),
                SubjectFact(
                    label=_("Monthly pay (yuan)"), value=str(post.intern_pay or post.staff_wage)
                ),
                SubjectFact(label=_("Working hours and shifts"), value=post.shifts or "—"),
            ),
            url=reverse("industry:post-detail", kwargs={"post_id": post.pk}),
        )
    return result


def post_detail_url(info: InstanceInfo) -> str | None:
    if not info.subject_id.isdigit():
        return None
    return reverse("industry:post-detail", kwargs={"post_id": int(info.subject_id)})


def register_processes() -> None:
    process_register(
        ProcessKind(
            code=POST_PROCESS,
            label=gettext_lazy("Internship post of an enterprise"),
            default_steps=(
                StepSpec(
                    name=SCHOOL_APPROVAL,
                    roles=(Role.SCHOOL_ADMIN,),
                    org_level="school",
                    deadline_hours=120,
                ),
            ),
            on_outcome=on_post_outcome,
            detail_url=post_detail_url,
            describe=describe_posts,
        )
    )
    process_register(
        ProcessKind(
            code=PROCESS,
            label=gettext_lazy("Change or end of an internship"),
            default_steps=(
                StepSpec(
                    name=COUNSELLOR,
                    roles=(Role.COUNSELLOR,),
                    org_level="subject",
                    deadline_hours=72,
                ),
                StepSpec(
                    name=DEPARTMENT_APPROVAL,
                    roles=(Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN),
                    org_level="department",
                    deadline_hours=120,
                ),
            ),
            on_outcome=on_outcome,
            detail_url=detail_url,
            describe=describe,
        )
    )


def payload_for(action: str, last_day: date, reason: str) -> dict[str, Any]:
    return {"action": action, "last_day": last_day.isoformat(), "reason": reason}
