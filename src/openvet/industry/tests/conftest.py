from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openvet.core import codes
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.core.tests.factories import OrgUnitFactory
from openvet.identity.tests.factories import UserFactory, grant, user_with_role
from openvet.industry import services
from openvet.industry.models import InternshipKind
from openvet.records.tests.factories import Campus, student
from openvet.workflow import services as workflow

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
START, END = date(2026, 3, 2), date(2026, 8, 28)


def credit_code(body: str) -> str:
    first17 = f"91330106{body}"
    return first17 + codes.credit_code_check_char(first17)


def agreement() -> SimpleUploadedFile:
    return SimpleUploadedFile("agreement.pdf", PDF, content_type="application/pdf")


class World:
    """A school with a third-year class, an enterprise with a post, and the people around."""

    def __init__(self, name: str = "School A", body: str = "MA0000011") -> None:
        self.campus = Campus(name)
        self.admin = user_with_role(Role.SCHOOL_ADMIN, self.campus.school, full_name="Admin")
        self.teacher = user_with_role(Role.TEACHER, self.campus.department, full_name="Teacher")
        self.student_user = UserFactory(home_org=self.campus.klass, full_name="Stu")
        grant(self.student_user, Role.STUDENT, self.campus.klass)
        self.student = student(self.campus, user=self.student_user, grade_year=2024)
        region = OrgUnit.objects.filter(kind=OrgKind.PROVINCE).first()
        self.enterprise = OrgUnitFactory(
            kind=OrgKind.ENTERPRISE, name=f"Works of {name}", code=credit_code(body), parent=region
        )
        self.mentor = user_with_role(Role.ENTERPRISE_MENTOR, self.enterprise, full_name="Mentor")
        services.enterprise_profile_save(
            actor=self.mentor, enterprise=self.enterprise, **profile_values()
        )
        self.post = services.post_publish(
            actor=self.mentor,
            enterprise=self.enterprise,
            school=self.campus.school,
            **post_values(),
        )
        approve_post(self.post, self.admin)
        assess(self.campus.school, self.enterprise, self.admin)
        self.plan = services.plan_create(
            actor=self.admin,
            class_unit=self.campus.klass,
            name="Post internship 2026",
            kind=InternshipKind.POST,
            start_date=START,
            end_date=END,
            objectives="Work on real production lines.",
            filing_reference="ZJ-EDU-2026-017",
            safety_training_on=START - timedelta(days=3),
            emergency_plan="Call 120, then the school mentor and the counsellor.",
        )

    def place(self, **overrides: Any) -> Any:
        values = placement_values(self)
        values.update(overrides)
        return services.placement_create(actor=self.admin, **values)


def approve_post(post: Any, admin: Any) -> None:
    """The school approves the post through the workflow, as its administrator would."""
    task = workflow.decidable_task_of(actor=admin, instance=services.post_approval_of(post))
    workflow.task_decide(actor=admin, task=task, decision="approve")
    post.refresh_from_db()


def assess(school: Any, enterprise: Any, admin: Any) -> Any:
    """R18: the school's on-site assessment of the enterprise, its list published."""
    from openvet.industry.services_library import assessment_record

    return assessment_record(
        actor=admin,
        school=school,
        enterprise=enterprise,
        visited_on=START - timedelta(days=30),
        report=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
        decision_reference="Party committee 2026-03",
        published_on=START - timedelta(days=20),
    )


def profile_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "industry": "C",
        "size": "medium",
        "region_code": "330106",
        "address": "1 Factory Road",
        "contact_name": "Wang",
        "contact_phone": "13800000000",
        "staff_count": 200,
        "is_entertainment_venue": False,
        "is_agency": False,
        "description": "",
    }
    values.update(overrides)
    return values


def post_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Assembly technician",
        "description": "",
        "location": "1 Factory Road",
        "latitude": 30.274085,
        "longitude": 120.155070,
        "openings": 5,
        "same_post_staff": 50,
        "staff_wage": 5000,
        "physical_intensity": 1,
        "minor_forbidden": False,
        "female_forbidden": False,
        "high_risk": False,
        "night_shifts": False,
        "intern_pay": 4200,
        "shifts": "Weekdays 8:30-17:30",
        "skills": "Assembly, inspection",
    }
    values.update(overrides)
    return values


def placement_values(world: World) -> dict[str, Any]:
    return {
        "plan": world.plan,
        "student": world.student,
        "post": world.post,
        "start_date": START,
        "end_date": END,
        "school_mentor": world.teacher,
        "enterprise_mentor": world.mentor,
        "monthly_pay": 4200,
        "fees_charged": 0,
        "agreement": agreement(),
        "consent": SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf"),
        "insurance_policy": "PICC-2026-0001",
        "insurance_start": START,
        "insurance_end": END,
    }


@pytest.fixture
def world(db: Any, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REQUIRE_ADMIN_TOTP = False
    return World()


@pytest.fixture
def other_world(world: World) -> World:
    return World("School B", body="MA0000022")
