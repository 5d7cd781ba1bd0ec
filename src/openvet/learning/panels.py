"""The home page's panel of online learning: a learner's courses with progress, a teacher's
courses with the attempts waiting for grading."""

from typing import Any

from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.learning import permissions as perms
from openvet.learning import selectors

SHOWN = 4


def build_courses(user: Any) -> dict[str, Any] | None:
    if policy.has_capability(user, perms.LEARN):
        mine = selectors.my_courses(actor=user)
        return {
            "title": _("My online courses"),
            "icon": "laptop",
            "learning": mine[:SHOWN],
            "more": len(mine) > SHOWN,
        }
    if policy.has_capability(user, perms.TEACH):
        taught = list(selectors.taught_courses(actor=user)[: SHOWN + 1])
        return {
            "title": _("My online courses"),
            "icon": "easel",
            "teaching": [
                (course, selectors.attempts_to_grade(course).count()) for course in taught[:SHOWN]
            ],
            "more": len(taught) > SHOWN,
        }
    return None


def register() -> None:
    from openvet.core.shell import DashboardPanel, register_dashboard_panel

    register_dashboard_panel(
        DashboardPanel(
            key="learning.courses",
            template="learning/panels/_courses.html",
            capability=None,
            build=build_courses,
            order=5,
        )
    )
