"""One result of the audit: what was checked, how, and whether it held.

The audit report and the tests read the same objects (one registry, two front ends), so a verdict
carries everything a reader needs: the derived and documented expressions in LaTeX, the plain
verdict sentence, and the time it took.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVEN = "proven equal"
CROSS_CHECKED = "cross-checked element-wise for sizes"
NOT_PROVEN = "not proven"


@dataclass(frozen=True)
class Verdict:
    """``ok`` is False exactly when ``text`` starts with "not proven"; ``text`` says why."""

    subject: str  # e.g. "(1) dWax"
    method: str  # "matrix level, dimension-free" or "element-wise"
    ok: bool
    text: str
    seconds: float
    derived: str = ""  # LaTeX
    documented: str = ""  # LaTeX

    @property
    def reason(self) -> str:
        """Why it was not proven ("" when it was)."""
        return "" if self.ok else self.text[len(NOT_PROVEN) + 2 :]

    @classmethod
    def failed(cls, subject: str, method: str, why: str, seconds: float, **latex: str) -> Verdict:
        return cls(subject, method, False, f"{NOT_PROVEN}: {why}", seconds, **latex)
