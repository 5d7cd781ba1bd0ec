"""Internship demo data for the demo's first college: library entries for the ten partner
enterprises, posts of the first one, a post internship for a third-year class with placements,
check-ins, journals (one intern faking the evidence, for the school mentor's list) and graduate
destinations of the class.

Written through the services (the profiles of the enterprises no demo account keeps are
written directly, as the enterprises would have written them); deterministic and idempotent:
a second run finds the plan and changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.identity.selectors import users_holding_role_over
from openvet.industry import daily_services, services, services_library
from openvet.industry.codes import Destination, SalaryBand
from openvet.industry.demo_cooperation import seed_demo_cooperation
from openvet.industry.demo_graduates import seed_graduates
from openvet.industry.models import (
    CheckIn,
    EnterpriseProfile,
    IncidentSeverity,
    InternshipKind,
    InternshipPlan,
    InternshipPost,
    VisitKind,
)
from openvet.records.selectors import students_of_classes
from openvet.teaching.selectors import course_list_for, teachers_of
from openvet.workflow import services as workflow

PLAN_NAME = "2026届岗位实习"
PLACED = 6
# A minimal one-page PDF: the demo's signed agreements.
AGREEMENT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
INDUSTRIES = "CICGMCEHIC"
JOURNAL_LINES = (
    "跟随师傅熟悉了装配线的工艺流程，学习了扭矩工具的校准方法。",
    "参与了产品质量抽检，整理了检验记录，理解了首件检验的意义。",
    "独立完成了两个工位的设备点检，发现并上报了一处气路泄漏。",
    "学习了精益生产的 5S 管理，协助班组完成了工位的定置定位。",
    "参加了安全培训和应急演练，总结了本周遇到的三个技术问题。",
    "轮岗到调试工段，在导师指导下完成了控制柜接线与通电测试。",
    "整理了本月的实习笔记，对照岗位技能标准梳理了还需加强的技能。",
    "协助工程师分析了一批返修件的故障原因，撰写了简短的分析报告。",
)


@dataclass(frozen=True)
class IndustryCounts:
    placements: int
    checkins: int
    journals: int


def _third_year_class(school: OrgUnit, today: date) -> OrgUnit | None:
    school_year = today.year if today.month >= 9 else today.year - 1
    return (
        OrgUnit.objects.filter(
            kind=OrgKind.CLASS, path__startswith=school.path, grade_year=school_year - 2
        )
        .order_by("path")
        .first()
    )


def _profiles(mentor: Any, first: OrgUnit) -> None:
    enterprises = OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE).order_by("pk")
    for index, enterprise in enumerate(enterprises):
        values = {
            "industry": INDUSTRIES[index % len(INDUSTRIES)],
            "size": ("large", "medium", "small")[index % 3],
            "region_code": "330106",
            "address": f"{enterprise.name}厂区",
            "contact_name": "王经理",
            "contact_phone": f"1700000{index:04d}",
            "staff_count": 300 + 50 * index,
        }
        if enterprise == first:
            services.enterprise_profile_save(actor=mentor, enterprise=enterprise, **values)
        else:
            EnterpriseProfile.objects.get_or_create(enterprise=enterprise, defaults=values)


def _post(mentor: Any, enterprise: OrgUnit, school: OrgUnit, admin: Any) -> InternshipPost:
    """The enterprise publishes for the school, and the school's administrator approves."""
    post = services.post_publish(
        actor=mentor,
        enterprise=enterprise,
        school=school,
        title="装配调试技术员",
        description="生产线装配、设备调试与质量检验。",
        location="杭州市西湖区文三路 90 号",
        latitude=30.274085,
        longitude=120.155070,
        openings=10,
        same_post_staff=80,
        staff_wage=5200,
        physical_intensity=1,
        minor_forbidden=False,
        female_forbidden=False,
        high_risk=False,
        night_shifts=False,
        intern_pay=4500,
        shifts="工作日 8:30–17:30，白班",
        skills="装配工艺、设备调试、质量检验",
    )
    task = workflow.decidable_task_of(actor=admin, instance=services.post_approval_of(post))
    workflow.task_decide(actor=admin, task=task, decision="approve")
    post.refresh_from_db()
    return post


