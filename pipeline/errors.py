"""One exception hierarchy for the whole project.

Callers (the CLI, flows) catch :class:`LeadsError` and show its message; anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class LeadsError(Exception):
    """Base of every error a user can act on."""


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong in one config file, located precisely enough to fix it."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class ConfigError(LeadsError):
    """A config file is wrong. Carries every problem found, not just the first."""

    def __init__(self, problems: list[ConfigProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StoreError(LeadsError):
    """The customer store cannot be reached or is not at the expected schema."""


class CrawlError(LeadsError):
    """A site could not be crawled at all (as opposed to single pages failing)."""


class InputError(LeadsError):
    """A user-supplied data file (CSV for dedup or feedback) cannot be used."""
