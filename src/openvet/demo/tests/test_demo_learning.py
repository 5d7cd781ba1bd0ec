"""`openvet demo` seeds what a class does in teacher1's online course: assignments with a
rubric and a peer-review round, discussions, points settings, a checkpoint in the video,
student1's notes, a completed course with its certificate and a shared portfolio."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from openvet.demo.seed import demo_seed
from openvet.demo.seed_learning import seed_learning
from openvet.demo.seed_teaching import seed_teaching
from openvet.learning.assignments.models import Assignment, PeerReview, Submission
from openvet.learning.catalogue.models import EnrolmentPolicy, EnrolScope
from openvet.learning.discussions.models import Post, Topic
from openvet.learning.evidence_models import Checkpoint, PointWeights
from openvet.learning.space.models import Certificate, Favourite, Note, PortfolioLink

A_SCHOOL_DAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _counts() -> tuple[int, int, int]:
    return (Submission.objects.count(), Post.objects.count(), Certificate.objects.count())


@pytest.mark.django_db
def test_the_class_has_worked_in_the_course_once(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(A_SCHOOL_DAY, tick=True):
        demo_seed(scale=0.05)
        seed_teaching()
        seed_learning()

        graded = Submission.objects.get(graded_at__isnull=False)
        assert graded.user.username == "student1"
        assert graded.score == 11  # 6 + 5 on the two criteria, handed in on time
        assert graded.grades.exclude(comment="").count() == 2
        closed = Assignment.objects.get(peers_allocated_at__isnull=False)
        reviews = PeerReview.objects.filter(submission__assignment=closed)
        assert not reviews.filter(reviewer_id=graded.user_id, submission__user_id=graded.user_id)
        assert reviews.filter(reviewer_id=graded.user_id, done_at__isnull=False).count() == 1

        assert Topic.objects.filter(pinned=True).count() == 1
        hidden = Post.objects.get(hidden_at__isnull=False)
        assert hidden.hidden_reason == "含广告，与课程无关"

        assert Note.objects.filter(user__username="student1").count() == 1
        assert Favourite.objects.filter(user__username="student1").count() == 2
        certificate = Certificate.objects.get(user__username="student1")
        link = PortfolioLink.objects.get(user__username="student1")
        assert link.certificate_ids == [certificate.pk]
        assert PointWeights.objects.get().quiz == 40
        assert Checkpoint.objects.count() == 1
        # The course is open to the school's other students: the catalogue has a course.
        policy = EnrolmentPolicy.objects.get()
        assert (policy.scope, policy.capacity) == (EnrolScope.SCHOOL, 200)

        before = _counts()
        seed_learning()
        assert _counts() == before
