"""The online course of the demo: built through the services by a teacher of a demo teaching
task, with a few learning events of one student so that the teacher's page has something to
show, and a lesson plan for tomorrow's class. Deterministic and idempotent."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from openvet.learning import plan_services, services
from openvet.learning.catalogue.models import EnrolScope
from openvet.learning.catalogue.services import enrolment_settings_save
from openvet.learning.models import OnlineCourse, QuestionKind, UnitKind


@dataclass(frozen=True)
class DemoCourse:
    course: OnlineCourse
    created: bool


def seed_demo_course(
    *, teacher: Any, task: Any, learner: Any | None, pdf: bytes, video: bytes
) -> DemoCourse:
    """The course of ``task`` (made once); ``learner`` reads the first units and takes the quiz."""
    found = OnlineCourse.objects.filter(task=task).first()
    if found is not None:
        return DemoCourse(found, created=False)
    with transaction.atomic():
        course = services.course_create(
            actor=teacher,
            task=task,
            title=f"{task.course.name}（在线课程）",
            description="课前自学实训守则和指导书，课上实操，课后完成测验。",
        )
        first = services.chapter_add(actor=teacher, course=course, title="第一章 实训准备")
        rules = services.unit_add(
            actor=teacher,
            chapter=first,
            kind=UnitKind.TEXT,
            title="机房实训守则",
            body=(
                "<h3>进入机房前</h3><ul><li>按座位表就座，检查设备是否完好</li>"
                "<li>饮料和食物放在门口的置物架上</li></ul>"
                "<p>作业保存在<strong>个人网盘</strong>，不要只存在本机桌面。</p>"
            ),
        )
        guide = services.unit_add(
            actor=teacher,
            chapter=first,
            kind=UnitKind.DOCUMENT,
            title="实训指导书",
            file=SimpleUploadedFile("guide.pdf", pdf, content_type="application/pdf"),
        )
        services.unit_add(
            actor=teacher,
            chapter=first,
            kind=UnitKind.VIDEO,
            title="实训操作演示",
            file=SimpleUploadedFile("demo.mp4", video, content_type="video/mp4"),
        )
        services.unit_add(
            actor=teacher,
            chapter=first,
            kind=UnitKind.LINK,
            title="国家职业教育智慧教育平台",
            url="https://vocational.smartedu.cn/",
        )
        second = services.chapter_add(actor=teacher, course=course, title="第二章 网络基础")
        questions = [
            services.question_add(actor=teacher, course=course, **values) for values in _questions()
        ]
        quiz = services.unit_add(
            actor=teacher,
            chapter=second,
            kind=UnitKind.QUIZ,
            title="网络基础小测验",
            question_ids=[q.pk for q in questions],
            time_limit_minutes=20,
            max_attempts=2,
        )
        _seed_plan(teacher, course, before=[rules, guide], after=[quiz])
        # Open to the school's other students too, so the course catalogue has a course to
        # show (ADR 0759); the class keeps its seats outside the 200 offered.
        enrolment_settings_save(actor=teacher, course=course, scope=EnrolScope.SCHOOL, capacity=200)
        if learner is not None:
            services.unit_open(actor=learner, unit=rules)
            attempt = services.attempt_start(actor=learner, unit=quiz)
            services.attempt_submit(
                actor=learner,
                attempt=attempt,
                responses={
                    questions[0].pk: ["1"],
                    questions[1].pk: ["0"],
                    questions[2].pk: "false",
                    questions[3].pk: "80",
                    questions[4].pk: "保存到个人网盘，并在下课前确认上传成功。",
                },
            )
    return DemoCourse(course, created=True)


def _seed_plan(teacher: Any, course: Any, *, before: list[Any], after: list[Any]) -> None:
    """A flipped first lesson tomorrow: read before class, check the machines in class, the
    quiz after class (ADR 0707)."""
    plan = plan_services.plan_create(
        actor=teacher,
        course=course,
        title="第一次课：走进实训机房",
        class_date=timezone.localdate() + timedelta(days=1),
    )
    for unit in before:
        plan_services.plan_entry_add(actor=teacher, plan=plan, phase="before", unit_id=unit.pk)
    plan_services.plan_entry_add(
        actor=teacher,
        plan=plan,
        phase="during",
        title="分组检查实训设备",
        instructions="每组对照指导书第 2 页逐项检查，把问题记在登记表上。",
    )
    for unit in after:
        plan_services.plan_entry_add(actor=teacher, plan=plan, phase="after", unit_id=unit.pk)


def _questions() -> list[dict[str, Any]]:
    return [
        {
            "kind": QuestionKind.SINGLE,
            "text": "IPv4 地址由多少位二进制数组成？",
            "choices": ["16 位", "32 位", "64 位", "128 位"],
            "answer": [1],
            "points": 2,
        },
        {
            "kind": QuestionKind.MULTIPLE,
            "text": "下列哪些属于私有 IPv4 地址段？",
            "choices": ["10.0.0.0/8", "172.16.0.0/12", "8.8.8.0/24", "192.168.0.0/16"],
            "answer": [0, 1, 3],
            "points": 3,
        },
        {
            "kind": QuestionKind.TRUE_FALSE,
            "text": "在机房可以把饮料放在键盘旁边。",
            "answer": [False],
            "points": 1,
        },
        {
            "kind": QuestionKind.FILL,
            "text": "网页服务默认使用的端口号是____。",
            "answer": ["80"],
            "points": 2,
        },
        {
            "kind": QuestionKind.SHORT,
            "text": "简述在实训机房保存作业的正确做法。",
            "answer": ["保存到个人网盘或课程平台，不只存在本机。"],
            "points": 2,
        },
    ]


def seed_demo_live(*, teacher: Any, course: OnlineCourse, learner: Any | None) -> int:
    """Yesterday's live class of the course (a question answered, comments) as its record, and
    one running now that ``learner`` has joined with a question open. Made once."""
    from datetime import timedelta

    from django.utils import timezone

    from openvet.learning.live import services as live
    from openvet.learning.live.models import LiveSession

    if learner is None or LiveSession.objects.filter(course=course).exists():
        return 0
    now = timezone.now()
    past = now - timedelta(days=1)
    with transaction.atomic():
        earlier = live.live_start(actor=teacher, course=course, now=past)
        live.live_join(actor=learner, code=earlier.code, now=past)
        question = live.question_ask(
            actor=teacher,
            live=earlier,
            text="车削外圆时，主轴转速应根据什么确定？",
            choices=["切削速度和工件直径", "刀具长度", "机床重量"],
            now=past,
        )
        live.answer_submit(actor=learner, live=earlier, question_id=question.pk, choice=0)
        live.comment_send(actor=learner, live=earlier, text="明白了", now=past)
        live.live_end(actor=teacher, live=earlier, now=past + timedelta(minutes=45))
        running = live.live_start(actor=teacher, course=course, now=now)
        live.live_join(actor=learner, code=running.code, now=now)
        live.question_ask(
            actor=teacher,
            live=running,
            text="今天实训前要先检查哪一项？",
            choices=["防护用品", "手机电量", "窗户"],
            now=now,
        )
    return 2
