"""Exceptions raised for bad instance or solution input.

Every user-facing input problem is reported through :class:`InstanceError` so that the
CLI (and later the web views) can show "file:line: message" instead of a traceback.
"""

from __future__ import annotations


class InstanceError(ValueError):
    """A problem instance (or a solution for it) is malformed or impossible.

    ``source`` is the file name (or another label) and ``line`` the 1-based line number,
    when the error can be tied to one.
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        super().__init__(self.location() + message)

    def location(self) -> str:
        """Return a "file:line: " prefix (empty parts are left out)."""
        if self.source is None and self.line is None:
            return ""
        if self.line is None:
            return f"{self.source}: "
        if self.source is None:
            return f"line {self.line}: "
        return f"{self.source}:{self.line}: "


class SolutionError(InstanceError):
    """A solution file does not fit the instance it is read against."""
