from datetime import datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from openvet.core.api.schemas import name_check
from openvet.core.api.types import IdField, IdParam, InputSchema, IntField


class ApprovalTaskOut(Schema):
    id: int
    instance_id: int
    title: str
    process: str
    step_order: int
    step_name: str
    role: str
    status: str
    due_at: datetime | None
    decided_at: datetime | None
    comment: str


class ApprovalTaskDecideIn(InputSchema):
    decision: Literal["approve", "reject", "return"]
    comment: str = ""


class InstanceOut(Schema):
    id: int
    code: str
    title: str
    status: str
    current_step: int | None
    subject_type: str
    subject_id: str
    created_at: datetime
    finished_at: datetime | None
    tasks: list[ApprovalTaskOut]


class StepOut(Schema):
    name: str
    roles: list[str]
    org_level: str
    mode: str
    condition: dict[str, Any]
    deadline_hours: int | None


class DefinitionOut(Schema):
    """The definition in force for a school; ``id`` is null while the registered default is
    not stored yet, ``school_id`` null for the platform default."""

    id: int | None
    code: str
    label: str
    version: int
    school_id: int | None
    steps: list[StepOut]


class StepIn(InputSchema):
    name: Annotated[str, Field(max_length=80), name_check(_("Step name"))]
    roles: list[str]
    org_level: Literal["subject", "major", "department", "school", "target_school"]
    mode: Literal["any", "all"] = "any"
    # {"field": "change_type", "in": ["16", "17"]} or with "not_in"; empty: always applies.
    condition: dict[str, Any] = Field(default_factory=dict)
    deadline_hours: IntField | None = Field(default=None, ge=1)


class DefinitionVersionCreateIn(InputSchema):
    school_id: IdField
    # The id of the definition in force the client started from; a stale one is 409.
    based_on_id: IdField | None = None
    steps: list[StepIn] = Field(max_length=20)


class DefinitionFilterIn(Schema):
    school_id: IdParam | None = Field(
        None, description="The school; without it, the first school you may see."
    )
