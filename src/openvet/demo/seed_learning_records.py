"""A term of learning records for every demo school (``lrs.services.demo_statements_seed``),
the learners of the demo's online courses at work (``learning.analytics.demo``), and this
morning's early warnings raised from them."""

from openvet.core.models import OrgKind, OrgUnit
from openvet.learning.analytics.demo import seed_course_activity
from openvet.lrs.services import demo_statements_seed, warnings_evaluate


def seed_learning_records() -> int:
    """How many statements were stored; 0 when they are there already."""
    schools = OrgUnit.objects.filter(kind=OrgKind.SCHOOL).order_by("pk")
    stored = sum(demo_statements_seed(school=school) for school in schools)
    seed_course_activity()
    # The daily early-warning job has run once, so a counsellor's list is not empty on the
    # first day (the rules keep one open warning per student and rule: a rerun adds none).
    warnings_evaluate()
    return stored
