"""The resource libraries of the demo (``resources.services.demo``): teacher1's certified video
reviewed by two experts of the second college and nominated to the province, teacher2's
handout awaiting review by the first college's experts, a draft, and teacher1's paid
courseware: head2 bought a licence (confirmed by admin1), teacher2 ordered one for the second
college. Then a co-construction project, a learning path, a fork and an invoice
(``seed_resources_projects``)."""

from openvet.demo.seed_resources_projects import seed_resources_projects
from openvet.identity.models import User
from openvet.resources.services.demo import DemoPeople, seed_demo_resources


def seed_resources() -> int:
    """How many resources were added; 0 when the demo accounts are missing or already seeded."""
    names = ("teacher1", "teacher2", "head2", "admin1")
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) != len(names):
        return 0
    people = DemoPeople(
        author=users["teacher1"],
        author_other=users["teacher2"],
        experts=(users["head2"], users["teacher2"]),
        finance=users["admin1"],
    )
    added = seed_demo_resources(people)
    seed_resources_projects(users)
    return added
