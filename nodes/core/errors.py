"""What can go wrong with a request on the pack's data, said in the domain's words.

The layers below the faces raise :class:`DomainError` with a :class:`ErrorKind`; each face
says it its own way: the HTTP server maps a kind to a status in one table, the command
line prints the message.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import Enum

from .model import Problem


class ErrorKind(Enum):
    """Why a request cannot be done."""

    INVALID = "invalid"  # the input breaks a rule
    NOT_FOUND = "not-found"  # it names something that does not exist
    CONFLICT = "conflict"  # it clashes with what exists: an id or URL already used
    FULL = "full"  # a limit on what is kept is reached
    NO_SPACE = "no-space"  # the disk (or the quota) is full: nothing was changed
    STORAGE = "storage"  # the folder cannot be written (read-only, no permission): unchanged


class DomainError(ValueError):
    """A request that cannot be done: its kind, a message for people, and where it went wrong.

    >>> error = DomainError(ErrorKind.NOT_FOUND, "no entry 'x'", param="id")
    >>> (error.kind.value, str(error), error.param)
    ('not-found', "no entry 'x'", 'id')
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        param: str | None = None,
        problems: Collection[Problem] = (),
        existing: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.param = param
        self.problems = list(problems)
        # What a conflict clashes with ({"id", "name"}), so a form can link to it.
        self.existing = None if existing is None else dict(existing)
