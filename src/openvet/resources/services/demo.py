"""The resource libraries of the demo: a certified video nominated to the province, a document
of another school in expert review, a draft, an imported SCORM package, and a paid courseware
with a licence sold and an order awaiting its transfer, all made through the services."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from openvet.resources.models import Licence, OfferScope, Resource, ResourceType
from openvet.resources.samples import lesson_video, pdf_document, scorm_package
from openvet.resources.services.certification import certification_submit, review_submit
from openvet.resources.services.files import upload_append, upload_create
from openvet.resources.services.nominations import nomination_create
from openvet.resources.services.packages import package_import
from openvet.resources.services.resources import (
    ContributorIn,
    resource_create,
    resource_publish,
)
from openvet.resources.services.trading import (
    OfferIn,
    offer_create,
    order_confirm_payment,
    order_place,
)

MAJOR = "510201"  # 计算机应用技术
GOOD = {"accuracy": 5, "pedagogy": 4, "technical": 4, "accessibility": 4, "ip": 5}


@dataclass(frozen=True)
class DemoPeople:
    author: Any  # a teacher of the first college
    author_other: Any  # a teacher of the second college
    experts: tuple[Any, Any]  # two experts of the second college
    finance: Any = None  # the first college's administrator, who confirms transfers


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
            lesson_video(),
            description="实训车间录制的对刀全过程，配合数控编程课使用",
            keywords="数控,对刀,车床",
        )
        video = resource_publish(actor=people.author, resource=video)
        # The sample video is a 320×180 test pattern, kept small in the repository: the demo
        # certifies it as a deployment asking for 180 lines would (ADR 0533).
        with override_settings(RESOURCES_VIDEO_MIN_HEIGHT=180):
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
        _seed_package(people)
        if people.finance is not None:
            _seed_trade(people)
    return 4 if people.finance is not None else 3


def _seed_package(people: DemoPeople) -> None:
    """A SCORM courseware imported as a package and published in the school library."""
    data = scorm_package(
        "网店客服话术训练（SCORM 课件）",
        "电子商务专业客服岗位的情景对话练习，可在学习平台中播放并记录成绩",
        ("电子商务", "客服"),
    )
    imported = package_import(
        actor=people.author,
        upload_key=_upload(people.author, "网店客服话术训练.zip", data),
        major_code=MAJOR,
        licence=Licence.CC_BY,
    )
    resource_publish(actor=people.author, resource=imported)


def _seed_trade(people: DemoPeople) -> None:
    """A paid courseware on sale; an expert of the second college bought a licence for
    themselves (paid, shared among the contributors), their colleague ordered one for the
    college and the transfer is awaited."""
    courseware = resource_create(
        actor=people.author,
        contributors=[
            ContributorIn(people.author.full_name, "", Decimal(60)),
            ContributorIn("数控实训中心", "", Decimal(40)),
        ],
        upload_keys=[_upload(people.author, "数控仿真课件.pdf", pdf_document("CNC courseware"))],
        title="数控仿真加工课件",
        resource_type=ResourceType.COURSEWARE,
        major_code=MAJOR,
        licence=Licence.PAID,
        description="数控加工全流程仿真课件，含二十个实训任务",
        keywords="数控,仿真,课件",
    )
    courseware = resource_publish(actor=people.author, resource=courseware)
    now = timezone.now()
    window = {"valid_from": now - timedelta(days=1), "valid_until": now + timedelta(days=365)}
    for scope, price in ((OfferScope.INSTITUTION, 1_200_00), (OfferScope.USER, 88_00)):
        offer_create(
            actor=people.author,
            resource=courseware,
            values=OfferIn(scope=scope, price_fen=price, term_days=365, **window),
        )
    offers = {o.scope: o for o in courseware.offers.all()}
    bought = order_place(actor=people.experts[0], offer=offers[OfferScope.USER])
    order_confirm_payment(actor=people.finance, order=bought, reference="DEMO-20261101-01")
    order_place(actor=people.author_other, offer=offers[OfferScope.INSTITUTION])
