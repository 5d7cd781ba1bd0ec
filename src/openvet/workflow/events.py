"""Events the workflow engine publishes (after commit) through ``core.events``."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ProcessFinished:
    """An instance reached approved, rejected, withdrawn or cancelled."""

    instance_id: int
    code: str
    subject_type: str
    subject_id: str
    status: str


@dataclass(frozen=True)
class ProcessReturned:
    instance_id: int
    code: str
    subject_type: str
    subject_id: str
