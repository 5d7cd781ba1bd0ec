"""Public writes of records. Other apps, importers and the demo call these."""

from openvet.records.oneroster.extensions import (
    ImportContext as OneRosterImportContext,
)
from openvet.records.oneroster.extensions import (
    SourcedIdOf,
    oneroster_extension_register,
)
from openvet.records.services.changes import (
    PROCESS_CODE,
    check_change,
    on_process_outcome,
    register_graduation_check,
    status_change_apply,
    status_change_resubmit,
    status_change_withdraw,
    status_refusal,
    student_info,
)
from openvet.records.services.staff import (
    dual_qualification_reasons,
    dual_rule_set,
    practice_add,
    qualification_add,
    staff_create,
    staff_link_user,
    staff_recognise_dual,
    staff_update,
    staff_upsert,
    training_add,
    validate_staff_fields,
)
from openvet.records.services.students import (
    intake_plan_set,
    student_create,
    student_link_user,
    student_reveal_pii,
    student_set_photo,
    student_update,
    student_upsert,
    validate_student_fields,
)

__all__ = [
    "PROCESS_CODE",
    "OneRosterImportContext",
    "SourcedIdOf",
    "check_change",
    "dual_qualification_reasons",
    "dual_rule_set",
    "intake_plan_set",
    "on_process_outcome",
    "oneroster_extension_register",
    "practice_add",
    "qualification_add",
    "register_graduation_check",
    "staff_create",
    "staff_link_user",
    "staff_recognise_dual",
    "staff_update",
    "staff_upsert",
    "status_change_apply",
    "status_change_resubmit",
    "status_change_withdraw",
    "status_refusal",
    "student_create",
    "student_info",
    "student_link_user",
    "student_reveal_pii",
    "student_set_photo",
    "student_update",
    "student_upsert",
    "training_add",
    "validate_staff_fields",
    "validate_student_fields",
]
