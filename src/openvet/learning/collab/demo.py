"""The demo's course groups: the course's learners in groups of four, by student number, and
a document of the first group (which holds ``learner``) with two versions and the teacher's
comment. Made once."""

from typing import Any

from django.db import transaction

from openvet.learning.collab import selectors, services
from openvet.learning.collab.models import CourseGroup
from openvet.learning.models import OnlineCourse

GROUP_SIZE = 4


def seed_demo_groups(*, teacher: Any, course: OnlineCourse, learner: Any | None) -> int:
    """The number of groups made (0 when the course has groups or ``learner`` is missing)."""
    if learner is None or CourseGroup.objects.filter(course=course).exists():
        return 0
    ids = [x.user_id for x in selectors.learners_of(course) if x.user_id != learner.pk]
    ids.insert(0, learner.pk)
    chunks = [ids[i : i + GROUP_SIZE] for i in range(0, len(ids), GROUP_SIZE)]
    with transaction.atomic():
        groups = [
            services.group_create(actor=teacher, course=course, name=f"第{n}组", learner_ids=chunk)
            for n, chunk in enumerate(chunks, start=1)
        ]
        document = services.document_create(
            actor=learner,
            group=groups[0],
            title="车削实训分工",
            text="组长：负责对刀\n记录员：填写实训记录",
        )
        services.document_save(
            actor=learner,
            document=document,
            text="组长：负责对刀和安全检查\n记录员：填写实训记录\n操作员：按图纸车削外圆",
            base_version=1,
        )
        services.comment_add(actor=teacher, document=document, text="分工清楚，请补充检验员。")
    return len(groups)
