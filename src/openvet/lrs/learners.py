"""Who may read whose learning records (ADR 0407).

The LRS knows accounts and the org tree, not courses or classes: those belong to apps above
it. An app that knows which learners a person teaches registers a *learner source* here from
its ``AppConfig.ready`` (through ``services.learner_source_register``); the LRS asks every
source when a person reads a learner's records. Counsellors need no source: their role is
granted on their classes, and a learner's account lives in its class.
"""

from collections.abc import Callable, Iterable

from openvet.core.policy import Actor

# Given a signed-in person, the ids of the learner accounts they teach.
LearnerSource = Callable[[Actor], Iterable[int]]

_sources: dict[str, LearnerSource] = {}


def register(name: str, source: LearnerSource) -> None:
    _sources[name] = source


def taught_by(actor: Actor) -> set[int]:
    found: set[int] = set()
    for source in _sources.values():
        found.update(source(actor))
    return found
