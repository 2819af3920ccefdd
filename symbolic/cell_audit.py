"""The symbolic audit of LSTM.md and GRU.md, the second part of ``rnnspec audit``.

A separate module (``symbolic.audit`` keeps the vanilla RNN's report unchanged): for each cell,
every documented formula checked entry by entry against SymPy's derivative of the cell loss, and
the through-time rule against the exact derivative of the unrolled loss. The exit status is 1 when
anything documented is not proven. ``run()`` returns the verdicts (the tests read them).

Sizes are the smallest that still tell a transpose apart (n_a ≠ n_x) and keep the whole audit
under 5 s cold on the 2-core machine (MEASURED.md: cost is exponential in T_x).
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field

from rnnspec.symbolic.verdict import Verdict

CELL_SIZES = ({"n_x": 1, "n_a": 2, "m": 2},)
THROUGH_TIME_SIZES = (
    (1, {"n_x": 1, "n_a": 2, "m": 2}),
    (2, {"n_x": 1, "n_a": 2, "m": 1}),
    (3, {"n_x": 1, "n_a": 1, "m": 1}),
)


@dataclass
class CellAudit:
    verdicts: list[Verdict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts)

    @property
    def failures(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.ok]


def described() -> tuple:
    """The equations' modules of every cell described by them (spec/cells/: adding a cell
    there adds it here)."""
    from rnnspec.spec import cells

    return tuple(importlib.import_module(c.symbolic) for c in cells.cells() if c.symbolic)


def run(cells=None) -> CellAudit:
    """Every proof, once: the lemma on σ', then per cell its formulas and its through-time rule."""
    start = time.perf_counter()
    from rnnspec.symbolic import cell_proof

    audit = CellAudit([cell_proof.check_sigmoid_derivative()])
    for cell in described() if cells is None else cells:
        for sizes in CELL_SIZES:
            audit.verdicts += cell_proof.check_cell_formulas(cell, sizes)
        for steps, sizes in THROUGH_TIME_SIZES:
            audit.verdicts.append(cell_proof.check_through_time(cell, steps, sizes))
    audit.seconds = time.perf_counter() - start
    return audit


def render(audit: CellAudit) -> str:
    """A Markdown table of every verdict and the result line."""
    lines = ["# Symbolic audit of the cells described by their equations (LSTM.md, GRU.md)\n",
             "| subject | method | verdict | time (s) |", "|---|---|---|---|"]
    for v in audit.verdicts:
        text = (v.text if v.ok else f"NOT PROVEN: {v.reason}").replace("|", "\\|")
        lines.append(f"| {v.subject} | {v.method} | {text} | {v.seconds:.3f} |")
    lines.append(f"\nTotal {audit.seconds:.2f} s.")
    if audit.ok:
        lines.append("\n**Result: every documented formula and both through-time rules are "
                     "proven.**")
    else:
        names = "; ".join(v.subject for v in audit.failures)
        lines.append(f"\n**Result: {len(audit.failures)} verdict(s) not proven: {names}.**")
    return "\n".join(lines) + "\n"
