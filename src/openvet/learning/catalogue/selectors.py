"""Reads of self-enrolment and the course catalogue (ADR 0759-0760).

Who sees an open course: a course open to "students of this school" is seen only by signed-in
users of that school (their class, or their home unit, lies in the school); a course open to
the platform is seen by anyone, signed in or not. Anyone else gets a 404, as for every course.
Only students with a record (studying) may enrol.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from openvet.core.errors import NotFound
from openvet.core.models import OrgKind, OrgUnit
from openvet.core.policy import Actor
from openvet.core.selectors import org_school_of
from openvet.learning import selectors as learning
from openvet.learning.catalogue.models import Enrolment, EnrolmentPolicy, EnrolScope
from openvet.learning.models import OnlineCourse, UnitKind
from openvet.learning.space.models import TeacherProfile
from openvet.records.selectors import student_of_user

PAGE_SIZE = 30


def is_open(policy: EnrolmentPolicy, now: datetime) -> bool:
    """Whether enrolment is open at ``now``: not closed, and inside the window."""
    if policy.scope == EnrolScope.CLOSED:
        return False
    if policy.opens_at is not None and now < policy.opens_at:
        return False
    return policy.closes_at is None or now < policy.closes_at


def _studying_student(actor: Actor) -> Any:
    from openvet.records.codes import StudentStatus

    student = student_of_user(user=actor)
    if student is None or student.status not in (StudentStatus.ENROLLED, StudentStatus.RESUMED):
        return None
    return student


def school_of_actor(actor: Actor) -> OrgUnit | None:
    """The school a signed-in user belongs to: a student's class's, else their home unit's."""
    if not getattr(actor, "is_authenticated", False):
        return None
    student = student_of_user(user=actor)
    place = student.class_unit if student is not None and student.class_unit_id else None
    place = place or getattr(actor, "home_org", None)
    return org_school_of(place) if place is not None else None


def may_enrol(*, actor: Actor, course: OnlineCourse, policy: EnrolmentPolicy) -> bool:
    """Whether the actor is a studying student inside the policy's scope."""
    student = _studying_student(actor)
    if student is None or policy.scope == EnrolScope.CLOSED:
        return False
    if policy.scope == EnrolScope.PLATFORM:
        return True
    school = org_school_of(student.class_unit) if student.class_unit_id else None
    return school is not None and course.org.path.startswith(school.path)


def _listed(actor: Actor) -> QuerySet[OnlineCourse]:
    """Courses open to self-enrolment that the actor may see (window not yet over)."""
    now = timezone.now()
    shown = Q(enrolment_policy__scope=EnrolScope.PLATFORM)
    school = school_of_actor(actor)
    if school is not None:
        shown |= Q(enrolment_policy__scope=EnrolScope.SCHOOL, org__path__startswith=school.path)
    return OnlineCourse.objects.filter(shown).filter(
        Q(enrolment_policy__closes_at__isnull=True) | Q(enrolment_policy__closes_at__gt=now)
    )


@dataclass(frozen=True)
class Place:
    id: int
    name: str


@dataclass(frozen=True)
class CatalogueEntry:
    course: OnlineCourse
    school: str
    teachers: list[str]
    seats_left: int | None
    is_open: bool


@dataclass(frozen=True)
class Catalogue:
    entries: list[CatalogueEntry]
    places: list[Place]  # schools and majors to filter by
    total: int


def _places(orgs: list[OrgUnit]) -> dict[int, list[OrgUnit]]:
    """For each course org: its school and, when it lies in a major, the major."""
    ids = {pk for org in orgs for pk in [*org.ancestor_ids, org.pk]}
    nodes = {
        o.pk: o
        for o in OrgUnit.objects.filter(pk__in=ids, kind__in=[OrgKind.SCHOOL, OrgKind.MAJOR])
    }
    return {
        org.pk: [nodes[pk] for pk in [*org.ancestor_ids, org.pk] if pk in nodes] for org in orgs
    }


