"""Events the teaching app publishes (after commit) through ``core.events``."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TimetablePublished:
    term_id: int
    run_id: int


@dataclass(frozen=True)
class AdjustmentApproved:
    adjustment_id: int
    term_id: int
