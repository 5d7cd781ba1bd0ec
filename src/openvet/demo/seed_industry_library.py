"""The enterprise library of the demo's first partner enterprise: the contacts and the
qualification documents its mentor keeps, and the first college's rating of it for this
year. Through ``industry.services_library`` after ``seed_industry`` (the rating needs the
placements it made); kept apart from it so that the journeys starting from the seeded
internships still rate the enterprise themselves. Idempotent: nothing is added once the
enterprise has contacts."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.roles import Role
from openvet.identity.selectors import users_holding_role_over
from openvet.industry import services_library
from openvet.industry.demo import AGREEMENT
from openvet.industry.models_library import DocumentKind, EnterpriseContact
from openvet.teaching.services.demo import demo_school_admin

CONTACTS = (
    ("王建国", "人力资源部经理", "13857120001"),
    ("李秀梅", "生产部安全主管", "0571-86012345"),
)
DOCUMENTS = (
    (DocumentKind.BUSINESS_LICENCE, "营业执照（副本）", 3 * 365),
    (DocumentKind.SAFETY, "安全生产标准化二级证书", 30),  # expires soon: flagged to the school
)


def seed_industry_library() -> bool:
    """True when the records were added (by the first college's administrator admin1)."""
    try:
        actor, school = demo_school_admin("admin1")
    except NotFound:
        return False
    enterprise = OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE).order_by("pk").first()
    if enterprise is None or EnterpriseContact.objects.filter(enterprise=enterprise).exists():
        return False
    mentor = next(
        iter(users_holding_role_over(role=Role.ENTERPRISE_MENTOR, org_path=enterprise.path)),
        None,
    )
    if mentor is None or not services_library.school_cooperates(school, enterprise):
        return False
    today = timezone.localdate()
    with transaction.atomic():
        for name, role, phone in CONTACTS:
            services_library.contact_add(
                actor=mentor, enterprise=enterprise, name=name, role=role, phone=phone
            )
        for kind, title, valid_days in DOCUMENTS:
            services_library.document_add(
                actor=mentor,
                enterprise=enterprise,
                kind=kind,
                title=title,
                file=SimpleUploadedFile(f"{title}.pdf", AGREEMENT, "application/pdf"),
                expires_on=today + timedelta(days=valid_days),
            )
        services_library.rating_save(
            actor=actor,
            enterprise=enterprise,
            school=school,
            year=today.year,
            placement_quality=5,
            safety=4,
            mentor_support=4,
            comment="带教师傅认真负责，安全培训到位；希望增加轮岗工位。",
        )
    return True
