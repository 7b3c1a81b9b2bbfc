"""Domain errors: every illegal edit or unreadable file raises one of these."""

from __future__ import annotations


class BoardError(ValueError):
    """An edit that would make the board inconsistent; nothing was changed."""


class BoardLoadError(ValueError):
    """A board file that cannot be loaded; ``problems`` lists each one.

    Each problem names the place (``nodes[3].sim.workers``) and the reason.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems) or ["unknown problem"]
        super().__init__(f"{source}: " + "; ".join(self.problems))
