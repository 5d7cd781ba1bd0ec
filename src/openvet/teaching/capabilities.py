"""Capabilities of daily teaching (selection, attendance, grades, evaluation), granted in
``TeachingConfig.ready`` and checked by the sub-packages, which do not import each other.

Teachers act on the teaching tasks they teach (``task.teachers``) without a capability;
students act on their own record only. These capabilities reach a subtree of the org tree.
"""

from openvet.core.roles import Role

MANAGE_SELECTION = "teaching.change_offering"  # offerings, rounds, lottery, results
VIEW_ATTENDANCE = "teaching.view_attendancerecord"  # rates and lists of a subtree
VIEW_GRADES = "teaching.view_grade"  # grades of a subtree
MANAGE_GRADES = "teaching.change_gradesheet"  # set components of any task of a subtree
MANAGE_EVALUATION = "teaching.change_questionnaire"  # questionnaires and windows
VIEW_EVALUATION = "teaching.view_evaluationresponse"  # aggregated results
# Takes part in daily teaching (timetable, selection, attendance, grades, evaluation): the
# menu shows those pages only to the roles that use them, not to security or audit
# administrators, evaluators or enterprise mentors.
TAKE_PART = "teaching.use_dailyteaching"
TAKING_PART = (Role.SCHOOL_ADMIN, Role.DEPARTMENT_HEAD, Role.TEACHER, Role.COUNSELLOR, Role.STUDENT)

DAILY_CAPABILITIES: dict[str, set[str]] = {
    Role.SCHOOL_ADMIN: {
        MANAGE_SELECTION,
        VIEW_ATTENDANCE,
        VIEW_GRADES,
        MANAGE_GRADES,
        MANAGE_EVALUATION,
        VIEW_EVALUATION,
    },
    Role.DEPARTMENT_HEAD: {MANAGE_SELECTION, VIEW_ATTENDANCE, VIEW_GRADES, VIEW_EVALUATION},
    Role.COUNSELLOR: {VIEW_ATTENDANCE, VIEW_GRADES},
}
