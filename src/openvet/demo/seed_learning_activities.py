"""What students and teacher1 did in the demo's online course besides reading it: an
assignment with a rubric (hand-ins, one graded with comments), a closed assignment in its
peer-review round, discussions (a pinned topic, replies, a post hidden with its reason), the
course's points settings, a checkpoint question in the video and student1's notes and
favourites. A second, short course of student1's class holds a random paper; student1
completed it, holds its certificate and shares a portfolio link.

Everything goes through the learning services, so rules, xAPI statements and audit entries
are as a user's clicks would leave them. Idempotent: nothing is added once the course has an
assignment."""

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from openvet.learning import checkpoints, papers, points, services
from openvet.learning.assignments import services as assignments
from openvet.learning.assignments.models import Assignment, PeerReview
from openvet.learning.discussions import services as discussions
from openvet.learning.models import OnlineCourse, QuestionKind, Unit, UnitKind
from openvet.learning.space import services as space
from openvet.records.models import Student
from openvet.teaching.models import TeachingTask

RUBRIC = (
    ("工艺步骤", [("优秀", 10), ("合格", 6), ("不合格", 0)]),
    ("安全要点", [("完整", 5), ("部分", 3), ("缺失", 0)]),
)
HAND_INS = (
    "先车端面，再粗车外圆，留 0.5 毫米余量后精车；全程戴护目镜，卡盘扳手用后取下。",
    "装夹找正后车端面、钻中心孔，粗车各台阶再精车，最后倒角去毛刺；穿好工作服。",
    "端面—外圆粗车—台阶—精车—倒角。注意长发盘起，不戴手套操作。",
)


@dataclass(frozen=True)
class Learners:
    student1: Any
    classmates: list[Any]  # users of student1's class, in a fixed order


def seed_learning_activities(*, teacher: Any, course: OnlineCourse, learner: Any) -> bool:
    """True when the activities were added, False when they were there or nobody can join."""
    if Assignment.objects.filter(unit__course=course).exists():
        return False
    people = _learners(learner)
    if not people.classmates:
        return False
    with transaction.atomic():
        chapter = services.chapter_add(actor=teacher, course=course, title="第三章 作业与讨论")
        _graded_assignment(teacher, chapter, people)
        _peer_review_round(teacher, chapter, people)
        _discussions(teacher, course, people)
        points.weights_set(
            actor=teacher,
            course=course,
            values={"unit": 10, "video": 20, "quiz": 40, "checkpoint": 10, "live": 20},
        )
        _checkpoint(teacher, course)
        _notes(course, people.student1)
        _completed_course(people.student1, besides=teacher)
    return True


def _learners(learner: Any) -> Learners:
    record = Student.objects.filter(user=learner).first()
    mates = (
        Student.objects.filter(class_unit_id=record.class_unit_id, user__isnull=False)
        .exclude(user=learner)
        .select_related("user")
        .order_by("pk")[:3]
        if record is not None and record.class_unit_id
        else []
    )
    return Learners(learner, [m.user for m in mates])


def _assignment_unit(teacher: Any, chapter: Any, title: str, body: str, **rules: Any) -> Unit:
    unit = services.unit_add(
        actor=teacher, chapter=chapter, kind=UnitKind.ASSIGNMENT, title=title, body=body, **rules
    )
    for criterion, levels in RUBRIC:
        assignments.criterion_add(
            actor=teacher, assignment=unit.assignment, title=criterion, levels=levels
        )
    return unit


