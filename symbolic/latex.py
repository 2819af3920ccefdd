"""LaTeX for the report: SymPy's printer with two symbols made unambiguous.

SymPy prints an all-ones matrix as a bare ``1`` (so ``b_a 1`` for the broadcast bias) and a
diagonal matrix as ``DiagMatrix(y)``; a reader of the audit needs ``\\mathbf{1}_{1 \\times m}`` and
``\\operatorname{diag}(y)`` to check a formula against EQUATIONS.md.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter


class _Printer(LatexPrinter):
    def _print_OneMatrix(self, expr):
        rows, cols = (self._print(n) for n in expr.shape)
        return rf"\mathbf{{1}}_{{{rows} \times {cols}}}"

    def _print_DiagMatrix(self, expr):
        return rf"\operatorname{{diag}}\left({self._print(expr.args[0])}\right)"


def latex(expr: sp.Basic) -> str:
    """LaTeX of ``expr`` for a ``$$ … $$`` block."""
    return _Printer().doprint(expr)