def seed_demo_industry(*, actor: Any, school: OrgUnit, today: date) -> IndustryCounts | None:
    """Seed once; None when the class, the mentors or the enterprise are missing."""
    klass = _third_year_class(school, today)
    first = OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE).order_by("pk").first()
    if klass is None or first is None:
        return None
    mentors = list(users_holding_role_over(role=Role.ENTERPRISE_MENTOR, org_path=first.path))
    if mentors:
        seed_demo_cooperation(
            actor=actor, mentor=mentors[0], school=school, major=klass.parent, today=today
        )
    seed_graduates(actor=actor, school=school, today=today, mentor=mentors[0] if mentors else None)
    if InternshipPlan.objects.filter(org=klass, name=PLAN_NAME).exists():
        return IndustryCounts(0, 0, 0)
    teachers = teachers_of(school)
    if not mentors or not teachers:
        return None
    with transaction.atomic():
        return _seed(actor, school, klass, first, mentors[0], teachers[0], today)


def _seed(
    actor: Any,
    school: OrgUnit,
    klass: OrgUnit,
    first: OrgUnit,
    mentor: Any,
    teacher: Any,
    today: date,
) -> IndustryCounts:
    rng = random.Random(2026)  # noqa: S311 reproducible demo data
    _profiles(mentor, first)
    post = _post(mentor, first, school, actor)
    # R18: the school visited the enterprise and published it on its list before placing.
    services_library.assessment_record(
        actor=actor,
        school=school,
        enterprise=first,
        visited_on=today - timedelta(days=75),
        report=SimpleUploadedFile("实地考察评估报告.pdf", AGREEMENT, "application/pdf"),
        decision_reference=f"党委会〔{today.year}〕3号",
        published_on=today - timedelta(days=60),
    )
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=6)
    plan = services.plan_create(
        actor=actor,
        class_unit=klass,
        name=PLAN_NAME,
        kind=InternshipKind.POST,
        start_date=start,
        end_date=start + timedelta(days=180),
        objectives="在真实岗位上完成装配、调试与质检的典型工作任务，养成安全与质量意识。",
        filing_reference=f"浙教职成备〔{start.year}〕017号",
        safety_training_on=start - timedelta(days=3),
        emergency_plan="发生伤害先拨打120，再报告企业导师、学校指导教师和辅导员；重大事件两小时内报学校。",
    )
    students = [s for s in students_of_classes(class_ids=[klass.pk]) if s.user_id][:PLACED]
    checkins = journals = 0
    for index, student in enumerate(students):
        placement = services.placement_create(
            actor=actor,
            plan=plan,
            student=student,
            post=post,
            start_date=plan.start_date,
            end_date=plan.end_date,
            school_mentor=teacher,
            enterprise_mentor=mentor,
            monthly_pay=4500,
            fees_charged=0,
            agreement=SimpleUploadedFile("三方协议.pdf", AGREEMENT, "application/pdf"),
            consent=SimpleUploadedFile("知情同意书.pdf", AGREEMENT, "application/pdf"),
            insurance_policy=f"PICC{today.year}{index:05d}",
            insurance_start=plan.start_date,
            insurance_end=plan.end_date,
        )
        # With a few interns, the last fakes the evidence (for the school mentor's list).
        faker = len(students) >= 2 and index == len(students) - 1
        checkins += _checkins(placement, post, start, today, rng, faker=faker)
        journals += _journals(student, placement, start, today, mentor, faker=faker)
        if index == 0:
            _days(student, placement, teacher, mentor, today)
    _destinations(actor, klass, today, first)
    standard = _standard(actor, school, klass, first)
    if standard is not None:  # the post follows it: interns show evidence of its tasks
        daily_services.post_standard_set(actor=actor, post=post, standard=standard)
    return IndustryCounts(len(students), checkins, journals)


def _days(student: Any, placement: Any, teacher: Any, mentor: Any, today: date) -> None:
    """The first intern's days: leave awaiting the mentor, a minor incident the enterprise
    mentor reported, the school mentor's remote talk and this month's journal (ADR 0615–0617)."""
    user = student.user
    daily_services.leave_request(
        actor=user,
        placement=placement,
        first_day=today + timedelta(days=1),
        last_day=today + timedelta(days=1),
        reason="到医院复查膝盖，已附挂号单。",
    )
    moment = timezone.make_aware(datetime.combine(today - timedelta(days=2), time(10, 30)))
    daily_services.incident_report(
        actor=mentor,
        placement=placement,
        happened_at=moment,
        severity=IncidentSeverity.MINOR,
        description="搬运料箱时扭伤手腕，厂医冰敷后休息半天，无误工。",
    )
    daily_services.visit_record(
        actor=teacher,
        placement=placement,
        day=today - timedelta(days=1),
        kind=VisitKind.REMOTE,
        notes="视频了解手腕恢复情况和本周装配任务，提醒按规程佩戴护具。",
    )
    daily_services.monthly_journal_submit(
        actor=user,
        placement=placement,
        month=today,
        text="本月在导师指导下独立完成减速器装配二十余台，学会了扭矩扳手的校准和首件检验，"
        "也认识到安全规程的重要：一次扭伤提醒我搬运时要用推车。下月想学习调试。",
    )


