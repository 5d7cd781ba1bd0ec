from datetime import datetime
from typing import Literal

from ninja import Schema


class TaskOut(Schema):
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


class TaskDecideIn(Schema):
    decision: Literal["approve", "reject", "return"]
    comment: str = ""


class TaskPage(Schema):
    count: int
    items: list[TaskOut]


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
    tasks: list[TaskOut]
