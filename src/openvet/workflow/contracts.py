"""What the engine hands to the apps that own the subjects."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class StepSpec:
    """A step as an app declares it in its default definition."""

    name: str
    roles: tuple[str, ...]
    org_level: str
    mode: str = "any"
    condition: dict[str, Any] = field(default_factory=dict)
    deadline_hours: int | None = None


@dataclass(frozen=True)
class InstanceInfo:
    id: int
    code: str
    subject_type: str
    subject_id: str
    status: str
    org_id: int
    applicant_id: int
    payload: dict[str, Any]


OutcomeCallback = Callable[[InstanceInfo, str, Any], None]


@dataclass(frozen=True)
class SubjectFact:
    """One line of what a request asks, in the reader's words: a label and its value."""

    label: str | Promise
    value: str | Promise


@dataclass(frozen=True)
class SubjectDescription:
    """What a request is about, for the approval cards: the kind of request in the user's
    words (``what``, e.g. change of major), why (``reason``), the facts an approver decides on, and
    the page of the subject itself (``url``)."""

    what: str | Promise = ""
    reason: str = ""
    facts: tuple[SubjectFact, ...] = ()
    url: str | None = None


# Describes many instances of one kind at once (one query per kind, not per card); an
# instance missing from the answer is shown with the default description.
DescribeCallback = Callable[[Sequence[InstanceInfo]], Mapping[int, SubjectDescription]]


@dataclass(frozen=True)
class ProcessKind:
    """A kind of process an app owns: its default steps and how it hears the outcome.

    ``on_outcome(info, outcome, actor)`` runs inside the deciding transaction for approved,
    rejected, returned, withdrawn and cancelled; raising a ``DomainError`` refuses the decision.
    """

    code: str
    label: str | Promise
    default_steps: tuple[StepSpec, ...]
    on_outcome: OutcomeCallback | None = None
    # The page of the subject, for links from the approvals list.
    detail_url: Callable[[InstanceInfo], str | None] | None = None
    # What each request asks, for the cards of "my approvals", "my requests" and the home page;
    # without it a card shows the kind's label, the title and ``detail_url``.
    describe: DescribeCallback | None = None


@dataclass(frozen=True)
class DefinitionInfo:
    """The definition of a kind in force for a school, as the definitions pages show it.

    ``school_id`` is None for the platform default; ``id`` is None while the default the owning
    app registered has not been stored yet (it is, as version 1, on the first request).
    """

    id: int | None
    code: str
    label: str | Promise
    version: int
    school_id: int | None
    steps: tuple[StepSpec, ...]
