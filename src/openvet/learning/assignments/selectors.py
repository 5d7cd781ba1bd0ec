"""Scoped reads of assignments (ADR 0720-0723).

A learner sees their own submission and the reviews handed to them (never whose work it is);
the course's teachers see every submission, the peer scores and who has not submitted. Anyone
else gets ``NotFound``, as for the course itself.
"""

from dataclasses import dataclass
from typing import Any

from openvet.core.errors import NotFound
from openvet.core.policy import Actor
from openvet.learning import selectors
from openvet.learning.assignments.models import Assignment, Criterion, PeerReview, Submission
from openvet.learning.models import Unit


def assignment_of(unit: Unit) -> Assignment | None:
    return Assignment.objects.filter(unit=unit).first()


def criteria_of(assignment: Assignment) -> list[Criterion]:
    return list(assignment.criteria.all())


def assignment_get_for(*, actor: Actor, unit_id: int) -> Assignment:
    unit = selectors.unit_get_for(actor=actor, unit_id=unit_id)
    assignment = assignment_of(unit)
    if assignment is None:
        raise NotFound()
    return assignment


def own_submission(*, actor: Actor, assignment: Assignment) -> Submission | None:
    return (
        Submission.objects.filter(assignment=assignment, user_id=actor.pk)
        .prefetch_related("grades__criterion")
        .first()
    )


def submission_get_for(*, actor: Actor, submission_id: int) -> Submission:
    """A submission for the course's teachers, or its own author; 404 for anyone else."""
    submission = (
        Submission.objects.filter(pk=submission_id)
        .select_related("assignment__unit__course", "user")
        .first()
    )
    if submission is None:
        raise NotFound()
    course = selectors.course_get_for(actor=actor, course_id=submission.assignment.unit.course_id)
    if (
        submission.user_id != actor.pk
        and not selectors.access_of(actor=actor, course=course).is_teacher
    ):
        raise NotFound()
    return submission


def review_get_for(*, actor: Actor, review_id: int) -> PeerReview:
    """A peer review for its reviewer only."""
    review = (
        PeerReview.objects.filter(pk=review_id, reviewer_id=actor.pk)
        .select_related("submission__assignment__unit__course")
        .first()
    )
    if review is None:
        raise NotFound()
    selectors.course_get_for(actor=actor, course_id=review.submission.assignment.unit.course_id)
    return review


def reviews_to_do(*, actor: Actor, assignment: Assignment) -> list[PeerReview]:
    return list(
        PeerReview.objects.filter(submission__assignment=assignment, reviewer_id=actor.pk).order_by(
            "id"
        )
    )


@dataclass(frozen=True)
class SubmissionRow:
    submission: Submission
    name: str
    peer_totals: list[Any]


@dataclass(frozen=True)
class SubmissionList:
    rows: list[SubmissionRow]
    missing: list[Any]  # students of the course's classes who have not submitted
    learners: int


def submission_list(*, assignment: Assignment) -> SubmissionList:
    """Every submission with the author's name and the peer scores handed in, and the
    learners who have not submitted (the teacher's page; the caller checked the teacher)."""
    students = selectors.course_learners(assignment.unit.course)
    names = {s.user_id: s.name for s in students if s.user_id is not None}
    submissions = list(
        Submission.objects.filter(assignment=assignment)
        .select_related("user")
        .prefetch_related("peer_reviews")
        .order_by("submitted_at", "id")
    )
    rows = [
        SubmissionRow(
            submission=s,
            name=names.get(s.user_id) or getattr(s.user, "full_name", "") or str(s.user),
            peer_totals=[r.total for r in s.peer_reviews.all() if r.done_at is not None],
        )
        for s in submissions
    ]
    submitted = {s.user_id for s in submissions}
    missing = [s for s in students if s.user_id not in submitted]
    return SubmissionList(rows=rows, missing=missing, learners=len(students))


def assignments_of_course(course: Any) -> list[tuple[Assignment, int]]:
    """The course's assignments with how many submissions each has (the course page)."""
    items = Assignment.objects.filter(unit__course=course).select_related("unit")
    return [(a, a.submissions.count()) for a in items.order_by("due_at", "id")]