def catalogue_for(*, actor: Actor, query: str = "", place_id: int | None = None) -> Catalogue:
    """The open courses the actor may see, by title; ``query`` searches titles, ``place_id``
    keeps the courses of one school or major (chosen among those listed)."""
    courses = list(
        _listed(actor)
        .select_related("org", "enrolment_policy", "task__course")
        .prefetch_related("task__teachers")
        .order_by("title", "id")
    )
    by_org = _places([c.org for c in courses])
    places: dict[int, OrgUnit] = {}
    for nodes in by_org.values():
        places.update({n.pk: n for n in nodes})
    text = query.strip().lower()
    now = timezone.now()
    entries = []
    for course in courses:
        nodes = by_org[course.org_id]
        if text and text not in course.title.lower():
            continue
        if place_id and place_id not in {n.pk for n in nodes}:
            continue
        school = next((n.name for n in nodes if n.kind == OrgKind.SCHOOL), "")
        policy = course.enrolment_policy
        entries.append(
            CatalogueEntry(
                course=course,
                school=school,
                teachers=[t.full_name or t.get_username() for t in course.task.teachers.all()],
                seats_left=policy.seats_left,
                is_open=is_open(policy, now),
            )
        )
    ordered = sorted(places.values(), key=lambda n: (n.kind != OrgKind.SCHOOL, n.path))
    return Catalogue(
        entries=entries[:PAGE_SIZE] if not text and not place_id else entries,
        places=[Place(n.pk, n.name) for n in ordered],
        total=len(entries),
    )


@dataclass(frozen=True)
class TeacherLink:
    name: str
    token: str  # "" when the teacher shows no public page


@dataclass(frozen=True)
class PublicUnit:
    title: str
    kind: str


@dataclass(frozen=True)
class PublicChapter:
    title: str
    units: list[PublicUnit]


@dataclass(frozen=True)
class PublicCourse:
    course: OnlineCourse
    policy: EnrolmentPolicy
    school: str
    teachers: list[TeacherLink]
    chapters: list[PublicChapter]
    is_open: bool
    not_yet: bool  # the window has not opened yet
    seats_left: int | None
    is_learner: bool  # the actor already learns in it (class or enrolment)
    is_enrolled: bool  # the actor enrolled themselves
    may_enrol: bool  # a student inside the scope


def course_public(*, actor: Actor, course_id: int) -> PublicCourse:
    """A course's public page: its outline without content, teachers, window and seats; 404
    unless the course is open to self-enrolment and within the actor's sight."""
    course = (
        _listed(actor)
        .filter(pk=course_id)
        .select_related("org", "enrolment_policy", "task")
        .first()
    )
    if course is None:
        raise NotFound()
    policy = course.enrolment_policy
    teachers = list(course.task.teachers.order_by("full_name", "id"))
    tokens = dict(
        TeacherProfile.objects.filter(user__in=teachers, shown=True).values_list("user_id", "token")
    )
    kinds = dict(UnitKind.choices)
    chapters = [
        PublicChapter(
            c.title,
            [PublicUnit(u.title, str(kinds.get(u.kind, ""))) for u in c.units.all()],
        )
        for c in course.chapters.prefetch_related("units").order_by("position", "id")
    ]
    signed_in = getattr(actor, "is_authenticated", False)
    access = learning.access_of(actor=actor, course=course) if signed_in else None
    school = org_school_of(course.org)
    now = timezone.now()
    return PublicCourse(
        course=course,
        policy=policy,
        school=school.name if school is not None else "",
        teachers=[
            TeacherLink(t.full_name or t.get_username(), tokens.get(t.pk, "")) for t in teachers
        ],
        chapters=chapters,
        is_open=is_open(policy, now),
        not_yet=policy.opens_at is not None and now < policy.opens_at,
        seats_left=policy.seats_left,
        is_learner=bool(access and (access.is_learner or access.is_teacher)),
        is_enrolled=bool(access and access.is_enrolled),
        may_enrol=signed_in and may_enrol(actor=actor, course=course, policy=policy),
    )


def policy_of(course: OnlineCourse) -> EnrolmentPolicy | None:
    return EnrolmentPolicy.objects.filter(course=course).first()


def enrolments_of(course: OnlineCourse) -> list[Enrolment]:
    """The course's self-enrolled learners, active first (for its teachers)."""
    return list(
        Enrolment.objects.filter(course=course)
        .select_related("user")
        .order_by("ended_at", "enrolled_at", "id")
    )


def enrolment_get_for(*, actor: Actor, enrolment_id: int) -> Enrolment:
    """An enrolment of a course the actor teaches; 404 otherwise."""
    enrolment = Enrolment.objects.filter(pk=enrolment_id).select_related("course").first()
    if enrolment is None:
        raise NotFound()
    course = learning.course_get_for(actor=actor, course_id=enrolment.course_id)
    if not learning.access_of(actor=actor, course=course).is_teacher:
        raise NotFound()
    enrolment.course = course
    return enrolment