def _checkins(
    placement: Any, post: Any, start: date, today: date, rng: random.Random, *, faker: bool
) -> int:
    """Weekday mornings until yesterday; the faker replays one point at one time each day."""
    rows = []
    day = start
    while day < today:
        if day.weekday() < 5:
            if faker:
                at, lat, lon = time(8, 0), float(post.latitude), float(post.longitude)
            else:
                at = time(7, 25 + rng.randrange(0, 30), rng.randrange(60))
                lat = float(post.latitude) + rng.uniform(-0.0003, 0.0003)
                lon = float(post.longitude) + rng.uniform(-0.0003, 0.0003)
            moment = timezone.make_aware(datetime.combine(day, at))
            rows.append(
                CheckIn(
                    placement=placement,
                    at=moment,
                    day=day,
                    latitude=round(lat, 6),
                    longitude=round(lon, 6),
                    distance_m=0,
                    device=f"demo-{'shared' if faker else placement.pk}",
                )
            )
        day += timedelta(days=1)
    # Distances as the check-in service computes them.
    from openvet.industry.evidence import distance_m

    for row in rows:
        row.distance_m = round(
            distance_m(
                float(post.latitude),
                float(post.longitude),
                float(row.latitude),
                float(row.longitude),
            )
        )
    CheckIn.objects.bulk_create(rows)
    return len(rows)


def _journals(
    student: Any, placement: Any, start: date, today: date, mentor: Any, *, faker: bool
) -> int:
    """Weekly journals, every other one co-signed; the faker hands in the same text."""
    user = student.user
    count = 0
    week = start
    while week + timedelta(days=7) <= today:
        text = JOURNAL_LINES[0 if faker else count % len(JOURNAL_LINES)]
        journal = services.journal_submit(
            actor=user,
            placement=placement,
            week_start=week,
            text=text,
            on=week + timedelta(days=6),
        )
        if count % 2 == 0:
            services.journal_cosign(actor=mentor, journal=journal)
        count += 1
        week += timedelta(weeks=1)
    return count


def _destinations(actor: Any, klass: OrgUnit, today: date, employer: OrgUnit) -> None:
    """Destinations of the class's graduating cohort, as reported so far."""
    outcomes = (
        (Destination.CONTRACT, SalaryBand.FROM_5000, True),
        (Destination.AGREEMENT, SalaryBand.FROM_3000, True),
        (Destination.FURTHER_STUDY, "", None),
        (Destination.FLEXIBLE, SalaryBand.FROM_3000, False),
        (Destination.SEEKING, "", None),
        (Destination.ENLISTED, "", None),
    )
    for index, student in enumerate(students_of_classes(class_ids=[klass.pk])):
        destination, band, related = outcomes[index % len(outcomes)]
        services.destination_record(
            actor=actor,
            student=student,
            graduation_year=student.grade_year + student.schooling_years,
            destination=destination,
            employer="" if band == "" else employer.name,
            # The employed work at the partner enterprise, whose mentors answer the employer
            # survey about them (ADR 0623).
            employer_unit=employer if related else None,
            industry="C" if band else "",
            region_code="330106" if band else "",
            salary_band=band,
            related_to_major=related,
        )


def _standard(actor: Any, school: OrgUnit, klass: OrgUnit, enterprise: OrgUnit) -> Any:
    """A job-skill standard of the class's major, co-built with the first enterprise; its
    skills are linked to the first courses of the school's catalogue (when it has any), and
    one skill is left untaught for the coverage view."""
    major = klass.parent
    if major is None or major.kind != OrgKind.MAJOR:
        return None
    standard = services.standard_create(
        actor=actor,
        school=school,
        name="装配调试技术员",
        occupation_code="6-20-99-00",
        enterprise=enterprise,
        majors=[major],
        certificates="工业机器人装调（1+X，中级）\n装配钳工（四级）",
        description="生产线装配、设备调试与质量检验。",
    )
    assemble = services.standard_task_add(actor=actor, standard=standard, name="部件装配")
    inspect = services.standard_task_add(actor=actor, standard=standard, name="质量检验")
    courses = list(course_list_for(actor=actor, school=school)[:2])
    services.standard_skill_add(
        actor=actor, standard=standard, name="识读装配图", task=assemble, courses=courses[:1]
    )
    services.standard_skill_add(
        actor=actor, standard=standard, name="使用量具检测零件", task=inspect, courses=courses[1:]
    )
    services.standard_skill_add(actor=actor, standard=standard, name="编写检验报告", task=inspect)
    return standard
