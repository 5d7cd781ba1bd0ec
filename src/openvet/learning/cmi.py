"""The SCORM run-time data models, as one table shared by the server and the browser runtime
(ADR 0704): which elements exist, who may read or write them and what a value must look like.

Sources: SCORM 1.2 Run-Time Environment §3.4 (the ``cmi.core`` model, CMIString255,
CMIDecimal, CMITimespan, error codes 0-405) and SCORM 2004 3rd Edition RTE §4 (the ``cmi``
model, characterstring lengths (SPM), real(10,7) ranges, timeinterval as ISO 8601, error codes
0-408). The browser runtime reads ``rules_for(standard)`` as JSON and answers the SCO's calls
synchronously; the server checks every committed value again with ``check`` before storing it.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from openvet.learning.manifest import SCORM_12, SCORM_2004

TIMESPAN_12 = r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$"
DURATION_2004 = r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$"
_TIMESPAN = re.compile(TIMESPAN_12)
_DURATION = re.compile(DURATION_2004)
_DURATION_PARTS = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


@dataclass(frozen=True)
class Rule:
    access: str  # "rw", "ro", "wo"
    kind: str = "string"  # string, vocab, real, timespan, duration, integer, any
    maxlen: int = 0
    vocab: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "a": self.access,
            "k": self.kind,
            "n": self.maxlen,
            "v": list(self.vocab),
            "lo": self.low,
            "hi": self.high,
        }


RO, RW, WO = "ro", "rw", "wo"
STATUS_12 = ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")
INTERACTION_TYPES = (
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
    "sequencing", "likert", "numeric", "other",
)  # fmt: skip
INTERACTION_TYPES_12 = tuple(t for t in INTERACTION_TYPES if t not in ("long-fill-in", "other"))

RULES_12: dict[str, Rule] = {
    "cmi.core.student_id": Rule(RO),
    "cmi.core.student_name": Rule(RO),
    "cmi.core.lesson_location": Rule(RW, maxlen=255),
    "cmi.core.credit": Rule(RO),
    "cmi.core.lesson_status": Rule(RW, "vocab", vocab=STATUS_12[:-1]),
    "cmi.core.entry": Rule(RO),
    "cmi.core.score.raw": Rule(RW, "real", low=0, high=100),
    "cmi.core.score.max": Rule(RW, "real", low=0, high=100),
    "cmi.core.score.min": Rule(RW, "real", low=0, high=100),
    "cmi.core.total_time": Rule(RO),
    "cmi.core.lesson_mode": Rule(RO),
    "cmi.core.exit": Rule(WO, "vocab", vocab=("time-out", "suspend", "logout", "")),
    "cmi.core.session_time": Rule(WO, "timespan"),
    "cmi.suspend_data": Rule(RW, maxlen=4096),
    "cmi.launch_data": Rule(RO),
    "cmi.comments": Rule(RW, maxlen=4096),
    "cmi.comments_from_lms": Rule(RO),
    "cmi.student_data.mastery_score": Rule(RO),
    "cmi.student_data.max_time_allowed": Rule(RO),
    "cmi.student_data.time_limit_action": Rule(RO),
    "cmi.student_preference.audio": Rule(RW, "integer", low=-1, high=100),
    "cmi.student_preference.language": Rule(RW, maxlen=255),
    "cmi.student_preference.speed": Rule(RW, "integer", low=-100, high=100),
    "cmi.student_preference.text": Rule(RW, "integer", low=-1, high=1),
    "cmi.objectives.n.id": Rule(RW, maxlen=255),
    "cmi.objectives.n.score.raw": Rule(RW, "real", low=0, high=100),
    "cmi.objectives.n.score.max": Rule(RW, "real", low=0, high=100),
    "cmi.objectives.n.score.min": Rule(RW, "real", low=0, high=100),
    "cmi.objectives.n.status": Rule(RW, "vocab", vocab=STATUS_12),
    "cmi.interactions.n.id": Rule(WO, maxlen=255),
    "cmi.interactions.n.objectives.n.id": Rule(WO, maxlen=255),
    "cmi.interactions.n.time": Rule(WO, "timespan"),
    "cmi.interactions.n.type": Rule(WO, "vocab", vocab=INTERACTION_TYPES_12),
    "cmi.interactions.n.correct_responses.n.pattern": Rule(WO, maxlen=255),
    "cmi.interactions.n.weighting": Rule(WO, "real"),
    "cmi.interactions.n.student_response": Rule(WO, maxlen=255),
    "cmi.interactions.n.result": Rule(WO, "any", maxlen=255),
    "cmi.interactions.n.latency": Rule(WO, "timespan"),
}

RULES_2004: dict[str, Rule] = {
    "cmi._version": Rule(RO),
    "cmi.completion_status": Rule(
        RW, "vocab", vocab=("completed", "incomplete", "not attempted", "unknown")
    ),
    "cmi.completion_threshold": Rule(RO),
    "cmi.credit": Rule(RO),
    "cmi.entry": Rule(RO),
    "cmi.exit": Rule(WO, "vocab", vocab=("time-out", "suspend", "logout", "normal", "")),
    "cmi.launch_data": Rule(RO),
    "cmi.learner_id": Rule(RO),
    "cmi.learner_name": Rule(RO),
    "cmi.learner_preference.audio_level": Rule(RW, "real", low=0),
    "cmi.learner_preference.language": Rule(RW, maxlen=250),
    "cmi.learner_preference.delivery_speed": Rule(RW, "real", low=0),
    "cmi.learner_preference.audio_captioning": Rule(RW, "vocab", vocab=("-1", "0", "1")),
    "cmi.location": Rule(RW, maxlen=1000),
    "cmi.max_time_allowed": Rule(RO),
    "cmi.mode": Rule(RO),
    "cmi.progress_measure": Rule(RW, "real", low=0, high=1),
    "cmi.scaled_passing_score": Rule(RO),
    "cmi.score.scaled": Rule(RW, "real", low=-1, high=1),
    "cmi.score.raw": Rule(RW, "real"),
    "cmi.score.min": Rule(RW, "real"),
    "cmi.score.max": Rule(RW, "real"),
    "cmi.session_time": Rule(WO, "duration"),
    "cmi.success_status": Rule(RW, "vocab", vocab=("passed", "failed", "unknown")),
    "cmi.suspend_data": Rule(RW, maxlen=64000),
    "cmi.time_limit_action": Rule(RO),
    "cmi.total_time": Rule(RO),
    "cmi.comments_from_learner.n.comment": Rule(RW, maxlen=4000),
    "cmi.comments_from_learner.n.location": Rule(RW, maxlen=250),
    "cmi.comments_from_learner.n.timestamp": Rule(RW, maxlen=40),
    "cmi.comments_from_lms.n.comment": Rule(RO),
    "cmi.objectives.n.id": Rule(RW, maxlen=4000),
    "cmi.objectives.n.score.scaled": Rule(RW, "real", low=-1, high=1),
    "cmi.objectives.n.score.raw": Rule(RW, "real"),
    "cmi.objectives.n.score.min": Rule(RW, "real"),
    "cmi.objectives.n.score.max": Rule(RW, "real"),
    "cmi.objectives.n.success_status": Rule(RW, "vocab", vocab=("passed", "failed", "unknown")),
    "cmi.objectives.n.completion_status": Rule(
        RW, "vocab", vocab=("completed", "incomplete", "not attempted", "unknown")
    ),
    "cmi.objectives.n.progress_measure": Rule(RW, "real", low=0, high=1),
    "cmi.objectives.n.description": Rule(RW, maxlen=250),
    "cmi.interactions.n.id": Rule(RW, maxlen=4000),
    "cmi.interactions.n.type": Rule(RW, "vocab", vocab=INTERACTION_TYPES),
    "cmi.interactions.n.objectives.n.id": Rule(RW, maxlen=4000),
    "cmi.interactions.n.timestamp": Rule(RW, maxlen=40),
    "cmi.interactions.n.correct_responses.n.pattern": Rule(RW, maxlen=4000),
    "cmi.interactions.n.weighting": Rule(RW, "real"),
    "cmi.interactions.n.learner_response": Rule(RW, maxlen=4000),
    "cmi.interactions.n.result": Rule(RW, "any", maxlen=40),
    "cmi.interactions.n.latency": Rule(RW, "duration"),
    "cmi.interactions.n.description": Rule(RW, maxlen=250),
    "adl.nav.request": Rule(RW, maxlen=100),
}

# Error codes (1.2 RTE §3.3.2.1; 2004 RTE §3.1.7) the runtime answers with.
ERRORS_12 = {
    "0": "No error", "101": "General exception", "201": "Invalid argument error",
    "202": "Element cannot have children", "203": "Element not an array - cannot have count",
    "301": "Not initialized", "401": "Not implemented error",
    "402": "Invalid set value, element is a keyword", "403": "Element is read only",
    "404": "Element is write only", "405": "Incorrect data type",
}  # fmt: skip
ERRORS_2004 = {
    "0": "No error", "101": "General exception", "102": "General initialization failure",
    "103": "Already initialized", "104": "Content instance terminated",
    "111": "General termination failure", "112": "Termination before initialization",
    "113": "Termination after termination", "122": "Retrieve data before initialization",
    "123": "Retrieve data after termination", "132": "Store data before initialization",
    "133": "Store data after termination", "142": "Commit before initialization",
    "143": "Commit after termination", "201": "General argument error",
    "301": "General get failure", "351": "General set failure", "391": "General commit failure",
    "401": "Undefined data model element", "402": "Unimplemented data model element",
    "403": "Data model element value not initialized", "404": "Data model element is read only",
    "405": "Data model element is write only", "406": "Data model element type mismatch",
    "407": "Data model element value out of range", "408": "Data model dependency not established",
}  # fmt: skip


def rules_for(standard: str) -> dict[str, Rule]:
    return RULES_2004 if standard == SCORM_2004 else RULES_12


def errors_for(standard: str) -> dict[str, str]:
    return ERRORS_2004 if standard == SCORM_2004 else ERRORS_12


_INDEX = re.compile(r"\.\d+(?=\.)")


def generic(element: str) -> str:
    """``cmi.interactions.3.objectives.0.id`` -> ``cmi.interactions.n.objectives.n.id``."""
    return _INDEX.sub(".n", element)


def _number(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def check(standard: str, element: str, value: str) -> str:
    """ "" when the SCO may store ``value`` in ``element``; else the error code it gets."""
    rule = rules_for(standard).get(generic(element))
    v2004 = standard == SCORM_2004
    if rule is None:
        return "401" if v2004 else "201"
    if rule.access == RO:
        return "404" if v2004 else "403"
    if rule.maxlen and len(value) > rule.maxlen:
        return "407" if v2004 else "405"
    mismatch = "406" if v2004 else "405"
    if rule.kind == "vocab" and value not in rule.vocab:
        return mismatch
    if rule.kind == "timespan" and not _TIMESPAN.match(value):
        return mismatch
    if rule.kind == "duration" and not _DURATION.match(value):
        return mismatch
    if rule.kind in ("real", "integer"):
        if value == "" and not v2004:
            return ""  # 1.2 allows an empty score (CMIBlank)
        number = _number(value)
        if number is None or (rule.kind == "integer" and number != number.to_integral_value()):
            return mismatch
        out = "407" if v2004 else "405"
        if (rule.low is not None and number < Decimal(str(rule.low))) or (
            rule.high is not None and number > Decimal(str(rule.high))
        ):
            return out
    return ""


def seconds_of(standard: str, value: str) -> float:
    """The length of a session time (CMITimespan or ISO 8601 duration) in seconds."""
    if not value:
        return 0.0
    if standard == SCORM_12:
        if not _TIMESPAN.match(value):
            return 0.0
        h, m, s = value.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)
    match = _DURATION_PARTS.match(value)
    if match is None:
        return 0.0
    years, months, days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return ((years * 365 + months * 30 + days) * 24 + hours) * 3600 + minutes * 60 + seconds


def total_time_text(standard: str, seconds: float) -> str:
    """Seconds as the total time the SCO reads back (CMITimespan or ISO 8601)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    centis = round((seconds - whole) * 100) % 100
    if standard == SCORM_12:
        return f"{min(hours, 9999):04d}:{minutes:02d}:{secs:02d}.{centis:02d}"
    return f"PT{hours}H{minutes}M{secs}.{centis:02d}S"