def _graded_assignment(teacher: Any, chapter: Any, people: Learners) -> None:
    """Due next week; student1 and a classmate handed in, student1's work is graded."""
    unit = _assignment_unit(
        teacher,
        chapter,
        "阶梯轴加工工艺",
        "<p>写出阶梯轴的加工步骤和安全要点，可附上工艺卡（PDF 或图片）。</p>",
        due_at=timezone.now() + timedelta(days=7),
    )
    assignment = unit.assignment
    mine = assignments.submission_submit(
        actor=people.student1, assignment=assignment, text=HAND_INS[0]
    )
    assignments.submission_submit(
        actor=people.classmates[0], assignment=assignment, text=HAND_INS[1]
    )
    criteria = list(assignment.criteria.order_by("pk"))
    assignments.submission_grade(
        actor=teacher,
        submission=mine,
        points={criteria[0].pk: 6, criteria[1].pk: 5},
        comments={criteria[0].pk: "步骤完整，缺少切削参数。", criteria[1].pk: "安全要点齐全。"},
        comment="注意补充切削用量，下次把工艺卡一起交上来。",
    )


def _peer_review_round(teacher: Any, chapter: Any, people: Learners) -> None:
    """An assignment of last week, closed, whose submissions the class reviews in pairs;
    student1 has sent the first review handed to them."""
    unit = _assignment_unit(
        teacher,
        chapter,
        "车刀刃磨心得（互评）",
        "<p>用三五句话写下刃磨外圆车刀的要点，交上后互相评阅。</p>",
        due_at=timezone.now() + timedelta(days=1),
        peer_reviews=2,
    )
    assignment = unit.assignment
    for user, text in zip([people.student1, *people.classmates], HAND_INS, strict=False):
        assignments.submission_submit(actor=user, assignment=assignment, text=text)
    # The hand-ins above were made before the deadline; the deadline is now moved to last
    # week, as it would stand a week later, so that the review round can be handed out.
    Assignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() - timedelta(days=2), late_until=None
    )
    assignment.refresh_from_db()
    assignments.peers_allocate(
        actor=teacher,
        assignment=assignment,
        rng=random.Random(2026),  # noqa: S311 reproducible demo data
    )
    review = PeerReview.objects.filter(
        reviewer_id=people.student1.pk, submission__assignment=assignment
    ).order_by("pk")[0]
    criteria = list(assignment.criteria.order_by("pk"))
    assignments.peer_review_submit(
        actor=people.student1,
        review=review,
        points={criteria[0].pk: 10, criteria[1].pk: 3},
        comment="步骤清楚；安全方面还可以写上砂轮机的防护罩。",
    )


def _discussions(teacher: Any, course: OnlineCourse, people: Learners) -> None:
    pinned = discussions.topic_create(
        actor=teacher,
        course=course,
        title="实训周安排与答疑（置顶）",
        body="下周一起在 3 号实训车间上课，请提前 10 分钟到，穿好工作服。有问题在这里问。",
    )
    discussions.topic_set(actor=teacher, topic=pinned, pinned=True)
    discussions.post_reply(
        actor=people.student1, topic=pinned, body="老师，护目镜是自己带还是车间统一发？"
    )
    discussions.post_reply(actor=teacher, topic=pinned, body="车间统一发放，下课后放回原处。")
    question = discussions.topic_create(
        actor=people.student1,
        course=course,
        title="精车时表面有振纹怎么办？",
        body="我精车外圆时表面总有振纹，转速已经调低了，还可能是什么原因？",
    )
    discussions.post_reply(
        actor=people.classmates[0],
        topic=question,
        body="检查一下刀尖是否对准中心，刀杆伸出是不是太长。",
    )
    spam = discussions.post_reply(
        actor=people.classmates[-1], topic=question, body="代写实训报告，价格优惠，加微信详聊。"
    )
    discussions.post_hide(actor=teacher, post=spam, reason="含广告，与课程无关")
    discussions.post_reply(
        actor=teacher,
        topic=question,
        body="同学说得对；另外精车时进给量取每转 0.1 毫米左右，刀尖圆弧不要太大。",
    )


def _checkpoint(teacher: Any, course: OnlineCourse) -> None:
    """A question that stops the demonstration video halfway."""
    video = course.units.filter(kind=UnitKind.VIDEO).order_by("pk").first()
    if video is None or video.duration_seconds < 2:
        return
    question = services.question_add(
        actor=teacher,
        course=course,
        kind=QuestionKind.SINGLE,
        text="视频中对刀前先做的是哪一步？",
        choices=["主轴停转并确认安全", "直接快速移动刀架", "先开切削液"],
        answer=[0],
    )
    checkpoints.checkpoint_add(
        actor=teacher, unit=video, at_seconds=video.duration_seconds // 2, question=question
    )


