"""Approval cards: what each request asks, by whom, why, when, and a link to the thing itself.

Every registered kind may describe its requests (``ProcessKind.describe``, one call per kind
for a whole page of cards); a kind that does not is shown by its label, the request's title
and ``ProcessKind.detail_url``. A card without a page of its own links to the request's trail.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.functional import Promise

from openvet.workflow.contracts import InstanceInfo, ProcessKind, SubjectDescription, SubjectFact
from openvet.workflow.models import ProcessInstance
from openvet.workflow.registry import process_kind


@dataclass(frozen=True)
class RequestCard:
    instance_id: int
    what: str | Promise
    title: str
    applicant: str
    submitted_at: datetime
    status: str
    status_label: str
    reason: str
    facts: tuple[SubjectFact, ...]
    url: str
    trail_url: str

    @property
    def has_own_page(self) -> bool:
        return self.url != self.trail_url


def instance_info(instance: ProcessInstance) -> InstanceInfo:
    return InstanceInfo(
        id=instance.pk,
        code=instance.code,
        subject_type=instance.subject_type,
        subject_id=instance.subject_id,
        status=instance.status,
        org_id=instance.org_id,
        applicant_id=instance.applicant_id,
        payload=dict(instance.payload),
    )


def describe_default(kind: ProcessKind | None, info: InstanceInfo) -> SubjectDescription:
    """The kind's label and its ``detail_url``: what every kind gets without ``describe``."""
    if kind is None:
        return SubjectDescription()
    url = kind.detail_url(info) if kind.detail_url is not None else None
    return SubjectDescription(what=kind.label, url=url)


def _describe_kind(code: str, infos: Sequence[InstanceInfo]) -> dict[int, SubjectDescription]:
    kind = process_kind(code)
    described = dict(kind.describe(infos)) if kind is not None and kind.describe else {}
    result: dict[int, SubjectDescription] = {}
    for info in infos:
        own = described.get(info.id)
        if own is None:
            result[info.id] = describe_default(kind, info)
            continue
        # ``detail_url`` may read the subject: asked only when the kind's own words lack a url.
        url = own.url or describe_default(kind, info).url
        result[info.id] = SubjectDescription(
            what=own.what or (kind.label if kind is not None else ""),
            reason=own.reason,
            facts=own.facts,
            url=url,
        )
    return result


def request_cards(instances: Iterable[ProcessInstance]) -> dict[int, RequestCard]:
    """Cards of ``instances`` (with ``applicant`` selected), keyed by instance id."""
    instances = list(instances)
    by_code: dict[str, list[InstanceInfo]] = {}
    for instance in instances:
        by_code.setdefault(instance.code, []).append(instance_info(instance))
    descriptions: dict[int, SubjectDescription] = {}
    for code, infos in by_code.items():
        descriptions.update(_describe_kind(code, infos))
    return {instance.pk: _card(instance, descriptions[instance.pk]) for instance in instances}


def _card(instance: ProcessInstance, description: SubjectDescription) -> RequestCard:
    trail_url = reverse("workflow:instance-detail", args=[instance.pk])
    return RequestCard(
        instance_id=instance.pk,
        what=description.what or instance.code,
        title=instance.title,
        applicant=instance.applicant.full_name,
        submitted_at=instance.created_at,
        status=instance.status,
        status_label=str(instance.get_status_display()),
        reason=description.reason,
        facts=description.facts,
        url=description.url or trail_url,
        trail_url=trail_url,
    )
