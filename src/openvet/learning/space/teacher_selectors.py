"""Reads of a teacher's learning space (ADR 0758): the courses the teacher teaches with what
waits for them, their lesson plans, the teacher's own library resources and profile; and the
public profile page, shown only while the teacher chooses to show it.

Every list is read in a fixed number of queries, whatever the number of courses.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet

from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.core.selectors import org_school_of
from openvet.learning import selectors
from openvet.learning.assignments.models import Submission
from openvet.learning.discussions.models import Post, Topic
from openvet.learning.live.models import LiveSession
from openvet.learning.models import Attempt, LessonPlan, OnlineCourse
from openvet.learning.space.models import TeacherProfile
from openvet.resources import selectors as resources


@dataclass
class TaughtCourse:
    course: OnlineCourse
    to_grade: int = 0  # hand-ins not graded yet and quiz attempts with answers to grade
    unanswered: int = 0  # topics no teacher of the course has replied to
    live_records: int = 0  # live classes held (ended)
    plans: list[LessonPlan] = field(default_factory=list)


@dataclass
class TeachingSpace:
    courses: list[TaughtCourse]
    resources: list[object]
    profile: TeacherProfile | None


def _count_by_course(course_ids: Iterable[int]) -> Counter[int]:
    return Counter(course_ids)


def unanswered_topics(courses: list[OnlineCourse]) -> QuerySet[Topic]:
    """Topics of the courses without a post by any teacher of the topic's course."""
    teachers_of_course = OnlineCourse.objects.filter(pk=OuterRef(OuterRef("course_id"))).values(
        "task__teachers"
    )
    teacher_post = Post.objects.filter(topic=OuterRef("pk"), author_id__in=teachers_of_course)
    return Topic.objects.filter(course__in=courses).exclude(Exists(teacher_post))


def teaching_space(*, actor: Actor) -> TeachingSpace:
    courses = list(selectors.taught_courses(actor=actor))
    to_grade = _count_by_course(
        Submission.objects.filter(
            assignment__unit__course__in=courses, graded_at__isnull=True
        ).values_list("assignment__unit__course_id", flat=True)
    )
    to_grade.update(
        _count_by_course(
            Attempt.objects.filter(
                unit__course__in=courses, needs_grading=True, submitted_at__isnull=False
            ).values_list("unit__course_id", flat=True)
        )
    )
    unanswered = _count_by_course(unanswered_topics(courses).values_list("course_id", flat=True))
    held = _count_by_course(
        LiveSession.objects.filter(course__in=courses, ended_at__isnull=False).values_list(
            "course_id", flat=True
        )
    )
    plans: dict[int, list[LessonPlan]] = {}
    for plan in LessonPlan.objects.filter(course__in=courses).order_by("class_date", "id"):
        plans.setdefault(plan.course_id, []).append(plan)
    rows = [
        TaughtCourse(
            course=c,
            to_grade=to_grade[c.pk],
            unanswered=unanswered[c.pk],
            live_records=held[c.pk],
            plans=plans.get(c.pk, []),
        )
        for c in courses
    ]
    return TeachingSpace(
        courses=rows,
        resources=list(resources.my_resource_list(actor=actor).order_by("-pk")[:10]),
        profile=TeacherProfile.objects.filter(user_id=actor.pk).first(),
    )


@dataclass(frozen=True)
class PublicProfile:
    name: str
    school: str
    bio: str
    courses: list[str]


def profile_public(*, token: str) -> PublicProfile:
    """The page anyone may open while the teacher shows it; 404 otherwise."""
    profile = (
        TeacherProfile.objects.filter(token=token, shown=True)
        .select_related("user", "user__home_org")
        .first()
    )
    if profile is None or not token:
        raise NotFound()
    user = profile.user
    school = org_school_of(user.home_org) if user.home_org is not None else None
    courses = selectors.taught_courses(actor=user).values_list("title", flat=True)
    return PublicProfile(
        name=user.full_name or user.get_username(),
        school=school.name if school is not None else "",
        bio=profile.bio,
        courses=list(courses),
    )
