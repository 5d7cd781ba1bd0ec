"""Co-construction and reuse in the demo's resource libraries: the first college leads a
library-building project with the second college and a partner enterprise (two work
packages, the second college's handout contributed and accepted), teacher1 lays out a
learning path, teacher2 forks teacher1's video, and head2's paid order gets its invoice.

Through the resources services, after ``seed_demo_resources``; idempotent: nothing is added
once the project exists."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from openvet.core.models import OrgKind, OrgUnit
from openvet.resources.models import (
    InvoiceKind,
    Order,
    OrderStatus,
    Project,
    Resource,
    ResourceStatus,
)
from openvet.resources.services.demo import MAJOR
from openvet.resources.services.invoices import invoice_issue, invoice_request
from openvet.resources.services.projects import (
    contribution_decide,
    contribution_submit,
    package_create,
    project_create,
)
from openvet.resources.services.reuse import path_create, resource_fork
from openvet.resources.services.trading import order_confirm_payment, order_place

PROJECT = "计算机应用技术专业教学资源库（共建共享）"


def seed_resources_projects(users: dict[str, Any]) -> bool:
    """``users`` holds admin1, teacher1, teacher2 and head2; True when the records were added."""
    if Project.objects.filter(title=PROJECT).exists():
        return False
    published = {
        r.title: r for r in Resource.objects.filter(status=ResourceStatus.PUBLISHED).order_by("pk")
    }
    video = published.get("数控车床对刀操作演示")
    handout = published.get("电工安全操作规程讲义")
    if video is None or handout is None:
        return False
    with transaction.atomic():
        _project(users, handout)
        path_create(
            actor=users["teacher1"],
            title="数控车削入门学习路径",
            major_code=MAJOR,
            description="先看对刀演示，再用仿真课件完成二十个实训任务。",
            resources=[r for r in (video, published.get("数控仿真加工课件")) if r is not None],
        )
        resource_fork(actor=users["teacher2"], resource=video)
        _invoice(users)
    return True


def _school_of(user: Any) -> OrgUnit:
    org = user.home_org
    while org.kind != OrgKind.SCHOOL and org.parent is not None:
        org = org.parent
    return org  # type: ignore[no-any-return]


def _project(users: dict[str, Any], handout: Resource) -> None:
    enterprise = OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE).order_by("pk").first()
    members = [_school_of(users["teacher2"]).pk]
    if enterprise is not None:
        members.append(enterprise.pk)
    lead = users["admin1"]
    project = project_create(
        actor=lead,
        title=PROJECT,
        major_code=MAJOR,
        description="两校一企共建专业教学资源库：微课、实训指导书和企业真实案例。",
        member_ids=members,
    )
    today = timezone.localdate()
    safety = package_create(
        actor=lead,
        project=project,
        title="子项目一：实训安全与规范",
        owner_id=users["teacher2"].pk,
        deadline=today + timedelta(days=60),
        planned_items=3,
    )
    package_create(
        actor=lead,
        project=project,
        title="子项目二：数控加工微课",
        owner_id=users["teacher1"].pk,
        deadline=today + timedelta(days=120),
        planned_items=5,
    )
    contribution = contribution_submit(actor=users["teacher2"], package=safety, resource=handout)
    contribution_decide(actor=lead, contribution=contribution, accept=True)


def _invoice(users: dict[str, Any]) -> None:
    """head2 asks for the invoice of the licence they paid and the seller's finance issues
    it; teacher2 has just paid for a licence of their own and not asked for one yet."""
    order = (
        Order.objects.filter(buyer=users["head2"], status=OrderStatus.PAID)
        .select_related("offer")
        .order_by("pk")
        .first()
    )
    if order is None:
        return
    own = order_place(actor=users["teacher2"], offer=order.offer)
    order_confirm_payment(actor=users["admin1"], order=own, reference="DEMO-20261120-02")
    invoice = invoice_request(
        actor=users["head2"],
        order=order,
        kind=InvoiceKind.NORMAL,
        title=users["head2"].full_name,
    )
    invoice_issue(actor=users["admin1"], invoice=invoice)
