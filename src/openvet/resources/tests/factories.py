"""Builders for the resource libraries' tests: real files, uploaded through the services."""

from typing import Any

from openvet.core.policy import Actor
from openvet.resources import services
from openvet.resources.models import Licence, Resource, ResourceType
from openvet.resources.samples import TINY_MP4, pdf_document
from openvet.resources.services import ContributorIn

MAJOR = "510201"  # 计算机应用技术 in the 2021 catalogue subset of the code tables
MP4 = TINY_MP4


def pdf_bytes(text: str = "OpenVET") -> bytes:
    return pdf_document(text)


def upload(actor: Actor, filename: str, data: bytes, *, chunk: int = 64 * 1024) -> str:
    created = services.upload_create(actor=actor, filename=filename, length=len(data))
    for start in range(0, len(data), chunk):
        services.upload_append(
            actor=actor, key=created.key, offset=start, data=data[start : start + chunk]
        )
    return created.key


def metadata(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "数控加工编程入门",
        "description": "讲解数控车床加工程序的编写",
        "resource_type": ResourceType.VIDEO,
        "major_code": MAJOR,
        "keywords": "数控,编程",
        "licence": Licence.CC_BY,
    }
    values.update(overrides)
    return values


def make_resource(
    actor: Actor,
    *,
    filename: str = "lesson.pdf",
    data: bytes | None = None,
    publish: bool = False,
    **overrides: Any,
) -> Resource:
    key = upload(actor, filename, data if data is not None else pdf_bytes(str(overrides)))
    resource = services.resource_create(
        actor=actor,
        contributors=[ContributorIn("张老师", "", 100)],  # type: ignore[arg-type]
        upload_keys=[key],
        **metadata(**overrides),
    )
    if publish:
        resource = services.resource_publish(actor=actor, resource=resource)
    return resource


def paid_resource(
    actor: Actor, *, contributors: list[tuple[str, int]], **overrides: Any
) -> Resource:
    """A paid resource published in its school library (other schools see it once on sale)."""
    from decimal import Decimal

    key = upload(actor, "lesson.pdf", pdf_bytes(str(overrides) + str(contributors)))
    resource = services.resource_create(
        actor=actor,
        contributors=[ContributorIn(name, "", Decimal(share)) for name, share in contributors],
        upload_keys=[key],
        **metadata(licence=Licence.PAID, resource_type=ResourceType.DOCUMENT, **overrides),
    )
    return services.resource_publish(actor=actor, resource=resource)


def offer(actor: Actor, resource: Resource, **overrides: Any) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    values: dict[str, Any] = {
        "scope": "institution",
        "price_fen": 120_000,
        "term_days": 365,
        "valid_from": now - timedelta(days=1),
        "valid_until": now + timedelta(days=30),
    }
    values.update(overrides)
    return services.offer_create(actor=actor, resource=resource, values=services.OfferIn(**values))
