"""Process kinds registered by the apps that own them (from ``AppConfig.ready``).

An app declares its default steps and a callback told the outcome inside the deciding
transaction, so the effect (a student's status) commits together with the approval or not at
all. The callback may raise a ``DomainError`` to refuse an approval that no longer holds.
"""

from openvet.workflow.contracts import ProcessKind

_kinds: dict[str, ProcessKind] = {}


def register_process(kind: ProcessKind) -> None:
    _kinds[kind.code] = kind


def process_kind(code: str) -> ProcessKind | None:
    return _kinds.get(code)


def process_kinds() -> list[ProcessKind]:
    return sorted(_kinds.values(), key=lambda k: k.code)
