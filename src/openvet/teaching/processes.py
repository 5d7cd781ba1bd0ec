"""The workflow processes teaching owns: timetable adjustments, grade sheets, grade changes
and leave requests. Registered from ``TeachingConfig.ready``."""


def register_processes() -> None:
    from openvet.teaching.attendance.services import register_process as register_leave
    from openvet.teaching.grades.services import register_processes as register_grades
    from openvet.teaching.services.adjustments import register_process as register_adjustment

    register_adjustment()
    register_grades()
    register_leave()
