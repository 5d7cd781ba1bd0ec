"""The online course of the demo (``learning.demo``): teacher1's course for a teaching task of
student1's class in the current term, run by ``openvet demo`` after teaching; idempotent."""

from django.utils import timezone

from openvet.demo.seed_learning_activities import seed_learning_activities
from openvet.identity.models import User
from openvet.learning.collab.demo import seed_demo_groups
from openvet.learning.demo import seed_demo_course, seed_demo_live
from openvet.records.models import Student
from openvet.resources.samples import lesson_video, pdf_document
from openvet.teaching.models import TeachingTask


def seed_learning() -> int:
    """1 when the course was made, 0 when it was there or the demo accounts are missing."""
    users = {u.username: u for u in User.objects.filter(username__in=("teacher1", "student1"))}
    if len(users) != 2:
        return 0
    student = Student.objects.filter(user=users["student1"]).first()
    today = timezone.localdate()
    tasks = TeachingTask.objects.filter(teachers=users["teacher1"], term__start_date__lte=today)
    if student is not None and student.class_unit_id:
        tasks = tasks.filter(classes=student.class_unit_id)
    task = (
        tasks.select_related("course").order_by("-term__start_date", "course__code", "id").first()
    )
    if task is None:
        return 0
    made = seed_demo_course(
        teacher=users["teacher1"],
        task=task,
        learner=users["student1"] if student is not None else None,
        pdf=pdf_document("Lab guide"),
        video=lesson_video(),
    )
    seed_demo_live(
        teacher=users["teacher1"],
        course=made.course,
        learner=users["student1"] if student is not None else None,
    )
    if student is not None:
        seed_learning_activities(
            teacher=users["teacher1"], course=made.course, learner=users["student1"]
        )
    seed_demo_groups(
        teacher=users["teacher1"],
        course=made.course,
        learner=users["student1"] if student is not None else None,
    )
    return 1 if made.created else 0
