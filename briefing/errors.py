"""One small exception tree. Library errors are converted into these at the edge where they
happen; the CLI turns them into one-line messages and exit codes."""

from __future__ import annotations

from briefing.redact import redact


class BriefingError(Exception):
    """Root of every error this package raises on purpose. Its text never carries a
    configured secret (``briefing.redact``), wherever it is printed or stored."""

    def __str__(self) -> str:
        return redact(super().__str__())


class ConfigError(BriefingError):
    """Settings that cannot work together (bad flag, missing key, unknown backend)."""


class IngestError(BriefingError):
    """An input file cannot become an Article. The message names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class GroundingError(ValueError):
    """A passage that cannot be aligned to the article text.

    A ValueError on purpose: raised inside a pydantic validator it becomes a validation error,
    whose short message instructor sends back to the model in a re-ask."""


class ExtractionFailed(BriefingError):
    """An article that still fails after its bounded re-asks and API retries."""

    def __init__(self, reason: str, *, attempts: int = 0, errors: list[str] | None = None) -> None:
        reason = redact(reason)
        super().__init__(reason)
        self.reason = reason
        self.attempts = attempts
        self.errors = [redact(e) for e in errors or []]


class CassetteMiss(ExtractionFailed):
    """Replay found no recording for a request."""
