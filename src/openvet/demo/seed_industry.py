"""Internships and employment for the demo's first college (``industry.demo``), run by
``openvet demo`` after teaching; idempotent."""

from datetime import date

from django.utils import timezone

from openvet.core.errors import NotFound
from openvet.industry.demo import IndustryCounts, seed_demo_industry
from openvet.teaching.services.demo import demo_school_admin


def seed_industry(today: date | None = None) -> IndustryCounts | None:
    try:
        actor, school = demo_school_admin("admin1")
    except NotFound:
        return None
    return seed_demo_industry(actor=actor, school=school, today=today or timezone.localdate())