def _notes(course: OnlineCourse, student: Any) -> None:
    units = {u.title: u for u in course.units.all()}
    rules = units.get("机房实训守则")
    guide = units.get("实训指导书")
    if rules is not None:
        space.note_save(
            actor=student, unit=rules, text="饮料放门口置物架；作业一定存个人网盘，下课前检查。"
        )
        space.favourite_set(actor=student, unit=rules, on=True)
    if guide is not None:
        space.favourite_set(actor=student, unit=guide, on=True)


def _completed_course(student: Any, *, besides: Any) -> None:
    """A short safety course of student1's class with a random paper, completed by student1:
    the certificate and a portfolio link showing it."""
    task = _other_task(student, besides=besides)
    if task is None:
        return
    teacher = task.teachers.order_by("pk").first()
    if teacher is None:
        return
    course = services.course_create(
        actor=teacher,
        task=task,
        title="实训安全教育（在线课程）",
        description="进入实训室前的安全教育，读完须知并通过随机测验后可领取结业证书。",
    )
    chapter = services.chapter_add(actor=teacher, course=course, title="安全须知与测验")
    rules = services.unit_add(
        actor=teacher,
        chapter=chapter,
        kind=UnitKind.TEXT,
        title="实训室安全须知",
        body="<ul><li>操作前戴好护目镜，长发盘起</li><li>设备异常立即按急停并报告老师</li></ul>",
    )
    for text, choices in _SAFETY_QUESTIONS:
        services.question_add(
            actor=teacher,
            course=course,
            kind=QuestionKind.SINGLE,
            text=text,
            choices=choices,
            answer=[0],
            pool="安全",
        )
    quiz = services.unit_add(
        actor=teacher,
        chapter=chapter,
        kind=UnitKind.QUIZ,
        title="安全随机测验",
        draws=[{"pool": "安全", "count": 3}],
        max_attempts=2,
    )
    services.unit_open(actor=student, unit=rules)
    attempt = services.attempt_start(actor=student, unit=quiz)
    # Every pool question's right option is the first one.
    answers = {q.pk: ["0"] for q in papers.paper_questions(attempt)}
    attempt = services.attempt_submit(actor=student, attempt=attempt, responses=answers)
    certificate = space.certificate_issue(actor=student, course=course)
    space.portfolio_share(
        actor=student,
        title="我的实训学习成果",
        course_ids=[course.pk],
        certificate_ids=[certificate.pk],
        attempt_ids=[attempt.pk],
    )


def _other_task(student: Any, *, besides: Any) -> TeachingTask | None:
    """A current teaching task of student1's class, taught by another teacher than
    ``besides`` (who keeps one online course), that has no online course yet."""
    record = Student.objects.filter(user=student).first()
    if record is None or not record.class_unit_id:
        return None
    today = timezone.localdate()
    with_course = OnlineCourse.objects.values_list("task_id", flat=True)
    return (
        TeachingTask.objects.filter(
            classes=record.class_unit_id, term__start_date__lte=today, teachers__isnull=False
        )
        .exclude(pk__in=with_course)
        .exclude(teachers=besides)
        .order_by("-term__start_date", "pk")
        .distinct()
        .first()
    )


_SAFETY_QUESTIONS = (
    ("开机前首先要检查什么？", ["防护门和急停按钮", "屏幕亮度", "手机电量"]),
    ("设备发出异常声响时应当？", ["立即按急停并报告老师", "继续加工", "自己拆开检查"]),
    ("操作车床时可以戴什么？", ["护目镜", "手套", "围巾"]),
    ("实训结束后应当？", ["清理切屑并断电", "直接离开", "把工具留在机床上"]),
    ("切屑应当怎样清理？", ["停机后用毛刷或钩子", "用手直接拿", "用嘴吹"]),
)