@dataclass(frozen=True)
class Outcome:
    """What a SCO's data says: done (completion rule met), passed / failed / unknown, score."""

    completed: bool
    success: str
    score_raw: Decimal | None
    score_scaled: Decimal | None


def outcome(standard: str, values: dict[str, str], mastery: float | None) -> Outcome:
    """Completion and success of an attempt from its CMI values.

    1.2: "completed" or "passed" count as done ("failed" asks for another try); with a
    mastery score and a raw score the status is judged by the score (RTE 1.2 §3.4.4,
    cmi.student_data.mastery_score).
    2004: done when ``completion_status`` is "completed"; with a scaled passing score and a
    scaled score, success is judged by the score (RTE 2004 §4.2.22).
    """
    if standard == SCORM_12:
        status = values.get("cmi.core.lesson_status", "not attempted")
        raw = _number(values.get("cmi.core.score.raw", ""))
        if mastery is not None and raw is not None and status in ("completed", "incomplete"):
            status = "passed" if raw >= Decimal(str(mastery)) else "failed"
        success = status if status in ("passed", "failed") else "unknown"
        done = status in ("completed", "passed")
        scaled = raw / 100 if raw is not None else None
        return Outcome(done, success, raw, scaled)
    completion = values.get("cmi.completion_status", "unknown")
    success = values.get("cmi.success_status", "unknown")
    scaled = _number(values.get("cmi.score.scaled", ""))
    if mastery is not None and scaled is not None:
        success = "passed" if scaled >= Decimal(str(mastery)) else "failed"
    raw = _number(values.get("cmi.score.raw", ""))
    return Outcome(completion == "completed", success, raw, scaled)
