"""The resource libraries of the demo: a certified video nominated to the province, a document
of another school in expert review, and a draft, all made through the services."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from openvet.resources.models import Resource, ResourceType
from openvet.resources.samples import TINY_MP4, pdf_document
from openvet.resources.services.certification import certification_submit, review_submit
from openvet.resources.services.files import upload_append, upload_create
from openvet.resources.services.nominations import nomination_create
from openvet.resources.services.resources import (
    ContributorIn,
    resource_create,
    resource_publish,
)

MAJOR = "510201"  # 计算机应用技术
GOOD = {"accuracy": 5, "pedagogy": 4, "technical": 4, "accessibility": 4, "ip": 5}


@dataclass(frozen=True)
class DemoPeople:
    author: Any  # a teacher of the first college
    author_other: Any  # a teacher of the second college
    experts: tuple[Any, Any]  # two experts of the second college


def _upload(actor: Any, name: str, data: bytes) -> str:
    upload = upload_create(actor=actor, filename=name, length=len(data))
    upload_append(actor=actor, key=upload.key, offset=0, data=data)
    return upload.key


def _resource(actor: Any, title: str, kind: str, name: str, data: bytes, **extra: Any) -> Resource:
    return resource_create(
        actor=actor,
        contributors=[ContributorIn(actor.full_name, "", Decimal(100))],
        upload_keys=[_upload(actor, name, data)],
        title=title,
        resource_type=kind,
        major_code=MAJOR,
        licence="cc-by",
        **extra,
    )


def seed_demo_resources(people: DemoPeople) -> int:
    """Idempotent: nothing is added when the demo's video is already there."""
    video_title = "数控车床对刀操作演示"
    if Resource.objects.filter(title=video_title).exists():
        return 0
    with transaction.atomic():
        video = _resource(
            people.author,
            video_title,
            ResourceType.VIDEO,
            "对刀演示.mp4",
            TINY_MP4,
            description="实训车间录制的对刀全过程，配合数控编程课使用",
            keywords="数控,对刀,车床",
        )
        video = resource_publish(actor=people.author, resource=video)
        certification = certification_submit(actor=people.author, resource=video)
        for expert in people.experts:
            review_submit(actor=expert, certification=certification, scores=GOOD)
        video.refresh_from_db()
        nomination_create(actor=people.author, resource=video)
        handout = _resource(
            people.author_other,
            "电工安全操作规程讲义",
            ResourceType.DOCUMENT,
            "安全规程.pdf",
            pdf_document("Electrical safety"),
            description="电工实训前的安全教育讲义",
            keywords="电工,安全",
        )
        handout = resource_publish(actor=people.author_other, resource=handout)
        certification_submit(actor=people.author_other, resource=handout)
        _resource(
            people.author,
            "网络布线实训指导书",
            ResourceType.DOCUMENT,
            "布线指导书.pdf",
            pdf_document("Cabling"),
            description="综合布线实训的步骤与评分标准",
            keywords="网络,布线",
        )
    return 3
