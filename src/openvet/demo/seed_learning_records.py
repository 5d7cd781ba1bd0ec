"""A term of learning records for every demo school (``lrs.services.demo_statements_seed``)."""

from openvet.core.models import OrgKind, OrgUnit
from openvet.lrs.services import demo_statements_seed


def seed_learning_records() -> int:
    """How many statements were stored; 0 when they are there already."""
    schools = OrgUnit.objects.filter(kind=OrgKind.SCHOOL).order_by("pk")
    return sum(demo_statements_seed(school=school) for school in schools)
