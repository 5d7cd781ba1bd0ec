"""Demo data of the enterprise-side libraries: talent demand of the partner enterprises (the
first through its mentor, the others as they would have declared it) and two cooperation
projects of the demo's first college with milestones, an agreement, deliverables and funds.

Deterministic and idempotent: a second run finds the entries and changes nothing.
"""

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from openvet.core.models import OrgKind, OrgUnit
from openvet.industry import services_cooperation as services
from openvet.industry.models_cooperation import CooperationProject, InnovationCase, TalentDemand

# (position, major code of the 2021 catalogue, region code, headcount, salary band)
DEMAND = (
    ("装配调试技术员", "460102", "330106", 12, "5000"),
    ("数控机床操作工", "460103", "330100", 8, "5000"),
    ("机械设计助理工程师", "460101", "330200", 4, "8000"),
    ("软件测试工程师", "510203", "330106", 6, "8000"),
    ("运维工程师", "510202", "330100", 5, "5000"),
    ("数据标注与分析员", "510205", "330203", 10, "3000"),
    ("电子商务运营专员", "530701", "330100", 7, "3000"),
    ("会计助理", "530302", "330200", 3, "3000"),
)
ORDER_CLASS = "智能制造订单班"
COLLEGE = "数字工匠产业学院"
AGREEMENT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_demo_cooperation(
    *, actor: Any, mentor: Any, school: OrgUnit, major: OrgUnit | None, today: date
) -> None:
    enterprises = list(OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE).order_by("pk")[:4])
    if not enterprises:
        return
    with transaction.atomic():
        _demand(mentor, enterprises, today)
        if not CooperationProject.objects.filter(org=school, name=ORDER_CLASS).exists():
            _projects(actor, mentor, school, major, enterprises, today)
        if not InnovationCase.objects.filter(org=school).exists():
            _cases(actor, mentor, school, enterprises[0], today)


def _demand(mentor: Any, enterprises: list[OrgUnit], today: date) -> None:
    for index, (position, major_code, region, headcount, band) in enumerate(DEMAND):
        enterprise = enterprises[index % len(enterprises)]
        for year, scale in ((today.year, 1), (today.year + 1, 2)):
            values: dict[str, Any] = {
                "position": position,
                "major_code": major_code,
                "region_code": region,
                "headcount": headcount * scale,
                "year": year,
                "salary_band": band,
                "requirements": "",
            }
            if TalentDemand.objects.filter(org=enterprise, position=position, year=year).exists():
                continue
            if index % len(enterprises) == 0:
                services.demand_save(actor=mentor, enterprise=enterprise, **values)
            else:
                TalentDemand.objects.create(org=enterprise, created_by=mentor, **values)


def _projects(
    actor: Any,
    mentor: Any,
    school: OrgUnit,
    major: OrgUnit | None,
    enterprises: list[OrgUnit],
    today: date,
) -> None:
    start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    order = services.project_create(
        actor=actor,
        school=school,
        enterprise=enterprises[0],
        major=major,
        name=ORDER_CLASS,
        kind="order_class",
        start_date=start,
        end_date=start.replace(year=start.year + 3) - timedelta(days=63),
        status="active",
        description="企业参与招生与培养方案制定，共建课程与实训工位，学生毕业后优先录用。",
    )
    services.project_agreement_add(
        actor=actor,
        project=order,
        title="订单培养合作协议",
        file=SimpleUploadedFile("订单培养合作协议.pdf", AGREEMENT, "application/pdf"),
        signed_on=start - timedelta(days=30),
    )
    steps = (
        ("确定订单班学生名单", 14, True),
        ("共建课程标准", 90, True),
        ("企业实训周", 200, False),
    )
    for title, days, reached in steps:
        milestone = services.project_milestone_add(
            actor=actor, project=order, title=title, due_date=start + timedelta(days=days)
        )
        if reached and start + timedelta(days=days) <= today:
            services.project_milestone_update(
                actor=mentor, milestone=milestone, status="done", reached_on=milestone.due_date
            )
    services.project_deliverable_add(
        actor=actor,
        project=order,
        title="《装配调试实务》课程标准",
        delivered_on=start + timedelta(days=85),
    )
    for source, fen, days in (("enterprise", 30_000_000, 20), ("school", 12_000_000, 40)):
        services.project_fund_add(
            actor=actor,
            project=order,
            source=source,
            amount_fen=fen,
            received_on=start + timedelta(days=days),
        )
    services.project_create(
        actor=actor,
        school=school,
        enterprise=enterprises[0],
        partners=enterprises[1:3],
        name=COLLEGE,
        kind="industry_college",
        start_date=start,
        end_date=start.replace(year=start.year + 5),
        status="preparing",
        description="学校与行业龙头企业共建产业学院，共享实训基地与技术研发中心。",
    )


def _cases(actor: Any, mentor: Any, school: OrgUnit, enterprise: OrgUnit, today: date) -> None:
    student_case = services.case_save(
        actor=actor,
        org=school,
        title="农用无人机维修工作室",
        kind="entrepreneurship",
        summary="三名毕业生在导师指导下创办无人机维修工作室，服务周边农场的植保无人机。",
        tags="无人机，学生创业，乡村振兴",
        year=today.year - 1,
        is_published=True,
    )
    services.case_award_add(
        actor=actor,
        case=student_case,
        name="中国国际大学生创新大赛（职教赛道）银奖",
        level="national",
        year=today.year - 1,
    )
    services.case_file_add(
        actor=actor,
        case=student_case,
        title="项目计划书",
        file=SimpleUploadedFile("项目计划书.pdf", AGREEMENT, "application/pdf"),
    )
    services.case_save(
        actor=mentor,
        org=enterprise,
        title="装配线快速换型工装改进",
        kind="innovation",
        summary="企业导师与实习学生共同改进装配工装，换型时间缩短一半。",
        tags="智能制造，技术革新，校企合作",
        year=today.year,
        is_published=True,
    )
