"""The workflow processes teaching owns: timetable adjustments, grade sheets, grade changes
and leave requests, registered from ``TeachingConfig.ready`` through
``workflow.services.process_register``.

Step names are stored in the definitions as written here (English message ids) and translated
where they are shown, so they are marked with ``gettext_noop``; process labels are never
stored and are lazy.
"""

from django.utils.translation import gettext_lazy, gettext_noop

from openvet.core.roles import Role
from openvet.teaching.attendance.services import LEAVE_PROCESS, on_leave_outcome
from openvet.teaching.describe import (
    describe_adjustments,
    describe_grade_changes,
    describe_grade_sheets,
    describe_leaves,
)
from openvet.teaching.grades.services import (
    CHANGE_PROCESS,
    SHEET_PROCESS,
    on_change_outcome,
    on_sheet_outcome,
)
from openvet.teaching.services.adjustments import (
    PROCESS,
    PROCESS_LABEL,
    detail_url,
    on_process_outcome,
)
from openvet.workflow.contracts import ProcessKind, StepSpec
from openvet.workflow.services import process_register

DEPARTMENT_APPROVAL = gettext_noop("Department approval")
COUNSELLOR = gettext_noop("Counsellor")
MANAGERS = (Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN)


def register_processes() -> None:
    process_register(
        ProcessKind(
            code=PROCESS,
            label=PROCESS_LABEL,
            default_steps=(
                StepSpec(name=DEPARTMENT_APPROVAL, roles=MANAGERS, org_level="department"),
            ),
            on_outcome=on_process_outcome,
            detail_url=detail_url,
            describe=describe_adjustments,
        )
    )
    grade_step = StepSpec(
        name=DEPARTMENT_APPROVAL, roles=MANAGERS, org_level="department", deadline_hours=120
    )
    process_register(
        ProcessKind(
            code=SHEET_PROCESS,
            label=gettext_lazy("Grade sheet approval"),
            default_steps=(grade_step,),
            on_outcome=on_sheet_outcome,
            describe=describe_grade_sheets,
        )
    )
    process_register(
        ProcessKind(
            code=CHANGE_PROCESS,
            label=gettext_lazy("Grade change"),
            default_steps=(grade_step,),
            on_outcome=on_change_outcome,
            describe=describe_grade_changes,
        )
    )
    process_register(
        ProcessKind(
            code=LEAVE_PROCESS,
            label=gettext_lazy("Leave request"),
            default_steps=(
                StepSpec(
                    name=COUNSELLOR,
                    roles=(Role.COUNSELLOR,),
                    org_level="subject",
                    deadline_hours=24,
                ),
            ),
            on_outcome=on_leave_outcome,
            describe=describe_leaves,
        )
    )
